import { describe, expect, it } from "vitest";
import { checkAgainstFacts, extractNumbers } from "./guard.js";

describe("extractNumbers", () => {
  it("reads Western and Arabic-Indic digits, decimals and thousands separators", () => {
    expect(extractNumbers("189 SAR, ١٥ ر.س, 1,299.50 and ٢٫٥")).toEqual([189, 15, 1299.5, 2.5]);
    expect(extractNumbers("no figures")).toEqual([]);
  });
});

describe("checkAgainstFacts", () => {
  const facts = "Black Crepe Abaya — 189 SAR. Returns within 14 days.";
  it("accepts text whose figures are all in the facts, in any digit form", () => {
    expect(checkAgainstFacts("It's 189 SAR and you have ١٤ days to return it.", facts).ok).toBe(true);
  });
  it("rejects a figure that is not in the facts", () => {
    const verdict = checkAgainstFacts("Only 150 SAR!", facts);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toContain("150");
  });
  it("rejects discounts, free shipping and links the facts do not make", () => {
    expect(checkAgainstFacts("Enjoy a discount today.", facts).ok).toBe(false);
    expect(checkAgainstFacts("عليه خصم", facts).ok).toBe(false);
    expect(checkAgainstFacts("Shipping is free.", facts).ok).toBe(false);
    expect(checkAgainstFacts("See https://evil.example", facts).ok).toBe(false);
    expect(checkAgainstFacts("Shipping is free.", "Riyadh: free shipping").ok).toBe(true);
  });
});
