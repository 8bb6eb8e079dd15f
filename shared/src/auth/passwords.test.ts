import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.js";

// Lower cost keeps the suite quick; the format and checks are the same as the default.
const fast = { log2N: 12, r: 8, p: 1 };

describe("passwords", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery", fast);
    expect(hash.startsWith("scrypt$12$8$1$")).toBe(true);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    const a = await hashPassword("same password", fast);
    const b = await hashPassword("same password", fast);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", b)).toBe(true);
  });

  it("uses the default cost when none is given", async () => {
    const hash = await hashPassword("كلمة سر طويلة");
    expect(hash.split("$")[1]).toBe("15");
    expect(await verifyPassword("كلمة سر طويلة", hash)).toBe(true);
    expect(needsRehash(hash)).toBe(false);
  });

  it("never matches malformed or out-of-bounds hashes", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", "scrypt$40$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    const hash = await hashPassword("x", fast);
    expect(needsRehash(hash)).toBe(true);
  });
});
