// The read cache contract on the in-memory (L1) and the Redis (L2) adapters.
import { expect, it } from "vitest";
import { readCacheContract, redisFixture, uniquePrefix } from "@kaleem/shared/testing";
import { DirectCacheInvalidations, MemoryReadCache } from "./memory/read-cache.js";
import { RedisCacheInvalidations, RedisReadCache } from "./redis/read-cache.js";

readCacheContract({
  name: "memory",
  cache: async () => new MemoryReadCache(100),
  invalidations: async () => {
    const direct = new DirectCacheInvalidations();
    return [direct, direct];
  },
});

const redis = redisFixture();
readCacheContract({
  name: "redis",
  setup: redis.setup,
  teardown: redis.teardown,
  cache: async () => new RedisReadCache(redis.client(), uniquePrefix("cache")),
  invalidations: async () => {
    const prefix = uniquePrefix("inval");
    return [
      new RedisCacheInvalidations(redis.client(), redis.client(), prefix),
      new RedisCacheInvalidations(redis.client(), redis.client(), prefix),
    ];
  },
});

it("the memory layer drops its least recently used entry past its size", async () => {
  const cache = new MemoryReadCache(2);
  await cache.set("c:m:a", "1", 60_000);
  await cache.set("c:m:b", "2", 60_000);
  expect(await cache.get("c:m:a")).toBe("1"); // a is now the most recently used
  await cache.set("c:m:c", "3", 60_000);
  expect(await cache.get("c:m:b")).toBeNull();
  expect(await cache.get("c:m:a")).toBe("1");
  expect(await cache.get("c:m:c")).toBe("3");
  expect(cache.size).toBe(2);
});
