// Commerce sync end to end in the embedded product with the real bot: Shopify webhooks signed as
// Shopify signs them change what the bot finds and the order status it gives after verification;
// an import through a local Shopify API that fails midway resumes and writes each product once;
// outgoing webhooks reach a local receiver signed, and are retried until it takes them.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, verifyOutgoingWebhook, type Message } from "@kaleem/shared";
import { platformJson, shopifyWebhookHeaders, startFakeCommercePlatform, type FakeCommercePlatform, type PlatformObject } from "@kaleem/workers/commerce/testing";
import { Recorder, closeAllClients, connected, createMerchant, login, ok, openConversation, SHOP_ORIGIN, startTestKaleem, until, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

const SHOP = "oud-house.myshopify.com";
const SECRET = "shpss_flow-test-secret";
const TOKEN = "shpat_flow-test-token";

let t: TestKaleem;
let shop: TestMerchant;
let owner: string;
let shopify: FakeCommercePlatform;
let connectionId: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.k.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

let eventCounter = 0;
function shopifyWebhook(topic: string, body: PlatformObject, options: { secret?: string; shopDomain?: string; eventId?: string; id?: string } = {}): Promise<Response> {
  const raw = platformJson(body);
  eventCounter += 1;
  const headers = shopifyWebhookHeaders({ secret: options.secret ?? SECRET, rawBody: raw, topic, shopDomain: options.shopDomain ?? SHOP, eventId: options.eventId ?? `evt-${eventCounter}` });
  return fetch(`${t.k.url}/webhooks/shopify/${options.id ?? connectionId}`, { method: "POST", headers, body: raw });
}

const tenant = () => t.k.store.forMerchant(asMerchantId(shop.merchantId));
// Ids as Shopify has them: past 2^53, where a JSON.parse would round them.
const ABAYA_ID = "7981112223334445551";
const abaya = (title = "Black Crepe Abaya", price = "350.00"): PlatformObject => ({
  id: ABAYA_ID,
  title,
  body_html: "<p>A black crepe abaya with wide sleeves, light for summer.</p>",
  handle: "black-crepe-abaya",
  product_type: "Abayas",
  status: "active",
  tags: "abaya, black, crepe",
  variants: [
    { id: "4440001112223334441", title: "52", price, inventory_quantity: 4, option1: "52" },
    { id: "4440001112223334442", title: "54", price, inventory_quantity: 2, option1: "54" },
  ],
  options: [{ name: "Size", position: 1 }],
});
const shopifyOrder: PlatformObject = {
  id: "5550001112223334447",
  order_number: 1001,
  name: "#1001",
  email: "reem@example.com",
  phone: "+966551112233",
  financial_status: "paid",
  fulfillment_status: "fulfilled",
  currency: "SAR",
  total_price: "375.00",
  subtotal_price: "350.00",
  total_shipping_price_set: { shop_money: { amount: "25.00", currency_code: "SAR" } },
  line_items: [{ product_id: ABAYA_ID, name: "Black Crepe Abaya - 52", price: "350.00", quantity: 1 }],
  customer: { first_name: "Reem", last_name: "A." },
  created_at: "2026-11-30T10:00:00+03:00",
  updated_at: "2026-11-30T12:00:00+03:00",
};

/** One shopper turn: send, wait for the bot's finished answer. */
async function ask(shopper: ReturnType<typeof widgetClient>, rec: Recorder, conversationId: string, text: string): Promise<Message> {
  const before = rec.dones.filter((m) => m.role === "bot").length;
  await ok(shopper, "message:send", { conversationId, clientMessageId: `c-${Date.now()}-${Math.random()}`, text });
  await until(() => rec.dones.filter((m) => m.role === "bot").length > before, `the bot's answer to "${text}"`);
  return rec.dones.filter((m) => m.role === "bot").at(-1)!;
}
async function shopperSession(): Promise<{ shopper: ReturnType<typeof widgetClient>; rec: Recorder; conversationId: string }> {
  const shopper = widgetClient(t.k.url, shop.widgetKey, { origin: SHOP_ORIGIN });
  await connected(shopper);
  const rec = new Recorder(shopper);
  const open = await openConversation(t.k.store, shopper, shop.merchantId, { locale: "en" });
  return { shopper, rec, conversationId: open.conversationId };
}
const cardIds = (m: Message) => m.parts.flatMap((p) => (p.type === "product_card" ? [p.productId] : []));

beforeAll(async () => {
  shopify = await startFakeCommercePlatform({ platform: "shopify", accessToken: TOKEN });
  // The platform and the receivers are local test servers: the operator allows private addresses for them.
  t = await startTestKaleem({ env: { OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", BOT_STREAM_DELAY_MS: "0", WEBHOOK_RETRY_BASE_MS: "50" } });
  shop = await createMerchant(t.k);
  owner = await login(t.k.url, shop.email, shop.password);
  const res = await api<{ id: string; webhookUrl: string }>("POST", "/commerce-connections", {
    platform: "shopify",
    config: { shopDomain: SHOP, webhookSecret: SECRET, accessToken: TOKEN, apiBaseUrl: shopify.apiBaseUrl },
  });
  expect(res.status).toBe(201);
  expect(res.body.webhookUrl).toMatch(new RegExp(`/webhooks/shopify/${res.body.id}$`));
  connectionId = res.body.id;
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await t?.close();
  await shopify?.close();
});

describe("Shopify webhooks", () => {
  it("refuses what is not authentic or not this shop's, storing nothing", async () => {
    const forgedId = "forged-1";
    expect((await shopifyWebhook("products/create", abaya(), { secret: "not-the-secret", eventId: forgedId })).status).toBe(401);
    expect((await shopifyWebhook("products/create", abaya(), { shopDomain: "someone-else.myshopify.com" })).status).toBe(403);
    expect((await shopifyWebhook("products/create", abaya(), { id: "01aaaaaaaaaaaaaaaaaaaaaa" })).status).toBe(404);
    // A missing signature header: 401 as well.
    const raw = platformJson(abaya());
    const unsigned = await fetch(`${t.k.url}/webhooks/shopify/${connectionId}`, { method: "POST", headers: { "content-type": "application/json", "x-shopify-topic": "products/create", "x-shopify-shop-domain": SHOP, "x-shopify-event-id": "e-unsigned" }, body: raw });
    expect(unsigned.status).toBe(401);
    expect(await tenant().products.count()).toBe(0);
    // Had the forged delivery been stored, this authentic one with its event id would be a duplicate.
    expect((await shopifyWebhook("products/create", abaya(), { eventId: forgedId })).status).toBe(200);
    await until(async () => (await tenant().products.count()) === 1, "the authentic product stored");
  });

  it("products/create → the bot finds it; a redelivery changes nothing; products/update is seen within seconds", async () => {
    const product = await tenant().products.getByExternalId(ABAYA_ID, "shopify");
    expect(product).toMatchObject({ source: "shopify", externalId: ABAYA_ID, price: 350, stock: 6, attributes: { Size: "52, 54" } });
    expect((await shopifyWebhook("products/create", abaya(), { eventId: "forged-1" })).status).toBe(200);
    expect(await tenant().products.count()).toBe(1);

    const { shopper, rec, conversationId } = await shopperSession();
    const answer = await ask(shopper, rec, conversationId, "do you have a black abaya?");
    expect(cardIds(answer)).toContain(product!.id);
    expect(answer.text).toContain("350");

    expect((await shopifyWebhook("products/update", abaya("Black Crepe Abaya", "299.00"))).status).toBe(200);
    await until(async () => (await tenant().products.get(product!.id))?.price === 299, "the new price stored");
    const again = await ask(shopper, rec, conversationId, "how much is the black crepe abaya?");
    expect(again.text).toContain("299");
    expect(again.text).not.toContain("350");
  });

  it("orders/create → after the shopper proves the phone on it, the bot gives the synced order's status", async () => {
    // A Kaleem order already has number 1001: the platform's own number must still find the synced one.
    const own = await tenant().orders.create({ items: [{ productId: "x", name: "Dates", price: 10, quantity: 1 }], contact: { phone: "+966500000009" } });
    expect(own.number).toBe("1001");
    expect((await shopifyWebhook("orders/create", shopifyOrder)).status).toBe(200);
    await until(async () => (await tenant().orders.getByExternalId("shopify", "5550001112223334447")) !== null, "the synced order stored");
    const { shopper, rec, conversationId } = await shopperSession();
    const asked = await ask(shopper, rec, conversationId, "where is my order 1001?");
    expect(asked.text).not.toMatch(/shipped|375/);
    const answer = await ask(shopper, rec, conversationId, "0551112233");
    expect(answer.text).toContain("#1001");
    expect(answer.text).toMatch(/shipped/);
    expect(answer.text).toContain("375");
    const orderPart = answer.parts.find((p) => p.type === "order");
    expect(orderPart).toMatchObject({ type: "order", number: "1001", status: "shipped", total: 375 });

    // orders/cancelled: the next answer says so.
    expect((await shopifyWebhook("orders/cancelled", { ...shopifyOrder, cancelled_at: "2026-12-01T09:00:00+03:00", updated_at: "2026-12-01T09:00:00+03:00" })).status).toBe(200);
    await until(async () => (await tenant().orders.getByExternalId("shopify", "5550001112223334447"))?.status === "cancelled", "the cancellation stored");
    // Two orders carry the number 1001 (Kaleem's and Shopify's): the bot asks again rather than guess.
    const later = await ask(shopper, rec, conversationId, "and what about order 1001 now?");
    expect(later.text).toMatch(/phone number or email/);
    const status = await ask(shopper, rec, conversationId, "+966 55 111 2233");
    expect(status.text).toMatch(/cancelled/);
  });

  it("products/delete → gone from the catalog and from the bot's answers", async () => {
    const product = await tenant().products.getByExternalId(ABAYA_ID, "shopify");
    expect((await shopifyWebhook("products/delete", { id: ABAYA_ID })).status).toBe(200);
    await until(async () => (await tenant().products.get(product!.id)) === null, "the product removed");
    const { shopper, rec, conversationId } = await shopperSession();
    const answer = await ask(shopper, rec, conversationId, "do you have a black abaya?");
    expect(cardIds(answer)).not.toContain(product!.id);
    expect(answer.text).not.toContain("Black Crepe Abaya");
  });
});

describe("import through the platform API", () => {
  it("paginated, fails midway, resumes at the checkpoint: every product exactly once, progress on the connection", async () => {
    shopify.products = Array.from({ length: 600 }, (_, i) => ({
      id: (9001112223334440000n + BigInt(i)).toString(),
      title: `Dates Box ${i + 1}`,
      product_type: "Dates",
      status: "active",
      variants: [{ id: (9101112223334440000n + BigInt(i)).toString(), title: "1kg", price: "45.00", inventory_quantity: 10 }],
    }));
    shopify.orders = [];
    // Pages of 250: the third products page fails once (the platform is down for a moment).
    shopify.failNext({ kind: "server_error", status: 503 }, { operation: "products", skip: 2 });
    const queued = await api<{ sync: unknown }>("POST", `/commerce-connections/${connectionId}/sync`, { mode: "import" });
    expect(queued.status).toBe(202);
    await until(async () => (await api<{ sync: { state: string } | null }>("GET", `/commerce-connections/${connectionId}`)).body.sync?.state === "done", "the import done", 60_000);
    const view = await api<{ sync: Record<string, unknown> }>("GET", `/commerce-connections/${connectionId}`);
    expect(view.body.sync).toMatchObject({ mode: "import", state: "done", products: 600, phase: "orders", error: null });
    expect(shopify.exchanges.filter((e) => e.operation === "products").map((e) => e.status)).toEqual([200, 200, 503, 200]);
    expect(shopify.pagesServed.filter((p) => p.startsWith("products"))).toEqual(["products:0", "products:250", "products:500"]);
    const all = await tenant().products.all();
    const imported = all.filter((p) => p.source === "shopify");
    expect(imported).toHaveLength(600);
    expect(new Set(imported.map((p) => p.externalId)).size).toBe(600);
    expect(imported.map((p) => p.externalId)).toContain("9001112223334440599");
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  status: number;
}

async function receiver(answers: number[]): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = answers.shift() ?? 200;
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kaleem-hook`, received };
}

describe("outgoing webhooks", () => {
  it("a test event and real conversation events arrive signed; a receiver that is down gets the event again until it takes it, once", async () => {
    const hook = await receiver([503, 503]);
    try {
      const created = await api<{ id: string; secret: string; events: string[] }>("POST", "/webhook-endpoints", { url: hook.url, events: ["message.created", "conversation.started"], description: "n8n" });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const listed = await api<{ items: unknown[] }>("GET", "/webhook-endpoints");
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

      const test = await api<{ eventId: string }>("POST", `/webhook-endpoints/${created.body.id}/test`, {});
      expect(test.status).toBe(202);
      await until(() => hook.received.some((r) => r.status === 200), "the test event taken");
      // Down twice (503), then taken: three tries of the same delivery, the same bytes each time.
      expect(hook.received.map((r) => r.status)).toEqual([503, 503, 200]);
      expect(new Set(hook.received.map((r) => r.headers["x-kaleem-delivery"])).size).toBe(1);
      expect(new Set(hook.received.map((r) => r.raw)).size).toBe(1);
      for (const r of hook.received) {
        const valid = verifyOutgoingWebhook({ secret: created.body.secret, signature: String(r.headers["x-kaleem-signature"]), timestamp: String(r.headers["x-kaleem-timestamp"]), rawBody: r.raw });
        expect(valid).toBe(true);
        expect(verifyOutgoingWebhook({ secret: "whsec_wrong", signature: String(r.headers["x-kaleem-signature"]), timestamp: String(r.headers["x-kaleem-timestamp"]), rawBody: r.raw })).toBe(false);
      }
      const body = JSON.parse(hook.received[2]!.raw) as { id: string; type: string; test: boolean; merchantId: string };
      expect(body).toMatchObject({ id: test.body.eventId, type: "message.created", test: true, merchantId: shop.merchantId });
      expect(hook.received[2]!.headers["x-kaleem-event"]).toBe("message.created");
      const log = await api<{ items: Array<{ status: string; attempts: number; lastStatus: number; test: boolean }> }>("GET", `/webhook-deliveries?endpointId=${created.body.id}`);
      expect(log.body.items[0]).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 200, test: true });

      // A shopper writes: the conversation starts and the message is created, both announced.
      const { shopper, rec, conversationId } = await shopperSession();
      await ask(shopper, rec, conversationId, "hello, is anyone there?");
      await until(() => hook.received.filter((r) => r.status === 200).length >= 4, "conversation events delivered");
      const types = hook.received.slice(3).map((r) => JSON.parse(r.raw) as { type: string; data: { conversationId: string; message?: { role: string; text: string } } });
      expect(types.find((b) => b.type === "conversation.started")?.data.conversationId).toBe(conversationId);
      expect(types.some((b) => b.type === "message.created" && b.data.message?.role === "shopper" && b.data.message.text === "hello, is anyone there?")).toBe(true);
    } finally {
      await new Promise<void>((r) => hook.server.close(() => r()));
    }
  });
});
