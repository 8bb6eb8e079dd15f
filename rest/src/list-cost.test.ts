// What one list page costs the server, counted (never timed): SQL statements, JSON.parse calls and
// sealed details opened while `GET /products` and `GET /conversations` answer a page of 40. The
// store composes the page's JSON (products.listJson, conversations.listSummariesJson), so none of
// the three grows with the rows on the page; before, each product's four JSON columns were parsed
// and each listed customer was read (one statement, its email and phone opened) for a name.
import { asMerchantId, PiiVault, type TenantStore } from "@kaleem/shared";
import type { SqliteStore } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

/**
 * The most statements one list request may run, the caller's authentication included (the user
 * read) — whatever the page holds. Before the store composed the JSON, the conversations page ran
 * 2 + one per distinct customer listed (42 here).
 */
const MAX_LIST_STATEMENTS = 2;
/**
 * JSON.parse calls per list request: none. Nothing per row (before: 4 per product listed), and the
 * access token's header and claims were decoded by an earlier request (TokenService remembers a
 * verified token; before, 3 parses per request).
 */
const MAX_LIST_PARSES = 0;

let t: TestRest;
let s: Session;
let tenant: TenantStore;
beforeAll(async () => {
  t = await startTestRest();
  s = await t.signup("Costs");
  tenant = t.store.forMerchant(asMerchantId(s.merchantId));
  for (let i = 0; i < 40; i++) {
    await tenant.products.create({ name: { en: `Product ${i}`, ar: `منتج ${i}` }, description: { en: "d", ar: "" }, price: 10 + i, tags: ["t"], attributes: { size: "M" } });
    // Every conversation with a customer of its own, contact details sealed at rest.
    const customer = await tenant.customers.create({ channel: "whatsapp", name: `Shopper ${i}`, email: `shopper${i}@shop.example`, phone: `+96655000${String(i).padStart(4, "0")}` });
    await tenant.conversations.create({ channel: "whatsapp", customerId: customer.id });
  }
  // What the signup left running (its settings reads) settles before anything is counted.
  await new Promise((r) => setTimeout(r, 200));
  await fetch(`${t.base}/api/v1/products?limit=1`, { headers: { Authorization: `Bearer ${s.token}` } });
});
afterAll(async () => t?.close());

/** Runs one GET and counts what the server did for it; the body is read as text (not parsed here). */
async function cost(path: string) {
  const sqlite = t.store as unknown as SqliteStore;
  const parse = vi.spyOn(JSON, "parse");
  const open = vi.spyOn(PiiVault.prototype, "open");
  const before = sqlite.statementsExecuted;
  const res = await fetch(`${t.base}/api/v1${path}`, { headers: { Authorization: `Bearer ${s.token}` } });
  const text = await res.text();
  const counts = { statements: sqlite.statementsExecuted - before, parses: parse.mock.calls.length, opened: open.mock.calls.length };
  parse.mockRestore();
  open.mockRestore();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(text));
  return { ...counts, body: JSON.parse(text) as { items: Array<Record<string, unknown>>; nextCursor: string | null } };
}

describe("a list page's cost does not grow with its rows", () => {
  it("GET /products?limit=40: one list statement, no JSON column parsed", async () => {
    const page = await cost("/products?limit=40");
    expect(page.body.items).toHaveLength(40);
    expect(page.body.items[0]).toMatchObject({ name: { en: "Product 39", ar: "منتج 39" }, attributes: { size: "M" }, tags: ["t"] });
    expect(page.statements).toBeLessThanOrEqual(MAX_LIST_STATEMENTS);
    expect(page.parses).toBeLessThanOrEqual(MAX_LIST_PARSES);
    const small = await cost("/products?limit=2");
    expect([small.statements, small.parses]).toEqual([page.statements, page.parses]);
  });

  it("GET /conversations?limit=40: the customers' names in the same statement, no sealed detail opened", async () => {
    const page = await cost("/conversations?limit=40");
    expect(page.body.items).toHaveLength(40);
    expect(page.body.items.map((c) => c.customerName).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `Shopper ${i}`).sort());
    expect(page.statements).toBeLessThanOrEqual(MAX_LIST_STATEMENTS);
    expect(page.parses).toBeLessThanOrEqual(MAX_LIST_PARSES);
    expect(page.opened).toBe(0);
    const small = await cost("/conversations?limit=2");
    expect([small.statements, small.parses, small.opened]).toEqual([page.statements, page.parses, 0]);
  });
});
