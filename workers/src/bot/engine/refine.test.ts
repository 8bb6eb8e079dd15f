import { describe, expect, it } from "vitest";
import { narrowingWords } from "./refine.js";

describe("narrowingWords", () => {
  it("keeps only the constraint words of a follow-up that narrows", () => {
    expect(narrowingWords("what about something under 100 riyals?")).toBe("under 100 riyals");
    expect(narrowingWords("in white?")).toBe("white");
    expect(narrowingWords("طيب في شي أرخص من ١٠٠؟")).toBe("ارخص من 100");
    expect(narrowingWords("for men?")).toBe("men");
    expect(narrowingWords("ابي شي ارخص")).toBe("ارخص");
    expect(narrowingWords("anything cheaper?")).toBe("cheaper");
  });
  it("is null for a new topic or a message without constraints", () => {
    expect(narrowingWords("green kaftan under 300")).toBeNull();
    expect(narrowingWords("what about dates?")).toBeNull();
    expect(narrowingWords("thanks!")).toBeNull();
  });
});
