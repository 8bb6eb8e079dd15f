// Store contract, events: inbound webhook events (stored once per provider id) and the outbox.
import { describe, expect, it } from "vitest";
import { delay, type StoreHarness } from "./harness.js";

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


    const deliver = (messageId: string) => ({ topic: "channel.deliver" as const, payload: { messageId, conversationId: "c-1", byHuman: false } });

    it("the outbox checks payloads against their topic and lists pending events in order", async () => {
      const { t } = await tenant();
      const e1 = await t.outbox.add(deliver("m-1"));
      const e2 = await t.outbox.add(deliver("m-2"));
      expect(e1).toMatchObject({ topic: "channel.deliver", payload: { messageId: "m-1" }, attempts: 0, publishedAt: null, claimedUntil: null });
      expect((await t.outbox.listPending(10)).map((e) => e.id)).toEqual([e1.id, e2.id]);
      expect((await t.outbox.listPending(1)).map((e) => e.id)).toEqual([e1.id]);
      expect(await t.outbox.get(e2.id)).toEqual(e2);
      // A payload its topic does not describe is refused, and nothing is written.
      await expect(t.outbox.add({ topic: "channel.deliver", payload: { messageId: 7 } } as never)).rejects.toThrow();
      expect(await t.outbox.listPending(10)).toHaveLength(2);
    });

    it("a message and its outbox rows are written together, or neither", async () => {
      const { t } = await tenant();
      const conversation = await h.conversationOf(t);
      const { message } = await t.messages.append(conversation.id, { role: "agent", text: "on its way", clientMessageId: "k1" }, {
        outbox: (m) => [{ topic: "channel.deliver", payload: { messageId: m.id, conversationId: m.conversationId, byHuman: true } }],
      });
      const pending = await t.outbox.listPending(10);
      expect(pending.map((e) => e.payload)).toEqual([{ messageId: message.id, conversationId: conversation.id, byHuman: true }]);
      // A duplicate append writes no second row.
      await t.messages.append(conversation.id, { role: "agent", text: "on its way", clientMessageId: "k1" }, {
        outbox: (m) => [{ topic: "channel.deliver", payload: { messageId: m.id, conversationId: m.conversationId, byHuman: true } }],
      });
      expect(await t.outbox.listPending(10)).toHaveLength(1);
      // A bad outbox payload rolls the message back with it.
      await expect(
        t.messages.append(conversation.id, { role: "agent", text: "never", clientMessageId: "k2" }, { outbox: () => [{ topic: "channel.deliver", payload: {} } as never] }),
      ).rejects.toThrow();
      expect(await t.messages.getByClientMessageId(conversation.id, "k2")).toBeNull();
      expect((await t.conversations.get(conversation.id))?.lastSeq).toBe(1);
      // An update with outbox rows: both land; of a missing message: neither.
      const done = await t.messages.update(message.id, { channelDelivery: { channel: "telegram", state: "sent", providerMessageId: "9", error: null, updatedAt: new Date().toISOString() } }, { outbox: [deliver(message.id)] });
      expect(done?.channelDelivery).toMatchObject({ state: "sent", providerMessageId: "9" });
      expect(await t.outbox.listPending(10)).toHaveLength(2);
      expect(await t.messages.update("missing", { text: "x" }, { outbox: [deliver("missing")] })).toBeNull();
      expect(await t.outbox.listPending(10)).toHaveLength(2);
    });

    it("relays claim rows of every tenant with a lease; a released row comes back after its delay, a completed one never", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const ea = await a.outbox.add(deliver("ma"));
      const eb = await b.outbox.add(deliver("mb"));
      const mine = (rows: { id: string }[]) => rows.map((r) => r.id).filter((id) => id === ea.id || id === eb.id).sort();
      const first = await h.system.outbox.claim({ limit: 1000, leaseMs: 60_000, owner: "relay-1" });
      expect(mine(first)).toEqual([ea.id, eb.id].sort());
      expect(first.find((r) => r.id === ea.id)).toMatchObject({ merchantId: a.merchantId, attempts: 1 });
      // Leased: another relay gets neither.
      expect(mine(await h.system.outbox.claim({ limit: 1000, leaseMs: 60_000, owner: "relay-2" }))).toEqual([]);
      // Only the holder completes or releases.
      await h.system.outbox.complete(ea.id, "relay-2");
      expect((await a.outbox.get(ea.id))?.publishedAt).toBeNull();
      await h.system.outbox.complete(ea.id, "relay-1");
      expect((await a.outbox.get(ea.id))?.publishedAt).not.toBeNull();
      await h.system.outbox.release(eb.id, "relay-1", { error: "queue down", retryInMs: 150 });
      expect(await b.outbox.get(eb.id)).toMatchObject({ lastError: "queue down", claimedUntil: null });
      expect(mine(await h.system.outbox.claim({ limit: 1000, leaseMs: 60_000, owner: "relay-2" }))).toEqual([]);
      await delay(200);
      const again = await h.system.outbox.claim({ limit: 1000, leaseMs: 60_000, owner: "relay-2" });
      expect(mine(again)).toEqual([eb.id]);
      expect(again.find((r) => r.id === eb.id)?.attempts).toBe(2);
      // A lease that ran out lets another relay take the row.
      const short = await a.outbox.add(deliver("short"));
      expect((await h.system.outbox.claim({ limit: 1000, leaseMs: 50, owner: "relay-3" })).map((r) => r.id)).toContain(short.id);
      await delay(100);
      const taken = await h.system.outbox.claim({ limit: 1000, leaseMs: 60_000, owner: "relay-4" });
      expect(taken.find((r) => r.id === short.id)).toMatchObject({ attempts: 2 });
      // The first relay's late completion no longer counts: the row is relay-4's now.
      await h.system.outbox.complete(short.id, "relay-3");
      expect((await a.outbox.get(short.id))?.publishedAt).toBeNull();
    });

    it("lists received webhook events nobody processed, across tenants", async () => {
      const { t, merchant } = await tenant();
      const stale = await t.webhookEvents.recordOnce({ source: "telegram:x", dedupeKey: "s-1", payload: {} });
      const done = await t.webhookEvents.recordOnce({ source: "telegram:x", dedupeKey: "s-2", payload: {} });
      await t.webhookEvents.markProcessed(done.event.id);
      await delay(30);
      const listed = await h.system.webhookEvents.listStale({ olderThanMs: 10, limit: 1000 });
      expect(listed).toContainEqual({ merchantId: merchant.id, id: stale.event.id, source: "telegram:x" });
      expect(listed.map((e) => e.id)).not.toContain(done.event.id);
      expect((await h.system.webhookEvents.listStale({ olderThanMs: 60_000, limit: 1000 })).map((e) => e.id)).not.toContain(stale.event.id);
    });

    it("a delivery attempt is recorded once per key, before the call, and finished with its outcome", async () => {
      const { t } = await tenant();
      const first = await t.deliveryAttempts.begin("out-1", "m-1");
      expect(first.fresh).toBe(true);
      expect(first.attempt).toMatchObject({ key: "out-1", messageId: "m-1", state: "started", providerMessageIds: [], finishedAt: null, inFlight: null });
      // The piece about to be sent is marked; its acceptance clears the mark.
      await t.deliveryAttempts.markInFlight("out-1", 0);
      expect((await t.deliveryAttempts.get("out-1"))?.inFlight).toBe(0);
      const raced = await Promise.all(Array.from({ length: 5 }, () => t.deliveryAttempts.begin("out-2", "m-2")));
      expect(raced.filter((r) => r.fresh)).toHaveLength(1);
      expect((await t.deliveryAttempts.begin("out-1", "m-1")).fresh).toBe(false);
      // Pieces are kept in the order the provider accepted them, each once.
      await t.deliveryAttempts.addPiece("out-1", "p1");
      await t.deliveryAttempts.addPiece("out-1", "p1");
      await t.deliveryAttempts.addPiece("out-1", "p2");
      expect(await t.deliveryAttempts.get("out-1")).toMatchObject({ state: "started", providerMessageIds: ["p1", "p2"], inFlight: null });
      await t.deliveryAttempts.markInFlight("out-1", 2);
      await t.deliveryAttempts.markInFlight("out-1", null);
      expect((await t.deliveryAttempts.get("out-1"))?.inFlight).toBeNull();
      await t.deliveryAttempts.finish("out-1", { state: "sent", providerMessageIds: ["p1", "p2"] });
      expect(await t.deliveryAttempts.get("out-1")).toMatchObject({ state: "sent", providerMessageIds: ["p1", "p2"] });
      await t.deliveryAttempts.finish("out-2", { state: "failed", error: "131047 window closed" });
      expect(await t.deliveryAttempts.get("out-2")).toMatchObject({ state: "failed", error: "131047 window closed" });
      await t.deliveryAttempts.forget("out-2");
      expect(await t.deliveryAttempts.get("out-2")).toBeNull();
      expect((await t.deliveryAttempts.begin("out-2", "m-2")).fresh).toBe(true);
    });

    it("merchant B can neither read nor change merchant A's webhook events, outbox and deliveries", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const event = await a.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "a-1", payload: {} });
      const pending = await a.outbox.add(deliver("m-a"));
      await a.deliveryAttempts.begin("k-a", "m-a");

      expect(await b.webhookEvents.get(event.event.id)).toBeNull();
      await b.webhookEvents.markFailed(event.event.id, "spoof");
      await b.webhookEvents.markProcessed(event.event.id);
      expect(await b.outbox.get(pending.id)).toBeNull();
      expect(await b.outbox.listPending(100)).toEqual([]);
      expect(await b.deliveryAttempts.get("k-a")).toBeNull();
      await b.deliveryAttempts.finish("k-a", { state: "failed", error: "spoof" });
      await b.deliveryAttempts.forget("k-a");
      // The same provider event id in another store is that store's own event.
      expect((await b.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "a-1", payload: {} })).duplicate).toBe(false);
      expect((await b.deliveryAttempts.begin("k-a", "m-b")).fresh).toBe(true);

      expect(await a.webhookEvents.get(event.event.id)).toEqual(event.event);
      expect(await a.outbox.listPending(10)).toEqual([pending]);
      expect(await a.deliveryAttempts.get("k-a")).toMatchObject({ state: "started", messageId: "m-a" });
    });
  });
}
