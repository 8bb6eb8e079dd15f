import type { Redis } from "ioredis";
import type { RateLimiter, RateLimitResult, TokenBlacklist } from "../../ports/kv.js";

export class RedisTokenBlacklist implements TokenBlacklist {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  async revoke(tokenId: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(`${this.prefix}:revoked:${tokenId}`, "1", "EX", Math.max(1, Math.ceil(ttlSeconds)));
  }
  async isRevoked(tokenId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}:revoked:${tokenId}`)) === 1;
  }
  async revokeSubjectBefore(subject: string, epochSeconds: number, ttlSeconds: number): Promise<void> {
    await this.redis.set(`${this.prefix}:revoked-subject:${subject}`, String(epochSeconds), "EX", Math.max(1, Math.ceil(ttlSeconds)));
  }
  async subjectRevokedBefore(subject: string): Promise<number | null> {
    const value = await this.redis.get(`${this.prefix}:revoked-subject:${subject}`);
    return value === null ? null : Number(value);
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const k = `${this.prefix}:rl:${key}`;
    const [[, countRaw], [, ttlRaw]] = (await this.redis
      .multi()
      .incr(k)
      .pttl(k)
      .exec()) as [[Error | null, number], [Error | null, number]];
    let ttlMs = ttlRaw;
    if (ttlMs < 0) {
      await this.redis.pexpire(k, windowSeconds * 1000);
      ttlMs = windowSeconds * 1000;
    }
    const count = Number(countRaw);
    return {
      allowed: count <= limit,
      remaining: Math.max(0, limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }
}
