import type { Redis } from "ioredis";
import type { AttemptThrottle, AttemptVerdict, RateLimiter, RateLimitResult, TokenBlacklist } from "../../ports/kv.js";

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

// One round trip, atomic, on Redis's clock (every node agrees on when a key opens).
// KEYS[1] streak hash {attempts, openAt}; ARGV[1] forgetAfterMs; ARGV[2..] delays in ms.
const ATTEMPT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('HMGET', KEYS[1], 'attempts', 'openAt')
local attempts = tonumber(v[1]) or 0
local openAt = tonumber(v[2]) or 0
if now < openAt then return {0, attempts, openAt - now} end
attempts = attempts + 1
local n = #ARGV - 1
local delay = 0
if n > 0 then delay = tonumber(ARGV[math.min(attempts, n) + 1]) end
redis.call('HSET', KEYS[1], 'attempts', attempts, 'openAt', now + delay)
redis.call('PEXPIRE', KEYS[1], delay + tonumber(ARGV[1]))
return {1, attempts, 0}
`;

export class RedisAttemptThrottle implements AttemptThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  async attempt(key: string, delaysMs: readonly number[], forgetAfterMs: number): Promise<AttemptVerdict> {
    const [allowed, attempts, waitMs] = (await this.redis.eval(
      ATTEMPT_SCRIPT,
      1,
      `${this.prefix}:attempts:${key}`,
      String(Math.max(1, Math.round(forgetAfterMs))),
      ...delaysMs.map((d) => String(Math.max(0, Math.round(d)))),
    )) as [number, number, number];
    return { allowed: allowed === 1, attempts, retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:attempts:${key}`);
  }
}
