// What a log line must never carry: credentials (passwords, tokens, signing secrets, API keys) and
// shoppers' contact details (email, phone). Two nets, because either alone misses cases:
//   - by key: any field whose name says it holds one (`password`, `botToken`, `authorization`,
//     `phone`, `email`, ...) at any depth, errors included;
//   - by shape: strings that look like one wherever they sit — JWTs, Telegram bot tokens (they
//     sit in API URLs that end up in error messages), bearer headers, Meta/Shopify tokens, secret
//     query parameters, email addresses and international phone numbers.
// It runs only for enabled levels (a pino hook), on the few objects a log call carries.
export const REDACTED = "[redacted]";

const SENSITIVE_KEY = /(pass(word|wd|phrase)?|secret|authorization|cookie|api[-_]?key|signature|credential|private[-_]?key|phone|e-?mail|token)$/i;
/** Keys that end like a sensitive one but hold no secret (counts, ids, kinds). */
const HARMLESS_KEY = /^(tokens|tokenId|tokenCount|emailKind|kind|sessionToken(s)?Count)$/;

const VALUE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // JSON Web Tokens (access, refresh, visitor tokens).
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, REDACTED],
  // Telegram bot tokens, alone or inside https://api.telegram.org/bot<token>/method.
  [/(?<!\d)\d{6,12}:[\w-]{30,}/g, REDACTED],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[\w~+/=.-]{8,}/gi, `$1 ${REDACTED}`],
  // Meta (EAA...) and Shopify (shpat_/shpss_/shpca_/shppa_) access tokens.
  [/\bEAA[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bshp(at|ss|ca|pa)_[A-Za-z0-9]{16,}/g, REDACTED],
  // Secret-looking query or fragment parameters (verify tokens, signatures, keys, codes).
  [/([?&#](?:[\w.]*token|[\w.]*secret|signature|sig|key|code|password)=)[^&#\s"']+/gi, `$1${REDACTED}`],
  // Email addresses.
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, REDACTED],
  // Phone numbers in international form (how the store keeps them), and Saudi mobile numbers.
  [/\+\d[\d ]{7,16}\d/g, REDACTED],
  [/\b(00966|966|0)5\d{8}\b/g, REDACTED],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VALUE_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 8;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An error as a plain object: its type, message, stack, own fields (code, status...) and cause. */
function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.constructor.name || err.name, message: err.message, stack: err.stack };
  for (const [key, v] of Object.entries(err)) if (!(key in out)) out[key] = v;
  if (err.cause !== undefined) out["cause"] = err.cause;
  return out;
}

/** A copy of `value` with sensitive fields and values replaced; class instances other than errors pass as they are. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (value instanceof Error) return redactValue(errorFields(value), depth + 1);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) && !HARMLESS_KEY.test(key) && v !== null && v !== undefined && typeof v !== "boolean" ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
