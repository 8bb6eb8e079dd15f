// TokenBudget for one process (embedded).
import type { TokenBudget } from "../../ports/token-budget.js";

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
