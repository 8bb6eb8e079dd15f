import { asMerchantId } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let a: Session;
let b: Session;
const ids = { product: "", category: "", knowledge: "", order: "", conversation: "", user: "", customer: "" };

beforeAll(async () => {
  t = await startTestRest();
  a = await t.signup("Alpha");
  b = await t.signup("Beta");
  const product = await t.request("POST", "/api/v1/products", {
    token: a.token,
    body: { name: { en: "Alpha secret lamp", ar: "مصباح" }, price: 99, stock: 5, category: "lamps", externalId: "A-1" },
  });
  ids.product = product.body.id;
  ids.category = product.body.categoryId;
  const knowledge = await t.request("POST", "/api/v1/knowledge", {
    token: a.token,
    body: { title: "Returns", data: { kind: "returns", policy: { windowDays: 14 } } },
  });
  ids.knowledge = knowledge.body.id;
  const order = await t.request("POST", "/api/v1/orders", { token: a.token, body: { items: [{ productId: ids.product, quantity: 1 }] } });
  ids.order = order.body.id;
  const tenant = t.store.forMerchant(asMerchantId(a.merchantId));
  const customer = await tenant.customers.create({ channel: "webchat", name: "Alpha Shopper", email: "alpha.shopper@example.com", phone: "+966500000001" });
  ids.customer = customer.id;
  const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v-1", customerId: customer.id });
  await tenant.messages.append(conversation.id, { role: "shopper", text: "Alpha private question" });
  ids.conversation = conversation.id;
  ids.user = a.userId;
  for (const [k, v] of Object.entries(ids)) if (!v) throw new Error(`setup failed for ${k}`);
});
afterAll(async () => t?.close());

describe("tenant isolation", () => {
  it("answers 404 to merchant B on every route that takes one of merchant A's ids", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", `/api/v1/products/${ids.product}`],
      ["PATCH", `/api/v1/products/${ids.product}`, { price: 1 }],
      ["DELETE", `/api/v1/products/${ids.product}`],
      ["GET", `/api/v1/categories/${ids.category}`],
      ["PATCH", `/api/v1/categories/${ids.category}`, { name: { en: "x" } }],
      ["DELETE", `/api/v1/categories/${ids.category}`],
      ["GET", `/api/v1/knowledge/${ids.knowledge}`],
      ["PATCH", `/api/v1/knowledge/${ids.knowledge}`, { title: "pwned" }],
      ["DELETE", `/api/v1/knowledge/${ids.knowledge}`],
      ["GET", `/api/v1/orders/${ids.order}`],
      ["GET", `/api/v1/conversations/${ids.conversation}`],
      ["GET", `/api/v1/conversations/${ids.conversation}/messages`],
      ["GET", `/api/v1/customers/${ids.customer}`],
      ["PATCH", `/api/v1/team/${ids.user}`, { name: "pwned" }],
      ["DELETE", `/api/v1/team/${ids.user}`],
    ];
    for (const [method, path, body] of routes) {
      const res = await t.request(method, path, { token: b.token, ...(body !== undefined && { body }) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    // Nothing of A's changed.
    const product = await t.request("GET", `/api/v1/products/${ids.product}`, { token: a.token });
    expect(product.body.price).toBe(99);
    expect((await t.request("GET", `/api/v1/knowledge/${ids.knowledge}`, { token: a.token })).body.title).toBe("Returns");
    expect((await t.request("GET", `/api/v1/categories/${ids.category}`, { token: a.token })).status).toBe(200);
    expect((await t.request("GET", "/api/v1/me", { token: a.token })).body.user.name).not.toBe("pwned");
  });

  it("does not let merchant B order merchant A's products", async () => {
    const res = await t.request("POST", "/api/v1/orders", { token: b.token, body: { items: [{ productId: ids.product, quantity: 1 }] } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual({ productIds: [ids.product] });
  });

  it("lists never leak another merchant's records", async () => {
    const lists: string[] = ["/api/v1/products", "/api/v1/products?q=alpha", "/api/v1/categories", "/api/v1/knowledge", "/api/v1/orders", "/api/v1/conversations", "/api/v1/team", "/api/v1/audit"];
    // Searches with terms that match A's conversation (customer name, email, phone, message, id prefix).
    for (const q of ["Alpha", "alpha.shopper", "+966500000001", "private question", ids.conversation.slice(0, 8)]) {
      lists.push(`/api/v1/conversations?q=${encodeURIComponent(q)}`);
    }
    for (const path of lists) {
      const res = await t.request("GET", path, { token: b.token });
      expect(res.status, path).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of Object.values(ids)) expect(text, path).not.toContain(id);
      expect(text).not.toContain(a.merchantId);
    }
    // A sees its own.
    const own = await t.request("GET", "/api/v1/products", { token: a.token });
    expect(own.body.items.map((p: { id: string }) => p.id)).toEqual([ids.product]);
    const found = await t.request("GET", "/api/v1/conversations?q=alpha%20shopper", { token: a.token });
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([ids.conversation]);
    const customer = await t.request("GET", `/api/v1/customers/${ids.customer}`, { token: a.token });
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ id: ids.customer, name: "Alpha Shopper", email: "alpha.shopper@example.com" });
  });

  it("ignores merchantId and other ownership fields in bodies", async () => {
    const res = await t.request("POST", "/api/v1/products", {
      token: b.token,
      body: { name: { en: "Beta thing" }, price: 5, merchantId: a.merchantId, id: ids.product },
    });
    expect(res.status).toBe(201);
    expect(res.body.merchantId).toBe(b.merchantId);
    expect(res.body.id).not.toBe(ids.product);
    const aList = await t.request("GET", "/api/v1/products", { token: a.token });
    expect(aList.body.items).toHaveLength(1);
  });
});
