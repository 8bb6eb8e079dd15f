// Every route answers what it documents: a happy-path call of each route in the table, over real
// HTTP against a real SQLite store, and the body checked against the view the route declares for the
// status it answered (shared/src/contracts/api). The view must also describe every field: parsing
// may not drop anything, so a secret or an internal field that slips into a reply fails here.
import { asMerchantId, UnrecoverableError, type TenantStore } from "@kaleem/shared";
import { waitFor } from "@kaleem/shared/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type ApiResponse, type TestRest } from "./harness.test-helpers.js";
import type { HttpMethod } from "./http/route.js";
import { apiRoutes } from "./routes/index.js";

let t: TestRest;
const exercised = new Set<string>();
const password = "s3cret-passw0rd";
const email = `views-${Date.now()}@example.com`;
let owner: string;
let tenant: TenantStore;

beforeAll(async () => {
  t = await startTestRest(
    {},
    {
      // The route's reply is under test, not search quality: a store-backed stand-in for the index.
      productSearch: {
        async search(store, query, limit) {
          const page = await store.products.list({ q: query }, { limit });
          return { items: page.items.map((product, i) => ({ product, score: 1 - i / 10 })) };
        },
      },
    },
  );
  const requested = await call("post", "/auth/signup", { body: { storeName: "Views", email, password } });
  expect(requested.status).toBe(202);
  await t.emailTo(email, "signup_confirm");
  const signup = await call("post", "/auth/signup/confirm", { body: { token: t.signupToken(email) } });
  expect(signup.body.merchant.widget).not.toHaveProperty("identitySecret");
  owner = signup.body.accessToken;
  tenant = t.store.forMerchant(asMerchantId(signup.body.merchant.id));
});
afterAll(async () => t?.close());

interface Call {
  params?: Record<string, string>;
  query?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls `template` (a path of the route table), expects a documented 2xx and checks its body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: HttpMethod, template: string, input: Call = {}): Promise<ApiResponse<any>> {
  const label = `${method.toUpperCase()} ${template}`;
  const route = apiRoutes.find((r) => r.method === method && r.path === template);
  if (!route) throw new Error(`${label} is not in the route table`);
  const path = template.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(input.params?.[name] ?? ""));
  const res = await t.request(method.toUpperCase(), `/api/v1${path}${input.query ? `?${input.query}` : ""}`, {
    token: input.token,
    body: input.body,
    headers: input.headers,
  });
  expect(res.status, `${label}: ${res.text}`).toBeLessThan(300);
  const doc = route.responses[res.status];
  expect(doc, `${label} answered ${res.status}, which it does not document`).toBeDefined();
  if (doc?.schema) {
    const parsed = doc.schema.safeParse(res.body);
    expect(parsed.success ? [] : parsed.error.issues, `${label}: body does not match its view`).toEqual([]);
    expect(parsed.data, `${label}: body has fields its view does not declare`).toEqual(res.body);
  } else {
    expect(res.text, `${label} documents no body`).toBe("");
  }
  exercised.add(label);
  return res;
}

