import { INTENTS, type IntentExample } from "../types.js";
import { ARABIC, ARABIC_FRAMES } from "./ar.js";
import { ARABIZI, ARABIZI_FRAMES } from "./arabizi.js";
import { ENGLISH, ENGLISH_FRAMES } from "./en.js";
import { expandPhrases, seededRandom } from "./generate.js";

export const TRAINING_SEED = 7;

/** The built-in examples, in all three scripts, expanded deterministically. */
export function builtInExamples(seed: number = TRAINING_SEED): IntentExample[] {
  const random = seededRandom(seed);
  const out: IntentExample[] = [];
  for (const intent of INTENTS) {
    out.push(...expandPhrases(intent, ENGLISH[intent], ENGLISH_FRAMES, random));
    out.push(...expandPhrases(intent, ARABIC[intent], ARABIC_FRAMES, random));
    out.push(...expandPhrases(intent, ARABIZI[intent], ARABIZI_FRAMES, random));
  }
  return out;
}
