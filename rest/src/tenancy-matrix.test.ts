// The tenancy matrix, generated from the route table: every route that takes an id is called by
// merchant B's owner with merchant A's ids, and must answer 404 not_found and change nothing.
// A new route with an id param fails here until it is given one of A's ids below, so no route can
// escape the check. (The hand-written tenancy.test.ts keeps the list-leak and search cases.)
import { asMerchantId, UnrecoverableError } from "@kaleem/shared";
import { waitFor } from "@kaleem/shared/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";
import { apiRoutes } from "./routes/index.js";

let t: TestRest;
let a: Session;
let b: Session;
/** Values for each route's params, all naming merchant A's records. */
const ids: Record<string, Record<string, string>> = {};
/** A body that would be valid for the route, so the answer is about tenancy and not validation. */
const bodies: Record<string, unknown> = {
  "PATCH /team/:id": { name: "pwned" },
  "PATCH /products/:id": { price: 1 },
  "PATCH /categories/:id": { name: { en: "pwned" } },
  "PATCH /knowledge/:id": { title: "pwned" },
  "PATCH /channels/:id": { name: "pwned" },
  "PATCH /commerce-connections/:id": { status: "disabled" },
  "PATCH /canned-replies/:id": { text: "pwned" },
  "PATCH /conversations/:id": { labels: ["pwned"] },
  "POST /orders/:id/status": { status: "cancelled" },
  "POST /commerce-connections/:id/sync": { mode: "import" },
  "PATCH /webhook-endpoints/:id": { status: "disabled" },
  "PUT /visitors/:visitorId/block": { reason: "pwned" },
  "POST /conversations/:id/uploads": { name: "photo.png", contentType: "image/png", size: 100 },
};
const queries: Record<string, string> = {
  "GET /conversations/:id/attachments/link": "key=channels/a/photo.jpg",
};

