// Text → sparse features for the intent model: normalized words, word bigrams and
// word-boundary-aware character 3–5-grams. Arabizi gets its Arabic transliteration's features
// too, so Arabic examples help Arabizi messages.
import { arabiziToArabic, looksLikeArabizi } from "../nlp/arabizi.js";
import { normalizeText } from "../nlp/normalize.js";

export type FeatureCounts = Map<string, number>;

/** Normalized tokens with numbers folded: the value of an order number says nothing about intent. */
export function intentTokens(text: string): string[] {
  const normalized = normalizeText(text.replace(/[$€£]\s?\d/g, " moneyamount $&"));
  if (normalized === "") return [];
  return normalized.split(" ").map((tok) => {
    if (/^\d+$/.test(tok)) return tok.length >= 4 ? "#num" : "#n";
    // Stretched letters ("hiiii", "شكرااا") are emphasis, not new words.
    return tok.replace(/(\p{L})\1{2,}/gu, "$1$1");
  });
}

function addCharGrams(into: FeatureCounts, token: string, weight: number): void {
  const padded = `<${token}>`;
  for (let n = 3; n <= 5; n += 1) {
    if (padded.length < n) continue;
    for (let i = 0; i + n <= padded.length; i += 1) {
      const key = `c:${padded.slice(i, i + n)}`;
      into.set(key, (into.get(key) ?? 0) + weight);
    }
  }
}

function addTokens(into: FeatureCounts, tokens: readonly string[], weight: number): void {
  for (let i = 0; i < tokens.length; i += 1) {
    const tok = tokens[i] ?? "";
    into.set(`w:${tok}`, (into.get(`w:${tok}`) ?? 0) + weight);
    if (i + 1 < tokens.length) {
      const key = `b:${tok} ${tokens[i + 1] ?? ""}`;
      into.set(key, (into.get(key) ?? 0) + weight);
    }
    if (!tok.startsWith("#")) addCharGrams(into, tok, weight);
  }
}

export function extractFeatures(text: string): FeatureCounts {
  const features: FeatureCounts = new Map();
  const tokens = intentTokens(text);
  addTokens(features, tokens, 1);
  if (tokens.length === 0) return features;
  if (looksLikeArabizi(text)) addTokens(features, intentTokens(arabiziToArabic(text)), 1);
  return features;
}
