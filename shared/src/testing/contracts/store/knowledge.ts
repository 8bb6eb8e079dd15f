// Store contract, knowledge: policies and FAQs (structured data kept as given), and the paging
// rules every list shares (limit clamped, malformed cursors refused).
import { describe, expect, it } from "vitest";
import type { KnowledgeData } from "../../../contracts/domain.js";
import { ValidationError } from "../../../errors.js";
import { MAX_PAGE_LIMIT } from "../../../ports/store.js";
import { collectPages, faq, type StoreHarness } from "./harness.js";

export function knowledgeStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("knowledge", () => {
    it("create, get, update, list, all, remove", async () => {
      const { t } = await tenant();
      const shipping: KnowledgeData = {
        kind: "shipping",
        policy: {
          zones: [{ name: { en: "Riyadh", ar: "الرياض" }, areas: ["Riyadh"], fee: 15, freeAbove: 200, minDays: 1, maxDays: 2 }],
        },
      };
      const k = await t.knowledge.create({ title: "Shipping", data: shipping });
      expect(k).toMatchObject({ title: "Shipping", data: shipping });
      expect(await t.knowledge.get(k.id)).toEqual(k);
      const f = await t.knowledge.create({ title: "FAQ", data: faq("Open?", "Yes") });
      const updated = await t.knowledge.update(f.id, { data: faq("Open on Friday?", "After 4pm") });
      expect(updated).toMatchObject({ title: "FAQ", data: faq("Open on Friday?", "After 4pm") });
      expect((await t.knowledge.update(f.id, { title: "Hours" }))?.data).toEqual(faq("Open on Friday?", "After 4pm"));
      expect(await t.knowledge.update("missing", { title: "x" })).toBeNull();
      expect((await t.knowledge.all()).map((x) => x.id)).toEqual([k.id, f.id]);
      const { items } = await collectPages((p) => t.knowledge.list(p), 1);
      expect(items.map((x) => x.id)).toEqual([k.id, f.id]);
      expect(await t.knowledge.remove(k.id)).toBe(true);
      expect(await t.knowledge.remove(k.id)).toBe(false);
      expect((await t.knowledge.all()).map((x) => x.id)).toEqual([f.id]);
    });

    it("merchant B can neither read, change nor list merchant A's knowledge", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const k = await a.knowledge.create({ title: "A policy", data: faq("q", "a") });
      expect(await b.knowledge.get(k.id)).toBeNull();
      expect(await b.knowledge.update(k.id, { title: "stolen" })).toBeNull();
      expect(await b.knowledge.remove(k.id)).toBe(false);
      expect((await b.knowledge.list()).items).toEqual([]);
      expect(await b.knowledge.all()).toEqual([]);
      expect(await a.knowledge.get(k.id)).toEqual(k);
    });
  });

  describe("pagination", () => {
    it("clamps the limit to [1, MAX_PAGE_LIMIT] and rejects a malformed cursor", async () => {
      const { t } = await tenant();
      for (let i = 0; i < MAX_PAGE_LIMIT + 3; i++)
        await t.knowledge.create({ title: `Q${i}`, data: faq(`q${i}`, `a${i}`) });
      const big = await t.knowledge.list({ limit: 10_000 });
      expect(big.items).toHaveLength(MAX_PAGE_LIMIT);
      expect(big.nextCursor).not.toBeNull();
      expect((await t.knowledge.list({ limit: 0 })).items).toHaveLength(1);
      expect((await t.knowledge.list()).items).toHaveLength(20);
      await expect(t.knowledge.list({ cursor: "%%%not-a-cursor" })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
