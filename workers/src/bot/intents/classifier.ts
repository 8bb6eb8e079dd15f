// The offline intent classifier as the product uses it: merchant examples validated at the
// boundary, the built-in model shared per process.
import { z } from "zod";
import { ValidationError } from "@kaleem/shared";
import { trainIntentClassifier, type IntentClassifier } from "./trainer.js";
import { INTENTS } from "./types.js";

export { LOW_CONFIDENCE_THRESHOLD, isLowConfidence, type IntentClassifier } from "./trainer.js";

const extraExampleSchema = z.object({
  text: z.string().trim().min(1, "example text is empty").max(1000),
  intent: z.enum(INTENTS),
});

export interface IntentClassifierOptions {
  /** Merchant-specific phrasings; they weigh more than the built-in ones. */
  extraExamples?: ReadonlyArray<{ text: string; intent: string }>;
  /** Loss weight of one merchant example relative to one built-in example (default 4). */
  extraExampleWeight?: number;
  /** Seed for example expansion and SGD order (default fixed): same seed, same model. */
  seed?: number;
}

/** Trains a classifier (about a second on two cores); throws ValidationError on bad examples. */
export function createIntentClassifier(options: IntentClassifierOptions = {}): IntentClassifier {
  const parsed = z.array(extraExampleSchema).safeParse(options.extraExamples ?? []);
  if (!parsed.success) throw new ValidationError("invalid intent examples", parsed.error.issues);
  return trainIntentClassifier({ ...options, extraExamples: parsed.data });
}

let shared: IntentClassifier | undefined;

/** The built-in classifier (no merchant examples), trained once per process on first use. */
export function defaultIntentClassifier(): IntentClassifier {
  shared ??= trainIntentClassifier();
  return shared;
}
