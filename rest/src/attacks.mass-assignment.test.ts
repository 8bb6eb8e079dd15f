// Attacks, family 12: mass assignment, generated from the route table like the tenancy matrix. Every
// route that takes a body is called with a body it accepts plus one field the client must not set
// (merchantId, role, seq, id, createdAt, updatedAt), one field at a time. Each answer must be a
// refusal (400) or a success that ignored the field: the response and every record of the store
// hold none of the forced values, merchant B's records are unchanged, and nobody's role moved. A
// new route with a body fails here until it is given a valid body below, so no route can escape.
import { asMerchantId, type Store } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type ApiResponse, type Session, type TestRest } from "./harness.test-helpers.js";
import { apiRoutes } from "./routes/index.js";

let t: TestRest;
let a: Session;
let b: Session;
let agent: { id: string; token: string };

const FORCED_ID = "forced-id-0001";
const FORCED_TIME = "2001-01-01T00:00:00.000Z";
const FORCED_SEQ = 987654321;
/** The fields a client must never set, and the value an attacker would pick (merchantId: B's, set in beforeAll). */
const forced: Record<string, unknown> = { role: "owner", seq: FORCED_SEQ, id: FORCED_ID, createdAt: FORCED_TIME, updatedAt: FORCED_TIME };

/** Fields that are the route's own business (an owner does set a team member's role). */
const legitimate: Record<string, string[]> = {
  "POST /team": ["role"],
  "PATCH /team/:id": ["role"],
  // The store to sign in to when a password opens several; another store's id is a failed sign-in (below).
  "POST /auth/login": ["merchantId"],
};

interface Call {
  path: string;
  body: Record<string, unknown>;
  /** Another caller than A's owner (sign-in routes, logout with a throwaway session). */
  token?: string | null;
}
let n = 0;
const unique = () => `${Date.now().toString(36)}${(n += 1)}`;

async function ownerCall<T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await t.request(method, `/api/v1${path}`, { token: a.token, ...(body !== undefined ? { body } : {}) });
  if (res.status >= 300) throw new Error(`setup ${method} ${path}: ${res.status} ${res.text}`);
  return res.body as T;
}
const product = () => ownerCall("POST", "/products", { name: { en: `Lamp ${unique()}` }, price: 10, stock: 50 });
const freshLogin = async () => (await t.request("POST", "/api/v1/auth/login", { body: { email: a.email, password: a.password } })).body as { accessToken: string; refreshToken: string };

