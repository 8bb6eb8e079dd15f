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
