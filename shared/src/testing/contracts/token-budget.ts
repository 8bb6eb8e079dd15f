// The TokenBudget contract: per-merchant, per-month LLM token counts shared by every handle.
import { expect, it } from "vitest";
import type { TokenBudget } from "../../ports/token-budget.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface TokenBudgetFactory extends ContractFactory {
  /** Two handles on one fresh count (two workers processes; in memory: one object twice). */
  budgets(): Promise<[TokenBudget, TokenBudget]>;
}

export function tokenBudgetContract(f: TokenBudgetFactory): void {
  contractSuite("TokenBudget", f, () => {
    it("counts per merchant and per month in whole tokens; a negative add counts nothing", async () => {
      const [a, b] = await f.budgets();
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

    it("concurrent adds from both handles all count", async () => {
      const [a, b] = await f.budgets();
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).add("busy", "2027-01", 3)));
      expect(await a.used("busy", "2027-01")).toBe(120);
    });
  });
}
