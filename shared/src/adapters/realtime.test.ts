// The StreamRegistry and PresenceStore contracts in memory and on Redis.
import { presenceContract, redisFixture, streamRegistryContract, uniquePrefix } from "@kaleem/shared/testing";
import { MemoryStreamRegistry, createMemoryPresence } from "./memory/realtime.js";
import { RedisStreamRegistry, createRedisPresence } from "./redis/realtime.js";

streamRegistryContract({
  name: "memory",
  async registries() {
    // Embedded mode has one registry per process: both "nodes" are the same object.
    const one = new MemoryStreamRegistry();
    return [one, one];
  },
  textOutlivesProducer: false,
});
presenceContract({ name: "memory", presence: async (options) => createMemoryPresence(options) });

const redis = redisFixture();
streamRegistryContract({
  name: "redis, two nodes",
  setup: redis.setup,
  teardown: redis.teardown,
  async registries() {
    const prefix = uniquePrefix("rt");
    return [new RedisStreamRegistry(redis.client(), prefix, { leaseMs: 600 }), new RedisStreamRegistry(redis.client(), prefix, { leaseMs: 600 })];
  },
  textOutlivesProducer: true,
});
const presenceRedis = redisFixture();
presenceContract({
  name: "redis",
  setup: presenceRedis.setup,
  teardown: presenceRedis.teardown,
  presence: async (options) => createRedisPresence(presenceRedis.client(), uniquePrefix("pr"), options),
});
