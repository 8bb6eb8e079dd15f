import type { BotSettings } from "@kaleem/shared/contracts";
import { describe, expect, it } from "vitest";
import { draftToPatch, toDraft } from "./bot-settings";

const settings: BotSettings = {
  lowConfidence: "clarify",
  handoffKeywords: ["manager", "مدير"],
  handoffOrderValue: null,
  checkout: "cod",
  platformCheckoutUrl: null,
  llmMonthlyTokenBudget: 0,
  intentExamples: [{ text: "wen my stuff", intent: "order_status" }],
  whileWaiting: "answer",
  arabicDigits: "arabic",
  maxOrderQuantity: 20,
  maxOrderValue: 20000,
  maxOpenCodOrders: 2,
};

describe("bot settings draft", () => {
  it("round-trips stored settings unchanged", () => {
    expect(draftToPatch(toDraft(settings))).toEqual({ patch: settings });
  });

  it("trims and de-duplicates keywords (lines, commas, Arabic commas) and drops blank examples", () => {
    const draft = toDraft(settings);
    draft.keywords = " manager \nhuman, manager،  موظف\n\n";
    draft.examples = [
      { key: 1, text: "  عندكم الأسود؟ ", intent: "product_search" },
      { key: 2, text: "   ", intent: "other" },
    ];
    draft.handoffOrderValue = "1500.5";
    draft.budget = "200000";
    const result = draftToPatch(draft);
    expect(result).toMatchObject({
      patch: {
        handoffKeywords: ["manager", "human", "موظف"],
        intentExamples: [{ text: "عندكم الأسود؟", intent: "product_search" }],
        handoffOrderValue: 1500.5,
        llmMonthlyTokenBudget: 200000,
      },
    });
  });

  it("reports the first invalid field instead of sending it", () => {
    const base = toDraft(settings);
    expect(draftToPatch({ ...base, handoffOrderValue: "-1" })).toEqual({ error: "bot.errorOrderValue" });
    expect(draftToPatch({ ...base, budget: "1.5" })).toEqual({ error: "bot.errorBudget" });
    expect(draftToPatch({ ...base, checkout: "platform", platformCheckoutUrl: "" })).toEqual({ error: "bot.errorUrl" });
    expect(draftToPatch({ ...base, checkout: "platform", platformCheckoutUrl: "javascript:alert(1)" })).toEqual({ error: "bot.errorUrl" });
    expect(draftToPatch({ ...base, examples: [{ key: 1, text: "x".repeat(301), intent: "other" }] })).toEqual({ error: "bot.errorExamples" });
    expect(draftToPatch({ ...base, checkout: "platform", platformCheckoutUrl: "https://shop.example/checkout" })).toMatchObject({
      patch: { checkout: "platform", platformCheckoutUrl: "https://shop.example/checkout" },
    });
  });
});
