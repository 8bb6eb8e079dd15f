// Store contract, widget visitors (identify's token generations, blocks).
import { describe, expect, it } from "vitest";
import { collectPages, type StoreHarness } from "./harness.js";

export function visitorsStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("visitors", () => {
    it("a visitor nobody identified or blocked has no record; identify links a customer and starts a new token generation each time", async () => {
      const { t, merchant } = await tenant();
      expect(await t.visitors.get("v-1")).toBeNull();
      const first = await t.visitors.identify("v-1", "cust-1");
      expect(first).toMatchObject({ visitorId: "v-1", merchantId: merchant.id, customerId: "cust-1", tokenGeneration: 1, blockedAt: null });
      const second = await t.visitors.identify("v-1", "cust-2");
      expect(second).toMatchObject({ customerId: "cust-2", tokenGeneration: 2 });
      expect(await t.visitors.get("v-1")).toEqual(second);
      // Raced identifies each get a generation of their own.
      const raced = await Promise.all(Array.from({ length: 5 }, () => t.visitors.identify("v-2", "c")));
      expect(raced.map((v) => v.tokenGeneration).sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it("block keeps the first block's time, author and reason; unblock lifts it and keeps the generation; blocked visitors are listed newest first", async () => {
      const { t } = await tenant();
      await t.visitors.identify("v-a", "c-a");
      const blocked = await t.visitors.block("v-a", { userId: "u1", reason: "spam" });
      expect(blocked).toMatchObject({ blockedBy: "u1", blockReason: "spam", tokenGeneration: 1, customerId: "c-a" });
      expect(blocked.blockedAt).toBeTruthy();
      const again = await t.visitors.block("v-a", { userId: "u2", reason: "other" });
      expect(again).toMatchObject({ blockedAt: blocked.blockedAt, blockedBy: "u1", blockReason: "spam" });
      // A visitor with no record yet can be blocked too.
      const fresh = await t.visitors.block("v-b", { userId: "u1", reason: null });
      expect(fresh).toMatchObject({ tokenGeneration: 0, customerId: null, blockReason: null });
      for (let i = 0; i < 3; i++) await t.visitors.block(`v-${i}-more`, { userId: "u1", reason: null });

      const { items } = await collectPages((p) => t.visitors.listBlocked(p), 2);
      expect(items).toHaveLength(5);
      expect(new Set(items.map((v) => v.visitorId)).size).toBe(5);
      const times = items.map((v) => v.blockedAt!);
      expect([...times].sort().reverse()).toEqual(times);

      const lifted = await t.visitors.unblock("v-a");
      expect(lifted).toMatchObject({ blockedAt: null, blockedBy: null, blockReason: null, tokenGeneration: 1, customerId: "c-a" });
      expect(await t.visitors.unblock("v-a")).toBeNull();
      expect(await t.visitors.unblock("never-seen")).toBeNull();
      expect((await t.visitors.listBlocked()).items.map((v) => v.visitorId)).not.toContain("v-a");
    });

    it("merchant B can neither read, block, unblock nor list merchant A's visitors", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      await a.visitors.block("shared-id", { userId: "ua", reason: "abuse" });
      expect(await b.visitors.get("shared-id")).toBeNull();
      expect(await b.visitors.unblock("shared-id")).toBeNull();
      expect((await b.visitors.listBlocked()).items).toEqual([]);
      // The same visitor id in B is B's own record.
      expect(await b.visitors.identify("shared-id", "cb")).toMatchObject({ tokenGeneration: 1, blockedAt: null });
      expect(await a.visitors.get("shared-id")).toMatchObject({ blockReason: "abuse", customerId: null, tokenGeneration: 0 });
    });
  });
}
