import { describe, expect, it } from "vitest";
import { formatPrice, formatTime, pickLocale } from "./i18n.js";
import { contrastRatio, safeColor, textOn } from "./theme.js";

describe("theme colour", () => {
  it("picks the text colour with the better WCAG contrast", () => {
    expect(textOn("#0f766e")).toBe("#ffffff");
    expect(textOn("#fde047")).toBe("#000000");
    expect(textOn("#ffffff")).toBe("#000000");
    expect(textOn("#000")).toBe("#ffffff");
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    for (const c of ["#0f766e", "#fde047", "#7c3aed", "#f97316", "#64748b"]) {
      expect(contrastRatio(c, textOn(c))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("accepts only hex colours from settings (no CSS injection through the theme)", () => {
    expect(safeColor("#AbCdEf")).toBe("#AbCdEf");
    expect(safeColor("red; background:url(x)")).toBe("#0f766e");
    expect(safeColor("url(javascript:alert(1))")).toBe("#0f766e");
    expect(safeColor(null)).toBe("#0f766e");
  });
});

describe("locale and formatting", () => {
  it("takes the explicit locale, else the browser's when the store speaks it, else the store default", () => {
    expect(pickLocale("ar", ["en-US"], ["en", "ar"], "en")).toBe("ar");
    expect(pickLocale(null, ["ar-SA", "en"], ["en", "ar"], "en")).toBe("ar");
    expect(pickLocale(null, ["ar-SA"], ["en"], "en")).toBe("en");
    expect(pickLocale(null, ["fr-FR"], ["en", "ar"], "ar")).toBe("ar");
    expect(pickLocale(undefined, ["fr-FR"])).toBe("en");
  });

  it("formats prices as the bot's answers do, in the merchant's Arabic digit style, never mixed", () => {
    expect(formatPrice(420, "SAR", "en")).toBe("420 SAR");
    expect(formatPrice(19.5, "SAR", "en")).toBe("19.50 SAR");
    expect(formatPrice(420, "SAR", "en", "arabic")).toBe("420 SAR");
    expect(formatPrice(420, "SAR", "ar")).toBe("420 ر.س");
    expect(formatPrice(19.5, "SAR", "ar", "arabic")).toBe("١٩.٥٠ ر.س");
    expect(formatPrice(1250, "USD", "ar", "arabic")).toBe("١٢٥٠ USD");
    // Times beside them use the same digits.
    expect(formatTime("2025-01-01T12:34:00Z", "ar", "arabic")).toMatch(/^[^0-9]*$/);
    expect(formatTime("2025-01-01T12:34:00Z", "ar", "arabic")).toMatch(/[٠-٩]/);
    expect(formatTime("2025-01-01T12:34:00Z", "ar")).toMatch(/^[^٠-٩]*$/);
    expect(formatTime("not a date", "en")).toBe("");
  });
});
