// Bad-input fuzz of every REST route that takes a body or a query, driven by the route table:
// random JSON (deep, wide, wrong types, huge strings), invalid UTF-8, wrong content types. The
// server never answers 5xx, every refusal has the one error shape, the server stays responsive,
// and nothing is half-written: each create route made exactly as many records as it answered 201.
import { asMerchantId } from "@kaleem/shared";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";
import { apiRoutes } from "./routes/index.js";

let t: TestRest;
let owner: Session;
const RUNS_PER_ROUTE = 25;
let cases = 0;

beforeAll(async () => {
  t = await startTestRest({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true" });
  owner = await t.signup("Fuzz");
});
afterAll(async () => {
   
  console.log(`REST fuzz: ${cases} requests`);
  await t?.close();
});

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 8 }),
  fc.record({ name: fc.anything(), price: fc.anything(), items: fc.anything(), text: fc.anything(), config: fc.anything(), email: fc.anything(), password: fc.anything() }),
  fc.string({ minLength: 10_000, maxLength: 50_000 }).map((s) => ({ name: { en: s }, text: s, title: s })),
  fc.integer({ min: 40, max: 200 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  }),
);

async function snapshot() {
  const tenant = t.store.forMerchant(asMerchantId(owner.merchantId));
  return {
    "POST /products": (await tenant.products.all()).length,
    "POST /knowledge": (await tenant.knowledge.all()).length,
    "POST /canned-replies": await tenant.cannedReplies.count(),
    "POST /orders": (await tenant.orders.list({}, { limit: 500 })).items.length,
  };
}

describe("REST under random input", () => {
  it("every body route: no 5xx, one error shape, nothing half-written", { timeout: 240_000 }, async () => {
    const before = await snapshot();
    const created: Record<string, number> = {};
    const bodyRoutes = apiRoutes.filter((r) => r.body && !r.path.includes("/auth/"));
    expect(bodyRoutes.length).toBeGreaterThan(10);
    for (const route of bodyRoutes) {
      const label = `${route.method.toUpperCase()} ${route.path}`;
      const path = `/api/v1${route.path.replace(/:(\w+)/g, "01fuzz0000000000000000000")}`;
      await fc.assert(
        fc.asyncProperty(hostile, async (body) => {
          cases += 1;
          const res = await t.request(route.method.toUpperCase(), path, { token: owner.token, body });
          expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.body?.error, `${label} error shape`).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          if (res.status === 201) created[label] = (created[label] ?? 0) + 1;
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    const after = await snapshot();
    for (const label of Object.keys(before) as Array<keyof typeof before>) {
      expect(after[label] - before[label], `${label}: records made vs 201 answers`).toBe(created[label] ?? 0);
    }
  });

  it("invalid UTF-8, wrong content types and truncated JSON are 4xx on every body route", { timeout: 120_000 }, async () => {
    const bad: Array<{ body: Buffer | string; type?: string }> = [
      { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: "application/json" },
      { body: '{"name": {"en": "half', type: "application/json" },
      { body: "name=lamp&price=1", type: "application/x-www-form-urlencoded" },
      { body: "<xml/>", type: "text/xml" },
      { body: '{"a":1}' },
    ];
    for (const route of apiRoutes.filter((r) => r.body)) {
      const path = `/api/v1${route.path.replace(/:(\w+)/g, "01fuzz0000000000000000000")}`;
      for (const { body, type } of bad) {
        cases += 1;
        const res = await t.request(route.method.toUpperCase(), path, { token: owner.token, rawBody: body, headers: type ? { "content-type": type } : {} });
        expect(res.status, `${route.method} ${route.path} ${type}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
    // Still answering normally.
    expect((await t.request("GET", "/api/v1/me", { token: owner.token })).status).toBe(200);
  });

  it("random query strings on every list route are 2xx or 4xx with the error shape", { timeout: 120_000 }, async () => {
    const lists = apiRoutes.filter((r) => r.method === "get" && r.query && !r.path.includes(":"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.string({ maxLength: 300 }), fc.integer().map(String)), { maxKeys: 5 }), async (route, params) => {
        cases += 1;
        const query = new URLSearchParams(params).toString();
        const res = await t.request("GET", `/api/v1${route.path}?${query}`, { token: owner.token });
        expect(res.status, `${route.path}?${query}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.body?.error?.code).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
  });
});
