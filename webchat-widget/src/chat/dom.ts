// Small DOM helpers. Message content only ever becomes text nodes or validated anchors.
type Attrs = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string | null | undefined | false>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "class") el.className = String(v);
    else if (k === "text") el.textContent = String(v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A URL the server gave us, resolved against the Kaleem host; only http(s) survive. */
export function safeUrl(raw: string | null | undefined, base: string): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw, base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** Fills `el` with the text, turning http(s) URLs into anchors and everything else into text nodes. */
export function renderText(el: HTMLElement, text: string): void {
  el.textContent = "";
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const start = match.index ?? 0;
    // Trailing punctuation usually ends the sentence, not the URL.
    const raw = match[0].replace(/[.,;:!?)\]}،؟]+$/u, "");
    const href = safeUrl(raw, "http://invalid.invalid/");
    if (!href) continue;
    if (start > last) el.append(text.slice(last, start));
    const a = document.createElement("a");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.textContent = raw;
    el.append(a);
    last = start + raw.length;
  }
  if (last < text.length) el.append(text.slice(last));
}
