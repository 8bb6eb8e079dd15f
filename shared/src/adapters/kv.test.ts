// The kv contract (token blacklist, rate limiter) on the in-memory and the Redis adapters.
import { kvContract, redisFixture, uniquePrefix } from "@kaleem/shared/testing";
import { MemoryAttemptThrottle, MemoryRateLimiter, MemoryTokenBlacklist } from "./memory/kv.js";
import { RedisAttemptThrottle, RedisRateLimiter, RedisTokenBlacklist } from "./redis/kv.js";

kvContract({
  name: "memory",
  blacklist: async () => new MemoryTokenBlacklist(),
  rateLimiter: async () => new MemoryRateLimiter(),
  attemptThrottle: async () => new MemoryAttemptThrottle(),
});

const redis = redisFixture();
kvContract({
  name: "redis",
  setup: redis.setup,
  teardown: redis.teardown,
  blacklist: async () => new RedisTokenBlacklist(redis.client(), uniquePrefix("kv")),
  rateLimiter: async () => new RedisRateLimiter(redis.client(), uniquePrefix("kv")),
  attemptThrottle: async () => new RedisAttemptThrottle(redis.client(), uniquePrefix("kv")),
});
