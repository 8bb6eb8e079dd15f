import { describe, expect, it } from "vitest";
import { knowledgeDataSchema, type KnowledgeItem } from "@kaleem/shared";
import { searchFaq } from "./faq.js";
import { KNOWLEDGE } from "./fixture.test-helpers.js";

const items: KnowledgeItem[] = KNOWLEDGE.map((k, i) => ({
  id: `k${i}`, merchantId: "m", title: k.title, data: knowledgeDataSchema.parse(k.data), createdAt: "", updatedAt: "",
}));

describe("searchFaq", () => {
  it("finds the FAQ a question is about, in either language", () => {
    expect(searchFaq(items, "do you have a showroom?")?.faq.answer.en).toContain("Al Olaya");
    expect(searchFaq(items, "هل يوجد تغليف هدايا؟")?.faq.answer.ar).toContain("10");
    expect(searchFaq(items, "can I exchange the size?")?.faq.question.en).toContain("exchange");
  });

  it("returns nothing for questions no FAQ covers", () => {
    expect(searchFaq(items, "what is the weather in Riyadh tomorrow?")).toBeNull();
    expect(searchFaq(items, "hello")).toBeNull();
  });

  it("needs two shared words when asked to (strong matches)", () => {
    expect(searchFaq(items, "abayas", 0.75, 2)).toBeNull();
    expect(searchFaq(items, "choose abaya size", 0.75, 2)?.faq.question.en).toContain("size");
  });
});
