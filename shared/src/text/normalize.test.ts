import { describe, expect, it } from "vitest";
import { isArabic, normalizeArabic, normalizeText, toArabicDigits, toWesternDigits, tokenize } from "./normalize.js";

describe("normalize", () => {
  it("folds Arabic letter variants, diacritics and tatweel", () => {
    expect(normalizeArabic("أَحْمَد")).toBe("احمد");
    expect(normalizeArabic("إسلام آمنة")).toBe("اسلام امنه");
    expect(normalizeArabic("مستشفى")).toBe("مستشفي");
    expect(normalizeArabic("عبـــاية")).toBe("عبايه");
  });
  it("maps Arabic-Indic digits both ways", () => {
    expect(toWesternDigits("أقل من ٢٠٠ ريال")).toBe("أقل من 200 ريال");
    expect(toWesternDigits("۱۲۳")).toBe("123");
    expect(toArabicDigits("189")).toBe("١٨٩");
  });
  it("normalizes mixed text into tokens", () => {
    expect(normalizeText("Black ABAYA, size 54!")).toBe("black abaya size 54");
    expect(tokenize("عبايـة سوداء؟ ٢٠٠")).toEqual(["عبايه", "سوداء", "200"]);
    expect(normalizeText("Café")).toBe("cafe");
  });
  it("gives the same folding from its memo, past the memo's size and for long texts", () => {
    const first = Array.from({ length: 5000 }, (_, i) => normalizeText(`Ṣize ${i} — أَحْمَد`));
    expect(first[0]).toBe("size 0 احمد");
    // The memo is cleared once full (4,096 entries): the second pass mixes hits and misses.
    expect(Array.from({ length: 5000 }, (_, i) => normalizeText(`Ṣize ${i} — أَحْمَد`))).toEqual(first);
    const long = `${"Blue-ish ".repeat(100)}إسلام`;
    expect(normalizeText(long)).toBe(`${"blue ish ".repeat(100)}اسلام`);
    expect(normalizeText(long)).toBe(normalizeText(long));
  });
  it("detects Arabic script", () => {
    expect(isArabic("عندكم عبايات سود؟")).toBe(true);
    expect(isArabic("do you have abayas")).toBe(false);
    expect(isArabic("3ndkom abaya")).toBe(false);
  });
});
