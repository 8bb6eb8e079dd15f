// Training and running the offline intent model: built-in phrases from ./training plus (already
// validated) merchant examples; no network, no downloaded weights. Kept free of @kaleem/shared at
// run time so the evaluation CLI runs straight from source.
import { extractFeatures, intentTokens } from "./features.js";
import { DEFAULT_TRAIN_OPTIONS, trainSoftmax, type SoftmaxModel, type TrainingSample } from "./model.js";
import { TRAINING_SEED, builtInExamples, type WeightedExample } from "./training/index.js";
import { INTENTS, type Intent, type IntentExample, type IntentResult } from "./types.js";

/** Below this confidence the engine should ask a clarifying question (or hand off, per merchant). */
export const LOW_CONFIDENCE_THRESHOLD = 0.45;

export function isLowConfidence(result: Pick<IntentResult, "confidence">, threshold: number = LOW_CONFIDENCE_THRESHOLD): boolean {
  return result.confidence < threshold;
}

export interface TrainIntentOptions {
  /** Merchant-specific phrasings; they weigh more than the built-in ones. */
  extraExamples?: readonly IntentExample[];
  /** Loss weight of one merchant example relative to one built-in example (default 4). */
  extraExampleWeight?: number;
  /** Seed for example expansion and SGD order (default fixed): same seed, same model. */
  seed?: number;
}

export interface IntentClassifier {
  classify(text: string): IntentResult;
  /** Number of examples the model was trained on. */
  readonly exampleCount: number;
}

// Messages made only of salutations/thanks are greetings however the model leans; the model
// still decides for "hi, where is my order".
const GREETING_WORDS = new Set([
  "hi", "hii", "hello", "helo", "hey", "heyy", "hiya", "howdy", "yo", "there", "morning", "evening", "afternoon", "good", "hala", "halaa", "halla",
  "salam", "salaam", "slam", "assalam", "alsalam", "asalam", "alaikum", "alaykum", "3alaikum", "3alaykom", "3likom", "marhaba", "mar7aba", "ahlan",
  "thanks", "thank", "you", "thx", "ty", "tnx", "much", "so", "a", "lot", "many", "bye", "goodbye", "cheers", "shukran", "shokran", "team", "guys", "all",
  "السلام", "عليكم", "وعليكم", "ورحمه", "الله", "وبركاته", "مرحبا", "مرحبتين", "هلا", "اهلا", "اهلين", "هاي", "صباح", "مساء", "الخير", "النور",
  "شكرا", "جزيلا", "مشكور", "مشكورين", "يعطيك", "العافيه", "تسلم", "سلام", "هلا", "والله", "وغلا", "يا", "حياك", "جزاك", "خير", "لك",
]);

function isPureGreeting(text: string): boolean {
  const tokens = intentTokens(text);
  return tokens.length > 0 && tokens.length <= 8 && tokens.every((t) => GREETING_WORDS.has(t));
}

function toSamples(examples: readonly WeightedExample[], weight: number): TrainingSample[] {
  return examples.map((e) => ({ features: extractFeatures(e.text), label: INTENTS.indexOf(e.intent), weight: weight * (e.weight ?? 1) }));
}

// Extracting features of the built-in examples is a third of training time; every merchant's
// classifier shares them (feature maps are never mutated).
const builtInCache = new Map<number, readonly TrainingSample[]>();
function builtInSamples(seed: number): readonly TrainingSample[] {
  let samples = builtInCache.get(seed);
  if (samples === undefined) {
    samples = toSamples(builtInExamples(seed), 1);
    builtInCache.set(seed, samples);
  }
  return samples;
}

function balance(samples: TrainingSample[]): void {
  // Intents with fewer examples get proportionally more weight (square root keeps it gentle),
  // so the size of a phrase list is not a prior.
  const counts = new Array<number>(INTENTS.length).fill(0);
  for (const s of samples) counts[s.label] = (counts[s.label] ?? 0) + s.weight;
  const mean = counts.reduce((a, b) => a + b, 0) / INTENTS.length;
  for (const s of samples) s.weight *= Math.sqrt(mean / Math.max(1, counts[s.label] ?? 1));
}

function resultFrom(model: SoftmaxModel, text: string): IntentResult {
  const prediction = model.predict(extractFeatures(text));
  const scores = {} as Record<Intent, number>;
  let best = 0;
  for (let k = 0; k < INTENTS.length; k += 1) {
    const intent = INTENTS[k] as Intent;
    scores[intent] = prediction.probabilities[k] ?? 0;
    if ((prediction.probabilities[k] ?? 0) > (prediction.probabilities[best] ?? 0)) best = k;
  }
  const top = prediction.probabilities[best] ?? 0;
  // A message the model mostly has no vocabulary for is not understood, whatever the argmax.
  const confidence = top * Math.sqrt(prediction.knownShare);
  return { intent: INTENTS[best] as Intent, confidence, scores };
}

export function trainIntentClassifier(options: TrainIntentOptions = {}): IntentClassifier {
  const samples = builtInSamples(options.seed ?? TRAINING_SEED).map((s) => ({ ...s }));
  balance(samples);
  samples.push(...toSamples(options.extraExamples ?? [], options.extraExampleWeight ?? 4));
  const model = trainSoftmax(samples, INTENTS.length, { ...DEFAULT_TRAIN_OPTIONS, seed: (options.seed ?? TRAINING_SEED) * 7919 + 1 });
  return {
    exampleCount: samples.length,
    classify(text: string): IntentResult {
      const result = resultFrom(model, text);
      if (isPureGreeting(text)) {
        return { intent: "greeting", confidence: Math.max(result.confidence, 0.95), scores: result.scores };
      }
      return result;
    },
  };
}
