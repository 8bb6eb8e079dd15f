// Counting classified messages per intent (and how many were too unsure to act on).
import type { Metrics } from "@kaleem/shared";
import { isLowConfidence } from "./trainer.js";
import type { IntentResult } from "./types.js";

export interface IntentMetrics {
  record(result: Pick<IntentResult, "intent" | "confidence">): void;
}

export function registerIntentMetrics(metrics: Metrics): IntentMetrics {
  const intents = metrics.counter("bot_intents_total", "Shopper messages by detected intent", ["intent"]);
  const low = metrics.counter("bot_intents_low_confidence_total", "Shopper messages classified below the low-confidence threshold", ["intent"]);
  return {
    record(result) {
      intents.inc({ intent: result.intent });
      if (isLowConfidence(result)) low.inc({ intent: result.intent });
    },
  };
}
