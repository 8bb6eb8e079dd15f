// Every platform payload in ../shared/fixtures/{shopify,salla,zid} (and the project's own Salla
// bodies) maps to the right normalized product/order change.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { existingDir, sharedFixturesDir } from "../channels/testing/reference-files.js";
import { parseLosslessJson } from "./common/json.js";
import { sallaChanges } from "./salla/parse.js";
import { shopifyChanges } from "./shopify/parse.js";
import { zidChanges } from "./zid/parse.js";

const ownSalla = fileURLToPath(new URL("./fixtures/salla/", import.meta.url));
const shared = (platform: string) => existingDir(path.join(sharedFixturesDir, platform));
const raw = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

describe("lossless JSON", () => {
  it("keeps integers past 2^53 digit for digit, inside nested objects and arrays, and leaves strings alone", () => {
    const parsed = parseLosslessJson('{"id": 820982911946154508, "n": [1, -12345678901234567890, 2.5e3], "s": "9999999999999999999 \\" 1234567890123456789", "small": 42}');
    expect(parsed).toEqual({ id: "820982911946154508", n: [1, "-12345678901234567890", 2500], s: '9999999999999999999 " 1234567890123456789', small: 42 });
    expect(JSON.parse('{"id": 820982911946154508}').id).not.toBe(820982911946154508n.toString());
    expect(parseLosslessJson("{not json")).toBeNull();
  });
});

describe.runIf(shared("shopify") !== null)("Shopify fixtures (../shared/fixtures/shopify)", () => {
  const dir = shared("shopify")!;

  it("covers every file in the folder", () => {
    expect(readdirSync(dir).filter((f) => f.endsWith(".json")).sort()).toEqual(["orders_create_2026-01.json", "products_create_2026-01.json"]);
  });

  it("products/create → one product upsert with variants, lowest price, summed stock, tags and the exact id", () => {
    const changes = shopifyChanges("products/create", parseLosslessJson(raw(dir, "products_create_2026-01.json")), "jsmith.myshopify.com");
    expect(changes).toHaveLength(1);
    const change = changes[0]!;
    if (change.kind !== "product.upsert") throw new Error(change.kind);
    expect(change.product).toMatchObject({
      // The file's digits as written (Shopify's docs round them); JSON.parse would say 788032119674292900 only by luck.
      externalId: "788032119674292900",
      name: { en: "Example T-Shirt", ar: "" },
      description: { en: "An example T-Shirt", ar: "" },
      price: 19.99,
      stock: 125,
      tags: ["example", "mens", "t-shirt"],
      category: "Shirts",
      status: "active",
      url: "https://jsmith.myshopify.com/products/example-t-shirt",
      attributes: { Variant: "Small, Medium", Brand: "Acme" },
    });
    expect(change.product.variants.map((v) => [v.externalId, v.title, v.price, v.stock])).toEqual([
      ["642667041472714000", "Small", 19.99, 75],
      ["757650484644203900", "Medium", 19.99, 50],
    ]);
  });

  it("orders/create → one order upsert: number, cancelled status, the platform's totals, contact and items", () => {
    const changes = shopifyChanges("orders/create", parseLosslessJson(raw(dir, "orders_create_2026-01.json")), "jsmith.myshopify.com");
    const change = changes[0]!;
    if (change.kind !== "order.upsert") throw new Error(change.kind);
    expect(change.order).toMatchObject({
      externalId: "820982911946154500",
      number: "1234",
      status: "cancelled",
      total: 404.95,
      subtotal: 404.95,
      deliveryFee: 10,
      currency: "USD",
      contact: { name: "John Smith", email: "jon@example.com", phone: "555-555-SHIP" },
      createdAt: "2022-01-01T00:00:00.000Z",
    });
    expect(change.order.platformStatus).toContain("cancelled");
    expect(change.order.items.length).toBeGreaterThan(0);
    expect(change.order.items[0]).toMatchObject({ name: "Aviator sunglasses", price: 89.99, quantity: 1, productExternalId: "788032119674292900" });
  });
});
describe.runIf(shared("shopify") === null)("Shopify fixtures", () => {
  it.skip("../shared/fixtures/shopify is absent (a fresh clone outside the workplace): fixture mapping not checked", () => undefined);
});

describe("Shopify topics", () => {
  it("products/delete → a delete by the exact id; unknown topics are recorded as ignored", () => {
    expect(shopifyChanges("products/delete", parseLosslessJson('{"id": 788032119674292922}'), null)).toEqual([{ kind: "product.delete", externalId: "788032119674292922" }]);
    expect(shopifyChanges("customers/create", { id: 1 }, null)).toEqual([{ kind: "ignored", topic: "customers/create" }]);
    expect(() => shopifyChanges("products/create", { title: "no id" }, null)).toThrow(/id/);
  });
});

