import jwt from "jsonwebtoken";
import { KeyObject } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { Config } from "../config.js";
import { MemoryTokenBlacklist } from "../adapters/memory/kv.js";
import { TokenService, VERIFIED_ACCESS_TOKENS } from "./tokens.js";

const config: Pick<Config, "auth" | "secrets"> = {
  auth: { issuer: "kaleem-test", audience: "kaleem-api", accessTtlSeconds: 900, refreshTtlSeconds: 3600 },
  secrets: {
    jwtAccessSecret: "a".repeat(40),
    jwtRefreshSecret: "r".repeat(40),
    visitorTokenSecret: "v".repeat(40),
    encryptionKey: "e".repeat(40),
  },
};
const subject = { userId: "u1", merchantId: "m1", role: "admin" as const };

describe("TokenService", () => {
  it("signs and verifies with secret KeyObjects built once, never with the string secrets", async () => {
    const sign = vi.spyOn(jwt, "sign");
    const verify = vi.spyOn(jwt, "verify");
    try {
      const tokens = new TokenService(config, new MemoryTokenBlacklist());
      const pair = tokens.issuePair(subject);
      const other = tokens.issuePair(subject);
      await tokens.verifyAccess(pair.accessToken);
      await tokens.verifyAccess(other.accessToken);
      tokens.verifyRefresh(pair.refreshToken);
      const keys = [...sign.mock.calls, ...verify.mock.calls].map((c) => c[1]);
      expect(keys).toHaveLength(7);
      for (const key of keys) expect(key).toBeInstanceOf(KeyObject);
      expect(keys.every((k) => (k as KeyObject).type === "secret")).toBe(true);
      // The same two objects every time: one per kind, made in the constructor.
      expect(new Set(keys).size).toBe(2);
      expect(verify.mock.calls[0]![1]).toBe(verify.mock.calls[1]![1]);
      expect(verify.mock.calls[0]![1]).toBe(sign.mock.calls[0]![1]);
    } finally {
      sign.mockRestore();
      verify.mockRestore();
    }
  });

  it("checks an access token's signature once, its expiry and the blacklist on every use", async () => {
    const verify = vi.spyOn(jwt, "verify");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const blacklist = new MemoryTokenBlacklist();
      const tokens = new TokenService(config, blacklist);
      const pair = tokens.issuePair(subject);
      const first = await tokens.verifyAccess(pair.accessToken);
      for (let i = 0; i < 5; i++) expect(await tokens.verifyAccess(pair.accessToken)).toEqual(first);
      expect(verify).toHaveBeenCalledTimes(1);
      // A token that differs in one character is checked (and refused), not taken from the cache.
      const forged = pair.accessToken.slice(0, -2) + (pair.accessToken.endsWith("AA") ? "BB" : "AA");
      await expect(tokens.verifyAccess(forged)).rejects.toMatchObject({ status: 401 });
      // Expiry is checked on every use: at `exp` the remembered token is refused as expired.
      vi.setSystemTime((first.exp - 1) * 1000);
      await expect(tokens.verifyAccess(pair.accessToken)).resolves.toEqual(first);
      vi.setSystemTime(first.exp * 1000);
      await expect(tokens.verifyAccess(pair.accessToken)).rejects.toThrow(/expired/);
      // Revocation is never cached.
      vi.setSystemTime(Date.now() - 10_000);
      const live = tokens.issuePair(subject);
      const claims = await tokens.verifyAccess(live.accessToken);
      await tokens.revokeAccess(claims);
      await expect(tokens.verifyAccess(live.accessToken)).rejects.toThrow(/revoked/);
      const later = tokens.issuePair(subject);
      await tokens.verifyAccess(later.accessToken);
      vi.setSystemTime(Date.now() + 2_000);
      await tokens.revokeUserSessions(subject.userId);
      await expect(tokens.verifyAccess(later.accessToken)).rejects.toThrow(/password changed/);
    } finally {
      vi.useRealTimers();
      verify.mockRestore();
    }
  });

  it("remembers at most VERIFIED_ACCESS_TOKENS tokens, dropping the oldest", async () => {
    const tokens = new TokenService(config, new MemoryTokenBlacklist());
    const verify = vi.spyOn(jwt, "verify");
    try {
      const issued = Array.from({ length: VERIFIED_ACCESS_TOKENS + 1 }, (_, i) => tokens.issuePair({ ...subject, userId: `u${i}` }).accessToken);
      for (const token of issued) await tokens.verifyAccess(token);
      expect(verify).toHaveBeenCalledTimes(issued.length);
      await tokens.verifyAccess(issued.at(-1)!);
      expect(verify).toHaveBeenCalledTimes(issued.length);
      // The first one was dropped to make room: checked again.
      await tokens.verifyAccess(issued[0]!);
      expect(verify).toHaveBeenCalledTimes(issued.length + 1);
    } finally {
      verify.mockRestore();
    }
  });

  it("issues a pair whose tokens verify with their own kind only", async () => {
    const tokens = new TokenService(config, new MemoryTokenBlacklist());
    const pair = tokens.issuePair(subject);
    const access = await tokens.verifyAccess(pair.accessToken);
    expect(access).toMatchObject({ userId: "u1", merchantId: "m1", role: "admin", tokenId: pair.accessTokenId });
    const refresh = tokens.verifyRefresh(pair.refreshToken);
    expect(refresh).toMatchObject({ userId: "u1", merchantId: "m1", tokenId: pair.refreshTokenId, familyId: pair.familyId });
    await expect(tokens.verifyAccess(pair.refreshToken)).rejects.toMatchObject({ status: 401 });
    expect(() => tokens.verifyRefresh(pair.accessToken)).toThrow(/Invalid/);
  });

  it("keeps the family when asked to", () => {
    const tokens = new TokenService(config, new MemoryTokenBlacklist());
    expect(tokens.issuePair(subject, "fam-1").familyId).toBe("fam-1");
  });

  it("rejects blacklisted access tokens", async () => {
    const tokens = new TokenService(config, new MemoryTokenBlacklist());
    const pair = tokens.issuePair(subject);
    const claims = await tokens.verifyAccess(pair.accessToken);
    await tokens.revokeAccess(claims);
    await expect(tokens.verifyAccess(pair.accessToken)).rejects.toThrow(/revoked/);
  });

  it("rejects other algorithms, issuers, audiences, a missing typ, and expired tokens", async () => {
    const tokens = new TokenService(config, new MemoryTokenBlacklist());
    const secret = config.secrets.jwtAccessSecret;
    const claims = { typ: "access", mid: "m1", role: "owner" };
    const base = { issuer: "kaleem-test", audience: "kaleem-api", subject: "u1", jwtid: "j1" };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({ ...claims, sub: "u1", jti: "j1", iss: "kaleem-test", aud: "kaleem-api", exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString("base64url")}.`;
    const bad = [
      unsigned,
      jwt.sign(claims, secret, { ...base, algorithm: "HS512", expiresIn: 60 }),
      jwt.sign(claims, secret, { ...base, issuer: "someone-else", algorithm: "HS256", expiresIn: 60 }),
      jwt.sign(claims, secret, { ...base, audience: "other", algorithm: "HS256", expiresIn: 60 }),
      jwt.sign({ mid: "m1", role: "owner" }, secret, { ...base, algorithm: "HS256", expiresIn: 60 }),
      jwt.sign(claims, "x".repeat(40), { ...base, algorithm: "HS256", expiresIn: 60 }),
      jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, secret, { ...base, algorithm: "HS256" }),
    ];
    for (const token of bad) await expect(tokens.verifyAccess(token)).rejects.toMatchObject({ status: 401 });
    // The same claims signed correctly do verify, so the rejections above are about the one changed field.
    const good = jwt.sign(claims, secret, { ...base, algorithm: "HS256", expiresIn: 60 });
    await expect(tokens.verifyAccess(good)).resolves.toMatchObject({ userId: "u1", role: "owner" });
  });
});
