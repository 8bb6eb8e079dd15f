// One contract for the key-value ports, run against the in-memory and the Redis implementations.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimiter, TokenBlacklist } from "../ports/kv.js";
import { startRedisServer, uniquePrefix, type RedisServer } from "../testing/redis.js";
import { MemoryRateLimiter, MemoryTokenBlacklist } from "./memory/kv.js";
import { RedisRateLimiter, RedisTokenBlacklist } from "./redis/kv.js";

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

function kvContract(name: string, make: () => { blacklist: TokenBlacklist; limiter: RateLimiter }) {
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
  });
}

kvContract("memory", () => ({ blacklist: new MemoryTokenBlacklist(), limiter: new MemoryRateLimiter() }));
kvContract("redis", () => {
  const prefix = uniquePrefix("kv");
  const c = redis();
  return { blacklist: new RedisTokenBlacklist(c, prefix), limiter: new RedisRateLimiter(c, prefix) };
});
