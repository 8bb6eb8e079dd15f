import { describe, expect, it } from "vitest";
import { formatPrice } from "./money.js";

describe("one price format", () => {
  it("English reads '420 SAR'; Arabic 'ر.س' after the amount, in the merchant's digit style only", () => {
    expect(formatPrice(420, "SAR", "en")).toBe("420 SAR");
    expect(formatPrice(0.5, "SAR", "en", "arabic")).toBe("0.50 SAR");
    expect(formatPrice(420, "SAR", "ar")).toBe("420 ر.س");
    expect(formatPrice(1234.5, "SAR", "ar", "arabic")).toBe("١٢٣٤.٥٠ ر.س");
    expect(formatPrice(99, "AED", "ar", "arabic")).toBe("٩٩ AED");
    for (const amount of [3, 19.5, 420, 10250]) {
      expect(formatPrice(amount, "SAR", "ar", "arabic")).not.toMatch(/[0-9]/);
      expect(formatPrice(amount, "SAR", "ar", "western")).not.toMatch(/[٠-٩]/);
    }
  });
});
