import { startRedisServer, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { BullJobQueue } from "./bullmq/queue.js";
import { MemoryJobQueue } from "./memory/queue.js";
import { queueContract } from "../testing/contracts/queue.js";

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
