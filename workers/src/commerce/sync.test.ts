// Import and reconciliation through local fake platform APIs with pagination: every product once,
// ids past 2^53 exact, a run that fails or dies midway resumes at its checkpoint.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { asMerchantId, guardedFetch, integrationSecrets, loadConfig, RetryableError, UnrecoverableError, type CommerceSyncState, type Store, type TenantStore, storeCrypto } from "@kaleem/shared";
import { MemoryKeyedLock, openSqliteStore } from "@kaleem/shared/adapters";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCommerceSyncHandler } from "../jobs/commerce-sync.js";
import { createCommerceGateway } from "./gateway.js";
import { startFakeCommercePlatform, type FakeCommercePlatform, type PlatformObject } from "./testing/index.js";

const config = loadConfig({ KALEEM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "kaleem-sync-")), LOG_LEVEL: "silent", OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true" });
let store: Store;
const gateway = createCommerceGateway({ fetch: guardedFetch(config.outbound), pageSize: 3 });
const indexed: string[][] = [];
const catalogEvents = { productsChanged: (_m: string, ids: string[]) => void indexed.push(ids), knowledgeChanged() {} };
const fakes: FakeCommercePlatform[] = [];

beforeAll(async () => {
  store = await openSqliteStore({ crypto: storeCrypto(config), file: path.join(config.dataDir, "kaleem.db") });
});
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
afterAll(async () => store?.close());

/** Shopify product ids just past 2^63's neighbourhood of real ones: well beyond 2^53. */
const shopifyId = (i: number) => (788032119674292922n + BigInt(i) * 1000n).toString();
function shopifyProduct(i: number, updatedAt = "2026-01-01T00:00:00Z"): PlatformObject {
  return {
    id: shopifyId(i),
    title: `Oud Perfume ${i}`,
    body_html: `<p>Scent number <b>${i}</b></p>`,
    handle: `oud-${i}`,
    product_type: "Perfume",
    status: "active",
    tags: "oud, gift",
    updated_at: updatedAt,
    variants: [{ id: (642667041472713922n + BigInt(i)).toString(), title: "50ml", price: `${100 + i}.00`, inventory_quantity: i, option1: "50ml" }],
    options: [{ name: "Size", position: 1 }],
  };
}
const shopifyOrder = (n: number): PlatformObject => ({
  id: (820982911946154508n + BigInt(n)).toString(),
  order_number: 1000 + n,
  email: `buyer${n}@example.com`,
  financial_status: "paid",
  fulfillment_status: null,
  currency: "SAR",
  total_price: "120.00",
  subtotal_price: "100.00",
  total_shipping_price_set: { shop_money: { amount: "20.00" } },
  line_items: [{ product_id: shopifyId(1), name: "Oud Perfume 1", price: "100.00", quantity: 1 }],
  created_at: "2026-01-02T10:00:00+03:00",
  updated_at: "2026-01-02T10:00:00+03:00",
});

async function merchantWith(platform: "shopify" | "salla" | "zid", fake: FakeCommercePlatform, publicConfig: Record<string, string>, secrets: Record<string, string>): Promise<{ tenant: TenantStore; connectionId: string }> {
  const { merchant } = await store.createMerchant({ name: `Sync ${platform}` }, { email: `sync-${platform}-${Date.now()}-${Math.random()}@example.com`, name: "O", role: "owner", passwordHash: "x" });
  const tenant = store.forMerchant(asMerchantId(merchant.id));
  const connection = await tenant.commerceConnections.create({ platform, publicConfig: { ...publicConfig, apiBaseUrl: fake.apiBaseUrl }, secretsCiphertext: integrationSecrets(config).seal(secrets) });
  return { tenant, connectionId: connection.id };
}

function handler(onCheckpoint?: (s: CommerceSyncState) => void) {
  return createCommerceSyncHandler({ config, store, gateway, catalogEvents, lock: new MemoryKeyedLock(), ...(onCheckpoint ? { onCheckpoint } : {}) });
}
const job = (tenant: TenantStore, connectionId: string, mode: "import" | "reconcile", attempt = 1) => ({ id: `j-${attempt}`, name: "commerce-sync", attempt, data: { merchantId: tenant.merchantId, connectionId, mode } });

async function shopifySetup(products: number) {
  const fake = await startFakeCommercePlatform({ platform: "shopify", accessToken: "shpat_test", products: Array.from({ length: products }, (_, i) => shopifyProduct(i + 1)), orders: [shopifyOrder(1), shopifyOrder(2)] });
  fakes.push(fake);
  return { fake, ...(await merchantWith("shopify", fake, { shopDomain: "oud-house.myshopify.com" }, { webhookSecret: "w", accessToken: "shpat_test" })) };
}

