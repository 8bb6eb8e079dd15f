// Scores for the intent evaluation: confusion counts and per-intent precision/recall/F1.
import type { Intent } from "../intents/types.js";

/** Bitext customer-support intents → Kaleem product intents (fixed by the bot issue). */
export const BITEXT_TO_PRODUCT: Readonly<Record<string, Intent>> = {
  cancel_order: "order_change",
  change_order: "order_change",
  track_order: "order_status",
  place_order: "purchase",
  delivery_options: "shipping",
  delivery_period: "shipping",
  change_shipping_address: "shipping",
  set_up_shipping_address: "shipping",
  check_refund_policy: "returns_refunds",
  get_refund: "returns_refunds",
  track_refund: "returns_refunds",
  check_cancellation_fee: "returns_refunds",
  check_payment_methods: "payment",
  payment_issue: "payment",
  contact_human_agent: "human",
  contact_customer_service: "human",
  complaint: "human",
  check_invoice: "invoice",
  get_invoice: "invoice",
  create_account: "account",
  delete_account: "account",
  edit_account: "account",
  recover_password: "account",
  registration_problems: "account",
  switch_account: "account",
  newsletter_subscription: "newsletter",
  review: "feedback",
};

export interface LabelledPrediction {
  gold: string;
  predicted: string;
}

export interface IntentScore {
  intent: string;
  support: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvaluationScores {
  n: number;
  accuracy: number;
  /** Mean F1 over the intents that occur in the gold labels. */
  macroF1: number;
  perIntent: IntentScore[];
  /** confusion[gold][predicted] = count. */
  confusion: Map<string, Map<string, number>>;
}

export function scorePredictions(rows: readonly LabelledPrediction[]): EvaluationScores {
  const confusion = new Map<string, Map<string, number>>();
  const support = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  let correct = 0;
  for (const { gold, predicted } of rows) {
    const line = confusion.get(gold) ?? new Map<string, number>();
    line.set(predicted, (line.get(predicted) ?? 0) + 1);
    confusion.set(gold, line);
    support.set(gold, (support.get(gold) ?? 0) + 1);
    predictedCount.set(predicted, (predictedCount.get(predicted) ?? 0) + 1);
    if (gold === predicted) correct += 1;
  }
  const perIntent = [...support.keys()].sort().map((intent): IntentScore => {
    const tp = confusion.get(intent)?.get(intent) ?? 0;
    const sup = support.get(intent) ?? 0;
    const pred = predictedCount.get(intent) ?? 0;
    const precision = pred === 0 ? 0 : tp / pred;
    const recall = sup === 0 ? 0 : tp / sup;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, support: sup, predicted: pred, truePositives: tp, precision, recall, f1 };
  });
  const macroF1 = perIntent.length === 0 ? 0 : perIntent.reduce((s, p) => s + p.f1, 0) / perIntent.length;
  return { n: rows.length, accuracy: rows.length === 0 ? 0 : correct / rows.length, macroF1, perIntent, confusion };
}

const fmt = (x: number): string => x.toFixed(4);

export function formatReport(scores: EvaluationScores): string[] {
  const lines: string[] = [];
  lines.push("per-intent (precision recall f1 support):");
  for (const p of scores.perIntent) {
    lines.push(`  ${p.intent.padEnd(16)} p=${fmt(p.precision)} r=${fmt(p.recall)} f1=${fmt(p.f1)} n=${p.support}`);
  }
  lines.push("confusions (gold -> predicted: count), largest first:");
  const pairs: Array<[string, string, number]> = [];
  for (const [gold, line] of scores.confusion) for (const [pred, count] of line) if (gold !== pred) pairs.push([gold, pred, count]);
  pairs.sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  if (pairs.length === 0) lines.push("  (none)");
  for (const [gold, pred, count] of pairs.slice(0, 25)) lines.push(`  ${gold} -> ${pred}: ${count}`);
  lines.push(`accuracy=${fmt(scores.accuracy)} macro_f1=${fmt(scores.macroF1)} n=${scores.n}`);
  return lines;
}
