// Catalog changes → outbox → relay → catalog-index job → shared vector index, on a real SQLite
// store and the in-process queue (the BullMQ queue passes the same queue contract).
import { Writable } from "node:stream";
import { CATALOG_INDEX_JOB, createLogger, Metrics, OutboxCatalogEvents, REINDEX_SLOT_MS, searchMetrics, ServiceUnavailableError } from "@kaleem/shared";
import { MemoryJobQueue, MemoryVectorIndex, openSqliteStore, QdrantVectorIndex } from "@kaleem/shared/adapters";
import { startFakeQdrant, waitFor, testStoreCrypto } from "@kaleem/shared/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashedEmbedder } from "../bot/search/hashed-embedder.js";
import { openTestShop, type TestShop } from "../bot/search/search.test-helpers.js";
import { CatalogVectorIndexer } from "../bot/search/vector-indexer.js";
import { createCatalogIndexHandler } from "./catalog-index.js";
import { startOutboxRelay, type OutboxRelay } from "./outbox-relay.js";

const ACTIVE = 18;

let shop: TestShop;
let system: Awaited<ReturnType<typeof openSqliteStore>>["system"];
let queue: MemoryJobQueue;
let relay: OutboxRelay;
let vectors: MemoryVectorIndex;
let metrics: Metrics;
let warnings: string[];
let requests: OutboxCatalogEvents;
let now: number;

async function counter(name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((s, v) => s + v.value, 0);
}

beforeEach(async () => {
  const sqlite = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
  system = sqlite.system;
  shop = await openTestShop(undefined, sqlite);
  queue = new MemoryJobQueue();
  vectors = new MemoryVectorIndex();
  metrics = new Metrics({ defaultMetrics: false });
  warnings = [];
  const logger = createLogger({
    level: "warn",
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        for (const l of chunk.toString().split("\n").filter(Boolean)) warnings.push((JSON.parse(l) as { msg: string }).msg);
        done();
      },
    }),
  });
  now = 10 * REINDEX_SLOT_MS;
  requests = new OutboxCatalogEvents(shop.store, logger, searchMetrics(metrics), () => now);
  const indexer = new CatalogVectorIndexer({ store: shop.store, embedder: new HashedEmbedder(), vectors });
  queue.process(CATALOG_INDEX_JOB, createCatalogIndexHandler({ indexer, metrics: searchMetrics(metrics) }));
  // A long interval: the test runs the passes itself.
  relay = startOutboxRelay({ system: system, queue, intervalMs: 3_600_000 });
});
afterEach(async () => {
  await relay.stop();
  await queue.close();
  await shop.store.close();
});

describe("catalog-index job", () => {
  it("indexes what the outbox says changed, once the relay has passed", async () => {
    const tent = shop.idOf("tent");
    const agal = shop.idOf("agal");
    requests.productsChanged(shop.tenant.merchantId, [tent, agal], []);
    await requests.flush();
    expect(await vectors.count(shop.tenant.merchantId)).toBe(0);
    expect(await relay.runOnce()).toBe(1);
    await waitFor(async () => (await vectors.count(shop.tenant.merchantId)) === 2, "two product vectors");
    expect(await counter("kaleem_catalog_index_products_total", { op: "upsert" })).toBe(2);

    await shop.tenant.products.remove(agal);
    requests.productsChanged(shop.tenant.merchantId, [], [agal]);
    await requests.flush();
    await relay.runOnce();
    await waitFor(async () => (await vectors.count(shop.tenant.merchantId)) === 1, "the deleted product's vector gone");
    expect((await vectors.query(shop.tenant.merchantId, (await new HashedEmbedder().embed(["desert tent"]))[0]!, 5)).map((h) => h.id)).toEqual([tent]);
  });

  it("splits a large change into outbox rows of at most 500 products", async () => {
    const ids = Array.from({ length: 1_100 }, (_, i) => `p-${i}`);
    requests.productsChanged(shop.tenant.merchantId, ids, ["gone-1"]);
    await requests.flush();
    const rows = await system.outbox.claim({ limit: 10, leaseMs: 60_000, owner: "test" });
    expect(rows.map((r) => r.topic)).toEqual(["catalog.changed", "catalog.changed", "catalog.changed", "catalog.changed"]);
    expect(rows.map((r) => (r.payload as { productIds: string[] }).productIds.length)).toEqual([500, 500, 100, 0]);
    expect((rows[3]!.payload as { removed: string[] }).removed).toEqual(["gone-1"]);
  });

  it("re-indexes the whole catalog from scratch: stale vectors leave, every active product is embedded", async () => {
    await vectors.upsert(shop.tenant.merchantId, [{ id: "stale-product", vector: new Float32Array(512).fill(0.1) }]);
    requests.requestReindex(shop.tenant.merchantId);
    await requests.flush();
    expect(await relay.runOnce()).toBe(1);
    await waitFor(async () => (await counter("kaleem_catalog_index_products_total", { op: "upsert" })) === ACTIVE, "the catalog re-embedded");
    expect(await vectors.count(shop.tenant.merchantId)).toBe(ACTIVE);
  });

  it("queues one re-index per merchant and time slot however many processes ask", async () => {
    // No consumer on this queue: what is queued stays there to be counted.
    const idle = new MemoryJobQueue();
    const idleRelay = startOutboxRelay({ system: system, queue: idle, intervalMs: 3_600_000 });
    try {
      requests.requestReindex(shop.tenant.merchantId);
      requests.requestReindex(shop.tenant.merchantId);
      await requests.flush();
      expect(await idleRelay.runOnce()).toBe(2);
      expect(await idle.depth(CATALOG_INDEX_JOB)).toBe(1);
      now += REINDEX_SLOT_MS;
      requests.requestReindex(shop.tenant.merchantId);
      // Ordinary changes are never merged: each row is its own job.
      requests.productsChanged(shop.tenant.merchantId, [shop.idOf("tent")], []);
      requests.productsChanged(shop.tenant.merchantId, [shop.idOf("tent")], []);
      await requests.flush();
      expect(await idleRelay.runOnce()).toBe(3);
      expect(await idle.depth(CATALOG_INDEX_JOB)).toBe(4);
    } finally {
      await idleRelay.stop();
      await idle.close();
    }
  });

  it("counts and logs a change whose outbox row could not be written", async () => {
    requests.productsChanged("no-such-merchant", ["p1"], []);
    await requests.flush();
    expect(await counter("kaleem_catalog_index_requests_failed_total")).toBe(1);
    expect(warnings).toEqual(["catalog change not queued for the vector index"]);
  });

  it("fails with ServiceUnavailableError while Qdrant is down, so the queue retries it", async () => {
    const fake = await startFakeQdrant();
    await fake.stop();
    const down = new QdrantVectorIndex({ url: fake.url, collection: "kaleem_products_down", dimensions: 512 });
    const handler = createCatalogIndexHandler({ indexer: new CatalogVectorIndexer({ store: shop.store, embedder: new HashedEmbedder(), vectors: down }) });
    const job = { id: "j1", name: CATALOG_INDEX_JOB, attempt: 1, data: { merchantId: shop.tenant.merchantId, outboxId: "o1", productIds: [shop.idOf("tent")], removed: [], all: false } };
    await expect(handler(job)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
