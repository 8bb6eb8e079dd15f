// Driver errors of a Redis that went away become ServiceUnavailableError (503 / `unavailable`),
// checked with a real client against a real redis-server that is stopped under it.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceUnavailableError, ValidationError } from "../../errors.js";
import { startRedisServer, uniquePrefix, type RedisServer } from "../../testing/redis.js";
import { RedisRateLimiter } from "./kv.js";
import { isRedisConnectionError, withRedisUnavailable } from "./unavailable.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => server?.stop());

describe("Redis outage errors", () => {
  it("a rate limiter on a Redis that stopped rejects with ServiceUnavailableError, and works again once it is back", async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    client.on("error", () => undefined);
    try {
      const limiter = withRedisUnavailable(new RedisRateLimiter(client, uniquePrefix("outage")));
      expect((await limiter.hit("k", 10, 60)).allowed).toBe(true);
      await server.stop();
      const err = await limiter.hit("k", 10, 60).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as ServiceUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
      server = await startRedisServer({ port: server.port });
      await expect.poll(async () => (await limiter.hit("k2", 10, 60).catch(() => null))?.allowed, { timeout: 10_000 }).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it("leaves every other error as it was", async () => {
    const wrapped = withRedisUnavailable({
      async fail(): Promise<void> {
        throw new ValidationError("bad");
      },
      plain: (n: number) => n + 1,
    });
    await expect(wrapped.fail()).rejects.toBeInstanceOf(ValidationError);
    expect(wrapped.plain(1)).toBe(2);
    expect(isRedisConnectionError(new Error("WRONGTYPE Operation against a key holding the wrong kind of value"))).toBe(false);
    expect(isRedisConnectionError("Connection is closed.")).toBe(false);
  });
});
