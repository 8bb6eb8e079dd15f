import { asMerchantId, canonicalJson, sha256Hex } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
let lamp: { id: string };
let rug: { id: string };
beforeAll(async () => {
  t = await startTestRest();
  s = await t.signup("Orders");
  lamp = (await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: "Lamp", ar: "مصباح" }, price: 40.5, stock: 10 } })).body;
  rug = (await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: "Rug" }, price: 199, stock: 2 } })).body;
});
afterAll(async () => t?.close());

const order = (body: unknown, headers: Record<string, string> = {}) => t.request("POST", "/api/v1/orders", { token: s.token, body, headers });
const stockOf = async (id: string) => (await t.request("GET", `/api/v1/products/${id}`, { token: s.token })).body.stock as number;

describe("orders", () => {
  it("creates an order at catalog prices, ignoring client prices, and takes the stock", async () => {
    const res = await order({
      items: [
        { productId: lamp.id, quantity: 2, price: 0.01 },
        { productId: rug.id, quantity: 1 },
      ],
      contact: { name: "Sara", phone: "+966500000000" },
      total: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body.items).toEqual([
      { productId: lamp.id, name: "Lamp", price: 40.5, quantity: 2 },
      { productId: rug.id, name: "Rug", price: 199, quantity: 1 },
    ]);
    expect(res.body.total).toBe(280);
    expect(res.body.currency).toBe("SAR");
    expect(res.body.status).toBe("pending");
    expect(await stockOf(lamp.id)).toBe(8);
    expect(await stockOf(rug.id)).toBe(1);

    const got = await t.request("GET", `/api/v1/orders/${res.body.id}`, { token: s.token });
    expect(got.body.number).toBe(res.body.number);
    const list = await t.request("GET", "/api/v1/orders?status=pending", { token: s.token });
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(res.body.id);
  });

  it("refuses orders beyond the stock with 409 and a clear message, leaving stock untouched", async () => {
    const before = [await stockOf(lamp.id), await stockOf(rug.id)];
    const res = await order({ items: [{ productId: lamp.id, quantity: 1 }, { productId: rug.id, quantity: 5 }] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("Not enough stock for: Rug (requested 5, available 1)");
    expect([await stockOf(lamp.id), await stockOf(rug.id)]).toEqual(before);
  });

  it("rejects unknown products (422) and bad bodies (400)", async () => {
    const unknown = await order({ items: [{ productId: "does-not-exist", quantity: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ productIds: ["does-not-exist"] });
    expect((await order({ items: [] })).status).toBe(400);
    expect((await order({ items: [{ productId: lamp.id, quantity: 0 }] })).status).toBe(400);
  });

  it("replays the first response for the same Idempotency-Key and body, creating one order", async () => {
    const body = { items: [{ productId: lamp.id, quantity: 1 }], shippingAddress: "Riyadh" };
    const key = `key-${Date.now()}`;
    const stock = await stockOf(lamp.id);
    const first = await order(body, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    // Same JSON with keys in another order is the same request.
    const again = await order({ shippingAddress: "Riyadh", items: [{ quantity: 1, productId: lamp.id }] }, { "Idempotency-Key": key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await stockOf(lamp.id)).toBe(stock - 1);
    const list = await t.request("GET", "/api/v1/orders?limit=100", { token: s.token });
    expect(list.body.items.filter((o: { id: string }) => o.id === first.body.id)).toHaveLength(1);
  });

  it("answers 422 when the key is reused with a different body", async () => {
    const key = `key-mismatch-${Date.now()}`;
    expect((await order({ items: [{ productId: lamp.id, quantity: 1 }] }, { "Idempotency-Key": key })).status).toBe(201);
    const other = await order({ items: [{ productId: lamp.id, quantity: 2 }] }, { "Idempotency-Key": key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");
  });

  it("answers 409 while the same key is still in flight", async () => {
    const body = { items: [{ productId: lamp.id, quantity: 1 }] };
    const key = `key-flight-${Date.now()}`;
    // Hold the key exactly as a concurrent request would, with the same fingerprint the route computes.
    const tenant = t.store.forMerchant(asMerchantId(s.merchantId));
    const held = await tenant.idempotency.begin(key, sha256Hex(`POST /orders\n${canonicalJson(body)}`), 3600);
    expect(held.state).toBe("started");
    const res = await order(body, { "Idempotency-Key": key });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("idempotency_in_flight");
  });

  it("scopes keys per merchant", async () => {
    const other = await t.signup("Other orders");
    const otherProduct = (await t.request("POST", "/api/v1/products", { token: other.token, body: { name: { en: "Vase" }, price: 30, stock: 3 } })).body;
    const key = `shared-key-${Date.now()}`;
    expect((await order({ items: [{ productId: lamp.id, quantity: 1 }] }, { "Idempotency-Key": key })).status).toBe(201);
    const res = await t.request("POST", "/api/v1/orders", {
      token: other.token,
      body: { items: [{ productId: otherProduct.id, quantity: 1 }] },
      headers: { "Idempotency-Key": key },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(res.body.merchantId).toBe(other.merchantId);
  });

  it("frees the key when the request fails, so a corrected retry can run", async () => {
    const key = `key-retry-${Date.now()}`;
    const body = { items: [{ productId: rug.id, quantity: 2 }] };
    expect((await order(body, { "Idempotency-Key": key })).status).toBe(409);
    await t.request("PATCH", `/api/v1/products/${rug.id}`, { token: s.token, body: { stock: 5 } });
    const retry = await order(body, { "Idempotency-Key": key });
    expect(retry.status).toBe(201);
    expect(await stockOf(rug.id)).toBe(3);
  });
});

describe("the Orders page: list, filters, search, detail, status moves", () => {
  let shop: Session;
  const get = (path: string, token = shop.token) => t.request("GET", `/api/v1${path}`, { token });
  const ids = async (query: string) => ((await get(`/orders?${query}`)).body.items as Array<{ id: string }>).map((o) => o.id);
  let whatsappOrder: { id: string; number: string };
  let webOrder: { id: string; number: string };
  let apiOrder: { id: string; number: string };
  let conversationId = "";

  beforeAll(async () => {
    shop = await t.signup("Orders page");
    const tenant = t.store.forMerchant(asMerchantId(shop.merchantId));
    const noor = await tenant.customers.create({ channel: "whatsapp", name: "Noor", phone: "0551112222", email: "noor@example.com" });
    const wa = await tenant.conversations.create({ channel: "whatsapp", customerId: noor.id });
    conversationId = wa.id;
    const web = await tenant.conversations.create({ channel: "webchat", visitorId: "v-orders" });
    const item = { productId: "p-1", name: "Dates box", price: 80, quantity: 2 };
    whatsappOrder = await tenant.orders.create({ items: [item], customerId: noor.id, conversationId: wa.id, deliveryFee: 25, codFee: 10, paymentMethod: "cod" });
    webOrder = await tenant.orders.create({ items: [item], conversationId: web.id, contact: { name: "Sara", phone: "+966 50 999 8888", email: "Sara@Example.com" } });
    apiOrder = await tenant.orders.create({ items: [item], status: "confirmed" });
  });

  it("lists newest first with each order's channel and who placed it", async () => {
    const res = await get("/orders");
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: { id: string; channel: string | null; customerName: string | null }) => [o.id, o.channel, o.customerName])).toEqual([
      [apiOrder.id, null, null],
      [webOrder.id, "webchat", "Sara"],
      [whatsappOrder.id, "whatsapp", "Noor"],
    ]);
    expect(res.body.items[2]).toMatchObject({ subtotal: 160, deliveryFee: 25, codFee: 10, total: 195 });
  });

  it("filters by status, channel and creation day, and pages with a cursor", async () => {
    expect(await ids("status=confirmed")).toEqual([apiOrder.id]);
    expect(await ids("channel=whatsapp")).toEqual([whatsappOrder.id]);
    expect(await ids("channel=telegram")).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await ids(`from=${today}&to=${today}`)).toHaveLength(3);
    expect(await ids(`to=${yesterday}`)).toEqual([]);
    expect(await ids(`from=${tomorrow}`)).toEqual([]);
    expect((await get(`/orders?from=${tomorrow}&to=${today}`)).status).toBe(400);
    expect((await get("/orders?from=2025-13-40")).status).toBe(400);
    expect((await get("/orders?channel=sms")).status).toBe(400);
    const first = await get("/orders?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await get(`/orders?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect([...first.body.items, ...second.body.items].map((o: { id: string }) => o.id)).toEqual([apiOrder.id, webOrder.id, whatsappOrder.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("searches by number, phone however typed, and email (whole: they are sealed at rest)", async () => {
    expect(await ids(`q=${webOrder.number}`)).toEqual([webOrder.id]);
    expect(await ids(`q=${encodeURIComponent(`#${whatsappOrder.number}`)}`)).toEqual([whatsappOrder.id]);
    expect(await ids(`q=${encodeURIComponent("050 999 8888")}`)).toEqual([webOrder.id]);
    expect(await ids(`q=${encodeURIComponent("+966551112222")}`)).toEqual([whatsappOrder.id]);
    expect(await ids("q=SARA%40example.com")).toEqual([webOrder.id]);
    expect(await ids("q=sara%40example")).toEqual([]);
    expect(await ids("q=noor%40example.com&channel=webchat")).toEqual([]);
  });

  it("opens an order with its items, fees, customer and the conversation it came from", async () => {
    const res = await get(`/orders/${whatsappOrder.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      items: [{ name: "Dates box", price: 80, quantity: 2 }],
      subtotal: 160,
      deliveryFee: 25,
      codFee: 10,
      total: 195,
      channel: "whatsapp",
      customer: { name: "Noor", phone: "+966551112222", email: "noor@example.com", channel: "whatsapp" },
      conversation: { id: conversationId, channel: "whatsapp", status: "bot" },
    });
    expect((await get(`/orders/${apiOrder.id}`)).body).toMatchObject({ customer: null, conversation: null, channel: null });
  });

  it("moves confirm → ship → deliver (or cancel), audited and put in the outbox; other moves are 409", async () => {
    const move = (id: string, status: string, token = shop.token) => t.request("POST", `/api/v1/orders/${id}/status`, { token, body: { status } });
    expect((await move(whatsappOrder.id, "shipped")).status).toBe(409);
    const confirmed = await move(whatsappOrder.id, "confirmed");
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: "confirmed", conversation: { id: conversationId } });
    expect((await move(whatsappOrder.id, "confirmed")).body.error.message).toMatch(/is confirmed; it can go to shipped or cancelled/);
    expect((await move(whatsappOrder.id, "shipped")).body.status).toBe("shipped");
    expect((await move(whatsappOrder.id, "delivered")).body.status).toBe("delivered");
    const done = await move(whatsappOrder.id, "cancelled");
    expect(done.status).toBe(409);
    expect(done.body.error.details).toEqual({ status: "delivered", allowed: [] });
    expect((await move(webOrder.id, "cancelled")).body.status).toBe("cancelled");
    expect((await move(webOrder.id, "pending")).status).toBe(400);

    const audit = (await get("/audit?limit=100")).body.items.filter((a: { action: string }) => a.action === "order.status_changed");
    expect(audit.map((a: { target: string; data: { from: string; to: string } }) => [a.target, a.data.from, a.data.to]).reverse()).toEqual([
      [whatsappOrder.id, "pending", "confirmed"],
      [whatsappOrder.id, "confirmed", "shipped"],
      [whatsappOrder.id, "shipped", "delivered"],
      [webOrder.id, "pending", "cancelled"],
    ]);
    const tenant = t.store.forMerchant(asMerchantId(shop.merchantId));
    const events = (await tenant.outbox.listPending(100)).filter((r) => r.topic === "order.status_changed").map((r) => r.payload);
    expect(events).toEqual([
      expect.objectContaining({ orderId: whatsappOrder.id, from: "pending", to: "confirmed", actorId: shop.userId }),
      expect.objectContaining({ orderId: whatsappOrder.id, from: "confirmed", to: "shipped" }),
      expect.objectContaining({ orderId: whatsappOrder.id, from: "shipped", to: "delivered" }),
      expect.objectContaining({ orderId: webOrder.id, from: "pending", to: "cancelled", number: webOrder.number }),
    ]);

    // Another store can neither see nor move them.
    const other = await t.signup("Not yours");
    expect((await get(`/orders/${apiOrder.id}`, other.token)).status).toBe(404);
    expect((await move(apiOrder.id, "shipped", other.token)).status).toBe(404);
    expect((await get("/orders", other.token)).body.items).toEqual([]);
    expect((await get(`/orders/${apiOrder.id}`)).body.status).toBe("confirmed");
  });
});
