// Reading a message against the conversation so far: which product "it", "the second one" or
// "بكم هذي؟" means, what is being asked about it (price, a size, a colour, an attribute), and
// whether a short message only continues the last topic ("and Hail?", "وتابي؟", "cheaper?").
import type { Product } from "@kaleem/shared";
import { normalizeText, tokenize } from "../nlp/normalize.js";
import { analyze, COLOUR_PREFIX, MATERIAL_PREFIX } from "../search/analyze.js";
import type { TypedNumber } from "./numbers.js";
import { bestMatches, descriptorTokens, ORDINAL_WORDS, parseOrdinal } from "./words.js";

/** Words that make a message a continuation of the last one ("and ...", "what about ...", "و..."). */
const CONTINUATION_STARTS = ["and", "what about", "how about", "also", "and what about", "ok and", "and for", "w", "wa", "طيب و", "طيب", "وش عن", "بالنسبه", "بالنسبة", "طب", "و", "and if", "what if", "ولو", "لو"].map(normalizeText);

export function isContinuation(text: string): boolean {
  const t = normalizeText(text);
  if (/^و[\u0621-\u064A]/.test(t)) return true;
  return CONTINUATION_STARTS.some((w) => t === w || t.startsWith(`${w} `));
}

/** At most `n` words (a follow-up, not a new request). */
export function isShort(text: string, n = 5): boolean {
  return tokenize(text).length <= n;
}

// Pronouns and demonstratives that point back at a product ("is it", "that one", "هذي").
const REFERENCE_WORDS = new Set(
  ["it", "its", "this", "that", "these", "those", "them", "one", "هذا", "هذي", "هذه", "ذا", "ذي", "هاذي", "هاذا", "ذيك", "ذاك", "هو", "هي", "منه", "منها", "hatha", "hathi", "hadi", "hada", "hathy"].map(normalizeText),
);
// Nouns a shopper attaches a pronoun to in Arabic: "سعرها", "مقاسه", "لونها", "قوتها".
const ASKED_NOUNS = ["سعر", "مقاس", "لون", "الوان", "خامت", "خام", "قماش", "حجم", "وزن", "ضمان", "قوت", "طول", "سعت", "بطاري", "ريحت", "عمر", "مواصفات", "تفاصيل", "نوع", "حق"].map(normalizeText);

export function refersBack(text: string): boolean {
  const words = tokenize(text);
  if (words.some((w) => REFERENCE_WORDS.has(w) || ORDINAL_WORDS.has(w))) return true;
  return words.some((w) => ASKED_NOUNS.some((n) => w.length > n.length && w.startsWith(n) && /(ه|ها|هم)$/.test(w)));
}

export type Asked =
  | { kind: "price" }
  | { kind: "stock" }
  | { kind: "size"; value: string }
  | { kind: "colour"; value: string }
  | { kind: "attribute"; key: string }
  | { kind: "details" };

const PRICE_WORDS = ["how much", "price", "cost", "costs", "بكم", "كم سعر", "سعر", "سعره", "سعرها", "كم حقه", "كم حقها", "bkam", "bekam", "kam se3r", "se3r", "si3r", "s3r", "se3ra", "kam"].map(normalizeText);
const STOCK_WORDS = ["in stock", "available", "availability", "still there", "left", "متوفر", "متوفره", "موجود", "موجوده", "باقي", "mawjood", "mutawaffer", "mtwfr"].map(normalizeText);

/** Attribute keys shoppers ask about, with the words they use (both languages). */
const ATTRIBUTE_WORDS: Record<string, string[]> = {
  material: ["material", "made of", "fabric", "خامه", "خامته", "خامتها", "قماش", "القماش", "مصنوع", "نوع القماش"],
  power: ["power", "watt", "watts", "wattage", "قوه", "قوتها", "قوته", "واط", "تستهلك", "استهلاك"],
  capacity: ["capacity", "how big", "litre", "liter", "سعه", "سعتها", "سعته", "كم لتر", "يكفي كم"],
  battery: ["battery", "charge last", "بطاريه", "بطاريتها", "البطاريه", "الشحن يقعد"],
  volume: ["how many ml", "ml", "volume", "كم مل", "حجم", "حجمه", "حجمها"],
  weight: ["weight", "how heavy", "وزن", "وزنه", "وزنها", "كم كيلو", "كم جرام"],
  pieces: ["how many pieces", "pieces", "pcs", "كم قطعه", "كم حبه", "عدد القطع"],
  age: ["what age", "age", "how old", "اي عمر", "لأي عمر", "العمر", "عمر"],
  origin: ["where is it from", "made in", "origin", "صناعه", "صنع", "من وين"],
  scent: ["smell", "scent", "ريحته", "ريحتها", "رائحته"],
};

