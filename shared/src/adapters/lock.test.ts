import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetryableError } from "../errors.js";
import type { KeyedLock } from "../ports/lock.js";
import { startRedisServer, uniquePrefix, type RedisServer } from "../testing/redis.js";
import { MemoryKeyedLock } from "./memory/lock.js";
import { RedisKeyedLock } from "./redis/lock.js";

let server: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});
const client = () => {
  const c = new Redis(server.url);
  clients.push(c);
  return c;
};
const tick = () => new Promise((r) => setTimeout(r, 5));

/** Read-modify-write with a pause in between: lost updates show when two run at once. */
async function counterRace(locks: KeyedLock[], key: string, runs: number): Promise<number> {
  let counter = 0;
  await Promise.all(
    Array.from({ length: runs }, (_, i) =>
      locks[i % locks.length]!.run(key, async () => {
        const seen = counter;
        await tick();
        counter = seen + 1;
      }),
    ),
  );
  return counter;
}

function lockContract(name: string, make: () => KeyedLock[]) {
  describe(`keyed lock: ${name}`, () => {
    it("runs holders of one key one at a time", async () => {
      expect(await counterRace(make(), "conversation-1", 12)).toBe(12);
    });
    it("does not serialize different keys", async () => {
      const locks = make();
      const order: string[] = [];
      let releaseA!: () => void;
      const a = locks[0]!.run("a", () => new Promise<void>((r) => (releaseA = () => (order.push("a"), r()))));
      await locks[0]!.run("b", async () => void order.push("b"));
      releaseA();
      await a;
      expect(order).toEqual(["b", "a"]);
    });
    it("frees the key when the holder throws", async () => {
      const [lock] = make();
      await expect(lock!.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await lock!.run("k", async () => "next")).toBe("next");
    });
  });
}

lockContract("memory", () => [new MemoryKeyedLock()]);
lockContract("redis, two processes", () => {
  const prefix = uniquePrefix("lock");
  return [new RedisKeyedLock(client(), prefix, { pollMs: 5 }), new RedisKeyedLock(client(), prefix, { pollMs: 5 })];
});

describe("redis keyed lock", () => {
  it("gives up with a RetryableError when the key stays busy, and a crashed holder's lease expires", async () => {
    const prefix = uniquePrefix("lock");
    const redis = client();
    // A holder that died without releasing.
    await redis.set(`${prefix}:lock:k`, "dead-holder", "PX", 300);
    const impatient = new RedisKeyedLock(client(), prefix, { maxWaitMs: 50, pollMs: 10 });
    await expect(impatient.run("k", async () => "never")).rejects.toBeInstanceOf(RetryableError);
    const patient = new RedisKeyedLock(client(), prefix, { maxWaitMs: 5_000, pollMs: 10 });
    expect(await patient.run("k", async () => "after the lease")).toBe("after the lease");
  });
});
