// Reading platform JSON without losing ids. Shopify's ids go past 2^53, where JSON.parse rounds
// them (820982911946154508 becomes 820982911946154500): every integer literal too long to be
// exact is turned into a string before parsing, so ids come out digit for digit.
const SAFE_DIGITS = 15;

/** JSON.parse, except that integer literals longer than 15 digits arrive as strings. Null when the text is not JSON. */
export function parseLosslessJson(text: string): unknown {
  let out = "";
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      i += 1;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i += 1;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i += 1;
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i += 1;
      const literal = text.slice(start, i);
      const digits = literal.replace(/^-/, "");
      if (/^\d+$/.test(digits) && digits.length > SAFE_DIGITS) {
        out += `${text.slice(last, start)}"${literal}"`;
        last = i;
      }
      continue;
    }
    i += 1;
  }
  try {
    return JSON.parse(last === 0 ? text : out + text.slice(last)) as unknown;
  } catch {
    return null;
  }
}

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const objectAt = (v: unknown, key: string): Json | null => (isObject(v) && isObject(v[key]) ? v[key] : null);
export const arrayAt = (v: unknown, key: string): unknown[] => (isObject(v) && Array.isArray(v[key]) ? v[key] : []);

/** An id as its exact digits (or the platform's own string id); null when absent or not exact. */
export function idOf(value: unknown): string | null {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return null;
}

export function text(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

/** A money amount from a number, a numeric string ("19.99", "100.00000000000000") or `{amount}`. */
export function money(value: unknown): number | null {
  if (isObject(value)) return money(value.amount);
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) / 100 : null;
}

export function integer(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** A platform time (ISO with offset, "2026-01-30 15:56:02" in the store's zone taken as UTC, JS Date.toString()) → ISO, or null. */
export function isoTime(value: unknown): string | null {
  if (isObject(value)) return isoTime(value.date);
  if (typeof value !== "string" || value.trim() === "") return null;
  const raw = value.trim();
  const sqlLike = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw) ? `${raw.replace(" ", "T")}Z` : raw;
  const ms = Date.parse(sqlLike);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Arabic letters present: the text is Arabic (a one-language platform title goes to that side). */
export const looksArabic = (s: string): boolean => /[\u0600-\u06FF]/.test(s);

/** One platform string into both sides of a bilingual text, by its script. */
export function bilingual(value: string): { en: string; ar: string } {
  return looksArabic(value) ? { en: "", ar: value } : { en: value, ar: "" };
}

/** Either `{en, ar}` (Zid, Salla's translated fields) or one string. */
export function localizedOf(value: unknown): { en: string; ar: string } {
  if (isObject(value)) return { en: text(value.en), ar: text(value.ar) };
  return bilingual(text(value));
}

/** Text of an HTML description: tags dropped, entities for the common characters decoded, spaces collapsed. */
export function plainText(html: unknown, max = 5000): string {
  const s = text(html)
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/p>|<\/li>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
  return s.length > max ? s.slice(0, max) : s;
}

/** http(s) URLs only: anything else a platform sends is not shown to shoppers. */
export function httpUrlOrNull(value: unknown): string | null {
  const s = text(value);
  return /^https?:\/\/\S+$/i.test(s) && s.length <= 2048 ? s : null;
}