beforeAll(async () => {
  t = await startTestRest({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true" });
  a = await t.signup("Alpha");
  b = await t.signup("Beta");
  const call = async (method: string, path: string, body: unknown) => {
    const res = await t.request(method, path, { token: a.token, body });
    if (res.status >= 300) throw new Error(`setup ${method} ${path}: ${res.status} ${res.text}`);
    return res.body as { id: string; categoryId?: string; user?: { id: string } };
  };
  const product = await call("POST", "/api/v1/products", { name: { en: "Alpha lamp" }, price: 99, stock: 5, category: "lamps" });
  const knowledge = await call("POST", "/api/v1/knowledge", { title: "Returns", data: { kind: "returns", policy: { windowDays: 14 } } });
  const order = await call("POST", "/api/v1/orders", { items: [{ productId: product.id, quantity: 1 }] });
  const agent = await call("POST", "/api/v1/team", { email: `agent-${Date.now()}@alpha.example`, name: "Agent", role: "agent", password: "alpha-agent-password-1" });
  const channel = await call("POST", "/api/v1/channels", { type: "telegram", name: "Alpha bot", config: { botToken: "123456789:AAEalphaTokenForTenancyMatrixTest", secretToken: "alpha-secret-token" } });
  const commerce = await call("POST", "/api/v1/commerce-connections", { platform: "shopify", config: { shopDomain: "alpha.myshopify.com", webhookSecret: "shpss_alpha_secret" } });
  const canned = await call("POST", "/api/v1/canned-replies", { shortcut: "/hi", text: "Hello" });
  const endpoint = await call("POST", "/api/v1/webhook-endpoints", { url: "http://127.0.0.1:9/alpha-hooks", events: ["order.created"] });
  const tenant = t.store.forMerchant(asMerchantId(a.merchantId));
  const customer = await tenant.customers.create({ channel: "webchat", name: "Alpha Shopper" });
  const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v-alpha", customerId: customer.id });
  await t.objects.forMerchant(tenant.merchantId).put("channels/a/photo.jpg", new Uint8Array([1]), { contentType: "image/jpeg" });
  await tenant.messages.append(conversation.id, {
    role: "shopper",
    text: "Alpha private question",
    parts: [{ type: "attachment", kind: "image", key: "channels/a/photo.jpg", contentType: "image/jpeg", size: 1, name: null }],
  });
  // A dead letter of A's.
  t.queue.process("channel-deliver", async () => {
    throw new UnrecoverableError("window closed");
  });
  await t.queue.add("channel-deliver", { merchantId: a.merchantId, outboxId: "o-a", messageId: "m-a", conversationId: conversation.id, byHuman: false }, { attempts: 1 });
  await waitFor(async () => (await t.queue.deadLetters("channel-deliver", { merchantId: a.merchantId })).length > 0, "A's dead letter");
  // One of A's visitors is blocked, so B lifting it would show in the snapshot.
  await tenant.visitors.block("v-alpha", { userId: a.userId, reason: "spam" });
  const [letter] = await t.queue.deadLetters("channel-deliver", { merchantId: a.merchantId });

  const one = (id: string) => ({ id });
  Object.assign(ids, {
    "PATCH /team/:id": one(agent.user!.id),
    "DELETE /team/:id": one(agent.user!.id),
    "GET /products/:id": one(product.id),
    "PATCH /products/:id": one(product.id),
    "DELETE /products/:id": one(product.id),
    "GET /categories/:id": one(product.categoryId!),
    "PATCH /categories/:id": one(product.categoryId!),
    "DELETE /categories/:id": one(product.categoryId!),
    "GET /knowledge/:id": one(knowledge.id),
    "PATCH /knowledge/:id": one(knowledge.id),
    "DELETE /knowledge/:id": one(knowledge.id),
    "GET /conversations/:id/attachments/link": one(conversation.id),
    "POST /conversations/:id/uploads": one(conversation.id),
    "GET /conversations/:id": one(conversation.id),
    "GET /conversations/:id/messages": one(conversation.id),
    "PATCH /conversations/:id": one(conversation.id),
    "GET /customers/:id": one(customer.id),
    "GET /orders/:id": one(order.id),
    "GET /channels/:id": one(channel.id),
    "PATCH /channels/:id": one(channel.id),
    "DELETE /channels/:id": one(channel.id),
    "POST /dead-letters/:job/:id/retry": { job: "channel-deliver", id: letter!.id },
    "GET /commerce-connections/:id": one(commerce.id),
    "PATCH /commerce-connections/:id": one(commerce.id),
    "DELETE /commerce-connections/:id": one(commerce.id),
    "PATCH /canned-replies/:id": one(canned.id),
    "DELETE /canned-replies/:id": one(canned.id),
    "POST /orders/:id/status": one(order.id),
    "POST /commerce-connections/:id/sync": one(commerce.id),
    "PATCH /webhook-endpoints/:id": one(endpoint.id),
    "POST /webhook-endpoints/:id/rotate-secret": one(endpoint.id),
    "POST /webhook-endpoints/:id/test": one(endpoint.id),
    "DELETE /webhook-endpoints/:id": one(endpoint.id),
    // A's shopper (the conversation above); blocking them from B's side must not be possible.
    "GET /visitors/:visitorId": { visitorId: "v-alpha" },
    "PUT /visitors/:visitorId/block": { visitorId: "v-alpha" },
    "DELETE /visitors/:visitorId/block": { visitorId: "v-alpha" },
  });
});
afterAll(async () => t?.close());

const withParams = apiRoutes.filter((r) => r.path.includes("/:"));

describe("tenancy matrix (from the route table)", () => {
  it("knows one of A's ids for every route that takes an id", () => {
    const missing = withParams.map((r) => `${r.method.toUpperCase()} ${r.path}`).filter((label) => !ids[label]);
    expect(missing, "routes with params and no tenancy case: add one above").toEqual([]);
  });

  it("answers merchant B not_found on every such route with merchant A's ids, and A's records stay as they were", async () => {
    const before = JSON.stringify(await snapshot());
    // Reads first, then changes, deletions last: a route that wrongly acted would show in the snapshot.
    const order = (m: string) => (m === "get" ? 0 : m === "delete" ? 2 : 1);
    for (const route of [...withParams].sort((x, y) => order(x.method) - order(y.method))) {
      const label = `${route.method.toUpperCase()} ${route.path}`;
      const params = ids[label]!;
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? "missing"));
      const query = queries[label] ? `?${queries[label]}` : "";
      const res = await t.request(route.method.toUpperCase(), `/api/v1${path}${query}`, { token: b.token, ...(bodies[label] !== undefined ? { body: bodies[label] } : {}) });
      expect(res.status, `${label}: ${res.text}`).toBe(404);
      expect(res.body.error.code, label).toBe("not_found");
      expect(res.text, `${label} leaked A's data`).not.toMatch(/Alpha|alpha/);
    }
    expect(JSON.stringify(await snapshot())).toBe(before);
  });
});

/** What merchant A can read of every record the matrix aimed at. */
async function snapshot() {
  const tenant = t.store.forMerchant(asMerchantId(a.merchantId));
  return {
    products: (await tenant.products.list()).items,
    categories: await tenant.categories.list(),
    knowledge: (await tenant.knowledge.list()).items,
    orders: (await tenant.orders.list()).items,
    users: (await tenant.users.list()).items.map((u) => ({ id: u.id, name: u.name, role: u.role })),
    channels: await tenant.channels.list(),
    commerce: await tenant.commerceConnections.list(),
    canned: await tenant.cannedReplies.list(),
    webhookEndpoints: await tenant.webhookEndpoints.list(),
    conversations: (await tenant.conversations.list()).items.map((c) => ({ id: c.id, labels: c.labels })),
    blockedVisitors: (await tenant.visitors.listBlocked()).items,
    deadLetters: (await t.queue.deadLetters("channel-deliver", { merchantId: a.merchantId })).map((l) => l.id),
  };
}
