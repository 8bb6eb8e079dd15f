// The key-value ports' contract (token blacklist, rate limiter): in memory and on Redis.
import { describe, expect, it } from "vitest";
import type { AttemptThrottle, RateLimiter, TokenBlacklist } from "../../ports/kv.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface KvFactory extends ContractFactory {
  /** A fresh blacklist that shares nothing with earlier calls (own key prefix). */
  blacklist(): Promise<TokenBlacklist>;
  /** A fresh rate limiter (own key prefix). */
  rateLimiter(): Promise<RateLimiter>;
  /** A fresh attempt throttle (own key prefix). */
  attemptThrottle(): Promise<AttemptThrottle>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function kvContract(f: KvFactory): void {
  contractSuite("kv ports", f, () => {
    describe("TokenBlacklist", () => {
      it("blacklists token ids until their time is up", async () => {
        const blacklist = await f.blacklist();
        await blacklist.revoke("jti-1", 60);
        expect(await blacklist.isRevoked("jti-1")).toBe(true);
        expect(await blacklist.isRevoked("jti-2")).toBe(false);
        await blacklist.revoke("short", 1);
        await pause(1_100);
        expect(await blacklist.isRevoked("short")).toBe(false);
      });

      it("remembers a subject's cut-off (password change)", async () => {
        const blacklist = await f.blacklist();
        expect(await blacklist.subjectRevokedBefore("user-1")).toBeNull();
        await blacklist.revokeSubjectBefore("user-1", 1_800_000_000, 60);
        expect(await blacklist.subjectRevokedBefore("user-1")).toBe(1_800_000_000);
        expect(await blacklist.subjectRevokedBefore("user-2")).toBeNull();
      });
    });

    describe("RateLimiter", () => {
      it("counts hits in a window and says when to retry", async () => {
        const limiter = await f.rateLimiter();
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await limiter.hit("ip:1", 3, 60));
        expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
        expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
        expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
        expect((await limiter.hit("ip:2", 3, 60)).allowed).toBe(true);
      });

      it("opens again once the window has passed", async () => {
        const limiter = await f.rateLimiter();
        expect((await limiter.hit("burst", 1, 1)).allowed).toBe(true);
        expect((await limiter.hit("burst", 1, 1)).allowed).toBe(false);
        await pause(1_100);
        expect((await limiter.hit("burst", 1, 1)).allowed).toBe(true);
      });
    });

    describe("AttemptThrottle", () => {
      it("spaces attempts: free ones, then closed for the scheduled delay, counted once even in a parallel burst", async () => {
        const throttle = await f.attemptThrottle();
        const schedule = [0, 0, 60_000];
        const burst = await Promise.all(Array.from({ length: 10 }, () => throttle.attempt("acct:1", schedule, 60_000)));
        // The third attempt closes the key for a minute; nothing after it is counted.
        expect(burst.filter((v) => v.allowed).length).toBe(3);
        const refused = burst.filter((v) => !v.allowed);
        expect(refused.every((v) => v.attempts === 3 && v.retryAfterSeconds >= 59 && v.retryAfterSeconds <= 60)).toBe(true);
        expect((await throttle.attempt("acct:2", schedule, 60_000)).allowed).toBe(true);
        await throttle.reset("acct:1");
        expect(await throttle.attempt("acct:1", schedule, 60_000)).toEqual({ allowed: true, attempts: 1, retryAfterSeconds: 0 });
      });

      it("opens a closed key once its delay is over and forgets the streak later", async () => {
        const throttle = await f.attemptThrottle();
        expect((await throttle.attempt("acct:3", [300], 300)).allowed).toBe(true);
        expect((await throttle.attempt("acct:3", [300], 300)).allowed).toBe(false);
        await pause(350);
        expect(await throttle.attempt("acct:3", [300], 300)).toMatchObject({ allowed: true, attempts: 2 });
        // Open again after 300 ms, forgotten 300 ms after that: a fresh streak.
        await pause(700);
        expect(await throttle.attempt("acct:3", [300], 300)).toMatchObject({ allowed: true, attempts: 1 });
      });
    });
  });
}
