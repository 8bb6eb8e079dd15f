// TokenBudget shared by every workers process of a cluster; counts expire after the month is long over.
import type { Redis } from "ioredis";
import type { TokenBudget } from "../../ports/token-budget.js";

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
