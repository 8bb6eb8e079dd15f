import { describe, expect, it } from "vitest";
import { normalizePii, PiiVault } from "./pii.js";

const KEY = "pii-unit-test-key-0123456789abcdefghijklmnop";
const OLD = "pii-unit-test-old-key-0123456789abcdefghijkl";

describe("PiiVault", () => {
  it("seals and opens, with a fresh nonce each time, and refuses a tampered value", () => {
    const vault = new PiiVault(KEY);
    const a = vault.seal("+966551230000");
    const b = vault.seal("+966551230000");
    expect(a).not.toBe(b);
    expect(a).not.toContain("551230000");
    expect(vault.open(a)).toBe("+966551230000");
    const tampered = a.slice(0, -2) + (a.endsWith("A") ? "B" : "A") + a.slice(-1);
    expect(() => vault.open(tampered)).toThrow();
  });

  it("reads values of a previous key and tells which need resealing; an unknown key is a clear error", () => {
    const old = new PiiVault(OLD);
    const sealedOld = old.seal("someone@example.com");
    const vault = new PiiVault(KEY, [OLD]);
    expect(vault.open(sealedOld)).toBe("someone@example.com");
    expect(vault.isCurrent(sealedOld)).toBe(false);
    expect(vault.isCurrent(vault.seal("x"))).toBe(true);
    expect(() => new PiiVault(KEY).open(sealedOld)).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
    // A value stored before sealing existed reads as it is.
    expect(vault.open("plain@example.com")).toBe("plain@example.com");
  });

  it("hashes a detail in its normal form, per key: the current key's hash first, then the previous keys'", () => {
    const vault = new PiiVault(KEY, [OLD]);
    expect(vault.lookup("email", " Someone@Example.COM ")).toBe(vault.lookup("email", "someone@example.com"));
    expect(vault.lookup("email", "a@example.com")).not.toBe(vault.lookup("phone", "a@example.com"));
    const [current, previous] = vault.lookups("email", "someone@example.com");
    expect(current).toBe(vault.lookup("email", "someone@example.com"));
    expect(previous).toBe(new PiiVault(OLD).lookup("email", "someone@example.com"));
    expect(new PiiVault("another-key-entirely-0123456789abcdefghij").lookup("email", "someone@example.com")).not.toBe(current);
    expect(normalizePii("phone", " +966500000000 ")).toBe("+966500000000");
  });
});
