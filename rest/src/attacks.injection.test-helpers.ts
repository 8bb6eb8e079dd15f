// Attacks, family 11: query-language injection and prototype pollution, written once for every store
// engine. `describeInjectionAttacks` takes how to start the REST app on an engine's store; the
// SQLite run is attacks.injection.test.ts, and the MongoDB adapter runs the same suite against its
// own server (`startTestRest({}, {}, { openStore })`), so every case here is tried on both.
//
// What must hold: an operator object (`{"$ne": null}`, `$where`, `$nor`, `$regex`, ...), a dotted
// key or a prototype key anywhere in a body, or an operator-shaped query parameter, is a 400 with
// nothing changed; strings that mean something to a query language (SQL quotes and LIKE wildcards,
// Mongo operators as text, regex metacharacters) are plain text that matches only itself; and no
// request can add a property to Object.prototype of the process serving it.
import { asMerchantId } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session, TestRest } from "./harness.test-helpers.js";

export interface BodyCase {
  name: string;
  method: "POST" | "PATCH";
  /** `:product` and `:conversation` stand for ids of the caller's own records. */
  path: string;
  body: unknown;
  /** Sent without a token (sign-in routes). */
  anonymous?: boolean;
}

const product = { name: { en: "Injected lamp" }, price: 10, stock: 1 };

/** Bodies carrying operators, dotted or prototype keys: every one must be refused with 400. */
export const injectionBodies: BodyCase[] = [
  { name: "login: $ne on email and password", method: "POST", path: "/auth/login", body: { email: { $ne: null }, password: { $ne: null } }, anonymous: true },
  { name: "login: $gt on the password", method: "POST", path: "/auth/login", body: { email: "owner@example.com", password: { $gt: "" } }, anonymous: true },
  { name: "login: $regex on the email", method: "POST", path: "/auth/login", body: { email: { $regex: ".*" }, password: "x" }, anonymous: true },
  { name: "login: top-level $where", method: "POST", path: "/auth/login", body: { $where: "return true", email: "a@b.example", password: "x" }, anonymous: true },
  { name: "login: $or of anything", method: "POST", path: "/auth/login", body: { $or: [{ email: "a@b.example" }, { email: { $exists: true } }], password: "x" }, anonymous: true },
  { name: "refresh: $regex as the token", method: "POST", path: "/auth/refresh", body: { refreshToken: { $regex: "." } }, anonymous: true },
  { name: "signup: $ne as the email", method: "POST", path: "/auth/signup", body: { storeName: "S", email: { $ne: null }, password: "long enough password 1" }, anonymous: true },
  { name: "product create: $set beside the fields", method: "POST", path: "/products", body: { ...product, $set: { merchantId: "someone-else" } } },
  { name: "product create: dotted key", method: "POST", path: "/products", body: { ...product, "name.en": "x" } },
  { name: "product create: __proto__ key", method: "POST", path: "/products", body: JSON.parse(`{"name":{"en":"p"},"price":1,"stock":1,"__proto__":{"polluted":"yes","isAdmin":true}}`) as unknown },
  { name: "product create: constructor.prototype", method: "POST", path: "/products", body: { ...product, constructor: { prototype: { polluted: "yes" } } } },
  { name: "product create: nested __proto__ in a name", method: "POST", path: "/products", body: JSON.parse(`{"name":{"en":"p","__proto__":{"polluted":"yes"}},"price":1,"stock":1}`) as unknown },
  { name: "product update: $inc", method: "PATCH", path: "/products/:product", body: { $inc: { price: -100 } } },
  { name: "product update: $ne as the price", method: "PATCH", path: "/products/:product", body: { price: { $ne: null } } },
  { name: "product update: $unset", method: "PATCH", path: "/products/:product", body: { $unset: { price: 1 } } },
  { name: "order: $ne as the product id", method: "POST", path: "/orders", body: { items: [{ productId: { $ne: null }, quantity: 1 }] } },
  { name: "order: $nor at the top", method: "POST", path: "/orders", body: { $nor: [{}], items: [{ productId: "x", quantity: 1 }] } },
  { name: "order: $where in an item", method: "POST", path: "/orders", body: { items: [{ productId: "x", quantity: 1, $where: "sleep(1000)" }] } },
  { name: "order: $gt as the quantity", method: "POST", path: "/orders", body: { items: [{ productId: "x", quantity: { $gt: 0 } }] } },
  { name: "conversation: $each in labels", method: "PATCH", path: "/conversations/:conversation", body: { labels: { $each: ["x"] } } },
  { name: "conversation: $push", method: "PATCH", path: "/conversations/:conversation", body: { $push: { labels: "x" } } },
  { name: "canned reply: __proto__ beside the fields", method: "POST", path: "/canned-replies", body: JSON.parse(`{"shortcut":"hello","text":"Hi","__proto__":{"isAdmin":true}}`) as unknown },
  { name: "bot settings: dotted path", method: "PATCH", path: "/settings/bot", body: { "bot.checkout": "platform" } },
  { name: "bot settings: $rename", method: "PATCH", path: "/settings/bot", body: { $rename: { lowConfidence: "x" } } },
  { name: "widget settings: $addToSet on origins", method: "PATCH", path: "/settings/widget", body: { allowedOrigins: { $addToSet: "https://evil.example" } } },
  { name: "team: $ne as the email", method: "POST", path: "/team", body: { email: { $ne: null }, name: "N", role: "agent", password: "long enough password 1" } },
];