describe("Salla bodies", () => {
  it("the project's own order and product bodies map to their changes (Arabic names, SAR, +966 phone)", () => {
    const read = (f: string) => parseLosslessJson(raw(ownSalla, f)) as { event: string; data: unknown };
    const created = read("order.created.json");
    expect(sallaChanges(created.event, created.data)).toEqual([
      {
        kind: "order.upsert",
        order: expect.objectContaining({
          externalId: "1821092834",
          number: "20873412",
          status: "pending",
          platformStatus: "under_review",
          total: 275,
          deliveryFee: 25,
          subtotal: 250,
          currency: "SAR",
          paymentMethod: "cod",
          contact: { name: "محمد علي", phone: "+966512345678", email: "m.ali@example.sa" },
          items: [{ productExternalId: "1492837465", name: "عباية كريب سوداء", price: 250, quantity: 1 }],
        }),
      },
    ]);
    const shipped = read("order.status.updated.json");
    expect(sallaChanges(shipped.event, shipped.data)[0]).toMatchObject({ kind: "order.upsert", order: { externalId: "1821092834", status: "shipped" } });
    const product = read("product.created.json");
    expect(sallaChanges(product.event, product.data)[0]).toMatchObject({
      kind: "product.upsert",
      product: { externalId: "1492837465", name: { ar: "عباية كريب سوداء", en: "" }, price: 250, stock: 7, currency: "SAR", category: "عبايات", attributes: { "المقاس": "52, 54", SKU: "AB-CR-01" } },
    });
    const deleted = read("product.deleted.json");
    expect(sallaChanges(deleted.event, deleted.data)).toEqual([{ kind: "product.delete", externalId: "1492837465" }]);
  });
});

describe.runIf(shared("salla") !== null)("Salla fixtures (../shared/fixtures/salla)", () => {
  it("every published sample (app and customer events) is recorded as ignored: nothing in the catalog or orders", () => {
    const dir = shared("salla")!;
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const body = parseLosslessJson(raw(dir, file)) as { event: string; data: unknown };
      expect(sallaChanges(body.event, body.data), file).toEqual([{ kind: "ignored", topic: body.event }]);
    }
  });
});
describe.runIf(shared("salla") === null)("Salla fixtures", () => {
  it.skip("../shared/fixtures/salla is absent: the published samples are not checked", () => undefined);
});

describe.runIf(shared("zid") !== null)("Zid fixtures (../shared/fixtures/zid)", () => {
  const dir = shared("zid")!;
  const json = (f: string) => parseLosslessJson(raw(dir, f));

  it("every file maps: product detail → product upsert, order detail → order upsert, the product list → one upsert per product, categories → ignored", () => {
    const mapped: Record<string, string[]> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const body = json(file) as Record<string, unknown>;
      const kinds = Array.isArray(body.results)
        ? (body.results as unknown[]).flatMap((p) => zidChanges("product.update", p)).map((c) => c.kind)
        : "minimal_categories" in body
          ? zidChanges("category.update", body).map((c) => c.kind)
          : "order" in body
            ? zidChanges("order.create", body).map((c) => c.kind)
            : zidChanges("product.create", body).map((c) => c.kind);
      mapped[file] = kinds;
    }
    expect(mapped).toEqual({
      "order_detail.json": ["order.upsert"],
      "product_categories_list.json": ["ignored"],
      "product_detail.json": ["product.upsert"],
      "products_list.json": ["product.upsert", "product.upsert"],
      "zid-sdk-python__order_detail.json": ["order.upsert"],
      "zid-sdk-python__product_detail.json": ["product.upsert"],
    });
  });

  it("a product keeps its Arabic name, price, variants and image; an order its id as number, status, total and phone", () => {
    const [product] = zidChanges("product.create", json("zid-sdk-python__product_detail.json"));
    if (product?.kind !== "product.upsert") throw new Error(String(product?.kind));
    expect(product.product).toMatchObject({ externalId: "2829a483-4336-43ab-a855-84532c9419c2", price: 9, currency: "SAR", stock: 0, status: "active", imageUrl: "https://media.zid.store/thumbs/d464301e-full.jpg", category: "Test" });
    expect(product.product.name.ar).toContain("بخاخ");
    expect(product.product.variants.length).toBeGreaterThan(0);
    const [order] = zidChanges("order.create", json("zid-sdk-python__order_detail.json"));
    if (order?.kind !== "order.upsert") throw new Error(String(order?.kind));
    expect(order.order).toMatchObject({ externalId: "39018491", number: "39018491", status: "pending", platformStatus: "new", total: 100, currency: "SAR", contact: { name: "Test User 5", email: "testuser5@example.com", phone: "+966500000005" }, paymentMethod: "Bank Transfer", createdAt: "2026-01-30T15:56:02.000Z" });
    expect(order.order.items[0]).toMatchObject({ name: "نسخة من TrialProduct", price: 100, quantity: 1 });
  });
});
describe.runIf(shared("zid") === null)("Zid fixtures", () => {
  it.skip("../shared/fixtures/zid is absent: fixture mapping not checked", () => undefined);
});

describe("Zid events", () => {
  it("a delete names the product; a status update maps Zid's codes", () => {
    expect(zidChanges("product.delete", { id: "2829a483" })).toEqual([{ kind: "product.delete", externalId: "2829a483" }]);
    const order = (code: string) => zidChanges("order.status.update", { id: 5, order_status: { code }, order_total: "10", products: [] })[0];
    expect(order("inDelivery")).toMatchObject({ order: { status: "shipped" } });
    expect(order("delivered")).toMatchObject({ order: { status: "delivered" } });
    expect(order("cancelled")).toMatchObject({ order: { status: "cancelled" } });
    expect(order("preparing")).toMatchObject({ order: { status: "confirmed" } });
  });
});