/** A body each route accepts, built fresh for every call (unique names, records of A's own). */
const valid: Record<string, () => Promise<Call>> = {
  "POST /auth/signup": async () => ({ path: "/auth/signup", body: { storeName: "Mass", email: `mass-${unique()}@example.com`, password: "long enough password 1" }, token: null }),
  "POST /auth/signup/confirm": async () => {
    const email = `mass-${unique()}@example.com`;
    const since = t.outbox.length;
    await t.request("POST", "/api/v1/auth/signup", { body: { storeName: "Mass confirm", email, password: "long enough password 1" } });
    await t.emailTo(email, "signup_confirm", since);
    return { path: "/auth/signup/confirm", body: { token: t.signupToken(email) }, token: null };
  },
  "POST /auth/login": async () => ({ path: "/auth/login", body: { email: a.email, password: a.password }, token: null }),
  "POST /auth/refresh": async () => ({ path: "/auth/refresh", body: { refreshToken: (await freshLogin()).refreshToken }, token: null }),
  "POST /auth/logout": async () => ({ path: "/auth/logout", body: {}, token: (await freshLogin()).accessToken }),
  "POST /team": async () => ({ path: "/team", body: { email: `member-${unique()}@alpha.example`, name: "Member", role: "agent", password: "long enough password 1" } }),
  "PATCH /team/:id": async () => ({ path: `/team/${agent.id}`, body: { name: `Agent ${unique()}` } }),
  "POST /products": async () => ({ path: "/products", body: { name: { en: `Lamp ${unique()}` }, price: 10, stock: 5 } }),
  // A PNG signature and a few bytes: the route checks the first bytes against the declared type.
  "POST /products/images": async () => ({ path: "/products/images", body: { contentType: "image/png", data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16)]).toString("base64") } }),
  "POST /products/import": async () => ({ path: "/products/import", body: { products: [{ name: { en: `Imported ${unique()}` }, price: 12, stock: 1 }] } }),
  "PATCH /products/:id": async () => ({ path: `/products/${(await product()).id}`, body: { price: 11 } }),
  "POST /categories": async () => ({ path: "/categories", body: { name: { en: `Category ${unique()}` }, slug: `cat-${unique()}` } }),
  "PATCH /categories/:id": async () => ({ path: `/categories/${(await ownerCall("POST", "/categories", { name: { en: `Cat ${unique()}` }, slug: `c-${unique()}` })).id}`, body: { name: { en: `Renamed ${unique()}` } } }),
  "POST /knowledge": async () => ({ path: "/knowledge", body: { title: `Returns ${unique()}`, data: { kind: "returns", policy: { windowDays: 14 } } } }),
  "PATCH /knowledge/:id": async () => ({ path: `/knowledge/${(await ownerCall("POST", "/knowledge", { title: `K ${unique()}`, data: { kind: "returns", policy: { windowDays: 7 } } })).id}`, body: { title: `Renamed ${unique()}` } }),
  "POST /orders/:id/status": async () => ({ path: `/orders/${(await ownerCall("POST", "/orders", { items: [{ productId: (await product()).id, quantity: 1 }] })).id}/status`, body: { status: "confirmed" } }),
  "POST /orders": async () => ({ path: "/orders", body: { items: [{ productId: (await product()).id, quantity: 1 }] } }),
  "PATCH /settings/widget": async () => ({ path: "/settings/widget", body: { color: "#123456" } }),
  "PATCH /settings/attachments": async () => ({ path: "/settings/attachments", body: { maxBytes: 5 * 1024 * 1024 } }),
  "PATCH /settings/bot": async () => ({ path: "/settings/bot", body: { lowConfidence: "clarify" } }),
  "POST /channels": async () => ({ path: "/channels", body: { type: "telegram", name: "Bot", config: { botToken: `${100000 + n}${Date.now() % 1000}:AAEmassAssignment${unique()}`, secretToken: `mass-${unique()}` } } }),
  "PATCH /channels/:id": async () => {
    const ch = await ownerCall("POST", "/channels", { type: "telegram", name: "Bot", config: { botToken: `${200000 + n}${Date.now() % 1000}:AAEpatch${unique()}`, secretToken: `mass-${unique()}` } });
    return { path: `/channels/${ch.id}`, body: { name: `Renamed ${unique()}` } };
  },
  "POST /commerce-connections": async () => {
    // One connection per platform: the previous call's is removed first.
    for (const c of (await ownerCall<{ items: Array<{ id: string; platform: string }> }>("GET", "/commerce-connections")).items) if (c.platform === "salla") await ownerCall("DELETE", `/commerce-connections/${c.id}`);
    return { path: "/commerce-connections", body: { platform: "salla", config: { merchantId: "555000111", webhookSecret: `salla-${unique()}` } } };
  },
  "PATCH /commerce-connections/:id": async () => ({ path: `/commerce-connections/${shopifyId}`, body: { status: "active" } }),
  "POST /commerce-connections/:id/sync": async () => ({ path: `/commerce-connections/${shopifyId}/sync`, body: { mode: "import" } }),
  "POST /webhook-endpoints": async () => ({ path: "/webhook-endpoints", body: { url: `http://127.0.0.1:9/hooks-${unique()}`, events: ["order.created"] } }),
  "PATCH /webhook-endpoints/:id": async () => ({ path: `/webhook-endpoints/${endpointId}`, body: { status: "active" } }),
  "POST /webhook-endpoints/:id/test": async () => ({ path: `/webhook-endpoints/${endpointId}/test`, body: {} }),
  "POST /canned-replies": async () => ({ path: "/canned-replies", body: { shortcut: `m${unique()}`, text: "Hello" } }),
  "PATCH /canned-replies/:id": async () => ({ path: `/canned-replies/${(await ownerCall("POST", "/canned-replies", { shortcut: `p${unique()}`, text: "Hi" })).id}`, body: { text: `Changed ${unique()}` } }),
  "PATCH /conversations/:id": async () => ({ path: `/conversations/${conversationId}`, body: { labels: ["vip"] } }),
  "POST /conversations/:id/uploads": async () => ({ path: `/conversations/${conversationId}/uploads`, body: { name: `photo-${unique()}.jpg`, contentType: "image/jpeg", size: 1024 } }),
  "PUT /visitors/:visitorId/block": async () => ({ path: `/visitors/${visitorIds.shift()}/block`, body: { reason: "spam" } }),
};
/** Routes that take a body and that an agent may call: tried by A's agent too (their role must not move). */
const agentRoutes = ["POST /orders", "POST /canned-replies", "PATCH /conversations/:id", "PUT /visitors/:visitorId/block", "POST /orders/:id/status"];

