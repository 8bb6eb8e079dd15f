// Small lexical helpers of the dialogue: quantities, contact details, yes/no, and the tokens used
// to tell "the black one" from "the white one" among products already shown.
import type { Product } from "@kaleem/shared";
import { normalizeText, toWesternDigits, tokenize } from "../nlp/normalize.js";

/** Word lists are compared with tokenized shopper text, so they are folded the same way. */
function foldedSet(words: readonly string[]): Set<string> {
  return new Set(words.map(normalizeText));
}

// "one"/"واحد" are left out: they mostly mean "the black one", and 1 is the default anyway.
const NUMBER_WORDS: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, pair: 2, couple: 2,
  حبه: 1, اثنين: 2, اثنان: 2, ثنتين: 2, حبتين: 2, زوج: 2, ثلاث: 3, ثلاثه: 3, اربع: 4, اربعه: 4,
  خمس: 5, خمسه: 5, ست: 6, سته: 6, سبع: 7, سبعه: 7, ثمان: 8, ثمانيه: 8, تسع: 9, تسعه: 9, عشر: 10, عشره: 10,
};

/** Quantity the shopper asked for ("add 2", "ضيف ٢", "two of them", "حبتين"), or null. */
export function parseQuantity(text: string): number | null {
  for (const token of tokenize(text)) {
    if (/^\d{1,2}$/.test(token)) {
      const n = Number(token);
      if (n > 0) return n;
    }
    const word = NUMBER_WORDS[token] ?? NUMBER_WORDS[token.replace(/^(ب|و)/, "")];
    if (word !== undefined) return word;
  }
  return null;
}

/** An order number in the message: 3–8 digits, optionally after "#". */
export function parseOrderNumber(text: string): string | null {
  const western = toWesternDigits(text);
  const match = western.match(/(?:^|[^\d])#?(\d{3,8})(?!\d)/);
  return match?.[1] ?? null;
}

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/i;
export function parseEmail(text: string): string | null {
  const match = toWesternDigits(text).match(EMAIL);
  return match ? match[0].toLowerCase() : null;
}

/** A phone number (9–15 digits, spaces/dashes allowed), as its digits. */
export function parsePhone(text: string): string | null {
  const western = toWesternDigits(text);
  const match = western.match(/\+?\d[\d\s-]{7,18}\d/);
  if (!match) return null;
  const digits = match[0].replace(/\D/g, "");
  return digits.length >= 9 && digits.length <= 15 ? digits : null;
}

export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

const YES = foldedSet(["yes", "y", "yeah", "yep", "sure", "ok", "okay", "confirm", "confirmed", "نعم", "اي", "ايه", "ايوه", "اكيد", "تمام", "اوكي", "موافق", "اكد", "ابشر", "يب"]);
const NO = foldedSet(["no", "nope", "cancel", "stop", "لا", "الغاء", "الغي", "كنسل", "وقف", "لاء"]);
export function isYes(text: string): boolean {
  const tokens = tokenize(text);
  return tokens.length > 0 && tokens.length <= 4 && tokens.some((t) => YES.has(t)) && !tokens.some((t) => NO.has(t));
}
export function isNo(text: string): boolean {
  const tokens = tokenize(text);
  return tokens.length > 0 && tokens.length <= 4 && tokens.some((t) => NO.has(t));
}

// Colour words in both languages (after normalizeText) fold to one key so "black" finds "سوداء".
const COLOURS: Record<string, string[]> = {
  black: ["black", "اسود", "سوداء", "سودا", "سود"],
  white: ["white", "ابيض", "بيضاء", "بيضا", "بيض"],
  red: ["red", "احمر", "حمراء", "حمرا"],
  blue: ["blue", "ازرق", "زرقاء", "زرقا"],
  navy: ["navy", "كحلي", "كحليه"],
  green: ["green", "اخضر", "خضراء", "خضرا"],
  yellow: ["yellow", "اصفر", "صفراء", "صفرا"],
  beige: ["beige", "بيج"],
  brown: ["brown", "بني", "بنيه"],
  grey: ["grey", "gray", "رمادي", "رماديه"],
  pink: ["pink", "وردي", "ورديه", "زهري"],
  gold: ["gold", "golden", "ذهبي", "ذهبيه"],
  silver: ["silver", "فضي", "فضيه"],
  purple: ["purple", "بنفسجي", "موف"],
};
const COLOUR_OF = new Map<string, string>();
for (const [key, words] of Object.entries(COLOURS)) for (const w of words) COLOUR_OF.set(w, `colour:${key}`);

// Words that say what to do, not which product: they never pick a product.
const ACTION_WORDS = foldedSet(
  (
    "add put want need like get take buy order cart basket the a an of one ones please pls to my me i in it this that those these them with and or for from more some " +
    "pack packs pcs pc pieces piece box boxes units unit x " +
    "ضيف اضف اضيف ضيفه ضيفها حط حطه حطها ابي ابغى ابغي ودي اريد عطني اعطني ابيها ابيه من في على الى السله سله السلة للسله لي اللي هذا هذي هذه ذا ذي ها حبه حبات قطعه قطع علبه علب و او"
  ).split(" "),
);

function stem(token: string): string {
  let t = token;
  if (/^(وال|بال|فال|كال)/.test(t) && t.length > 5) t = t.slice(3);
  else if (/^(ال|لل)/.test(t) && t.length > 4) t = t.slice(2);
  if (/^[a-z]+s$/.test(t) && t.length > 3) t = t.slice(0, -1);
  return COLOUR_OF.get(t) ?? COLOUR_OF.get(token) ?? t;
}

/** Descriptive tokens of a message: what remains after action, quantity and filler words. */
export function descriptorTokens(text: string): string[] {
  return tokenize(text)
    .filter((t) => !ACTION_WORDS.has(t) && !/^\d+$/.test(t) && NUMBER_WORDS[t] === undefined)
    .map(stem)
    .filter((t) => t.length > 1);
}

/** Like descriptorTokens but unstemmed, for handing back to product search. */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((t) => !ACTION_WORDS.has(t) && !/^\d+$/.test(t) && NUMBER_WORDS[t] === undefined && t.length > 1);
}

