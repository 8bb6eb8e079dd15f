// KeyedLock across processes: a Redis lease per key.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { RetryableError } from "../../errors.js";
import type { KeyedLock } from "../../ports/lock.js";
import { MemoryKeyedLock } from "../memory/lock.js";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisKeyedLockOptions {
  /** Lease of one holder; renewed while it runs, so a crashed holder frees the key after it. */
  leaseMs?: number;
  /** How long a caller waits for the key before giving up with a RetryableError. */
  maxWaitMs?: number;
  pollMs?: number;
}

/**
 * A lease in Redis (SET NX PX, renewed while held, released only by its owner). Within one process
 * callers also queue in memory first, so they keep their order and do not poll against each other.
 */
export class RedisKeyedLock implements KeyedLock {
  private readonly local = new MemoryKeyedLock();
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisKeyedLockOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.pollMs = options.pollMs ?? 50;
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.hold(key, fn));
  }

  private async hold<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const redisKey = `${this.prefix}:lock:${key}`;
    const token = randomBytes(12).toString("hex");
    const deadline = Date.now() + this.maxWaitMs;
    while ((await this.redis.set(redisKey, token, "PX", this.leaseMs, "NX")) !== "OK") {
      if (Date.now() > deadline) throw new RetryableError(`lock ${key} is busy`);
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
    const renew = setInterval(() => {
      this.redis.eval(RENEW, 1, redisKey, token, String(this.leaseMs)).catch(() => undefined);
    }, Math.max(1_000, Math.floor(this.leaseMs / 3)));
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, redisKey, token).catch(() => undefined);
    }
  }
}
