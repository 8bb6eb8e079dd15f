// Text analysis shared by indexing and querying, so both sides of a match are shaped the same
// way: normalization, unit splitting, light stemming (EN + AR), lemma table, concept phrases.
import { normalizeText } from "../nlp/normalize.js";
import { AUDIENCE_WORDS, COLOURS, CONCEPTS, LEMMAS, MATERIALS, STOPWORDS } from "./lexicon.js";
import { NEEDS } from "./needs.js";

export interface Token {
  /** Normalized surface form. */
  norm: string;
  /** Stem used for matching. */
  stem: string;
  /** Stem with a one-letter Arabic proclitic (و ب ل ف ك) removed, when plausible. */
  variant: string | null;
  number: boolean;
  stop: boolean;
}

export interface ConceptHit {
  id: string;
  /** Token index range [start, end) the phrase covers. */
  start: number;
  end: number;
}

export interface Analysis {
  tokens: Token[];
  concepts: ConceptHit[];
}

const ARABIC_LETTER = /[\u0621-\u064A]/;
const UNIT_SUFFIX = /^(\d+)(g|kg|gm|gr|ml|l|ltr|w|v|gb|tb|mb|mah|cm|mm|m|pcs|pc|x|inch|in|k|bar|mp)$/;
const THOUSAND_WORDS = new Set(["الف", "الاف", "k", "thousand"]);

/** Splits glued numbers and units ("10000mah", "20w", "spf50", "a55") into separate words. */
function splitUnits(word: string): string[] {
  const money = /^(\d+)(sar|sr|rs|riyals?)$/.exec(word);
  if (money?.[1] !== undefined) return [money[1], "sar"];
  // Arabic letters never mix with digits in one word except by a missing space ("بـ200", "200ريال").
  if (/[\u0621-\u064A]/.test(word) && /\d/.test(word)) return word.split(/(\d+)/).filter((w) => w !== "");
  const unit = UNIT_SUFFIX.exec(word);
  if (unit?.[1] !== undefined && unit[2] !== undefined) {
    return unit[2] === "k" ? [String(Number(unit[1]) * 1000)] : [word, unit[1], unit[2]];
  }
  const numLetters = /^(\d{2,})([a-z]{2,})$/.exec(word);
  if (numLetters?.[1] !== undefined && numLetters[2] !== undefined) return [word, numLetters[1], numLetters[2]];
  const lettersNum = /^([a-z]+)(\d{2,})$/.exec(word);
  if (lettersNum?.[1] !== undefined && lettersNum[2] !== undefined) return [word, lettersNum[1], lettersNum[2]];
  return [word];
}

