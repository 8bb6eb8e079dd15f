import type { Redis } from "ioredis";
// Per-merchant monthly LLM token budget. A port so a shared (Redis/Mongo) tracker can replace the
// in-memory one when several workers answer for the same merchant.

export interface TokenBudget {
  /** Tokens used by the merchant in the month `month` (YYYY-MM, UTC). */
  used(merchantId: string, month: string): Promise<number>;
  /** Adds `tokens` to the merchant's count for `month`. */
  add(merchantId: string, month: string, tokens: number): Promise<void>;
}

export function monthKey(date: Date = new Date()): string {
  return date.toISOString().slice(0, 7);
}

export function createMemoryTokenBudget(): TokenBudget {
  const counts = new Map<string, number>();
  return {
    async used(merchantId, month) {
      return counts.get(`${merchantId}:${month}`) ?? 0;
    },
    async add(merchantId, month, tokens) {
      const key = `${merchantId}:${month}`;
      counts.set(key, (counts.get(key) ?? 0) + Math.max(0, Math.round(tokens)));
    },
  };
}

/** Rough token count for servers that do not report usage: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Shared by every workers process of a cluster; counts expire after the month is long over. */
export function createRedisTokenBudget(redis: Redis, prefix: string): TokenBudget {
  const key = (merchantId: string, month: string) => `${prefix}:llm-tokens:${merchantId}:${month}`;
  return {
    async used(merchantId, month) {
      return Number((await redis.get(key(merchantId, month))) ?? 0);
    },
    async add(merchantId, month, tokens) {
      const k = key(merchantId, month);
      await redis.multi().incrby(k, Math.max(0, Math.round(tokens))).expire(k, 62 * 86400).exec();
    },
  };
}
