export const INTENTS = [
  "product_search",
  "product_question",
  "shipping",
  "returns_refunds",
  "payment",
  "order_status",
  "order_change",
  "purchase",
  "human",
  "account",
  "invoice",
  "newsletter",
  "feedback",
  "greeting",
  "other",
] as const;

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
