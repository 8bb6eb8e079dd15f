import { testStoreCrypto } from "@kaleem/shared/testing";
import { describe, expect, it } from "vitest";
import { hashPassword } from "./passwords.js";
import { COMMON_PASSWORDS } from "./common-passwords.js";
import { isGuessablePassword, MIN_PASSWORD_LENGTH } from "./password-policy.js";
import { seedDemoStore } from "../seed/demo.js";
import { openSqliteStore } from "../adapters/sqlite/index.js";

describe("password policy", () => {
  it("catches listed passwords and listed words dressed with digits and symbols, in any case", () => {
    for (const p of ["password", "Password123!", "!!qwerty2024", "ILOVEYOU", "p@ssw0rd99", "Bismillah786", "1q2w3e4r5t"]) {
      expect(isGuessablePassword(p), p).toBe(true);
    }
  });

  it("catches repeated units and runs of consecutive characters", () => {
    for (const p of ["aaaaaaaaaa", "1212121212", "abcdabcdabcd", "0123456789", "9876543210", "zyxwvutsrq"]) expect(isGuessablePassword(p), p).toBe(true);
  });

  it("lets ordinary strong choices through, including non-Latin ones", () => {
    for (const p of ["tide-marble-lantern-42", "correct horse battery staple", "My dog eats 3 carrots", "قهوة-الصباح-مع-التمر", "8374619205", "sunshine in Jeddah!"]) {
      expect(isGuessablePassword(p), p).toBe(false);
    }
  });

  it("keeps the list modest and normalized", () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(100);
    expect(COMMON_PASSWORDS.size).toBeLessThan(1000);
    for (const p of COMMON_PASSWORDS) expect(p).toBe(p.toLowerCase().trim());
  });

  it("accepts the password the demo seed generates", async () => {
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
    try {
      const demo = await seedDemoStore(store, { origins: [], hashPassword: (p) => hashPassword(p, { log2N: 10, r: 8, p: 1 }) });
      expect(demo.password.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      expect(isGuessablePassword(demo.password)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
