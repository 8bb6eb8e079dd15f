// Store contract, events: inbound webhook events (stored once per provider id) and the outbox.
import { describe, expect, it } from "vitest";
import type { StoreHarness } from "./harness.js";

export function eventsStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("webhook events and outbox", () => {
    it("recordOnce stores an event once per (source, dedupeKey)", async () => {
      const { t, merchant } = await tenant();
      const first = await t.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "u-1", payload: { update_id: 1 } });
      expect(first.duplicate).toBe(false);
      expect(first.event).toMatchObject({
        merchantId: merchant.id,
        source: "telegram",
        dedupeKey: "u-1",
        payload: { update_id: 1 },
        status: "received",
        error: null,
        processedAt: null,
      });
      const again = await t.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "u-1", payload: { update_id: 1, retry: true } });
      expect(again).toEqual({ event: first.event, duplicate: true });
      const otherSource = await t.webhookEvents.recordOnce({ source: "shopify", dedupeKey: "u-1", payload: {} });
      expect(otherSource.duplicate).toBe(false);

      const raced = await Promise.all(
        Array.from({ length: 5 }, () => t.webhookEvents.recordOnce({ source: "salla", dedupeKey: "e", payload: {} })),
      );
      expect(raced.filter((r) => !r.duplicate)).toHaveLength(1);

      await t.webhookEvents.markProcessed(first.event.id);
      expect(await t.webhookEvents.get(first.event.id)).toMatchObject({ status: "processed", error: null });
      expect((await t.webhookEvents.get(first.event.id))?.processedAt).not.toBeNull();
      await t.webhookEvents.markFailed(otherSource.event.id, "bad payload");
      expect(await t.webhookEvents.get(otherSource.event.id)).toMatchObject({ status: "failed", error: "bad payload" });
      expect(await t.webhookEvents.get("missing")).toBeNull();
    });


    it("outbox lists pending events in order until published", async () => {
      const { t } = await tenant();
      const e1 = await t.outbox.add({ topic: "order.created", payload: { id: 1 } });
      const e2 = await t.outbox.add({ topic: "order.created", payload: { id: 2 } });
      expect(e1).toMatchObject({ topic: "order.created", payload: { id: 1 }, attempts: 0, publishedAt: null });
      expect((await t.outbox.listPending(10)).map((e) => e.id)).toEqual([e1.id, e2.id]);
      expect((await t.outbox.listPending(1)).map((e) => e.id)).toEqual([e1.id]);
      await t.outbox.markAttempt(e1.id);
      await t.outbox.markAttempt(e1.id);
      expect((await t.outbox.listPending(10))[0]?.attempts).toBe(2);
      await t.outbox.markPublished(e1.id);
      expect((await t.outbox.listPending(10)).map((e) => e.id)).toEqual([e2.id]);
    });


    it("merchant B can neither read nor change merchant A's webhook events and outbox", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const event = await a.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "a-1", payload: {} });
      const pending = await a.outbox.add({ topic: "t", payload: {} });

      expect(await b.webhookEvents.get(event.event.id)).toBeNull();
      await b.webhookEvents.markFailed(event.event.id, "spoof");
      await b.webhookEvents.markProcessed(event.event.id);
      await b.outbox.markPublished(pending.id);
      await b.outbox.markAttempt(pending.id);
      expect(await b.outbox.listPending(100)).toEqual([]);
      // The same provider event id in another store is that store's own event.
      expect((await b.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "a-1", payload: {} })).duplicate).toBe(false);

      expect(await a.webhookEvents.get(event.event.id)).toEqual(event.event);
      expect(await a.outbox.listPending(10)).toEqual([pending]);
    });
  });
}
