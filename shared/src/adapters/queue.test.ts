// The JobQueue contract on both adapters: the in-process runner and BullMQ on a real Redis.
import { queueContract, startRedisServer, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { BullJobQueue } from "./bullmq/queue.js";
import { MemoryJobQueue } from "./memory/queue.js";

queueContract({ name: "in-process", create: async (schemas) => new MemoryJobQueue({ schemas }) });

let redis: RedisServer;
queueContract({
  name: "BullMQ",
  async setup() {
    redis = await startRedisServer();
  },
  async teardown() {
    await redis.stop();
  },
  create: async (schemas) => new BullJobQueue({ redisUrl: redis.url, prefix: uniquePrefix("q"), schemas }),
});
