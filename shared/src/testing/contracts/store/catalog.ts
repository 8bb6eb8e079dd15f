// Store contract, catalog: categories and products (filters in both languages, stable pages,
// upsert by external id, stock reservation under concurrency).
import { describe, expect, it } from "vitest";
import { ConflictError, ValidationError } from "../../../errors.js";
import type { NewProduct, TenantStore } from "../../../ports/store.js";
import { collectPages, type StoreHarness } from "./harness.js";

export function catalogStoreTests(h: StoreHarness): void {
  const { tenant } = h;

  describe("categories", () => {
    it("ensure is idempotent by slug; update, list, remove", async () => {
      const { t } = await tenant();
      const shoes = await t.categories.ensure({ slug: "shoes", name: { en: "Shoes", ar: "أحذية" } });
      expect(shoes).toMatchObject({ slug: "shoes", name: { en: "Shoes", ar: "أحذية" } });
      expect((await t.categories.ensure({ slug: "shoes" })).id).toBe(shoes.id);
      expect(await t.categories.get(shoes.id)).toEqual(shoes);
      expect(await t.categories.getBySlug("shoes")).toEqual(shoes);
      expect(await t.categories.getBySlug("hats")).toBeNull();

      const bags = await t.categories.ensure({ slug: "bags", name: { en: "Bags" } });
      expect(bags.name).toEqual({ en: "Bags", ar: "" });
      const renamed = await t.categories.update(bags.id, { name: { ar: "حقائب" } });
      expect(renamed?.name).toEqual({ en: "Bags", ar: "حقائب" });
      await expect(t.categories.update(bags.id, { slug: "shoes" })).rejects.toBeInstanceOf(ConflictError);

      const { items } = await collectPages((p) => t.categories.list(p), 1);
      expect(items.map((c) => c.slug).sort()).toEqual(["bags", "shoes"]);

      const product = await t.products.create({ name: { en: "Sneaker", ar: "" }, price: 10, categoryId: shoes.id });
      expect(await t.categories.remove(shoes.id)).toBe(true);
      expect(await t.categories.get(shoes.id)).toBeNull();
      expect((await t.products.get(product.id))?.categoryId).toBeNull();
      expect(await t.categories.remove(shoes.id)).toBe(false);
    });

    it("ensure raced for one slug creates one category", async () => {
      const { t } = await tenant();
      const results = await Promise.all(Array.from({ length: 8 }, () => t.categories.ensure({ slug: "race" })));
      expect(new Set(results.map((c) => c.id)).size).toBe(1);
    });
  });

  describe("products", () => {
    const sample = (over: Partial<NewProduct> = {}): NewProduct => ({
      name: { en: "Red Running Shoe", ar: "حذاء جري أحمر" },
      description: { en: "Light and fast", ar: "خفيف وسريع" },
      price: 199.99,
      stock: 5,
      tags: ["running", "Sport"],
      ...over,
    });

    it("create applies defaults; get, update, remove, count", async () => {
      const { t, merchant } = await tenant();
      const created = await t.products.create({ name: { en: "Plain", ar: "" }, price: 10 });
      expect(created).toMatchObject({
        merchantId: merchant.id,
        externalId: null,
        name: { en: "Plain", ar: "" },
        description: { en: "", ar: "" },
        categoryId: null,
        price: 10,
        currency: "SAR",
        attributes: {},
        stock: 0,
        tags: [],
        imageUrl: null,
        url: null,
        status: "active",
      });
      expect(await t.products.get(created.id)).toEqual(created);

      const full = await t.products.create(
        sample({ attributes: { color: "red" }, imageUrl: "https://img/1.png", url: "https://shop/p/1" }),
      );
      expect(full.attributes).toEqual({ color: "red" });
      const updated = await t.products.update(full.id, { price: 150, status: "draft", imageUrl: null, name: { en: "Red Running Shoe", ar: "حذاء" } });
      expect(updated).toMatchObject({
        price: 150,
        status: "draft",
        imageUrl: null,
        url: "https://shop/p/1",
        name: { en: "Red Running Shoe", ar: "حذاء" },
      });
      expect(await t.products.get(full.id)).toEqual(updated);
      expect(await t.products.update("missing", { price: 1 })).toBeNull();
      expect(await t.products.count()).toBe(2);
      expect(await t.products.remove(created.id)).toBe(true);
      expect(await t.products.remove(created.id)).toBe(false);
      expect(await t.products.get(created.id)).toBeNull();
      expect(await t.products.count()).toBe(1);
    });

    it("filters by status, category, price range and text in both languages", async () => {
      const { t } = await tenant();
      const shoes = await t.categories.ensure({ slug: "shoes" });
      const red = await t.products.create(sample({ categoryId: shoes.id, externalId: "SKU-RED" }));
      const blue = await t.products.create(
        sample({ name: { en: "Blue Sandal", ar: "صندل أزرق" }, description: { en: "", ar: "" }, price: 50, tags: ["summer"], categoryId: shoes.id }),
      );
      const hat = await t.products.create(sample({ name: { en: "Sun Hat", ar: "قبعة شمس" }, description: { en: "", ar: "" }, price: 80, tags: [], status: "draft" }));
      const ids = async (filter: Parameters<TenantStore["products"]["list"]>[0]) =>
        (await t.products.list(filter, { limit: 100 })).items.map((p) => p.id).sort();

      expect(await ids({})).toEqual([red.id, blue.id, hat.id].sort());
      expect(await ids({ status: "draft" })).toEqual([hat.id]);
      expect(await ids({ status: "active", categoryId: shoes.id })).toEqual([red.id, blue.id].sort());
      expect(await ids({ minPrice: 60 })).toEqual([red.id, hat.id].sort());
      expect(await ids({ maxPrice: 80 })).toEqual([blue.id, hat.id].sort());
      expect(await ids({ minPrice: 50, maxPrice: 80 })).toEqual([blue.id, hat.id].sort());
      expect(await ids({ q: "running" })).toEqual([red.id]);
      expect(await ids({ q: "SANDAL" })).toEqual([blue.id]);
      expect(await ids({ q: "sport" })).toEqual([red.id]);
      expect(await ids({ q: "fast" })).toEqual([red.id]);
      expect(await ids({ q: "sku-red" })).toEqual([red.id]);
      expect(await ids({ q: "صندل" })).toEqual([blue.id]);
      expect(await ids({ q: "قبعة" })).toEqual([hat.id]);
      expect(await ids({ q: "خفيف" })).toEqual([red.id]);
      expect(await ids({ q: "nothing-like-this" })).toEqual([]);
      expect(await ids({ q: "shoe", status: "active", maxPrice: 100 })).toEqual([]);
    });

    it("lists newest first and pages stably while products are added", async () => {
      const { t } = await tenant();
      const original: string[] = [];
      for (let i = 0; i < 23; i++) original.push((await t.products.create(sample({ price: i }))).id);
      const added: string[] = [];
      const { items } = await collectPages(
        (p) => t.products.list({}, p),
        5,
        async () => {
          added.push((await t.products.create(sample({ price: 1000 }))).id);
        },
      );
      const seen = items.map((p) => p.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of original) expect(seen).toContain(id);
      const originalOnly = seen.filter((id) => original.includes(id));
      expect(originalOnly).toEqual([...original].reverse());
    });

    it("upsertByExternalId creates once, then updates the same product", async () => {
      const { t } = await tenant();
      const first = await t.products.upsertByExternalId("ext-1", sample({ price: 10, stock: 3 }));
      expect(first.created).toBe(true);
      expect(first.product.externalId).toBe("ext-1");
      const second = await t.products.upsertByExternalId("ext-1", sample({ price: 12, stock: 7 }));
      expect(second.created).toBe(false);
      expect(second.product.id).toBe(first.product.id);
      expect(second.product).toMatchObject({ price: 12, stock: 7, externalId: "ext-1" });
      expect(await t.products.getByExternalId("ext-1")).toEqual(second.product);
      expect(await t.products.getByExternalId("ext-2")).toBeNull();
      expect(await t.products.count()).toBe(1);
      await expect(t.products.create(sample({ externalId: "ext-1" }))).rejects.toBeInstanceOf(ConflictError);
    });

    it("keys products by (source, externalId): one id on Shopify, Salla, Zid and in the CSV catalog are four products", async () => {
      const { t } = await tenant();
      const id = "788032119674292922";
      const csv = await t.products.upsertByExternalId(id, sample({ price: 1 }));
      const shopify = await t.products.upsertByExternalId(id, sample({ source: "shopify", price: 2 }));
      const salla = await t.products.upsertByExternalId(id, sample({ source: "salla", price: 3 }));
      const zid = await t.products.upsertByExternalId(id, sample({ source: "zid", price: 4 }));
      expect(new Set([csv, shopify, salla, zid].map((r) => r.product.id)).size).toBe(4);
      expect([csv, shopify, salla, zid].every((r) => r.created)).toBe(true);
      expect(csv.product.source).toBeNull();
      expect(shopify.product).toMatchObject({ source: "shopify", externalId: id, price: 2 });
      expect((await t.products.getByExternalId(id))?.id).toBe(csv.product.id);
      expect((await t.products.getByExternalId(id, "zid"))?.price).toBe(4);
      // An update keeps the product in its source, whatever the input says.
      const again = await t.products.upsertByExternalId(id, sample({ source: "shopify", price: 5 }));
      expect(again).toMatchObject({ created: false, product: { id: shopify.product.id, source: "shopify", price: 5 } });
      expect(await t.products.count()).toBe(4);
      await expect(t.products.create(sample({ source: "salla", externalId: id }))).rejects.toBeInstanceOf(ConflictError);
    });

    it("all() returns every product ordered by id", async () => {
      const { t } = await tenant();
      for (let i = 0; i < 7; i++) await t.products.create(sample({ price: i }));
      const all = await t.products.all();
      expect(all).toHaveLength(7);
      expect(all.map((p) => p.id)).toEqual(all.map((p) => p.id).sort());
    });

    it("reserveStock never goes below zero under concurrency", async () => {
      const { t } = await tenant();
      const p = await t.products.create(sample({ stock: 10 }));
      const results = await Promise.all(Array.from({ length: 25 }, () => t.products.reserveStock(p.id, 1)));
      expect(results.filter(Boolean)).toHaveLength(10);
      expect((await t.products.get(p.id))?.stock).toBe(0);
      expect(await t.products.reserveStock(p.id, 1)).toBe(false);
      await t.products.update(p.id, { stock: 5 });
      expect(await t.products.reserveStock(p.id, 6)).toBe(false);
      expect(await t.products.reserveStock(p.id, 5)).toBe(true);
      expect((await t.products.get(p.id))?.stock).toBe(0);
      await expect(t.products.reserveStock(p.id, 0)).rejects.toBeInstanceOf(ValidationError);
      expect(await t.products.reserveStock("missing", 1)).toBe(false);
    });

    it("rejects a category of another merchant", async () => {
      const a = await tenant();
      const b = await tenant();
      const cat = await a.t.categories.ensure({ slug: "mine" });
      await expect(b.t.products.create(sample({ categoryId: cat.id }))).rejects.toBeInstanceOf(ValidationError);
      const p = await b.t.products.create(sample());
      await expect(b.t.products.update(p.id, { categoryId: cat.id })).rejects.toBeInstanceOf(ValidationError);
    });

    it("listJson is list's page as JSON text, for every filter and page", async () => {
      const { t } = await tenant();
      const shoes = await t.categories.ensure({ slug: "shoes" });
      // Text that JSON must escape, both languages, whole and fractional prices, every optional field.
      await t.products.create(
        sample({
          name: { en: 'The "Quote" \\ back\\slash\ttab', ar: "حذاء \u0000 😀 \u2028" },
          description: { en: "line one\nline two", ar: "سطر" },
          attributes: { size: "42", 'fit "wide"': "yes" },
          tags: ["a,b", "ج"],
          externalId: "SKU-1",
          categoryId: shoes.id,
          imageUrl: "https://img.example/1.png",
          url: "https://shop.example/p/1",
          price: 19.99,
        }),
      );
      for (let i = 0; i < 6; i++) await t.products.create(sample({ price: 1000 + i * 0.5, stock: i, status: i % 3 === 0 ? "draft" : "active", ...(i % 2 ? { categoryId: shoes.id } : {}) }));
      await t.products.create({ name: { en: "Bare", ar: "" }, price: 0 });
      for (const filter of [{}, { status: "draft" as const }, { categoryId: shoes.id }, { minPrice: 1001, maxPrice: 1002 }, { q: "quote" }, { q: "حذاء" }, { q: "nothing-like-this" }]) {
        const typed = await collectPages((p) => t.products.list(filter, p), 3);
        const pages: unknown[] = [];
        let cursor: string | null = null;
        do {
          const json = await t.products.listJson(filter, { limit: 3, cursor });
          const page = JSON.parse(json.text) as { items: unknown[]; nextCursor: string | null };
          // The same records and the same cursor as list() gives for that page.
          expect(page, JSON.stringify(filter)).toEqual(await t.products.list(filter, { limit: 3, cursor }));
          pages.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(pages).toEqual(typed.items);
      }
      const whole = JSON.parse((await t.products.listJson({}, { limit: 100 })).text) as { items: Array<{ name: { en: string; ar: string } }> };
      expect(whole.items.map((p) => p.name)).toContainEqual({ en: 'The "Quote" \\ back\\slash\ttab', ar: "حذاء \u0000 😀 \u2028" });
      await expect(t.products.listJson({}, { cursor: "bm9wZQ" })).rejects.toBeInstanceOf(ValidationError);
    });

    it("a malformed cursor is a ValidationError", async () => {
      const { t } = await tenant();
      await expect(t.products.list({}, { cursor: "bm9wZQ" })).rejects.toBeInstanceOf(ValidationError);
      await expect(t.categories.list({ cursor: "%%%not-a-cursor" })).rejects.toBeInstanceOf(ValidationError);
    });

    it("merchant B can neither read, change nor list merchant A's catalog", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const cat = await a.categories.ensure({ slug: "secret-cat" });
      const product = await a.products.create({ name: { en: "A only", ar: "" }, price: 5, stock: 3, externalId: "a-ext", categoryId: cat.id });

      expect(await b.products.get(product.id)).toBeNull();
      expect(await b.products.getByExternalId("a-ext")).toBeNull();
      expect(await b.categories.get(cat.id)).toBeNull();
      expect(await b.categories.getBySlug("secret-cat")).toBeNull();
      expect(await b.products.update(product.id, { price: 0 })).toBeNull();
      expect(await b.products.reserveStock(product.id, 1)).toBe(false);
      expect(await b.products.remove(product.id)).toBe(false);
      expect(await b.categories.update(cat.id, { slug: "stolen" })).toBeNull();
      expect(await b.categories.remove(cat.id)).toBe(false);
      expect((await b.products.list({}, { limit: 100 })).items).toEqual([]);
      expect(JSON.parse((await b.products.listJson({}, { limit: 100 })).text)).toEqual({ items: [], nextCursor: null });
      expect(await b.products.all()).toEqual([]);
      expect(await b.products.count()).toBe(0);
      expect((await b.categories.list()).items).toEqual([]);

      expect(await a.products.get(product.id)).toEqual(product);
      expect(await a.categories.get(cat.id)).toEqual(cat);
    });
  });
}