function stemEnglish(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (w.length > 4 && /(ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length >= 6 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length >= 6 && w.endsWith("ed")) w = w.slice(0, -2);
  if (w.length >= 5 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

function stripArabicSuffixes(word: string): string {
  let w = word;
  if (w.endsWith("ء") && w.length > 3) w = w.slice(0, -1);
  if (w.length - 2 >= 3 && w.endsWith("ات")) return w.slice(0, -2);
  if (w.length - 2 >= 4 && (w.endsWith("ين") || w.endsWith("ون"))) return w.slice(0, -2);
  if (w.length - 1 >= 3 && w.endsWith("ه")) w = w.slice(0, -1);
  // Nisba ي only on longer words: "رجالي"→"رجال" but "تمري" (date bowl) must not become "تمر".
  if (w.length - 1 >= 4 && w.endsWith("ي")) w = w.slice(0, -1);
  return w;
}

const ARTICLE_PREFIXES = ["وال", "بال", "كال", "فال", "لل", "ال"];

function stripArticle(word: string): string {
  for (const p of ARTICLE_PREFIXES) {
    if (word.startsWith(p) && word.length - p.length >= 3) return word.slice(p.length);
  }
  return word;
}

const lemmaMap = new Map<string, string>();
for (const [k, v] of Object.entries(LEMMAS)) lemmaMap.set(normalizeText(k), normalizeText(v));

function stemArabic(word: string): string {
  let w = lemmaMap.get(word) ?? word;
  w = stripArticle(w);
  w = lemmaMap.get(w) ?? w;
  return stripArabicSuffixes(w);
}

/** The matching form of one normalized word. */
export function stemWord(word: string): string {
  if (/^\d+$/.test(word)) return String(Number(word));
  if (ARABIC_LETTER.test(word)) return stemArabic(word);
  const lemma = lemmaMap.get(word);
  if (lemma !== undefined) return stemEnglish(lemma);
  if (/^[a-z]+$/.test(word)) return stemEnglish(word);
  return word;
}

function proclicVariant(word: string): string | null {
  if (!ARABIC_LETTER.test(word)) return null;
  const first = word[0];
  if (first === undefined || !"وبلفك".includes(first) || word.length - 1 < 3) return null;
  if (ARTICLE_PREFIXES.some((p) => word.startsWith(p))) return null;
  return stemArabic(word.slice(1));
}

const stopStems = new Set<string>();
for (const w of STOPWORDS) for (const n of normalizeText(w).split(" ")) if (n !== "") stopStems.add(n);
/** Normalized stopwords (for checking words that arrive by transliteration). */
export const stopNorms: ReadonlySet<string> = stopStems;

/** Normalized words, with units split off and "20 الف" folded into 20000. */
export function searchWords(text: string): string[] {
  const words = normalizeText(text).split(" ").filter((w) => w !== "");
  const out: string[] = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    if (THOUSAND_WORDS.has(w) && prev !== undefined && /^\d+$/.test(prev)) {
      out[out.length - 1] = String(Number(prev) * 1000);
      continue;
    }
    out.push(...splitUnits(w));
  }
  return out;
}

export function toToken(norm: string): Token {
  const number = /^\d+$/.test(norm);
  const stem = stemWord(norm);
  // "والميزانية", "فيعني": a function word with "and"/"so" attached is still a function word.
  const withoutConjunction = /^[وف][\u0621-\u064A]{3,}/.test(norm) ? norm.slice(1) : null;
  const stop = !number && (stopStems.has(norm) || (withoutConjunction !== null && stopStems.has(withoutConjunction)) || (norm.length < 2 && !ARABIC_LETTER.test(norm)));
  return { norm, stem, variant: proclicVariant(norm), number, stop };
}

// ---- concept phrases -----------------------------------------------------------------------

export const COLOUR_PREFIX = "§c:";
export const MATERIAL_PREFIX = "§m:";
export const AUDIENCE_PREFIX = "§a:";
/** A situation the shopper describes (see ./needs.ts). */
export const NEED_PREFIX = "§n:";

interface PhraseEntry {
  stems: string[];
  ids: string[];
}
/** First stem → phrases starting with it, longest first. */
const phraseIndex = new Map<string, PhraseEntry[]>();

function registerPhrases(table: Readonly<Record<string, readonly string[]>>, prefix: string): void {
  for (const [id, terms] of Object.entries(table)) {
    for (const term of terms) {
      const stems = searchWords(term).map(stemWord);
      const first = stems[0];
      if (first === undefined) continue;
      const list = phraseIndex.get(first) ?? [];
      const existing = list.find((e) => e.stems.join(" ") === stems.join(" "));
      const conceptId = prefix + id;
      if (existing) {
        if (!existing.ids.includes(conceptId)) existing.ids.push(conceptId);
      } else list.push({ stems, ids: [conceptId] });
      phraseIndex.set(first, list);
    }
  }
}
registerPhrases(CONCEPTS, "§");
registerPhrases(COLOURS, COLOUR_PREFIX);
registerPhrases(MATERIALS, MATERIAL_PREFIX);
registerPhrases(AUDIENCE_WORDS, AUDIENCE_PREFIX);
registerPhrases(Object.fromEntries(Object.entries(NEEDS).map(([id, n]) => [id, n.says])), NEED_PREFIX);

/** Concept id → weight, for each need id ("§n:camping" → { "§tent": 1, ... }). */
export const needServes: ReadonlyMap<string, ReadonlyMap<string, number>> = (() => {
  const m = new Map<string, Map<string, number>>();
  for (const [id, need] of Object.entries(NEEDS)) {
    const serves = new Map<string, number>();
    for (const [concept, weight] of Object.entries(need.serves)) {
      // A typo in the resource must fail loudly, not silently serve nothing.
      if (!Object.hasOwn(CONCEPTS, concept) && !Object.hasOwn(MATERIALS, concept)) throw new Error(`need ${id} serves unknown concept ${concept}`);
      serves.set(Object.hasOwn(CONCEPTS, concept) ? `§${concept}` : MATERIAL_PREFIX + concept, weight);
    }
    m.set(NEED_PREFIX + id, serves);
  }
  return m;
})();
for (const list of phraseIndex.values()) list.sort((a, b) => b.stems.length - a.stems.length);

/** Stems that form a concept on their own (for typo matching against the lexicon). */
export const lexiconWords: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [first, list] of phraseIndex) {
    for (const e of list) if (e.stems.length === 1) m.set(first, [...(m.get(first) ?? []), ...e.ids]);
  }
  return m;
})();

