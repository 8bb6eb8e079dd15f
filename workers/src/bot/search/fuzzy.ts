// Typo tolerance and Arabizi matching against the index vocabulary. Edit costs are weighted the
// way shoppers actually misspell: dropped or doubled vowels and Arabic long vowels/hamza cost
// half, so "abya"→"abaya" and "kaftaan"→"kaftan" match while "sofa"→"soft" does not.
import { arabiziWordToArabic } from "../nlp/arabizi.js";
import { stemWord } from "./analyze.js";

const WEAK = new Set(["a", "e", "i", "o", "u", "y", "ا", "و", "ي", "ه", "ء"]);
// Arabic long vowels are not interchangeable (they carry the word pattern: غسالة is not غسول),
// so only English vowels substitute cheaply.
const CONFUSABLE_GROUPS = ["سصث", "زذظض", "تط", "دض", "هح", "كق", "aeiouy"];
const confusable = new Map<string, string>();
for (const g of CONFUSABLE_GROUPS) for (const ch of g) confusable.set(ch, (confusable.get(ch) ?? "") + g);

function subCost(a: string, b: string): number {
  if (a === b) return 0;
  return confusable.get(a)?.includes(b) ? 0.5 : 1;
}

function indelCost(word: string, i: number): number {
  const ch = word[i] ?? "";
  if (WEAK.has(ch)) return 0.5;
  if (word[i - 1] === ch || word[i + 1] === ch) return 0.5;
  return 1;
}

/** Weighted optimal-string-alignment distance, abandoning once it exceeds `max`. */
export function weightedDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) * 0.5 > max) return Infinity;
  let prev2: number[] = [];
  let prev: number[] = [0];
  for (let j = 1; j <= m; j++) prev[j] = (prev[j - 1] ?? 0) + indelCost(b, j - 1);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = [(prev[0] ?? 0) + indelCost(a, i - 1)];
    let rowMin = cur[0] ?? 0;
    for (let j = 1; j <= m; j++) {
      const ca = a[i - 1] ?? "";
      const cb = b[j - 1] ?? "";
      let v = Math.min(
        (prev[j] ?? Infinity) + indelCost(a, i - 1),
        (cur[j - 1] ?? Infinity) + indelCost(b, j - 1),
        (prev[j - 1] ?? Infinity) + subCost(ca, cb),
      );
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb) v = Math.min(v, (prev2[j - 2] ?? Infinity) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return Infinity;
    prev2 = prev;
    prev = cur;
  }
  return prev[m] ?? Infinity;
}

/** How many weighted edits a word of this length may carry and still be recognised. */
export function allowedCost(word: string): number {
  const len = [...word].length;
  if (len <= 3) return 0;
  if (len === 4) return 0.5;
  if (len <= 7) return 1;
  return 1.5;
}

export interface FuzzyMatch {
  term: string;
  /** 0..1, how much the match is trusted relative to an exact one. */
  weight: number;
}

/** A word of the vocabulary that typo and Arabizi matching consider (not a concept id or a number). */
export const isTerm = (t: string): boolean => !t.startsWith("§") && !/^\d+$/.test(t);

/** Letters counted by code (Latin and Arabic are below this); longer codes skip the letter bound. */
const LETTER_CODES = 0x700;
const letterCounts = new Int16Array(LETTER_CODES);
const taken: number[] = [];

/**
 * A lower bound of `weightedDistance(stem, term)` from the letters alone: every edit costs at least
 * 0.5 and takes at most one letter from each word's surplus over the other (a transposition none),
 * so the cost is at least half the larger surplus. `letterCounts` holds the stem's letters.
 */
function letterBound(stemLength: number, term: string): number {
  let unmatched = 0;
  taken.length = 0;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c < LETTER_CODES && letterCounts[c]! > 0) {
      letterCounts[c]!--;
      taken.push(c);
    } else unmatched++;
  }
  // Put the stem's letters back for the next term.
  for (const c of taken) letterCounts[c]!++;
  return 0.5 * Math.max(unmatched, stemLength - taken.length);
}

/** Vocabulary terms within the allowed edit cost of `stem`, best first. */
export function fuzzyMatches(stem: string, vocabulary: Iterable<string>, limit = 3): FuzzyMatch[] {
  const max = allowedCost(stem);
  if (max === 0) return [];
  // The letter bound rules out most of a large vocabulary before the distance's dynamic programme.
  let bounded = true;
  for (let i = 0; i < stem.length; i++) if (stem.charCodeAt(i) >= LETTER_CODES) bounded = false;
  if (bounded) for (let i = 0; i < stem.length; i++) letterCounts[stem.charCodeAt(i)]!++;
  const found: Array<{ term: string; cost: number }> = [];
  try {
    for (const term of vocabulary) {
      if (!isTerm(term) || term === stem) continue;
      if (Math.abs(term.length - stem.length) > 2) continue;
      if (term.length <= 3) continue;
      if (bounded && letterBound(stem.length, term) > max) continue;
      const cost = weightedDistance(stem, term, max);
      if (cost <= max) found.push({ term, cost });
    }
  } finally {
    if (bounded) for (let i = 0; i < stem.length; i++) letterCounts[stem.charCodeAt(i)]!--;
  }
  found.sort((a, b) => a.cost - b.cost);
  const best = found[0]?.cost ?? Infinity;
  return found
    .filter((f) => f.cost <= best + 0.25)
    .slice(0, limit)
    .map((f) => ({ term: f.term, weight: Math.max(0.5, 0.9 - 0.3 * f.cost) }));
}

// ---- Arabizi --------------------------------------------------------------------------------

const SKELETON_FOLD: Record<string, string> = { ث: "س", ص: "س", ذ: "ز", ظ: "ز", ض: "ز", ط: "ت", غ: "ق", ك: "ق", ح: "ه", خ: "ه" };
const skeletonCache = new Map<string, string>();

/**
 * Consonant outline of an Arabic stem (taa marbuta already stripped): long vowels and hamza
 * dropped, similar-sounding letters folded, doubled letters merged.
 */
export function skeleton(arabic: string): string {
  const cached = skeletonCache.get(arabic);
  if (cached !== undefined) return cached;
  let out = "";
  for (const ch of arabic) {
    if ("اويءى".includes(ch)) continue;
    const folded = SKELETON_FOLD[ch] ?? ch;
    if (out.endsWith(folded)) continue;
    out += folded;
  }
  if (skeletonCache.size < 50_000) skeletonCache.set(arabic, out);
  return out;
}

const ARABIC = /[\u0621-\u064A]/;

/** Arabic vocabulary terms an Arabizi word could stand for ("gahwa" → قهوه). */
export function arabiziMatches(word: string, vocabulary: Iterable<string>, limit = 3): FuzzyMatch[] {
  if (!/^[a-z0-9']+$/.test(word) || /^\d+$/.test(word)) return [];
  const arabic = arabiziWordToArabic(word).replace(/\s+/g, "");
  const stem = stemWord(arabic);
  const target = skeleton(stem);
  if (target.length < 2) return [];
  const found: Array<{ term: string; cost: number }> = [];
  for (const term of vocabulary) {
    if (!ARABIC.test(term) || !isTerm(term)) continue;
    if (term === stem) {
      found.push({ term, cost: 0 });
      continue;
    }
    if (skeleton(term) !== target) continue;
    found.push({ term, cost: Math.min(1, weightedDistance(stem, term, 2)) });
  }
  found.sort((a, b) => a.cost - b.cost);
  return found.slice(0, limit).map((f) => ({ term: f.term, weight: f.cost === 0 ? 0.85 : 0.7 }));
}
