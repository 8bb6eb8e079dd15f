import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
const changes: Array<{ merchantId: string; changed: string[]; removed: string[] }> = [];
const knowledgeChanges: string[] = [];
beforeAll(async () => {
  t = await startTestRest(
    {},
    {
      catalogEvents: {
        productsChanged: (merchantId, changed, removed) => changes.push({ merchantId, changed, removed }),
        knowledgeChanged: (merchantId) => knowledgeChanges.push(merchantId),
      },
    },
  );
  s = await t.signup("Catalog");
});
afterAll(async () => t?.close());

const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { token: s.token, ...(body !== undefined && { body }) });

describe("products and categories", () => {
  it("creates a product, creating its category from a slug, and notifies the search index", async () => {
    const res = await api("POST", "/products", {
      name: { en: "Oud perfume", ar: "عطر عود" },
      description: { ar: "عطر فاخر" },
      category: "Perfumes",
      price: 250,
      stock: 3,
      attributes: { size: "100ml" },
      tags: ["gift"],
      imageUrl: "https://cdn.example.com/oud.jpg",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: { en: "Oud perfume", ar: "عطر عود" },
      description: { en: "", ar: "عطر فاخر" },
      price: 250,
      currency: "SAR",
      stock: 3,
      attributes: { size: "100ml" },
      status: "active",
    });
    const category = await api("GET", `/categories/${res.body.categoryId}`);
    expect(category.body.slug).toBe("perfumes");
    expect(changes.at(-1)).toEqual({ merchantId: s.merchantId, changed: [res.body.id], removed: [] });

    // The same slug reuses the category.
    const second = await api("POST", "/products", { name: { en: "Musk" }, category: "perfumes", price: 80 });
    expect(second.body.categoryId).toBe(res.body.categoryId);
  });

  it("validates product bodies with clear errors", async () => {
    const res = await api("POST", "/products", { name: { en: "", ar: "" }, price: -1, imageUrl: "javascript:alert(1)", currency: "riyal" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "price", "imageUrl", "currency"]));
  });

  it("updates only the given fields (and one language of the name), then deletes", async () => {
    const created = await api("POST", "/products", { name: { en: "Lamp", ar: "مصباح" }, price: 10, stock: 1, externalId: "L-1" });
    const patched = await api("PATCH", `/products/${created.body.id}`, { name: { en: "Desk lamp" }, price: 12.5, category: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: { en: "Desk lamp", ar: "مصباح" }, price: 12.5, stock: 1, externalId: "L-1" });
    const dupExternal = await api("POST", "/products", { name: { en: "Other" }, price: 1, externalId: "L-1" });
    expect(dupExternal.status).toBe(409);
    const del = await api("DELETE", `/products/${created.body.id}`);
    expect(del.status).toBe(204);
    expect(changes.at(-1)).toEqual({ merchantId: s.merchantId, changed: [], removed: [created.body.id] });
    expect((await api("GET", `/products/${created.body.id}`)).status).toBe(404);
    expect((await api("DELETE", `/products/${created.body.id}`)).status).toBe(404);
  });

  it("filters by status, category, price range and text", async () => {
    const other = await t.signup("Filters");
    const call = (path: string, body?: unknown) => t.request(body ? "POST" : "GET", `/api/v1${path}`, { token: other.token, ...(body !== undefined && { body }) });
    await call("/products", { name: { en: "Red dress", ar: "فستان أحمر" }, price: 300, category: "dresses" });
    await call("/products", { name: { en: "Blue dress" }, price: 150, category: "dresses", status: "draft" });
    await call("/products", { name: { en: "Leather bag", ar: "حقيبة جلد" }, price: 450, category: "bags" });
    const names = (res: { body: { items: Array<{ name: { en: string } }> } }) => res.body.items.map((p) => p.name.en).sort();
    expect(names(await call("/products?category=dresses"))).toEqual(["Blue dress", "Red dress"]);
    expect(names(await call("/products?status=draft"))).toEqual(["Blue dress"]);
    expect(names(await call("/products?minPrice=200&maxPrice=400"))).toEqual(["Red dress"]);
    expect(names(await call("/products?q=" + encodeURIComponent("حقيبة")))).toEqual(["Leather bag"]);
    expect(names(await call("/products?category=nope"))).toEqual([]);
    const bad = await call("/products?minPrice=cheap&limit=1000");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["limit", "minPrice"]);
  });

  it("pages with a cursor that stays stable while new products are inserted", async () => {
    const other = await t.signup("Paging");
    const call = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { token: other.token, ...(body !== undefined && { body }) });
    for (let i = 0; i < 7; i++) await call("POST", "/products", { name: { en: `Item ${i}` }, price: i });
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: { body: { items: Array<{ id: string; name: { en: string } }>; nextCursor: string | null } } = await call(
        "GET",
        `/products?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...page.body.items.map((p) => p.name.en));
      cursor = page.body.nextCursor;
      // Inserts between pages land before the first page and must not shift later pages.
      await call("POST", "/products", { name: { en: `New ${round++}` }, price: 1 });
    } while (cursor);
    expect(seen).toEqual(["Item 6", "Item 5", "Item 4", "Item 3", "Item 2", "Item 1", "Item 0"]);
    expect((await call("GET", "/products?cursor=not-a-cursor")).status).toBe(400);
  });

  it("imports rows: upserts by externalId, reports invalid rows by index, keeps the valid ones", async () => {
    const other = await t.signup("Import");
    const call = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { token: other.token, ...(body !== undefined && { body }) });
    const first = await call("POST", "/products/import", {
      products: [
        { externalId: "S-1", name: { en: "Shirt", ar: "قميص" }, price: 50, currency: "SAR", stock: 4, category: "shirts", tags: ["cotton"] },
        { externalId: "S-2", name: { en: "No price" } },
        { externalId: "S-3", name: { ar: "شماغ" }, description: { ar: "شماغ أحمر" }, price: 120, category: "shemagh", attributes: { color: "red", pieces: 3, washable: true } },
        "not an object",
        { name: { en: "No external id" }, price: 3 },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(2);
    expect(first.body.updated).toBe(0);
    expect(first.body.failed).toBe(3);
    expect(first.body.errors.map((e: { index: number }) => e.index)).toEqual([1, 3, 4]);
    expect(first.body.errors[0].message).toMatch(/price/);
    expect(first.body.errors[0].externalId).toBe("S-2");

    const second = await call("POST", "/products/import", {
      products: [
        { externalId: "S-1", name: { en: "Shirt v2", ar: "قميص" }, price: 55 },
        { externalId: "S-4", name: { en: "Cap" }, price: 20 },
      ],
    });
    expect(second.body).toEqual({ created: 1, updated: 1, failed: 0, errors: [] });
    const list = await call("GET", "/products?limit=100");
    const byExt = Object.fromEntries(list.body.items.map((p: { externalId: string }) => [p.externalId, p]));
    expect(Object.keys(byExt).sort()).toEqual(["S-1", "S-3", "S-4"]);
    expect(byExt["S-1"]).toMatchObject({ name: { en: "Shirt v2" }, price: 55 });
    // Numbers and flags in attributes are kept as text, as a platform export writes them.
    expect(byExt["S-3"]).toMatchObject({ attributes: { color: "red", pieces: "3", washable: "true" } });
    expect(changes.at(-1)?.changed).toHaveLength(2);

    expect((await call("POST", "/products/import", { products: [] })).status).toBe(400);
    expect((await call("POST", "/products/import", { products: "nope" })).status).toBe(400);
  });

  it("manages categories", async () => {
    const created = await api("POST", "/categories", { slug: "home-decor", name: { en: "Home decor", ar: "ديكور" } });
    expect(created.status).toBe(201);
    expect((await api("POST", "/categories", { slug: "home-decor" })).status).toBe(409);
    const renamed = await api("PATCH", `/categories/${created.body.id}`, { name: { en: "Decor" } });
    expect(renamed.body.name).toEqual({ en: "Decor", ar: "ديكور" });
    const list = await api("GET", "/categories");
    expect(list.body.items.map((c: { slug: string }) => c.slug)).toContain("home-decor");
    expect((await api("DELETE", `/categories/${created.body.id}`)).status).toBe(204);
    expect((await api("GET", `/categories/${created.body.id}`)).status).toBe(404);
  });
});

describe("knowledge items", () => {
  it("creates structured policies and FAQ entries, validated by the domain schema", async () => {
    const shipping = await api("POST", "/knowledge", {
      title: "Shipping",
      data: {
        kind: "shipping",
        policy: { zones: [{ name: { en: "Riyadh", ar: "الرياض" }, areas: ["Riyadh"], fee: 15, minDays: 1, maxDays: 2 }] },
      },
    });
    expect(shipping.status).toBe(201);
    expect(shipping.body.data.policy.zones[0]).toMatchObject({ fee: 15, freeAbove: null });
    const payment = await api("POST", "/knowledge", {
      title: "Payment",
      data: { kind: "payment", policy: { methods: [{ code: "cod", name: { en: "Cash on delivery", ar: "الدفع عند الاستلام" }, fee: 10 }], cashOnDelivery: true } },
    });
    expect(payment.status).toBe(201);

    const bad = await api("POST", "/knowledge", { title: "Bad", data: { kind: "shipping", policy: { zones: [] } } });
    expect(bad.status).toBe(400);
    const unknownKind = await api("POST", "/knowledge", { title: "Bad", data: { kind: "magic" } });
    expect(unknownKind.status).toBe(400);

    const faq = await api("POST", "/knowledge", { title: "Gift wrap", data: { kind: "faq", faq: { question: { en: "Gift wrap?" }, answer: { en: "Yes" } } } });
    const updated = await api("PATCH", `/knowledge/${faq.body.id}`, { title: "Gift wrapping" });
    expect(updated.body).toMatchObject({ title: "Gift wrapping", data: { kind: "faq" } });
    const list = await api("GET", "/knowledge");
    expect(list.body.items.map((k: { title: string }) => k.title)).toEqual(expect.arrayContaining(["Shipping", "Payment", "Gift wrapping"]));
    expect((await api("DELETE", `/knowledge/${faq.body.id}`)).status).toBe(204);
    expect((await api("GET", `/knowledge/${faq.body.id}`)).status).toBe(404);
  });
});

describe("knowledge writes", () => {
  it("tell the bot's knowledge index on create, update and delete, and not on reads", async () => {
    const before = knowledgeChanges.length;
    const faq = { kind: "faq", faq: { question: { en: "Do you gift wrap?", ar: "هل تغلفون الهدايا؟" }, answer: { en: "Yes, free.", ar: "نعم مجانا" } } };
    const created = await api("POST", "/knowledge", { title: "Gift wrap", data: faq });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api("GET", `/knowledge/${id}`)).status).toBe(200);
    expect((await api("PATCH", `/knowledge/${id}`, { title: "Gift wrapping" })).status).toBe(200);
    expect((await api("DELETE", `/knowledge/${id}`)).status).toBe(204);
    expect(knowledgeChanges.slice(before)).toEqual([s.merchantId, s.merchantId, s.merchantId]);
  });
});