export function productTokens(product: Product): Set<string> {
  const text = [product.name.en, product.name.ar, ...Object.values(product.attributes), ...product.tags].join(" ");
  return new Set(tokenize(text).map(stem));
}

/** Products among `candidates` that best match the descriptor tokens (ties all returned). */
export function bestMatches(tokens: string[], candidates: Product[]): Product[] {
  if (tokens.length === 0) return [];
  let best = 0;
  let winners: Product[] = [];
  for (const product of candidates) {
    const own = productTokens(product);
    const score = tokens.filter((t) => own.has(t)).length;
    if (score > best) {
      best = score;
      winners = [product];
    } else if (score === best && score > 0) winners.push(product);
  }
  return best > 0 ? winners : [];
}

/**
 * Each word list folded once (the lists are module constants, read on every turn); a list built
 * on the fly is folded on its first use and dropped with it.
 */
const foldedLists = new WeakMap<readonly string[], ReadonlyArray<{ folded: string; spaced: string; long: boolean }>>();
function folded(words: readonly string[]) {
  let entries = foldedLists.get(words);
  if (!entries) {
    entries = words.map((w) => {
      const f = normalizeText(w);
      return { folded: f, spaced: ` ${f} `, long: w.length > 5 };
    });
    foldedLists.set(words, entries);
  }
  return entries;
}

export function containsAny(text: string, words: readonly string[]): boolean {
  const normalized = ` ${normalizeText(text)} `;
  return folded(words).some((w) => normalized.includes(w.spaced) || (w.long && normalized.includes(w.folded)));
}

const POLITE_OPENING = /^(please|pls|plz|لو سمحت|من فضلك|ممكن|طيب|اوكي|ok|okay)\s+/;

/** Whether the message opens with one of `words` (after "please"/"لو سمحت"). */
export function startsWithAny(text: string, words: readonly string[]): boolean {
  const normalized = normalizeText(text).replace(POLITE_OPENING, "");
  return folded(words).some((w) => normalized === w.folded || normalized.startsWith(`${w.folded} `));
}

const ORDINAL_SPELLINGS: Record<string, number> = {
  first: 0, "1st": 0, second: 1, "2nd": 1, third: 2, "3rd": 2, fourth: 3, "4th": 3, last: -1,
  اول: 0, الاول: 0, اولى: 0, الاولى: 0, ثاني: 1, الثاني: 1, ثانيه: 1, الثانيه: 1, ثالث: 2, الثالث: 2, الثالثه: 2, رابع: 3, الرابع: 3, الرابعه: 3, اخير: -1, الاخير: -1, الاخيره: -1,
};
// Keys folded like shoppers' words are (ى → ي, ة → ه, أ → ا), or "الأولى" would never match.
const ORDINALS: Record<string, number> = Object.fromEntries(Object.entries(ORDINAL_SPELLINGS).map(([k, v]) => [normalizeText(k), v]));
export const ORDINAL_WORDS = new Set(Object.keys(ORDINALS));

/** "the first one" → 0, "the last" → -1; null when no position is named. */
export function parseOrdinal(text: string): number | null {
  for (const token of tokenize(text)) {
    const position = ORDINALS[token];
    if (position !== undefined) return position;
  }
  return null;
}

/** The message with an attached "and" taken off its words ("وتابي" → "تابي"), for word lists. */
export function withoutAttachedAnd(text: string): string {
  return text
    .split(/\s+/)
    .map((w) => (/^و[\u0621-\u064A]{3,}/.test(w) ? w.slice(1) : w))
    .join(" ");
}