export function askedAbout(text: string, numbers: readonly TypedNumber[]): Asked | null {
  const normalized = ` ${normalizeText(text)} `;
  const has = (words: readonly string[]) => words.some((w) => normalized.includes(` ${w} `) || (w.length > 4 && normalized.includes(w)));
  const size = numbers.find((n) => n.kind === "size");
  if (size) return { kind: "size", value: String(size.value) };
  const sizeWord = normalized.match(/ (xxl|xl|xs|s|m|l|small|medium|large|صغير|وسط|كبير) /);
  if (sizeWord && /size|مقاس|سايز/.test(normalized)) return { kind: "size", value: sizeWord[1]! };
  const colour = analyze(text).concepts.find((c) => c.id.startsWith(COLOUR_PREFIX));
  if (colour) return { kind: "colour", value: colour.id.slice(COLOUR_PREFIX.length) };
  for (const [key, words] of Object.entries(ATTRIBUTE_WORDS)) if (has(words.map(normalizeText))) return { kind: "attribute", key };
  if (analyze(text).concepts.some((c) => c.id.startsWith(MATERIAL_PREFIX))) return { kind: "attribute", key: "material" };
  if (has(PRICE_WORDS)) return { kind: "price" };
  if (has(STOCK_WORDS)) return { kind: "stock" };
  return null;
}

/** Product-kind concepts a text names ("capsules", "عطر"): a message naming other kinds starts a new search. */
export function productKinds(text: string): Set<string> {
  return new Set(analyze(text).concepts.filter((c) => c.id.startsWith("§") && !c.id.includes(":")).map((c) => c.id));
}

/**
 * The product of those just shown that the message means: by position ("the second one"), by
 * description ("the black one"), or by pronoun when only one could be meant. Null when it is
 * not clear; `several` when the message fits all of them ("how much are they?").
 */
export function resolveReference(text: string, shown: readonly Product[], focus: Product | null): { product: Product | null; several: boolean } {
  if (shown.length === 0 && !focus) return { product: null, several: false };
  const ordinal = parseOrdinal(text);
  if (ordinal !== null) {
    const byPosition = ordinal === -1 ? shown.at(-1) : shown[ordinal];
    if (byPosition) return { product: byPosition, several: false };
  }
  const candidates = focus && !shown.some((p) => p.id === focus.id) ? [focus, ...shown] : [...shown];
  const tokens = descriptorTokens(text).filter((t) => !ORDINAL_WORDS.has(t));
  const matches = bestMatches(tokens, candidates);
  if (matches.length === 1) return { product: matches[0] ?? null, several: false };
  if (focus) return { product: focus, several: false };
  if (candidates.length === 1) return { product: candidates[0] ?? null, several: false };
  return { product: null, several: candidates.length > 1 };
}

const UNITS = new Set(["ml", "l", "g", "kg", "gm", "cm", "mm", "m", "inch", "inches", "w", "watt", "watts", "mah", "gb", "tb", "مل", "لتر", "جرام", "كيلو", "سم", "واط"]);
const ATTRIBUTE_TERMS = new Set(Object.values(ATTRIBUTE_WORDS).flatMap((words) => words.flatMap((w) => normalizeText(w).split(" "))));
/** Words that ask about a product rather than name one: units and attribute names ("ml", "battery", "خامته"). */
export function isQuestionTerm(token: string): boolean {
  return UNITS.has(token) || ATTRIBUTE_TERMS.has(token);
}

const ONE = new Set(["it", "its", "this", "that", "هذا", "هذي", "هذه", "ذا", "ذي", "هاذي", "هاذا", "ذيك", "ذاك", "hatha", "hathi", "hadi", "hada"].map(normalizeText));
const MANY = new Set(["they", "them", "these", "those", "each", "all", "هذول", "هذولا", "هم", "كلهم", "كل"].map(normalizeText));
/** "How much is this one?" points at one product; "how much are they?" at all of them. */
export function pointsAtOne(text: string): boolean {
  const words = tokenize(text);
  return words.some((w) => ONE.has(w)) && !words.some((w) => MANY.has(w));
}
