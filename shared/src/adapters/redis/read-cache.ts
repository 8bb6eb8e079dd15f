// L2 of the read cache, shared by every process of a cluster, and the invalidation broadcast that
// keeps their L1s honest.
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../../logger.js";
import type { CacheInvalidations, ReadCache } from "../../ports/read-cache.js";

export class RedisReadCache implements ReadCache {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private k(key: string): string {
    return `${this.prefix}:cache:${key}`;
  }
  async get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.k(key), value, "PX", Math.max(1, Math.round(ttlMs)));
  }
  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((key) => this.k(key)));
  }
}

const messageSchema = z.object({ keys: z.array(z.string().max(512)).max(1000) });

export const cacheInvalidationChannel = (prefix: string) => `${prefix}:cache-invalidations`;

/** Publishes on the main connection; listens on a dedicated subscriber connection (pub/sub needs its own). */
export class RedisCacheInvalidations implements CacheInvalidations {
  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {}
  async publish(keys: readonly string[]): Promise<void> {
    await this.redis.publish(cacheInvalidationChannel(this.prefix), JSON.stringify({ keys }));
  }
  async subscribe(listener: (keys: readonly string[]) => void): Promise<() => Promise<void>> {
    const channel = cacheInvalidationChannel(this.prefix);
    const onMessage = (from: string, raw: string) => {
      if (from !== channel) return;
      try {
        listener(messageSchema.parse(JSON.parse(raw)).keys);
      } catch (err) {
        this.logger?.warn({ err }, "ignored a malformed cache invalidation message");
      }
    };
    this.subscriber.on("message", onMessage);
    await this.subscriber.subscribe(channel);
    return async () => {
      this.subscriber.off("message", onMessage);
      await this.subscriber.unsubscribe(channel);
    };
  }
}
