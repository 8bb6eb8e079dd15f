// The KeyedLock contract in memory and on Redis (two handles = two workers processes), plus what
// only the Redis lease does: give up on a busy key, outlive a crashed holder.
import { describe, expect, it } from "vitest";
import { lockContract, redisFixture, uniquePrefix } from "@kaleem/shared/testing";
import { RetryableError } from "../errors.js";
import { MemoryKeyedLock } from "./memory/lock.js";
import { RedisKeyedLock } from "./redis/lock.js";

lockContract({ name: "memory", locks: async () => [new MemoryKeyedLock()] });

const redis = redisFixture();
lockContract({
  name: "redis, two processes",
  setup: redis.setup,
  teardown: redis.teardown,
  async locks() {
    const prefix = uniquePrefix("lock");
    return [new RedisKeyedLock(redis.client(), prefix, { pollMs: 5 }), new RedisKeyedLock(redis.client(), prefix, { pollMs: 5 })];
  },
});

describe("redis keyed lock", () => {
  const own = redisFixture();
  it("gives up with a RetryableError when the key stays busy, and a crashed holder's lease expires", async () => {
    await own.setup();
    try {
      const prefix = uniquePrefix("lock");
      // A holder that died without releasing.
      await own.client().set(`${prefix}:lock:k`, "dead-holder", "PX", 300);
      const impatient = new RedisKeyedLock(own.client(), prefix, { maxWaitMs: 50, pollMs: 10 });
      await expect(impatient.run("k", async () => "never")).rejects.toBeInstanceOf(RetryableError);
      const patient = new RedisKeyedLock(own.client(), prefix, { maxWaitMs: 5_000, pollMs: 10 });
      expect(await patient.run("k", async () => "after the lease")).toBe("after the lease");
    } finally {
      await own.teardown();
    }
  });
});
