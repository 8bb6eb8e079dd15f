import { INTENTS, type IntentExample } from "../types.js";

/** A built-in example; `weight` (default 1) scales its share of the training loss. */
export interface WeightedExample extends IntentExample {
  weight?: number;
}

// Bare product words teach vocabulary, not a prior: at full weight they would pull every short
// unknown phrase ("shipments to Japan") into product_search.
const BARE_PRODUCT_WEIGHT = 0.35;
import { ARABIC, ARABIC_FRAMES } from "./ar.js";
import { ARABIZI, ARABIZI_FRAMES } from "./arabizi.js";
import { ENGLISH, ENGLISH_FRAMES } from "./en.js";
import { expandPhrases, pick, seededRandom, type Random } from "./generate.js";
import { PRODUCT_WORDS_AR, PRODUCT_WORDS_ARABIZI, PRODUCT_WORDS_EN } from "./product-words.js";

export const TRAINING_SEED = 7;

/** The built-in examples, in all three scripts, expanded deterministically. */
export function builtInExamples(seed: number = TRAINING_SEED): WeightedExample[] {
  const random = seededRandom(seed);
  const out: WeightedExample[] = [];
  for (const intent of INTENTS) {
    out.push(...expandPhrases(intent, ENGLISH[intent], ENGLISH_FRAMES, random));
    out.push(...expandPhrases(intent, ARABIC[intent], ARABIC_FRAMES, random));
    out.push(...expandPhrases(intent, ARABIZI[intent], ARABIZI_FRAMES, random));
  }
  out.push(...bareProductExamples(random));
  return out;
}

const EN_MODIFIERS = ["", "", "", "black", "white", "red", "cheap", "original", "size 42", "under 200", "for kids", "for men", "for women", "small", "large", "new"];
const AR_MODIFIERS = ["", "", "", "اسود", "ابيض", "احمر", "رخيص", "اصلي", "مقاس ٤٢", "اقل من ٢٠٠", "للاطفال", "رجالي", "نسائي", "صغير", "كبير"];

// A product word alone ("مبخرة", "usb cable") or with one constraint is a search.
function bareProductExamples(random: Random): WeightedExample[] {
  const withModifier = (word: string, modifiers: readonly string[]): string => {
    const m = pick(random, modifiers);
    return m === "" ? word : random() < 0.5 ? `${word} ${m}` : `${m} ${word}`;
  };
  return [
    ...PRODUCT_WORDS_EN.map((w) => ({ text: withModifier(w, EN_MODIFIERS), intent: "product_search" as const, weight: BARE_PRODUCT_WEIGHT })),
    ...PRODUCT_WORDS_AR.map((w) => ({ text: withModifier(w, AR_MODIFIERS), intent: "product_search" as const, weight: BARE_PRODUCT_WEIGHT })),
    ...PRODUCT_WORDS_ARABIZI.map((w) => ({ text: w, intent: "product_search" as const, weight: BARE_PRODUCT_WEIGHT })),
  ];
}
