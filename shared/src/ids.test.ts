import { describe, expect, it } from "vitest";
import { newId } from "./ids.js";

describe("newId", () => {
  it("is unique, 24 hex characters, and sorts by creation across many random-pool refills", () => {
    // 5,000 ids draw the 4 KB random pool about five times over.
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect([...ids].sort()).toEqual(ids);
    // The random tails differ (not a constant or a counter).
    expect(new Set(ids.map((id) => id.slice(16))).size).toBeGreaterThan(4990);
  });
});