/** Operator-shaped query strings: every one must be refused with 400. */
export const injectionQueries: string[] = [
  "/products?status[$ne]=draft",
  "/products?limit[$gt]=0",
  "/products?q[$regex]=.*",
  "/products?$where=sleep(1000)",
  "/products?price.%24gt=0",
  "/orders?status[$nin][]=cancelled",
  "/orders?q[$ne]=x",
  "/orders?__proto__[polluted]=yes",
  "/orders?constructor[prototype][polluted]=yes",
  "/conversations?status[$ne]=closed",
  "/conversations?assignee[$exists]=true",
  "/conversations?q[$where]=1",
  "/audit?action[$regex]=auth",
  "/me?role[$ne]=agent",
];

/** Search terms that mean something to SQL, LIKE, regexes or Mongo: each must match nothing here. */
export const literalSearchTerms: string[] = [
  "%",
  "_",
  "%%",
  "\\%",
  "' OR '1'='1",
  "\" OR \"\"=\"",
  "1; DROP TABLE products; --",
  "') OR 1=1 --",
  ".*",
  "^",
  "[a-z]",
  "(?:)",
  '{"$ne":null}',
  '{"$gt":""}',
  "$where",
  "*",
];

const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
/** Hand-made page cursors carrying operators: each must be refused with 400. */
export const injectionCursors: string[] = [
  cursorOf({ k: { $ne: null }, id: "x" }),
  cursorOf({ k: "a", id: { $gt: "" } }),
  cursorOf({ k: "a", id: "x", $where: "1" }),
  cursorOf({ $or: [{}] }),
  cursorOf([1, 2]),
  "not-base64-json",
];
/** Cursors that are positions made of query-language text: allowed, but they must page the caller's own records only. */
export const literalCursors: string[] = [cursorOf({ k: "' OR 1=1 --", id: "' OR '1'='1" }), cursorOf({ k: "%", id: "%" }), cursorOf({ k: "", id: "" }), cursorOf({ k: "\u0000", id: "*" })];

/** Where the literal terms are searched: each list route that takes `q`. */
const searchRoutes = ["/products", "/orders", "/conversations"];

