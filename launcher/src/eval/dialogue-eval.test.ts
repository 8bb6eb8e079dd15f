// The dialogue evaluation on a tiny store of its own: real embedded runtime, REST import of a
// catalog with numeric attributes, policies, a fresh visitor per dialogue over /widget.
import { describe, expect, it } from "vitest";
import { numbersIn, runDialogueEval } from "./dialogue-eval.js";
import type { Dialogue, PoliciesFile } from "./dialogue-files.js";
import { dialoguesFileSchema, policiesFileSchema } from "./dialogue-files.js";

const catalog = {
  products: [
    { externalId: "t1", name: { en: "Family Tent", ar: "خيمة عائلية" }, price: 640, stock: 3, category: "outdoor", tags: ["tent"], attributes: { persons: 6 } },
    { externalId: "l1", name: { en: "Camping Lantern", ar: "فانوس رحلات" }, price: 55, stock: 10, category: "outdoor", tags: ["lantern"] },
  ],
};
const policies: PoliciesFile = policiesFileSchema.parse({
  knowledge: [
    {
      title: "Shipping",
      data: { kind: "shipping", policy: { zones: [{ name: { en: "Riyadh", ar: "الرياض" }, areas: ["Riyadh"], fee: 18, freeAbove: null, minDays: 1, maxDays: 2 }] } },
    },
  ],
});

describe("dialogue evaluation", () => {
  it("scores turns and dialogues through the real widget protocol and prints the summary line last", async () => {
    const dialogues: Dialogue[] = dialoguesFileSchema.parse({
      dialogues: [
        { id: "ok", lang: "en", turns: [{ say: "do you have a tent?", expect: { cards: { top: ["t1"] } } }, { say: "how much is delivery to riyadh?", expect: { text: { all: ["18"] } } }] },
        { id: "wrong", lang: "ar", turns: [{ say: "عندكم فانوس؟", expect: { cards: { top: ["t1"] } } }] },
      ],
    }).dialogues;
    const lines: string[] = [];
    const result = await runDialogueEval({ catalog, policies, dialogues, out: (l) => lines.push(l) });
    expect(result.dialogues.map((d) => [d.id, d.ok])).toEqual([
      ["ok", true],
      ["wrong", false],
    ]);
    expect(result.turnSuccess).toBeCloseTo(2 / 3, 5);
    expect(result.inventedNumbers).toBe(0);
    expect(lines.at(-1)).toBe("dialogue_success=0.5000 turn_success=0.6667 invented_numbers=0 n=2");
    // The failing turn is reported with what the bot said and why it failed.
    expect(lines.join("\n")).toMatch(/! wrong \[ar\][\s\S]*top card l1 not in t1/);
  });

  it("reads numbers in Western and Arabic-Indic digits, ranges included", () => {
    expect(numbersIn("٢–٤ أيام، 30 ر.س و 1,250.5")).toEqual([2, 4, 30, 1250.5]);
  });

  it("refuses a turn that neither says nor taps", () => {
    expect(() => dialoguesFileSchema.parse({ dialogues: [{ id: "x", lang: "en", turns: [{ expect: {} }] }] })).toThrow();
  });
});
