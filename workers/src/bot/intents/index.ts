export { INTENTS, isIntent, type Intent, type IntentExample, type IntentResult } from "./types.js";
export {
  LOW_CONFIDENCE_THRESHOLD,
  createIntentClassifier,
  defaultIntentClassifier,
  isLowConfidence,
  type IntentClassifier,
  type IntentClassifierOptions,
} from "./classifier.js";
export { registerIntentMetrics, type IntentMetrics } from "./metrics.js";
export { trainIntentClassifier, type TrainIntentOptions } from "./trainer.js";
