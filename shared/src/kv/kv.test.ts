// One contract for the key-value ports, run against the in-memory and the Redis implementations.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttemptThrottle, RateLimiter, TokenBlacklist } from "../ports/kv.js";
import { startRedisServer, uniquePrefix, type RedisServer } from "../testing/redis.js";
import { MemoryAttemptThrottle, MemoryRateLimiter, MemoryTokenBlacklist } from "./memory.js";
import { RedisAttemptThrottle, RedisRateLimiter, RedisTokenBlacklist } from "./redis.js";

let server: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});
const redis = () => {
  const c = new Redis(server.url);
  clients.push(c);
  return c;
};

function kvContract(name: string, make: () => { blacklist: TokenBlacklist; limiter: RateLimiter; throttle: AttemptThrottle }) {
  describe(`kv ports: ${name}`, () => {
    it("blacklists token ids until their time is up", async () => {
      const { blacklist } = make();
      await blacklist.revoke("jti-1", 60);
      expect(await blacklist.isRevoked("jti-1")).toBe(true);
      expect(await blacklist.isRevoked("jti-2")).toBe(false);
      await blacklist.revoke("short", 1);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await blacklist.isRevoked("short")).toBe(false);
    });
    it("remembers a subject's cut-off (password change)", async () => {
      const { blacklist } = make();
      expect(await blacklist.subjectRevokedBefore("user-1")).toBeNull();
      await blacklist.revokeSubjectBefore("user-1", 1_800_000_000, 60);
      expect(await blacklist.subjectRevokedBefore("user-1")).toBe(1_800_000_000);
      expect(await blacklist.subjectRevokedBefore("user-2")).toBeNull();
    });
    it("counts hits in a window and says when to retry", async () => {
      const { limiter } = make();
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await limiter.hit("ip:1", 3, 60));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results[3]!.remaining).toBe(0);
      expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((await limiter.hit("ip:2", 3, 60)).allowed).toBe(true);
    });
    it("spaces attempts: free ones, then closed for the scheduled delay, counted once even in a parallel burst", async () => {
      const { throttle } = make();
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
      const { throttle } = make();
      expect((await throttle.attempt("acct:3", [300], 300)).allowed).toBe(true);
      expect((await throttle.attempt("acct:3", [300], 300)).allowed).toBe(false);
      await new Promise((r) => setTimeout(r, 350));
      expect(await throttle.attempt("acct:3", [300], 300)).toMatchObject({ allowed: true, attempts: 2 });
      // Open again after 300 ms, forgotten 300 ms after that: a fresh streak.
      await new Promise((r) => setTimeout(r, 700));
      expect(await throttle.attempt("acct:3", [300], 300)).toMatchObject({ allowed: true, attempts: 1 });
    });
  });
}

kvContract("memory", () => ({ blacklist: new MemoryTokenBlacklist(), limiter: new MemoryRateLimiter(), throttle: new MemoryAttemptThrottle() }));
kvContract("redis", () => {
  const prefix = uniquePrefix("kv");
  const c = redis();
  return { blacklist: new RedisTokenBlacklist(c, prefix), limiter: new RedisRateLimiter(c, prefix), throttle: new RedisAttemptThrottle(c, prefix) };
});
