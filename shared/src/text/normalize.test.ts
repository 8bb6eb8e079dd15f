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
  it("detects Arabic script", () => {
    expect(isArabic("عندكم عبايات سود؟")).toBe(true);
    expect(isArabic("do you have abayas")).toBe(false);
    expect(isArabic("3ndkom abaya")).toBe(false);
  });
});
