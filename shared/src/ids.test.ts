import { describe, expect, it } from "vitest";
import { newId } from "./ids.js";

describe("newId", () => {
  it("gives 24 hex chars, unique and in creation order, across many refills of the random pool", () => {
    // 5,000 ids use the 4 KiB pool of random bytes about five times over.
    const ids = Array.from({ length: 5_000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // The time and counter part orders them; the random tails differ (no pool byte is reused).
    const heads = ids.map((id) => id.slice(0, 16));
    expect([...heads].sort()).toEqual(heads);
    const tails = ids.map((id) => id.slice(16));
    expect(new Set(tails).size).toBeGreaterThan(ids.length * 0.99);
  });
});
