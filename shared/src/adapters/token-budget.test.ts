import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { monthKey, type TokenBudget } from "../ports/token-budget.js";
import { createMemoryTokenBudget } from "./memory/token-budget.js";
import { createRedisTokenBudget } from "./redis/token-budget.js";

let server: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});

function budgetContract(name: string, make: () => TokenBudget | [TokenBudget, TokenBudget]) {
  describe(`token budget: ${name}`, () => {
    it("counts per merchant and per month", async () => {
      const made = make();
      const [a, b] = Array.isArray(made) ? made : [made, made];
      await a.add("m1", "2026-11", 120.4);
      await b.add("m1", "2026-11", 30);
      await a.add("m1", "2026-12", 7);
      await a.add("m2", "2026-11", 5);
      await a.add("m1", "2026-11", -50);
      expect(await b.used("m1", "2026-11")).toBe(150);
      expect(await a.used("m1", "2026-12")).toBe(7);
      expect(await a.used("m2", "2026-11")).toBe(5);
      expect(await a.used("m3", "2026-11")).toBe(0);
    });
  });
}

budgetContract("memory", () => createMemoryTokenBudget());
budgetContract("redis, shared by two workers processes", () => {
  const prefix = uniquePrefix("budget");
  const c1 = new Redis(server.url);
  const c2 = new Redis(server.url);
  clients.push(c1, c2);
  return [createRedisTokenBudget(c1, prefix), createRedisTokenBudget(c2, prefix)];
});

describe("monthKey", () => {
  it("is the UTC year and month", () => {
    expect(monthKey(new Date("2026-11-30T23:30:00-05:00"))).toBe("2026-12");
  });
});
