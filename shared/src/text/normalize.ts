// Text normalization for English and Arabic, shared by the bot (intents, search) and the store's
// inbox search. Dependency-free so every package (and the eval scripts) can load it cheaply.

const ARABIC_DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;
const EXTENDED_ARABIC_INDIC_DIGITS = /[\u06F0-\u06F9]/g;

/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII digits. */
export function toWesternDigits(text: string): string {
  return text
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(EXTENDED_ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** ASCII digits to Arabic-Indic digits (for display in Arabic). */
export function toArabicDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/**
 * Folds the spelling variants that Arabic writers use interchangeably: diacritics and tatweel
 * removed; alef forms (أ إ آ ٱ) → ا; alef maqsura ى → ي; taa marbuta ة → ه; hamza on waw/yaa
 * (ؤ ئ) → و ي; Persian/Urdu letter forms (ک ی) → ك ي.
 */
export function normalizeArabic(text: string): string {
  return text
    .replace(ARABIC_DIACRITICS, "")
    .replace(TATWEEL, "")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ى/g, "ي")
    .replace(/ة/g, "ه")
    .replace(/ؤ/g, "و")
    .replace(/ئ/g, "ي")
    .replace(/ک/g, "ك")
    .replace(/ی/g, "ي");
}

/** Lower-cased, accent-free, Arabic-folded, Western digits, punctuation as spaces, single-spaced. */
export function normalizeText(text: string): string {
  // One bot turn folds the same shopper text (and the same word-list entries) dozens of times,
  // so recent results are kept. Bounded by entry count and input length, and cleared wholesale
  // when full: a pure function, so a stale entry cannot exist.
  if (text.length > MEMO_MAX_LENGTH) return foldText(text);
  let folded = memo.get(text);
  if (folded === undefined) {
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    folded = foldText(text);
    memo.set(text, folded);
  }
  return folded;
}

const MEMO_MAX_ENTRIES = 4096;
const MEMO_MAX_LENGTH = 512;
const memo = new Map<string, string>();

function foldText(text: string): string {
  const folded = normalizeArabic(toWesternDigits(text))
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  return folded
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function tokenize(text: string): string[] {
  const n = normalizeText(text);
  return n === "" ? [] : n.split(" ");
}

export function isArabic(text: string): boolean {
  const arabic = (text.match(/[\u0600-\u06FF]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return arabic > 0 && arabic >= latin;
}
