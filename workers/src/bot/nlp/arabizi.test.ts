import { describe, expect, it } from "vitest";
import { arabiziToArabic, arabiziWordToArabic, isArabiziWord, looksLikeArabizi } from "./arabizi.js";
import { normalizeText } from "./normalize.js";

describe("arabizi", () => {
  it("tells Arabizi from English with numbers, units and model names", () => {
    expect(looksLikeArabizi("3ndkom 3ood?")).toBe(true);
    expect(looksLikeArabizi("abi algi talabi")).toBe(true);
    expect(looksLikeArabizi("wain talabi 12345")).toBe(true);
    expect(looksLikeArabizi("do you have 5g phones")).toBe(false);
    expect(looksLikeArabizi("2nd hand iphone under 2000")).toBe(false);
    expect(looksLikeArabizi("galaxy s23 or ps5")).toBe(false);
    expect(looksLikeArabizi("100ml perfume")).toBe(false);
    expect(looksLikeArabizi("عندكم 3ood")).toBe(false);
    expect(isArabiziWord("ma7al")).toBe(true);
    expect(isArabiziWord("hello")).toBe(false);
  });

  it("transliterates frequent shopper words through the lexicon", () => {
    expect(arabiziToArabic("3ndkom 3ood?")).toBe(normalizeText("عندكم عود"));
    expect(arabiziToArabic("abi algi talabi")).toBe("ابي الغي طلبي");
    expect(arabiziToArabic("wain talabi 12345")).toBe("وين طلبي 12345");
    expect(arabiziToArabic("mar7aba")).toBe("مرحبا");
  });

  it("joins a detached or glued article to its noun", () => {
    expect(arabiziToArabic("el tawseel kam")).toBe("التوصيل كم");
    expect(arabiziWordToArabic("eltawseel")).toBe("التوصيل");
    expect(arabiziToArabic("9aba7 el 5air")).toBe("صباح الخير");
  });

  it("falls back to letter-by-letter with digits as letters and short vowels dropped", () => {
    expect(arabiziWordToArabic("sha7n")).toBe("شحن");
    expect(arabiziWordToArabic("7ala")).toBe("حلا");
    expect(arabiziWordToArabic("5arbaan")).toBe("خربان");
    expect(arabiziWordToArabic("6ayyara")).toBe("طيرا");
  });
});