describe("commerce import and reconciliation", () => {
  it("imports every Shopify product and order page by page, ids exact, products indexed, progress on the connection", async () => {
    const { fake, tenant, connectionId } = await shopifySetup(7);
    await handler()(job(tenant, connectionId, "import"));
    expect(fake.pagesServed).toEqual(["products:0", "products:3", "products:6", "orders:0"]);
    expect(fake.rejected()).toEqual([]);
    const products = await tenant.products.all();
    expect(products.map((p) => p.externalId).sort()).toEqual(Array.from({ length: 7 }, (_, i) => shopifyId(i + 1)).sort());
    expect(products.every((p) => p.source === "shopify")).toBe(true);
    const one = await tenant.products.getByExternalId(shopifyId(3), "shopify");
    expect(one).toMatchObject({ name: { en: "Oud Perfume 3" }, price: 103, stock: 3, attributes: { Size: "50ml" }, url: "https://oud-house.myshopify.com/products/oud-3" });
    const order = await tenant.orders.getByExternalId("shopify", "820982911946154509");
    expect(order).toMatchObject({ number: "1001", status: "confirmed", total: 120, deliveryFee: 20, contact: { email: "buyer1@example.com" } });
    expect(order?.items[0]?.productId).toBe((await tenant.products.getByExternalId(shopifyId(1), "shopify"))?.id);
    expect(indexed.flat()).toEqual(expect.arrayContaining(products.map((p) => p.id)));
    const sync = (await tenant.commerceConnections.get(connectionId))?.sync;
    expect(sync).toMatchObject({ mode: "import", state: "done", products: 7, orders: 2, pages: 4, error: null });
    expect(sync?.lastCompletedStartedAt).toBe(sync?.startedAt);
  });

  it("a failed attempt midway resumes at its checkpoint: earlier pages are not fetched again, every product exists once", async () => {
    const { fake, tenant, connectionId } = await shopifySetup(8);
    fake.failNext({ kind: "server_error", status: 502 }, { operation: "products", skip: 2 });
    const run = handler();
    await expect(run(job(tenant, connectionId, "import", 1))).rejects.toBeInstanceOf(RetryableError);
    const after = (await tenant.commerceConnections.get(connectionId))?.sync;
    expect(after).toMatchObject({ state: "running", phase: "products", products: 6, pages: 2 });
    expect(after?.cursor).not.toBeNull();
    expect(after?.error).toContain("502");
    await run(job(tenant, connectionId, "import", 2));
    // The retry starts at the third page (offset 6): the first two were not fetched again.
    expect(fake.pagesServed).toEqual(["products:0", "products:3", "products:6", "orders:0"]);
    expect(fake.exchanges.filter((e) => e.operation === "products").map((e) => e.status)).toEqual([200, 200, 502, 200]);
    expect(await tenant.products.count()).toBe(8);
    expect(new Set((await tenant.products.all()).map((p) => p.externalId)).size).toBe(8);
    expect((await tenant.commerceConnections.get(connectionId))?.sync).toMatchObject({ state: "done", products: 8, orders: 2 });
  });

  it("a worker that dies right after a checkpoint is resumed by the next job, whatever it asked for", async () => {
    const { fake, tenant, connectionId } = await shopifySetup(7);
    class Killed extends Error {}
    // The process "dies" right after the second page is stored: nothing after the checkpoint runs.
    const dying = handler((s) => {
      if (s.pages === 2) throw new Killed("SIGKILL");
    });
    await expect(dying(job(tenant, connectionId, "import"))).rejects.toBeInstanceOf(Killed);
    await handler()(job(tenant, connectionId, "reconcile"));
    expect(fake.pagesServed).toEqual(["products:0", "products:3", "products:6", "orders:0"]);
    expect(await tenant.products.count()).toBe(7);
    // The unfinished import went on (one walk at a time), whatever the next job asked for.
    expect((await tenant.commerceConnections.get(connectionId))?.sync).toMatchObject({ mode: "import", state: "done", products: 7 });
  });

  it("reconciliation asks for changes since the last run began and applies them", async () => {
    const { fake, tenant, connectionId } = await shopifySetup(4);
    await handler()(job(tenant, connectionId, "import"));
    const since = (await tenant.commerceConnections.get(connectionId))?.sync?.startedAt;
    fake.products[1] = { ...shopifyProduct(2, "2999-01-01T00:00:00Z"), title: "Oud Perfume 2 (new bottle)" };
    fake.pagesServed.length = 0;
    fake.exchanges.length = 0;
    await handler()(job(tenant, connectionId, "reconcile"));
    expect(fake.pagesServed).toEqual(["products:0", "orders:0"]);
    expect(fake.exchanges[0]?.path).toContain("/products.json");
    expect((await tenant.products.getByExternalId(shopifyId(2), "shopify"))?.name.en).toBe("Oud Perfume 2 (new bottle)");
    expect(await tenant.products.count()).toBe(4);
    expect((await tenant.commerceConnections.get(connectionId))?.sync).toMatchObject({ mode: "reconcile", state: "done", since, products: 1 });
  });

  it("imports Salla and Zid catalogs through their own pagination", async () => {
    const salla = await startFakeCommercePlatform({
      platform: "salla",
      accessToken: "salla-token",
      products: Array.from({ length: 5 }, (_, i) => ({ id: 1492837465 + i, name: `عباية ${i + 1}`, price: { amount: 200 + i, currency: "SAR" }, quantity: 2, status: "sale" })),
      orders: [{ id: 1821092834, reference_id: 20873412, status: { slug: "delivered" }, amounts: { total: { amount: 275, currency: "SAR" } }, customer: { mobile: 512345678, mobile_code: "+966" }, items: [] }],
    });
    const zid = await startFakeCommercePlatform({
      platform: "zid",
      accessToken: "zid-auth",
      managerToken: "zid-manager",
      products: Array.from({ length: 4 }, (_, i) => ({ id: `zid-p-${i}`, name: { ar: `تمر ${i}`, en: `Dates ${i}` }, price: 50 + i, quantity: 10, currency: "SAR" })),
      orders: [{ id: 39018491, order_status: { code: "inDelivery" }, order_total: "100.00", currency_code: "SAR", customer: { mobile: "966500000005" }, products: [] }],
    });
    fakes.push(salla, zid);
    const s = await merchantWith("salla", salla, { merchantId: "1234509876" }, { webhookSecret: "w", accessToken: "salla-token" });
    const z = await merchantWith("zid", zid, { storeId: "3", username: "u" }, { password: "p", accessToken: "zid-auth", managerToken: "zid-manager" });
    await handler()(job(s.tenant, s.connectionId, "import"));
    await handler()(job(z.tenant, z.connectionId, "import"));
    expect(salla.pagesServed).toEqual(["products:1", "products:2", "orders:1"]);
    expect(zid.pagesServed).toEqual(["products:1", "products:2", "orders:1"]);
    expect(salla.rejected()).toEqual([]);
    expect(await s.tenant.products.count()).toBe(5);
    expect((await s.tenant.orders.getByExternalId("salla", "1821092834"))).toMatchObject({ number: "20873412", status: "delivered", contact: { phone: "+966512345678" } });
    expect((await z.tenant.products.getByExternalId("zid-p-2", "zid"))?.name).toEqual({ ar: "تمر 2", en: "Dates 2" });
    expect((await z.tenant.orders.getByExternalId("zid", "39018491"))?.status).toBe("shipped");
  });

  it("without an API access token the run fails at once, visibly", async () => {
    const fake = await startFakeCommercePlatform({ platform: "shopify", accessToken: "t" });
    fakes.push(fake);
    const { tenant, connectionId } = await merchantWith("shopify", fake, { shopDomain: "a.myshopify.com" }, { webhookSecret: "w" });
    await expect(handler()(job(tenant, connectionId, "import"))).rejects.toBeInstanceOf(UnrecoverableError);
    expect((await tenant.commerceConnections.get(connectionId))?.sync).toMatchObject({ state: "failed", error: expect.stringContaining("access token") });
    expect(fake.exchanges).toEqual([]);
  });

  it("wrong credentials stop the run (no retries against a 401) and say so on the connection", async () => {
    const fake = await startFakeCommercePlatform({ platform: "shopify", accessToken: "right" });
    fakes.push(fake);
    const { tenant, connectionId } = await merchantWith("shopify", fake, { shopDomain: "a.myshopify.com" }, { webhookSecret: "w", accessToken: "wrong" });
    await expect(handler()(job(tenant, connectionId, "import"))).rejects.toBeInstanceOf(UnrecoverableError);
    const connection = await tenant.commerceConnections.get(connectionId);
    expect(connection?.sync).toMatchObject({ state: "failed" });
    expect(connection?.lastError).toContain("401");
  });
});
