// Store contract, audit log (sensitive actions, newest first).
import { describe, expect, it } from "vitest";
import { collectPages, type StoreHarness } from "./harness.js";

export function auditStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("audit log", () => {
    it("audit log lists newest first", async () => {
      const { t, owner } = await tenant();
      const a1 = await t.audit.add({ actorId: owner.id, action: "user.login", ip: "127.0.0.1" });
      const a2 = await t.audit.add({ action: "channel.create", target: "ch-1", data: { type: "telegram" } });
      expect(a1).toMatchObject({ actorId: owner.id, action: "user.login", target: null, data: {}, ip: "127.0.0.1" });
      expect(a2).toMatchObject({ actorId: null, target: "ch-1", data: { type: "telegram" } });
      const { items } = await collectPages((p) => t.audit.list(p), 1);
      expect(items.map((x) => x.id)).toEqual([a2.id, a1.id]);
    });

    it("merchant B never sees merchant A's audit rows", async () => {
      const A = await tenant("A");
      const B = await tenant("B");
      await A.t.audit.add({ action: "a.secret" });
      await B.t.audit.add({ action: "b.visible" });
      const rows = (await B.t.audit.list()).items;
      expect(rows.map((r) => r.action)).toEqual(["b.visible"]);
      expect(rows.every((r) => r.merchantId === B.merchant.id)).toBe(true);
    });
  });
}
