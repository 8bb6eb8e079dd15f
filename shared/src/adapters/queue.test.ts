// The JobQueue contract on both adapters: the in-process runner and BullMQ on a real Redis.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("BullMQ fairness bookkeeping", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => server?.stop());

  it("answers the first groupDepth of a new queue while its connection is still being made", async () => {
    // The bookkeeping connection has no offline queue (it fails fast while Redis is down); its very
    // first command must wait for the first connect instead of failing.
    const queue = new BullJobQueue({ redisUrl: server.url, prefix: uniquePrefix("q-first") });
    try {
      expect(await queue.groupDepth("bot-reply", "m-1")).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it("refuses at once while Redis is down instead of waiting for it", async () => {
    const queue = new BullJobQueue({ redisUrl: "redis://127.0.0.1:1", prefix: uniquePrefix("q-down") });
    try {
      await expect(queue.groupDepth("bot-reply", "m-1")).rejects.toThrow();
    } finally {
      await queue.close();
    }
  });
});
