// Store contract, the upload ledger: pending uploads, storing one within the quota (atomically),
// usage, the sweeper's expired list, and merchant scoping. Attachment settings ride on the merchant.
import { describe, expect, it } from "vitest";
import { defaultAttachmentSettings } from "../../../contracts/attachments.js";
import type { NewUpload, StoredUpload } from "../../../ports/store.js";
import type { StoreHarness } from "./harness.js";

const pending = (id: string, over: Partial<NewUpload> = {}): NewUpload => ({
  id,
  owner: "visitor:v1",
  name: "photo.jpg",
  declaredType: "image/jpeg",
  maxBytes: 1000,
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
  ...over,
});
const stored = (size: number, conversationId = "c1"): StoredUpload => ({
  conversationId,
  key: `attachments/${conversationId}-${size}`,
  contentType: "image/png",
  size,
  kind: "image",
  width: 3,
  height: 2,
});

export function uploadsStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("uploads", () => {
    it("new merchants get the default attachment settings, which a patch changes field by field", async () => {
      const { t } = await tenant();
      expect((await t.merchant.get()).attachments).toEqual(defaultAttachmentSettings());
      const updated = await t.merchant.update({ attachments: { maxBytes: 2048 } });
      expect(updated.attachments).toEqual({ ...defaultAttachmentSettings(), maxBytes: 2048 });
      expect((await t.merchant.get()).attachments.maxBytes).toBe(2048);
    });

    it("an upload is pending until stored; storing records what was checked and counts toward usage once", async () => {
      const { t } = await tenant();
      const created = await t.uploads.create(pending("u1"));
      expect(created).toMatchObject({ id: "u1", owner: "visitor:v1", name: "photo.jpg", state: "pending", conversationId: null, size: null });
      expect(await t.uploads.usage()).toBe(0);
      expect(await t.uploads.markStored("u1", stored(300), 1000)).toBe("stored");
      expect(await t.uploads.get("u1")).toMatchObject({ state: "stored", conversationId: "c1", contentType: "image/png", size: 300, kind: "image", width: 3, height: 2 });
      expect(await t.uploads.markStored("u1", stored(300), 1000)).toBe("not_pending");
      expect(await t.uploads.markStored("missing", stored(1), 1000)).toBe("not_pending");
      expect(await t.uploads.usage()).toBe(300);
    });

    it("the quota holds: a store that would pass it changes nothing, also when several race for the last bytes", async () => {
      const { t } = await tenant();
      await t.uploads.create(pending("a"));
      expect(await t.uploads.markStored("a", stored(600), 1000)).toBe("stored");
      await t.uploads.create(pending("b"));
      expect(await t.uploads.markStored("b", stored(500), 1000)).toBe("quota");
      expect(await t.uploads.get("b")).toMatchObject({ state: "pending" });
      for (const id of ["r1", "r2", "r3"]) await t.uploads.create(pending(id));
      const outcomes = await Promise.all(["r1", "r2", "r3"].map((id) => t.uploads.markStored(id, stored(300), 1000)));
      expect(outcomes.filter((o) => o === "stored")).toHaveLength(1);
      expect(await t.uploads.usage()).toBe(900);
    });

    it("expired pending uploads are listed for the sweeper across merchants; stored ones never; delete is idempotent", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const past = new Date(Date.now() - 1000).toISOString();
      await a.uploads.create(pending("old-a", { expiresAt: past }));
      await b.uploads.create(pending("old-b", { expiresAt: past }));
      await a.uploads.create(pending("fresh"));
      await a.uploads.create(pending("kept", { expiresAt: past }));
      await a.uploads.markStored("kept", stored(10), 1000);
      const expired = await h.system.uploads.listExpired({ now: new Date().toISOString(), limit: 1000 });
      const mine = expired.filter((e) => e.merchantId === a.merchantId || e.merchantId === b.merchantId);
      expect(mine.map((e) => `${e.merchantId === a.merchantId ? "A" : "B"}:${e.id}`).sort()).toEqual(["A:old-a", "B:old-b"]);
      await a.uploads.delete("old-a");
      await a.uploads.delete("old-a");
      expect(await a.uploads.get("old-a")).toBeNull();
    });

    it("merchant B can neither see, store nor delete merchant A's uploads, and A's usage is not B's", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      await a.uploads.create(pending("same-id"));
      expect(await b.uploads.get("same-id")).toBeNull();
      expect(await b.uploads.markStored("same-id", stored(5), 1000)).toBe("not_pending");
      await b.uploads.delete("same-id");
      expect(await a.uploads.get("same-id")).toMatchObject({ state: "pending" });
      await a.uploads.markStored("same-id", stored(50), 1000);
      expect(await b.uploads.usage()).toBe(0);
      // The same id in B is B's own record.
      expect(await b.uploads.create(pending("same-id", { owner: "user:x" }))).toMatchObject({ owner: "user:x", state: "pending" });
    });
  });
}
