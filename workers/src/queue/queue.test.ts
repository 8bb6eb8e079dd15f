import { startRedisServer, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { BullJobQueue } from "./bullmq.js";
import { MemoryJobQueue } from "./memory.js";
import { queueContract } from "./queue.contract.test-helpers.js";

queueContract({ name: "in-process", create: async () => new MemoryJobQueue() });

let redis: RedisServer;
queueContract({
  name: "BullMQ",
  async setup() {
    redis = await startRedisServer();
  },
  async teardown() {
    await redis.stop();
  },
  create: async () => new BullJobQueue({ redisUrl: redis.url, prefix: uniquePrefix("q") }),
});