function matchesAt(tokens: readonly Token[], i: number, stems: readonly string[]): boolean {
  for (let j = 0; j < stems.length; j++) {
    const t = tokens[i + j];
    if (t === undefined) return false;
    if (t.stem !== stems[j] && t.variant !== stems[j]) return false;
  }
  return true;
}

/** Every concept phrase in the token list; overlapping and nested phrases are all reported. */
export function findConcepts(tokens: readonly Token[]): ConceptHit[] {
  const hits: ConceptHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    const candidates = [...(phraseIndex.get(t.stem) ?? []), ...(t.variant !== null ? (phraseIndex.get(t.variant) ?? []) : [])];
    for (const entry of candidates) {
      if (!matchesAt(tokens, i, entry.stems)) continue;
      for (const id of entry.ids) {
        if (!hits.some((h) => h.id === id && h.start === i && h.end === i + entry.stems.length)) {
          hits.push({ id, start: i, end: i + entry.stems.length });
        }
      }
    }
  }
  return hits;
}

export function analyze(text: string): Analysis {
  const tokens = searchWords(text).map(toToken);
  return { tokens, concepts: findConcepts(tokens) };
}

/** Terms a catalog text contributes to the index: stems, proclitic variants, concept ids. */
export function indexTerms(text: string): Array<{ term: string; weight: number }> {
  const { tokens, concepts } = analyze(text);
  const out: Array<{ term: string; weight: number }> = [];
  for (const t of tokens) {
    if (t.stop) continue;
    out.push({ term: t.stem, weight: 1 });
    if (t.variant !== null && t.variant !== t.stem) out.push({ term: t.variant, weight: 0.5 });
  }
  // A word inside a longer phrase barely stands for its own concept there: a "coffee maker" is
  // not coffee, "احمر شفاه" is not red, a "sleeping bag" is not a bag (but "dehn al oud" is oud).
  const nested = (c: ConceptHit) => concepts.some((o) => o.end - o.start > c.end - c.start && o.start <= c.start && o.end >= c.end);
  for (const c of concepts) {
    const weight = nested(c) ? 0.35 : 1;
    out.push({ term: c.id, weight });
    // Unisex products are for men and for women.
    if (c.id === AUDIENCE_PREFIX + "unisex") out.push({ term: AUDIENCE_PREFIX + "men", weight }, { term: AUDIENCE_PREFIX + "women", weight });
  }
  return out;
}

export const isArabicWord = (w: string): boolean => ARABIC_LETTER.test(w);

/** Whether the text names a kind of product the lexicon knows ("laptops", "عبايات"), sold here or not. */
export function namesProductKind(text: string): boolean {
  return analyze(text).concepts.some((c) => c.id.startsWith("§") && !c.id.includes(":"));
}
