// The TokenBudget contract in memory and on Redis (shared by two workers processes).
import { describe, expect, it } from "vitest";
import { redisFixture, tokenBudgetContract, uniquePrefix } from "@kaleem/shared/testing";
import { monthKey } from "../ports/token-budget.js";
import { createMemoryTokenBudget } from "./memory/token-budget.js";
import { createRedisTokenBudget } from "./redis/token-budget.js";

tokenBudgetContract({
  name: "memory",
  async budgets() {
    const one = createMemoryTokenBudget();
    return [one, one];
  },
});

const redis = redisFixture();
tokenBudgetContract({
  name: "redis, shared by two workers processes",
  setup: redis.setup,
  teardown: redis.teardown,
  async budgets() {
    const prefix = uniquePrefix("budget");
    return [createRedisTokenBudget(redis.client(), prefix), createRedisTokenBudget(redis.client(), prefix)];
  },
});

describe("monthKey", () => {
  it("is the UTC year and month", () => {
    expect(monthKey(new Date("2026-11-30T23:30:00-05:00"))).toBe("2026-12");
  });
});
