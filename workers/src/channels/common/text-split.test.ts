import { describe, expect, it } from "vitest";
import { splitText } from "./text-split.js";

const english =
  "Our Sukkari dates come from Qassim. They are packed the day they ship! Would you like the 1 kg box or the 3 kg box? " +
  "Delivery in Riyadh takes one to two days.\nOther cities take three to five days.";
const arabic = "تمر السكري من القصيم. يتم تغليفه في يوم الشحن! هل تفضل علبة ١ كيلو أو ٣ كيلو؟ التوصيل داخل الرياض خلال يوم إلى يومين.";

const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe("splitText", () => {
  it("leaves a text that fits alone (trimmed) and gives nothing for empty text", () => {
    expect(splitText("  Hello there.  ", { maxChars: 4096 })).toEqual(["Hello there."]);
    expect(splitText(" \n ", { maxChars: 10 })).toEqual([]);
  });

  it("cuts between sentences, each chunk within the limit, losing no word", () => {
    for (const text of [english, arabic]) {
      for (const max of [40, 60, 90]) {
        const chunks = splitText(text, { maxChars: max });
        expect(chunks.length).toBeGreaterThan(1);
        for (const c of chunks) expect(c.length).toBeLessThanOrEqual(max);
        expect(words(chunks.join(" "))).toEqual(words(text));
      }
    }
    expect(splitText(english, { maxChars: 120 })).toEqual([
      "Our Sukkari dates come from Qassim. They are packed the day they ship! Would you like the 1 kg box or the 3 kg box?",
      "Delivery in Riyadh takes one to two days.\nOther cities take three to five days.",
    ]);
    expect(splitText(arabic, { maxChars: 60 })[0]).toBe("تمر السكري من القصيم. يتم تغليفه في يوم الشحن!");
  });

  it("falls back to words for a sentence longer than the limit, and to characters for a word", () => {
    const long = "one two three four five six seven eight nine ten";
    const chunks = splitText(long, { maxChars: 15 });
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(15);
    expect(words(chunks.join(" "))).toEqual(words(long));
    expect(splitText("x".repeat(25), { maxChars: 10 })).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  it("never cuts inside an emoji or a combined character", () => {
    const family = "👨‍👩‍👧";
    const chunks = splitText(family.repeat(5), { maxChars: family.length * 2 });
    expect(chunks).toEqual([family.repeat(2), family.repeat(2), family]);
  });

  it("counts UTF-8 bytes when the provider does (Arabic is two bytes a letter)", () => {
    const chunks = splitText(arabic, { maxBytes: 100 });
    for (const c of chunks) expect(Buffer.byteLength(c, "utf8")).toBeLessThanOrEqual(100);
    expect(chunks.length).toBeGreaterThan(splitText(arabic, { maxChars: 100 }).length);
    expect(words(chunks.join(" "))).toEqual(words(arabic));
  });
});
