// Store contract, integrations: messaging channels, commerce connections (secrets sealed, never on
// the public record) and canned replies.
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../../errors.js";
import { delay, type StoreHarness } from "./harness.js";

export function integrationsStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("channels", () => {
    it("create, get, secrets, list, update, lookup, remove", async () => {
      const { t, merchant } = await tenant();
      const ch = await t.channels.create({
        type: "telegram",
        name: "TG",
        publicConfig: { botUsername: "shop_bot" },
        secretsCiphertext: "sealed-secret",
      });
      expect(ch).toMatchObject({
        type: "telegram",
        name: "TG",
        publicConfig: { botUsername: "shop_bot" },
        status: "active",
        lastEventAt: null,
        lastError: null,
      });
      expect(JSON.stringify(ch)).not.toContain("sealed-secret");
      expect(await t.channels.get(ch.id)).toEqual(ch);
      expect(await t.channels.getSecrets(ch.id)).toBe("sealed-secret");
      expect(await h.store.lookup.channel(ch.id)).toEqual({ merchantId: merchant.id, type: "telegram" });
      expect(await h.store.lookup.channel("missing")).toBeNull();

      const updated = await t.channels.update(ch.id, {
        status: "error",
        lastError: "401",
        lastEventAt: "2025-01-01T00:00:00.000Z",
        secretsCiphertext: "sealed-2",
      });
      expect(updated).toMatchObject({ status: "error", lastError: "401", lastEventAt: "2025-01-01T00:00:00.000Z", name: "TG" });
      expect(await t.channels.getSecrets(ch.id)).toBe("sealed-2");
      expect((await t.channels.update(ch.id, { lastError: null }))?.lastError).toBeNull();
      expect(await t.channels.update("missing", { name: "x" })).toBeNull();

      const wa = await t.channels.create({ type: "whatsapp", name: "WA", publicConfig: {}, secretsCiphertext: "s" });
      expect((await t.channels.list()).map((c) => c.id)).toEqual([ch.id, wa.id]);
      expect(await t.channels.remove(ch.id)).toBe(true);
      expect(await t.channels.remove(ch.id)).toBe(false);
      expect(await h.store.lookup.channel(ch.id)).toBeNull();
    });

    it("keeps an id chosen by the caller (the webhook URL is given to the provider first)", async () => {
      const { t } = await tenant();
      const id = `chosen-${Date.now()}`;
      const ch = await t.channels.create({ id, type: "telegram", name: "TG", publicConfig: {}, secretsCiphertext: "s" });
      expect(ch.id).toBe(id);
      expect((await t.channels.get(id))?.name).toBe("TG");
    });

    it("counts delivery outcomes: repeated provider server errors open the breaker, a success closes it", async () => {
      const a = await tenant();
      const b = await tenant();
      const ch = await a.t.channels.create({ type: "whatsapp", name: "WA", publicConfig: {}, secretsCiphertext: "s" });
      expect(ch).toMatchObject({ failureStreak: 0, breakerOpenUntil: null });
      const breaker = { threshold: 3, openMs: 60_000 };
      await a.t.channels.recordDelivery(ch.id, { ok: false, error: "131047 window closed", serverError: false }, breaker);
      expect(await a.t.channels.get(ch.id)).toMatchObject({ failureStreak: 0, breakerOpenUntil: null, lastError: "131047 window closed" });
      const raced = await Promise.all([1, 2, 3].map(() => a.t.channels.recordDelivery(ch.id, { ok: false, error: "503", serverError: true }, breaker)));
      expect(raced.map((c) => c?.failureStreak).sort()).toEqual([1, 2, 3]);
      const open = await a.t.channels.get(ch.id);
      expect(open?.breakerOpenUntil).not.toBeNull();
      expect(Date.parse(open!.breakerOpenUntil!)).toBeGreaterThan(Date.now() + 50_000);
      expect(await b.t.channels.recordDelivery(ch.id, { ok: true }, breaker)).toBeNull();
      expect((await a.t.channels.get(ch.id))?.failureStreak).toBe(3);
      expect(await a.t.channels.recordDelivery(ch.id, { ok: true }, breaker)).toMatchObject({ failureStreak: 0, breakerOpenUntil: null });
    });

    it("merchant B can neither read, change nor list merchant A's channels", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const ch = await a.channels.create({ type: "telegram", name: "A tg", publicConfig: {}, secretsCiphertext: "a-secret" });
      expect(await b.channels.get(ch.id)).toBeNull();
      expect(await b.channels.getSecrets(ch.id)).toBeNull();
      expect(await b.channels.update(ch.id, { name: "stolen", secretsCiphertext: "stolen" })).toBeNull();
      expect(await b.channels.remove(ch.id)).toBe(false);
      expect(await b.channels.list()).toEqual([]);
      expect(await a.channels.get(ch.id)).toEqual(ch);
      expect(await a.channels.getSecrets(ch.id)).toBe("a-secret");
    });
  });

  describe("commerce connections and canned replies", () => {
    it("commerce connections: create, one per platform, secrets, list, update, lookup, remove", async () => {
      const { t, merchant } = await tenant();
      const shopify = await t.commerceConnections.create({
        platform: "shopify",
        publicConfig: { shopDomain: "demo.myshopify.com" },
        secretsCiphertext: "sealed-shopify",
      });
      expect(shopify).toMatchObject({
        merchantId: merchant.id,
        platform: "shopify",
        publicConfig: { shopDomain: "demo.myshopify.com" },
        status: "active",
        lastEventAt: null,
        lastError: null,
      });
      expect(JSON.stringify(shopify)).not.toContain("sealed-shopify");
      expect(await t.commerceConnections.get(shopify.id)).toEqual(shopify);
      expect(await t.commerceConnections.getByPlatform("shopify")).toEqual(shopify);
      expect(await t.commerceConnections.getByPlatform("zid")).toBeNull();
      expect(await t.commerceConnections.getSecrets(shopify.id)).toBe("sealed-shopify");
      await expect(
        t.commerceConnections.create({ platform: "shopify", publicConfig: {}, secretsCiphertext: "x" }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await h.store.lookup.commerceConnection(shopify.id)).toEqual({ merchantId: merchant.id, platform: "shopify" });
      expect(await h.store.lookup.commerceConnection("missing")).toBeNull();

      const updated = await t.commerceConnections.update(shopify.id, {
        status: "error",
        lastError: "bad hmac",
        lastEventAt: "2025-01-01T00:00:00.000Z",
        secretsCiphertext: "sealed-2",
      });
      expect(updated).toMatchObject({
        status: "error",
        lastError: "bad hmac",
        lastEventAt: "2025-01-01T00:00:00.000Z",
        publicConfig: { shopDomain: "demo.myshopify.com" },
      });
      expect(await t.commerceConnections.getSecrets(shopify.id)).toBe("sealed-2");
      const renamed = await t.commerceConnections.update(shopify.id, { publicConfig: { shopDomain: "x.myshopify.com" }, lastError: null });
      expect(renamed).toMatchObject({ publicConfig: { shopDomain: "x.myshopify.com" }, lastError: null, status: "error" });
      expect(await t.commerceConnections.update("missing", { status: "active" })).toBeNull();

      const salla = await t.commerceConnections.create({ platform: "salla", publicConfig: { merchantId: "1" }, secretsCiphertext: "s" });
      expect((await t.commerceConnections.list()).map((c) => c.id)).toEqual([shopify.id, salla.id]);
      expect(await t.commerceConnections.remove(shopify.id)).toBe(true);
      expect(await t.commerceConnections.remove(shopify.id)).toBe(false);
      expect(await h.store.lookup.commerceConnection(shopify.id)).toBeNull();
      // The platform is free again once its connection is gone.
      const again = await t.commerceConnections.create({ platform: "shopify", publicConfig: {}, secretsCiphertext: "s" });
      expect(again.id).not.toBe(shopify.id);
    });

    it("commerce connections keep their sync checkpoint; other patches leave it alone", async () => {
      const { t } = await tenant();
      const zid = await t.commerceConnections.create({ platform: "zid", publicConfig: {}, secretsCiphertext: "s" });
      expect(zid.sync).toBeNull();
      const sync = {
        mode: "import" as const,
        state: "running" as const,
        phase: "products" as const,
        cursor: "3",
        since: null,
        products: 40,
        orders: 0,
        pages: 2,
        startedAt: "2026-01-01T00:00:00.000Z",
        finishedAt: null,
        error: null,
        lastCompletedStartedAt: null,
      };
      expect((await t.commerceConnections.update(zid.id, { sync }))?.sync).toEqual(sync);
      expect((await t.commerceConnections.update(zid.id, { lastEventAt: "2026-01-02T00:00:00.000Z" }))?.sync).toEqual(sync);
      expect((await t.commerceConnections.update(zid.id, { sync: null }))?.sync).toBeNull();
    });

    it("outgoing webhook endpoints: subscriptions, secret, one delivery per event and endpoint, attempts, log", async () => {
      const a = await tenant();
      const b = await tenant();
      const hook = await a.t.webhookEndpoints.create({ url: "https://hooks.example.com/a", events: ["message.created", "order.created", "order.created"], secretCiphertext: "sealed" });
      expect(hook).toMatchObject({ url: "https://hooks.example.com/a", description: "", events: ["message.created", "order.created"], status: "active" });
      expect(JSON.stringify(hook)).not.toContain("sealed");
      expect(await a.t.webhookEndpoints.getSecret(hook.id)).toBe("sealed");
      const other = await a.t.webhookEndpoints.create({ url: "https://hooks.example.com/b", events: ["lead.captured"], secretCiphertext: "s2" });
      expect((await a.t.webhookEndpoints.listSubscribed("order.created")).map((e) => e.id)).toEqual([hook.id]);
      expect(await b.t.webhookEndpoints.listSubscribed("order.created")).toEqual([]);
      expect(await b.t.webhookEndpoints.get(hook.id)).toBeNull();
      await a.t.webhookEndpoints.update(hook.id, { status: "disabled" });
      expect(await a.t.webhookEndpoints.listSubscribed("order.created")).toEqual([]);
      expect((await a.t.webhookEndpoints.update(hook.id, { status: "active", events: ["lead.captured"] }))?.events).toEqual(["lead.captured"]);
      expect((await a.t.webhookEndpoints.listSubscribed("lead.captured")).map((e) => e.id)).toEqual([hook.id, other.id]);

      const input = { endpointId: hook.id, eventId: "ev-1", eventType: "lead.captured" as const, body: '{"id":"ev-1"}', test: false };
      const first = await a.t.webhookDeliveries.recordOnce(input);
      const again = await a.t.webhookDeliveries.recordOnce(input);
      expect(first.created).toBe(true);
      expect(again).toEqual({ delivery: first.delivery, created: false });
      await expect(b.t.webhookDeliveries.recordOnce(input)).rejects.toThrow();
      const failed = await a.t.webhookDeliveries.recordAttempt(first.delivery.id, { status: "pending", httpStatus: 503, error: "HTTP 503" });
      expect(failed).toMatchObject({ attempts: 1, status: "pending", lastStatus: 503, lastError: "HTTP 503", deliveredAt: null });
      const ok = await a.t.webhookDeliveries.recordAttempt(first.delivery.id, { status: "delivered", httpStatus: 200, error: null });
      expect(ok).toMatchObject({ attempts: 2, status: "delivered", lastStatus: 200 });
      expect(ok?.deliveredAt).not.toBeNull();
      await a.t.webhookDeliveries.recordOnce({ ...input, endpointId: other.id });
      expect((await a.t.webhookDeliveries.list()).items).toHaveLength(2);
      expect((await a.t.webhookDeliveries.list({ endpointId: hook.id })).items.map((d) => d.id)).toEqual([first.delivery.id]);
      expect((await b.t.webhookDeliveries.list()).items).toEqual([]);
      expect(await a.t.webhookEndpoints.remove(hook.id)).toBe(true);
      expect((await a.t.webhookDeliveries.list()).items.map((d) => d.endpointId)).toEqual([other.id]);
    });

    it("canned replies: unique shortcut per store, ordered by shortcut, update and remove", async () => {
      const { t, merchant } = await tenant();
      const thanks = await t.cannedReplies.create({ shortcut: "thanks", text: "Thank you!" });
      expect(thanks).toMatchObject({ merchantId: merchant.id, shortcut: "thanks", text: "Thank you!" });
      const hours = await t.cannedReplies.create({ shortcut: "hours", text: "We are open 9-5" });
      await expect(t.cannedReplies.create({ shortcut: "thanks", text: "dup" })).rejects.toBeInstanceOf(ConflictError);
      expect((await t.cannedReplies.list()).map((r) => r.shortcut)).toEqual(["hours", "thanks"]);
      expect(await t.cannedReplies.count()).toBe(2);
      expect(await t.cannedReplies.get(thanks.id)).toEqual(thanks);
      expect(await t.cannedReplies.getByShortcut("hours")).toEqual(hours);
      expect(await t.cannedReplies.getByShortcut("nope")).toBeNull();

      await delay(2);
      const edited = await t.cannedReplies.update(thanks.id, { text: "Thanks a lot!" });
      expect(edited).toMatchObject({ id: thanks.id, shortcut: "thanks", text: "Thanks a lot!", createdAt: thanks.createdAt });
      expect(edited!.updatedAt > thanks.updatedAt).toBe(true);
      await expect(t.cannedReplies.update(thanks.id, { shortcut: "hours" })).rejects.toBeInstanceOf(ConflictError);
      expect((await t.cannedReplies.get(thanks.id))?.shortcut).toBe("thanks");
      expect((await t.cannedReplies.update(thanks.id, { shortcut: "ty" }))?.shortcut).toBe("ty");
      expect(await t.cannedReplies.update("missing", { text: "x" })).toBeNull();
      expect(await t.cannedReplies.remove(hours.id)).toBe(true);
      expect(await t.cannedReplies.remove(hours.id)).toBe(false);
      expect((await t.cannedReplies.list()).map((r) => r.shortcut)).toEqual(["ty"]);
    });

    it("are isolated per merchant; the same platform and shortcut are free in every store", async () => {
      const A = await tenant("A");
      const B = await tenant("B");
      const conn = await A.t.commerceConnections.create({ platform: "zid", publicConfig: { storeId: "a" }, secretsCiphertext: "a-secret" });
      const reply = await A.t.cannedReplies.create({ shortcut: "hi", text: "A hello" });

      expect(await B.t.commerceConnections.get(conn.id)).toBeNull();
      expect(await B.t.commerceConnections.getByPlatform("zid")).toBeNull();
      expect(await B.t.commerceConnections.getSecrets(conn.id)).toBeNull();
      expect(await B.t.commerceConnections.list()).toEqual([]);
      expect(await B.t.commerceConnections.update(conn.id, { status: "disabled", secretsCiphertext: "stolen" })).toBeNull();
      expect(await B.t.commerceConnections.remove(conn.id)).toBe(false);
      expect(await B.t.cannedReplies.get(reply.id)).toBeNull();
      expect(await B.t.cannedReplies.getByShortcut("hi")).toBeNull();
      expect(await B.t.cannedReplies.list()).toEqual([]);
      expect(await B.t.cannedReplies.count()).toBe(0);
      expect(await B.t.cannedReplies.update(reply.id, { text: "stolen" })).toBeNull();
      expect(await B.t.cannedReplies.remove(reply.id)).toBe(false);

      const bConn = await B.t.commerceConnections.create({ platform: "zid", publicConfig: {}, secretsCiphertext: "b" });
      const bReply = await B.t.cannedReplies.create({ shortcut: "hi", text: "B hello" });
      expect(bConn.merchantId).toBe(B.merchant.id);
      expect(bReply.merchantId).toBe(B.merchant.id);

      expect(await A.t.commerceConnections.get(conn.id)).toEqual(conn);
      expect(await A.t.commerceConnections.getSecrets(conn.id)).toBe("a-secret");
      expect(await A.t.cannedReplies.get(reply.id)).toEqual(reply);
      expect((await A.t.cannedReplies.list()).map((r) => r.id)).toEqual([reply.id]);
    });
  });
}