let shopifyId = "";
let endpointId = "";
let conversationId = "";
const visitorIds: string[] = [];

beforeAll(async () => {
  t = await startTestRest({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true" });
  a = await t.signup("Alpha");
  b = await t.signup("Beta");
  forced.merchantId = b.merchantId;
  const member = await ownerCall<{ user: { id: string } }>("POST", "/team", { email: `agent-${unique()}@alpha.example`, name: "Agent", role: "agent", password: "alpha-agent-password-1" });
  const agentLogin = await t.request("POST", "/api/v1/auth/login", { body: { email: (await t.store.forMerchant(asMerchantId(a.merchantId)).users.get(member.user.id))!.email, password: "alpha-agent-password-1", merchantId: a.merchantId } });
  agent = { id: member.user.id, token: agentLogin.body.accessToken as string };
  shopifyId = (await ownerCall("POST", "/commerce-connections", { platform: "shopify", config: { shopDomain: "alpha-mass.myshopify.com", webhookSecret: "shpss_mass", accessToken: "shpat_mass_token" } })).id;
  endpointId = (await ownerCall("POST", "/webhook-endpoints", { url: "http://127.0.0.1:9/alpha", events: ["order.created"] })).id;
  const tenant = t.store.forMerchant(asMerchantId(a.merchantId));
  const customer = await tenant.customers.create({ channel: "webchat", name: "Shopper" });
  for (let i = 0; i < 20; i++) {
    const visitorId = `v-mass-${i}`;
    const c = await tenant.conversations.create({ channel: "webchat", visitorId, customerId: customer.id });
    conversationId ||= c.id;
    visitorIds.push(visitorId);
  }
});
afterAll(async () => t?.close());

const withBody = apiRoutes.filter((r) => r.body !== undefined);
const label = (r: (typeof apiRoutes)[number]) => `${r.method.toUpperCase()} ${r.path}`;

/** Everything any store holds, as one string: a forced value must appear nowhere in it. */
async function everything(store: Store, merchantId: string): Promise<string> {
  const tenant = store.forMerchant(asMerchantId(merchantId));
  return JSON.stringify({
    merchant: await tenant.merchant.get(),
    users: (await tenant.users.list()).items,
    products: (await tenant.products.list({}, { limit: 500 })).items,
    categories: await tenant.categories.list(),
    knowledge: (await tenant.knowledge.list()).items,
    orders: (await tenant.orders.list({}, { limit: 500 })).items,
    channels: await tenant.channels.list(),
    commerce: await tenant.commerceConnections.list(),
    canned: await tenant.cannedReplies.list(),
    endpoints: await tenant.webhookEndpoints.list(),
    conversations: (await tenant.conversations.list({}, { limit: 500 })).items,
  });
}

function expectIgnoredOrRefused(res: ApiResponse, what: string): "refused" | "ignored" {
  if (res.status === 400) {
    expect(res.body.error.code, what).toBe("validation_failed");
    return "refused";
  }
  expect(res.status, `${what}: ${res.text}`).toBeLessThan(300);
  for (const value of [FORCED_ID, FORCED_TIME, String(FORCED_SEQ), b.merchantId]) expect(res.text, `${what} took ${value}`).not.toContain(value);
  return "ignored";
}

describe("mass assignment (from the route table)", () => {
  it("knows a valid body for every route that takes one", () => {
    const missing = withBody.map(label).filter((l) => !valid[l]);
    expect(missing, "routes with a body and no mass-assignment case: add one above").toEqual([]);
  });

  it("each valid body is accepted as it is (so the answers below are about the forced field)", async () => {
    for (const route of withBody) {
      const call = await valid[label(route)]!();
      const res = await t.request(route.method.toUpperCase(), `/api/v1${call.path}`, { ...(call.token === null ? {} : { token: call.token ?? a.token }), body: call.body });
      expect(res.status, `${label(route)}: ${res.text}`).toBeLessThan(300);
    }
  });

  it("every protected field in every body is refused or ignored, and no store record takes it", async () => {
    const beforeB = await everything(t.store, b.merchantId);
    const tally = { refused: 0, ignored: 0 };
    const attempts: Array<{ route: (typeof withBody)[number]; token?: string }> = [
      ...withBody.map((route) => ({ route })),
      ...withBody.filter((r) => agentRoutes.includes(label(r))).map((route) => ({ route, token: agent.token })),
    ];
    for (const { route, token } of attempts) {
      for (const [field, value] of Object.entries(forced)) {
        if (legitimate[label(route)]?.includes(field)) continue;
        const call = await valid[label(route)]!();
        const res = await t.request(route.method.toUpperCase(), `/api/v1${call.path}`, {
          ...(call.token === null ? {} : { token: token ?? call.token ?? a.token }),
          body: { ...call.body, [field]: value },
        });
        tally[expectIgnoredOrRefused(res, `${label(route)}${token ? " (agent)" : ""} with ${field}`)] += 1;
      }
    }
    const all = await everything(t.store, a.merchantId);
    for (const value of [FORCED_ID, FORCED_TIME, String(FORCED_SEQ), b.merchantId]) expect(all, `a record of A's holds ${value}`).not.toContain(value);
    expect(await everything(t.store, b.merchantId)).toBe(beforeB);
    const users = (await t.store.forMerchant(asMerchantId(a.merchantId)).users.list()).items;
    expect(users.find((u) => u.id === agent.id)!.role).toBe("agent");
    expect(users.filter((u) => u.role === "owner").map((u) => u.id)).toEqual([a.userId]);
  });

  it("a nested merchantId or role inside a valid body is not taken either", async () => {
    const lamp = await product();
    const order = await t.request("POST", "/api/v1/orders", { token: agent.token, body: { items: [{ productId: lamp.id, quantity: 1, merchantId: b.merchantId }], contact: { name: "X", role: "owner" } } });
    expectIgnoredOrRefused(order, "nested fields in an order");
    const member = await t.request("PATCH", `/api/v1/team/${agent.id}`, { token: agent.token, body: { role: "owner" } });
    // Signing in to another store with A's credentials is a failed sign-in.
    const login = await t.request("POST", "/api/v1/auth/login", { body: { email: a.email, password: a.password, merchantId: b.merchantId } });
    expect(login.status).toBe(401);
    // An agent cannot promote themselves: the route is for managers.
    expect(member.status).toBe(403);
  });

  it("nobody raises a role past what they may grant: admins and agents trying owner or admin are refused and nothing moves", async () => {
    const admin = await ownerCall<{ user: { id: string; email: string } }>("POST", "/team", { email: `admin-${unique()}@alpha.example`, name: "Admin", role: "admin", password: "alpha-admin-password-1" });
    const adminToken = (await t.request("POST", "/api/v1/auth/login", { body: { email: admin.user.email, password: "alpha-admin-password-1" } })).body.accessToken as string;
    const attempts: Array<[string, string, string, string, unknown]> = [
      ["admin adds an owner", adminToken, "POST", "/team", { email: `x-${unique()}@alpha.example`, name: "X", role: "owner", password: "long enough password 1" }],
      ["admin adds an admin", adminToken, "POST", "/team", { email: `y-${unique()}@alpha.example`, name: "Y", role: "admin", password: "long enough password 1" }],
      ["admin makes themselves owner", adminToken, "PATCH", `/team/${admin.user.id}`, { role: "owner" }],
      ["admin makes the agent an admin", adminToken, "PATCH", `/team/${agent.id}`, { role: "admin" }],
      ["admin demotes the owner", adminToken, "PATCH", `/team/${a.userId}`, { role: "agent" }],
      ["admin removes the owner", adminToken, "DELETE", `/team/${a.userId}`, undefined],
      ["agent makes themselves admin", agent.token, "PATCH", `/team/${agent.id}`, { role: "admin" }],
      ["agent adds an admin", agent.token, "POST", "/team", { email: `z-${unique()}@alpha.example`, name: "Z", role: "admin", password: "long enough password 1" }],
      ["owner makes an agent a second owner", a.token, "PATCH", `/team/${agent.id}`, { role: "owner" }],
    ];
    const before = (await t.store.forMerchant(asMerchantId(a.merchantId)).users.list()).items.map((u) => `${u.id}:${u.role}`).sort();
    for (const [name, token, method, path, body] of attempts) {
      const res = await t.request(method, `/api/v1${path}`, { token, ...(body !== undefined ? { body } : {}) });
      expect([400, 403], `${name}: ${res.status} ${res.text}`).toContain(res.status);
    }
    expect((await t.store.forMerchant(asMerchantId(a.merchantId)).users.list()).items.map((u) => `${u.id}:${u.role}`).sort()).toEqual(before);
  });
});
