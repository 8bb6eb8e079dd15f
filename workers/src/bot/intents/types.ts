import { BOT_INTENTS } from "@kaleem/shared/contracts";

/** The product intents; their one home is the shared contracts. */
export const INTENTS = BOT_INTENTS;

export type Intent = (typeof INTENTS)[number];

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

export interface IntentExample {
  text: string;
  intent: Intent;
}

export interface IntentResult {
  intent: Intent;
  /** Probability of the winning intent, shrunk when little of the text is known vocabulary. */
  confidence: number;
  /** Probability per intent (sums to 1 before the unknown-vocabulary shrink). */
  scores: Record<Intent, number>;
}