describe("every route's reply matches its documented view", () => {
  it("auth and the current user", async () => {
    const login = await call("post", "/auth/login", { body: { email, password } });
    const me = await call("get", "/me", { token: owner });
    expect(me.body.merchant.widget).not.toHaveProperty("identitySecret");
    const refreshed = await call("post", "/auth/refresh", { body: { refreshToken: login.body.refreshToken } });
    await call("post", "/auth/logout", { token: refreshed.body.accessToken, body: { refreshToken: refreshed.body.refreshToken } });
  });

  it("team: the admin view, the agent view, invites, changes, removal", async () => {
    const agentEmail = `agent-${Date.now()}@example.com`;
    const invited = await call("post", "/team", { token: owner, body: { email: agentEmail, name: "Agent", role: "agent", password } });
    const generated = await call("post", "/team", { token: owner, body: { email: `second-${Date.now()}@example.com`, name: "Second" } });
    expect(typeof generated.body.password).toBe("string");
    const full = await call("get", "/team", { token: owner });
    expect(full.body.items.every((m: { email?: string }) => typeof m.email === "string")).toBe(true);
    const agent = (await call("post", "/auth/login", { body: { email: agentEmail, password } })).body.accessToken;
    const summary = await call("get", "/team", { token: agent });
    expect(summary.body.items.every((m: object) => Object.keys(m).sort().join() === "id,name,role")).toBe(true);
    await call("patch", "/team/:id", { token: owner, params: { id: invited.body.user.id }, body: { name: "Agent One" } });
    await call("delete", "/team/:id", { token: owner, params: { id: generated.body.user.id } });
  });

  it("catalog, import and search", async () => {
    const product = await call("post", "/products", {
      token: owner,
      body: { name: { en: "Green dress" }, price: 120, stock: 5, category: "dresses" },
    });
    const id = product.body.id as string;
    await call("get", "/products", { token: owner });
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    expect((await call("post", "/products/images", { token: owner, body: { contentType: "image/png", data: png } })).status).toBe(201);
    await call("get", "/products/:id", { token: owner, params: { id } });
    await call("patch", "/products/:id", { token: owner, params: { id }, body: { price: 110 } });
    const report = await call("post", "/products/import", {
      token: owner,
      body: { products: [{ externalId: "sku-1", name: { en: "Scarf" }, price: 30 }, { name: { en: "No external id" }, price: 1 }] },
    });
    expect(report.body).toMatchObject({ created: 1, failed: 1 });
    await call("get", "/search/products", { token: owner, query: "q=dress" });

    const category = await call("post", "/categories", { token: owner, body: { slug: "shoes", name: { en: "Shoes" } } });
    await call("get", "/categories", { token: owner });
    await call("get", "/categories/:id", { token: owner, params: { id: category.body.id } });
    await call("patch", "/categories/:id", { token: owner, params: { id: category.body.id }, body: { name: { ar: "أحذية" } } });
    await call("delete", "/categories/:id", { token: owner, params: { id: category.body.id } });
    const scarf = (await tenant.products.getByExternalId("sku-1"))?.id ?? "";
    await call("delete", "/products/:id", { token: owner, params: { id: scarf } });
  });

  it("knowledge", async () => {
    const item = await call("post", "/knowledge", {
      token: owner,
      body: { title: "Gift wrap", data: { kind: "faq", faq: { question: { en: "Do you gift wrap?" }, answer: { en: "Yes, for free." } } } },
    });
    await call("get", "/knowledge", { token: owner });
    await call("get", "/knowledge/:id", { token: owner, params: { id: item.body.id } });
    await call("patch", "/knowledge/:id", { token: owner, params: { id: item.body.id }, body: { title: "Gift wrapping" } });
    await call("delete", "/knowledge/:id", { token: owner, params: { id: item.body.id } });
  });

  it("inbox: conversations, messages, labels, customers, canned replies", async () => {
    const customer = await tenant.customers.create({ channel: "whatsapp", name: "Huda", phone: "+966500000001" });
    const conversation = await tenant.conversations.create({ channel: "whatsapp", customerId: customer.id });
    await tenant.messages.append(conversation.id, { role: "shopper", text: "Is the green dress in stock?" });
    const id = conversation.id;
    await call("get", "/conversations", { token: owner });
    await call("get", "/conversations/:id", { token: owner, params: { id } });
    await call("get", "/conversations/:id/messages", { token: owner, params: { id } });
    await call("patch", "/conversations/:id", { token: owner, params: { id }, body: { labels: ["vip"] } });
    await call("get", "/customers/:id", { token: owner, params: { id: customer.id } });
    // A photo the customer sent: its link is only given for a key this conversation's messages carry.
    await t.objects.forMerchant(tenant.merchantId).put("channels/x/photo.jpg", new Uint8Array([1, 2, 3]), { contentType: "image/jpeg" });
    await tenant.messages.append(id, {
      role: "shopper",
      text: "📷 Photo",
      parts: [{ type: "attachment", kind: "image", key: "channels/x/photo.jpg", contentType: "image/jpeg", size: 3, name: null }],
    });
    const link = await call("get", "/conversations/:id/attachments/link", { token: owner, params: { id }, query: "key=channels/x/photo.jpg" });
    expect(link.body.url).toContain("/media/");
    expect((await t.request("GET", `/api/v1/conversations/${id}/attachments/link?key=channels/x/other.jpg`, { token: owner })).status).toBe(404);
    // An agent's upload URL for a reply: presigned for this merchant's space, with the PUT's headers.
    const ticket = await call("post", "/conversations/:id/uploads", { token: owner, params: { id }, body: { name: "size-chart.pdf", contentType: "application/pdf", size: 1000 } });
    expect(ticket.status).toBe(201);
    expect(ticket.body).toMatchObject({ method: "PUT", headers: { "Content-Type": "application/pdf" }, maxBytes: 10 * 1024 * 1024 });
    expect((await t.request("POST", `/api/v1/conversations/${id}/uploads`, { token: owner, body: { name: "x.svg", contentType: "image/svg+xml", size: 10 } })).status).toBe(415);

    const reply = await call("post", "/canned-replies", { token: owner, body: { shortcut: "/thanks", text: "Thank you!" } });
    await call("get", "/canned-replies", { token: owner });
    await call("patch", "/canned-replies/:id", { token: owner, params: { id: reply.body.id }, body: { text: "Thank you very much!" } });
    await call("delete", "/canned-replies/:id", { token: owner, params: { id: reply.body.id } });
  });

  it("visitors: viewed, blocked, listed, unblocked", async () => {
    await tenant.conversations.create({ channel: "webchat", visitorId: "v_views" });
    const params = { visitorId: "v_views" };
    const seen = await call("get", "/visitors/:visitorId", { token: owner, params });
    expect(seen.body).toMatchObject({ visitorId: "v_views", blockedAt: null, tokenGeneration: 0 });
    const blocked = await call("put", "/visitors/:visitorId/block", { token: owner, params, body: { reason: "spam" } });
    expect(blocked.body).toMatchObject({ blockReason: "spam" });
    const listed = await call("get", "/visitors/blocked", { token: owner });
    expect(listed.body.items.map((v: { visitorId: string }) => v.visitorId)).toEqual(["v_views"]);
    const lifted = await call("delete", "/visitors/:visitorId/block", { token: owner, params });
    expect(lifted.body.blockedAt).toBeNull();
  });

  it("orders, a replayed idempotent create included", async () => {
    const product = await call("post", "/products", { token: owner, body: { name: { en: "Abaya" }, price: 250, stock: 10 } });
    const body = { items: [{ productId: product.body.id, quantity: 1 }], contact: { name: "Huda" } };
    const order = await call("post", "/orders", { token: owner, body });
    const headers = { "idempotency-key": `views-${Date.now()}` };
    const first = await call("post", "/orders", { token: owner, body, headers });
    const replay = await call("post", "/orders", { token: owner, body, headers });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    await call("get", "/orders", { token: owner });
    await call("get", "/orders/:id", { token: owner, params: { id: order.body.id } });
    await call("get", "/orders", { token: owner, query: `q=${order.body.number}&status=pending&from=2024-01-01` });
    const confirmed = await call("post", "/orders/:id/status", { token: owner, params: { id: order.body.id }, body: { status: "confirmed" } });
    expect(confirmed.body.status).toBe("confirmed");
  });

  it("settings", async () => {
    const widget = await call("get", "/settings/widget", { token: owner });
    expect(widget.body).not.toHaveProperty("identitySecret");
    await call("patch", "/settings/widget", { token: owner, body: { color: "#112233" } });
    await call("post", "/settings/widget/rotate-key", { token: owner });
    await call("post", "/settings/widget/identity-secret", { token: owner });
    await call("get", "/settings/bot", { token: owner });
    await call("patch", "/settings/bot", { token: owner, body: { lowConfidence: "handoff" } });
    expect((await call("get", "/settings/attachments", { token: owner })).body).toMatchObject({ maxBytes: 10 * 1024 * 1024, usedBytes: 0 });
    const changed = await call("patch", "/settings/attachments", { token: owner, body: { maxBytes: 2 * 1024 * 1024, allowedTypes: ["image/jpeg", "application/pdf"] } });
    expect(changed.body).toMatchObject({ maxBytes: 2 * 1024 * 1024, allowedTypes: ["image/jpeg", "application/pdf"] });
    expect((await t.request("PATCH", "/api/v1/settings/attachments", { token: owner, body: { allowedTypes: ["image/svg+xml"] } })).status).toBe(400);
  });

  it("channels and commerce connections, secrets never answered", async () => {
    const secret = "123456789:AAEviewsTokenForTests_x";
    const telegram = await call("post", "/channels", {
      token: owner,
      body: { type: "telegram", name: "Store bot", config: { botToken: secret, secretToken: "views-secret-token" } },
    });
    const whatsapp = await call("post", "/channels", {
      token: owner,
      body: { type: "whatsapp", name: "WhatsApp", config: { phoneNumberId: "1098765", accessToken: "wa-access-token", appSecret: "wa-app-secret" } },
    });
    expect(typeof whatsapp.body.verifyToken).toBe("string");
    const list = await call("get", "/channels", { token: owner });
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain("wa-app-secret");
    await call("get", "/channels/:id", { token: owner, params: { id: telegram.body.id } });
    await call("patch", "/channels/:id", { token: owner, params: { id: telegram.body.id }, body: { status: "disabled" } });
    await call("delete", "/channels/:id", { token: owner, params: { id: telegram.body.id } });

    const shopify = await call("post", "/commerce-connections", {
      token: owner,
      body: { platform: "shopify", config: { shopDomain: "views-demo.myshopify.com", webhookSecret: "shpss_views_secret" } },
    });
    const connections = await call("get", "/commerce-connections", { token: owner });
    expect(connections.text).not.toContain("shpss_views_secret");
    await call("get", "/commerce-connections/:id", { token: owner, params: { id: shopify.body.id } });
    await call("patch", "/commerce-connections/:id", { token: owner, params: { id: shopify.body.id }, body: { config: { accessToken: "shpat_views_token" } } });
    const sync = await call("post", "/commerce-connections/:id/sync", { token: owner, params: { id: shopify.body.id }, body: { mode: "import" } });
    expect(sync.text).not.toContain("shpat_views_token");
    await call("patch", "/commerce-connections/:id", { token: owner, params: { id: shopify.body.id }, body: { status: "disabled" } });
    await call("delete", "/commerce-connections/:id", { token: owner, params: { id: shopify.body.id } });

    const hook = await call("post", "/webhook-endpoints", { token: owner, body: { url: "https://hooks.example.com/views", events: ["order.created"] } });
    await call("get", "/webhook-endpoints", { token: owner });
    await call("patch", "/webhook-endpoints/:id", { token: owner, params: { id: hook.body.id }, body: { description: "views" } });
    await call("post", "/webhook-endpoints/:id/rotate-secret", { token: owner, params: { id: hook.body.id } });
    await call("post", "/webhook-endpoints/:id/test", { token: owner, params: { id: hook.body.id }, body: {} });
    await call("get", "/webhook-deliveries", { token: owner });
    await call("delete", "/webhook-endpoints/:id", { token: owner, params: { id: hook.body.id } });
  });

  it("dead letters: listed for the store, retried once", async () => {
    // A delivery that fails for good lands in the dead letters.
    let runs = 0;
    t.queue.process("channel-deliver", async () => {
      runs += 1;
      if (runs === 1) throw new UnrecoverableError("window closed");
    });
    await t.queue.add("channel-deliver", { merchantId: tenant.merchantId, outboxId: "o-1", messageId: "m-1", conversationId: "c-1", byHuman: false }, { attempts: 1 });
    await waitFor(async () => (await t.queue.deadLetters("channel-deliver", { merchantId: tenant.merchantId })).length > 0, "the dead letter");
    const letters = await call("get", "/dead-letters", { token: owner });
    expect(letters.body.items).toMatchObject([{ job: "channel-deliver", error: expect.stringContaining("window closed"), data: { messageId: "m-1" }, conversationId: "c-1", channelId: null }]);
    expect((await call("get", "/dead-letters", { token: owner, query: "channelId=some-channel" })).body.items).toEqual([]);
    await call("post", "/dead-letters/:job/:id/retry", { token: owner, params: { job: "channel-deliver", id: letters.body.items[0].id } });
    await waitFor(() => runs === 2, "the retry ran");
  });

  it("audit, analytics and the OpenAPI document", async () => {
    const audit = await call("get", "/audit", { token: owner });
    expect(audit.body.items.length).toBeGreaterThan(0);
    await call("get", "/analytics/summary", { token: owner });
    await call("get", "/openapi.json");
  });

  it("left no route of the table unexercised", () => {
    const table = apiRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(table.filter((route) => !exercised.has(route))).toEqual([]);
  });
});