export function describeInjectionAttacks(engine: string, start: () => Promise<TestRest>): void {
  describe(`injection attacks (${engine})`, () => {
    let t: TestRest;
    let s: Session;
    let ids: { product: string; conversation: string };
    const snapshot = async () => {
      const tenant = t.store.forMerchant(asMerchantId(s.merchantId));
      return JSON.stringify({
        products: (await tenant.products.list()).items.map((p) => ({ id: p.id, name: p.name, price: p.price, stock: p.stock })),
        orders: (await tenant.orders.list()).items.length,
        canned: await tenant.cannedReplies.list(),
        conversations: (await tenant.conversations.list()).items.map((c) => ({ id: c.id, labels: c.labels })),
        merchant: await tenant.merchant.get(),
        users: (await tenant.users.list()).items.map((u) => ({ id: u.id, role: u.role, email: u.email })),
      });
    };

    beforeAll(async () => {
      t = await start();
      s = await t.signup("Injection");
      const lamp = await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: "Brass lamp" }, price: 99, stock: 4 } });
      const tenant = t.store.forMerchant(asMerchantId(s.merchantId));
      const customer = await tenant.customers.create({ channel: "webchat", name: "Shopper" });
      const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v-inj", customerId: customer.id });
      await tenant.messages.append(conversation.id, { role: "shopper", text: "Where is my brass lamp?", parts: [] });
      expect((await t.request("POST", "/api/v1/orders", { token: s.token, body: { items: [{ productId: lamp.body.id, quantity: 1 }], contact: { name: "Reem", phone: "+966551112233" } } })).status).toBeLessThan(300);
      ids = { product: lamp.body.id as string, conversation: conversation.id };
    });
    afterAll(async () => t?.close());

    it(`refuses every operator, dotted or prototype key in a body with 400, changing nothing (${injectionBodies.length} cases)`, async () => {
      const before = await snapshot();
      for (const c of injectionBodies) {
        const path = c.path.replace(":product", ids.product).replace(":conversation", ids.conversation);
        // Raw JSON: JSON.stringify would drop a real __proto__ key.
        const res = await t.request(c.method, `/api/v1${path}`, { ...(c.anonymous ? {} : { token: s.token }), rawBody: JSON.stringify(c.body), headers: { "content-type": "application/json" } });
        expect(res.status, `${c.name}: ${res.text}`).toBe(400);
        expect(res.body.error.code, c.name).toBe("validation_failed");
      }
      expect(await snapshot()).toBe(before);
    });

    it("a __proto__ key sent as raw JSON really reaches the server as one (so the case above is real)", () => {
      const raw = JSON.stringify(injectionBodies.find((c) => c.name === "product create: __proto__ key")!.body);
      expect(raw).toContain('"__proto__"');
    });

    it(`refuses every operator-shaped query parameter with 400 (${injectionQueries.length} cases)`, async () => {
      for (const q of injectionQueries) {
        const res = await t.request("GET", `/api/v1${q}`, { token: s.token });
        expect(res.status, `${q}: ${res.text}`).toBe(400);
        expect(res.body.error.code, q).toBe("validation_failed");
      }
    });

    it(`refuses hand-made cursors with operators (${injectionCursors.length}), and text cursors page only the caller's records (${literalCursors.length})`, async () => {
      for (const route of searchRoutes) {
        for (const cursor of injectionCursors) {
          const res = await t.request("GET", `/api/v1${route}?cursor=${cursor}`, { token: s.token });
          expect(res.status, `${route} ${Buffer.from(cursor, "base64url").toString()}: ${res.text}`).toBe(400);
        }
      }
      const other = await t.signup("Injection other");
      await t.request("POST", "/api/v1/products", { token: other.token, body: { name: { en: "Other store's lamp" }, price: 1, stock: 1 } });
      for (const cursor of literalCursors) {
        const res = await t.request("GET", `/api/v1/products?cursor=${cursor}&limit=100`, { token: s.token });
        // A position may be refused (its key is the wrong type) or page on; it never reaches another store.
        expect([200, 400], res.text).toContain(res.status);
        if (res.status === 200) for (const p of res.body.items as Array<{ merchantId: string }>) expect(p.merchantId).toBe(s.merchantId);
      }
    });

    it(`treats query-language strings as text: each search matches nothing (${literalSearchTerms.length} terms × ${searchRoutes.length} routes)`, async () => {
      // The genuine terms do match, so an empty answer below is about the term.
      expect((await t.request("GET", "/api/v1/products?q=brass", { token: s.token })).body.items).toHaveLength(1);
      expect((await t.request("GET", "/api/v1/orders?q=966551112233", { token: s.token })).body.items).toHaveLength(1);
      for (const route of searchRoutes) {
        for (const term of literalSearchTerms) {
          const res = await t.request("GET", `/api/v1${route}?q=${encodeURIComponent(term)}`, { token: s.token });
          expect(res.status, `${route} ${term}: ${res.text}`).toBe(200);
          expect(res.body.items, `${route}?q=${term} matched records`).toEqual([]);
        }
      }
    });

    it("stores query-language strings as plain values and reads them back unchanged", async () => {
      for (const name of ["'; DROP TABLE products; --", '{"$ne":null}', "$where", "%_%", "Robert'); DELETE FROM orders;--"]) {
        const res = await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: name }, price: 5, stock: 1 } });
        expect(res.status, res.text).toBe(201);
        const back = await t.request("GET", `/api/v1/products/${res.body.id as string}`, { token: s.token });
        expect(back.body.name.en).toBe(name);
        // The search finds it by its own text, and only it.
        const found = await t.request("GET", `/api/v1/products?q=${encodeURIComponent(name)}`, { token: s.token });
        expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
        await t.request("DELETE", `/api/v1/products/${res.body.id as string}`, { token: s.token });
      }
      // The tables are still there and whole.
      expect((await t.request("GET", "/api/v1/orders", { token: s.token })).body.items).toHaveLength(1);
    });

    it("login with SQL or operator text as the email is an ordinary failure, not a way in", async () => {
      for (const email of ["' OR '1'='1", "admin'--", '{"$ne":null}', "*"]) {
        const res = await t.request("POST", "/api/v1/auth/login", { body: { email, password: "' OR '1'='1" } });
        expect([400, 401], `${email}: ${res.text}`).toContain(res.status);
        expect(res.text).not.toMatch(/accessToken/);
      }
    });

    it("no request polluted Object.prototype of the serving process", () => {
      const probe = {} as Record<string, unknown>;
      expect(probe.polluted).toBeUndefined();
      expect(probe.isAdmin).toBeUndefined();
    });
  });
}
