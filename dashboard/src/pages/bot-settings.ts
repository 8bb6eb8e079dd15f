// The bot settings form as plain data: settings → editable draft → PATCH body (with the checks
// the server would make, so most mistakes show before saving).
import type { BotIntent, BotSettings } from "@kaleem/shared/contracts";

/** Mirrors the server's limits (PATCH /settings/bot), so most mistakes are caught before saving. */
export const MAX_EXAMPLES = 500;
export const MAX_EXAMPLE_LENGTH = 300;

export interface Draft {
  lowConfidence: BotSettings["lowConfidence"];
  keywords: string;
  handoffOrderValue: string;
  checkout: BotSettings["checkout"];
  platformCheckoutUrl: string;
  budget: string;
  examples: { key: number; text: string; intent: BotIntent }[];
  whileWaiting: BotSettings["whileWaiting"];
  arabicDigits: BotSettings["arabicDigits"];
  maxOrderQuantity: string;
  maxOrderValue: string;
  maxOpenCodOrders: string;
}

let exampleKey = 0;
/** React keys for example rows (rows have no id of their own). */
export const newExampleKey = () => ++exampleKey;

export function toDraft(s: BotSettings): Draft {
  return {
    lowConfidence: s.lowConfidence,
    keywords: s.handoffKeywords.join("\n"),
    handoffOrderValue: s.handoffOrderValue === null ? "" : String(s.handoffOrderValue),
    checkout: s.checkout,
    platformCheckoutUrl: s.platformCheckoutUrl ?? "",
    budget: String(s.llmMonthlyTokenBudget),
    examples: s.intentExamples.map((e) => ({ key: newExampleKey(), text: e.text, intent: e.intent })),
    whileWaiting: s.whileWaiting,
    arabicDigits: s.arabicDigits,
    maxOrderQuantity: String(s.maxOrderQuantity),
    maxOrderValue: String(s.maxOrderValue),
    maxOpenCodOrders: String(s.maxOpenCodOrders),
  };
}

export type DraftError = "bot.errorOrderValue" | "bot.errorBudget" | "bot.errorUrl" | "bot.errorExamples" | "bot.errorLimits";

/** The PATCH body for a draft, or the first problem with it. */
export function draftToPatch(d: Draft): { patch: Partial<BotSettings> } | { error: DraftError } {
  const orderValue = d.handoffOrderValue.trim();
  const value = orderValue === "" ? null : Number(orderValue);
  if (value !== null && (!Number.isFinite(value) || value < 0)) return { error: "bot.errorOrderValue" };
  const budget = Number(d.budget.trim() || "0");
  if (!Number.isInteger(budget) || budget < 0) return { error: "bot.errorBudget" };
  const url = d.platformCheckoutUrl.trim();
  if (d.checkout === "platform" && !/^https?:\/\/\S+$/i.test(url)) return { error: "bot.errorUrl" };
  const examples = d.examples.map((e) => ({ text: e.text.trim(), intent: e.intent })).filter((e) => e.text !== "");
  if (examples.length > MAX_EXAMPLES || examples.some((e) => e.text.length > MAX_EXAMPLE_LENGTH)) return { error: "bot.errorExamples" };
  const maxQuantity = Number(d.maxOrderQuantity.trim());
  const maxValue = Number(d.maxOrderValue.trim());
  const maxOpen = Number(d.maxOpenCodOrders.trim());
  if (!Number.isInteger(maxQuantity) || maxQuantity < 1 || !Number.isFinite(maxValue) || maxValue <= 0 || !Number.isInteger(maxOpen) || maxOpen < 0) {
    return { error: "bot.errorLimits" };
  }
  return {
    patch: {
      lowConfidence: d.lowConfidence,
      handoffKeywords: [...new Set(d.keywords.split(/\n|,|،/).map((k) => k.trim()).filter(Boolean))],
      handoffOrderValue: value,
      checkout: d.checkout,
      platformCheckoutUrl: url === "" ? null : url,
      llmMonthlyTokenBudget: budget,
      intentExamples: examples,
      whileWaiting: d.whileWaiting,
      arabicDigits: d.arabicDigits,
      maxOrderQuantity: maxQuantity,
      maxOrderValue: maxValue,
      maxOpenCodOrders: maxOpen,
    },
  };
}
