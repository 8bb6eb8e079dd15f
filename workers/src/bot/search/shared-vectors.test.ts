// Search with a shared vector index (the cluster with Qdrant): the search processes only read the
// vectors, the catalog-index job writes them (once, for every process), and when the index fails
// the search goes on by words alone and says so in metrics and logs.
import { Writable } from "node:stream";
import { createLogger, Metrics, searchMetrics, type Logger } from "@kaleem/shared";
import { MemoryVectorIndex, QdrantVectorIndex, qdrantCollectionName } from "@kaleem/shared/adapters";
import { startFakeQdrant, type FakeQdrant } from "@kaleem/shared/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CatalogSearch } from "./catalog-search.js";
import { embeddedSearch } from "./embedded-search.js";
import { HashedEmbedder } from "./hashed-embedder.js";
import { openTestShop, type TestShop } from "./search.test-helpers.js";
import { CatalogVectorIndexer } from "./vector-indexer.js";

const QUERIES = ["oud perfume for men", "قفطان اخضر", "braided agal", "charger for iphone"];
const ACTIVE = 18;

function capturedLogger(): { logger: Logger; lines: Array<{ level: number; msg: string; operation?: string }> } {
  const lines: Array<{ level: number; msg: string; operation?: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), lines };
}

async function metricValue(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((s, v) => s + v.value, 0);
}

let shop: TestShop;
beforeEach(async () => {
  shop = await openTestShop();
});
afterEach(async () => {
  await shop.store.close();
});

const ids = (shopRef: TestShop, hits: { items: Array<{ product: { id: string } }> }) => hits.items.map((h) => shopRef.ext(h.product.id));

describe("search over a shared vector index written by the catalog-index job", () => {
  it("writes no vectors itself, asks for a re-index when the index lacks the catalog, and ranks like the embedded search once it is filled", async () => {
    const vectors = new MemoryVectorIndex();
    const embedder = new HashedEmbedder();
    const reindex: string[] = [];
    const search = new CatalogSearch({ embedder, vectors, vectorWriter: "index-job", requestReindex: (m) => reindex.push(m) });
    await search.warm(shop.tenant);
    expect(await vectors.count(shop.tenant.merchantId)).toBe(0);
    expect(reindex).toEqual([shop.tenant.merchantId]);

    const indexer = new CatalogVectorIndexer({ store: shop.store, embedder, vectors });
    expect(await indexer.reindexAll(shop.tenant.merchantId)).toEqual({ upserted: ACTIVE, removed: 0 });
    expect(await vectors.count(shop.tenant.merchantId)).toBe(ACTIVE);

    // A second process starting now finds the index in step: no further request.
    const other = new CatalogSearch({ embedder, vectors, vectorWriter: "index-job", requestReindex: (m) => reindex.push(m) });
    const embedded = embeddedSearch();
    for (const q of QUERIES) {
      const mine = await other.search(shop.tenant, q, 5);
      const theirs = await embedded.search(shop.tenant, q, 5);
      expect(mine.items.map((h) => [shop.ext(h.product.id), h.score]), q).toEqual(theirs.items.map((h) => [shop.ext(h.product.id), h.score]));
    }
    expect(reindex).toHaveLength(1);
  });

  it("applies a change: active products re-embedded, deactivated and deleted ones removed, other merchants untouched", async () => {
    const vectors = new MemoryVectorIndex();
    const embedder = new HashedEmbedder();
    const indexer = new CatalogVectorIndexer({ store: shop.store, embedder, vectors });
    await indexer.reindexAll(shop.tenant.merchantId);
    await vectors.upsert("other-merchant", [{ id: shop.idOf("agal"), vector: new Float32Array(embedder.dimensions).fill(1) }]);
    const agal = shop.idOf("agal");
    const tent = shop.idOf("tent");
    const before = (await vectors.query(shop.tenant.merchantId, (await embedder.embed(["desert camping gear"]))[0]!, 1))[0];
    await shop.tenant.products.update(tent, { name: { en: "Desert Camping Gear Tent", ar: "خيمة بر" } });
    await shop.tenant.products.update(agal, { status: "draft" });
    const result = await indexer.apply(shop.tenant.merchantId, [tent, agal], [shop.idOf("charger")]);
    expect(result).toEqual({ upserted: 1, removed: 2 });
    expect(await vectors.count(shop.tenant.merchantId)).toBe(ACTIVE - 2);
    expect(await vectors.count("other-merchant")).toBe(1);
    const after = (await vectors.query(shop.tenant.merchantId, (await embedder.embed(["desert camping gear"]))[0]!, 1))[0];
    expect(after?.id).toBe(tent);
    expect(after!.score).toBeGreaterThan(before?.id === tent ? before.score : 0);
  });
});

describe("search while Qdrant is down (fake Qdrant REST server stopped: transport only)", () => {
  let fake: FakeQdrant;
  beforeEach(async () => {
    fake = await startFakeQdrant();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it("answers lexical-only, counts the fallbacks, logs the outage once and the recovery once", async () => {
    const embedder = new HashedEmbedder();
    const collection = qdrantCollectionName("kaleem_products", embedder.id);
    const vectors = new QdrantVectorIndex({ url: fake.url, collection, dimensions: embedder.dimensions });
    await vectors.start();
    await new CatalogVectorIndexer({ store: shop.store, embedder, vectors }).reindexAll(shop.tenant.merchantId);
    expect(fake.collections.get(collection)?.points.size).toBe(ACTIVE);

    const metrics = new Metrics({ defaultMetrics: false });
    const { logger, lines } = capturedLogger();
    let clock = 0;
    const search = new CatalogSearch({ embedder, vectors, vectorWriter: "index-job", logger, metrics: searchMetrics(metrics), vectorRetryMs: 5_000, now: () => clock });
    const lexicalOnly = embeddedSearch({ options: { vectorWeight: 0 } });
    const withVectors = await search.search(shop.tenant, "oud perfume for men", 5);
    expect(withVectors.items.length).toBeGreaterThan(0);
    expect(await metricValue(metrics, "kaleem_search_vector_available")).toBe(1);

    const port = Number(new URL(fake.url).port);
    const stored = fake.collections;
    await fake.stop();
    for (const q of QUERIES) {
      const hits = await search.search(shop.tenant, q, 5);
      expect(ids(shop, hits), q).toEqual(ids(shop, await lexicalOnly.search(shop.tenant, q, 5)));
      expect(hits.items.length, q).toBeGreaterThan(0);
    }
    expect(await metricValue(metrics, "kaleem_search_vector_fallbacks_total", { operation: "query" })).toBe(QUERIES.length);
    expect(await metricValue(metrics, "kaleem_search_vector_available")).toBe(0);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings.map((l) => l.msg)).toEqual(["vector index unavailable; product search falls back to lexical-only"]);

    // Qdrant restarts at the same address with its data: once the retry pause is over, vectors are used again.
    fake = await startFakeQdrant({ port, collections: stored });
    clock += 5_001;
    const back = await search.search(shop.tenant, "oud perfume for men", 5);
    expect(back.items.map((h) => [h.product.id, h.score])).toEqual(withVectors.items.map((h) => [h.product.id, h.score]));
    expect(await metricValue(metrics, "kaleem_search_vector_available")).toBe(1);
    expect(lines.filter((l) => l.level === 30).map((l) => l.msg)).toContain("vector index answers again; searches use vectors again");
    expect(fake.violations).toEqual([]);
  });

  it("after a failure, skips vectors for the retry pause instead of waiting on Qdrant in every search", async () => {
    const embedder = new HashedEmbedder();
    const collection = qdrantCollectionName("kaleem_products", embedder.id);
    const vectors = new QdrantVectorIndex({ url: fake.url, collection, dimensions: embedder.dimensions });
    await new CatalogVectorIndexer({ store: shop.store, embedder, vectors }).reindexAll(shop.tenant.merchantId);
    let clock = 1_000;
    const metrics = new Metrics({ defaultMetrics: false });
    const search = new CatalogSearch({ embedder, vectors, vectorWriter: "index-job", metrics: searchMetrics(metrics), vectorRetryMs: 5_000, now: () => clock });
    await search.warm(shop.tenant);
    const queries = () => fake.requests.filter((r) => r.path.endsWith("/points/query")).length;

    fake.failNext(503, 1);
    expect(ids(shop, await search.search(shop.tenant, "braided agal", 3))[0]).toBe("agal");
    expect(queries()).toBe(1);
    // Within the pause: answered by words alone, without asking Qdrant.
    clock += 4_999;
    expect(ids(shop, await search.search(shop.tenant, "braided agal", 3))[0]).toBe("agal");
    await search.search(shop.tenant, "green kaftan", 3);
    expect(queries()).toBe(1);
    expect(await metricValue(metrics, "kaleem_search_vector_fallbacks_total", { operation: "query" })).toBe(3);
    expect(await metricValue(metrics, "kaleem_search_vector_available")).toBe(0);
    // After it: one search tries again, and vectors are back.
    clock += 2;
    await search.search(shop.tenant, "braided agal", 3);
    expect(queries()).toBe(2);
    expect(await metricValue(metrics, "kaleem_search_vector_available")).toBe(1);
  });

  it("builds a new process's index while Qdrant is down: lexical search works, the drift check waits for Qdrant", async () => {
    const embedder = new HashedEmbedder();
    const vectors = new QdrantVectorIndex({ url: fake.url, collection: "kaleem_products_down", dimensions: embedder.dimensions });
    await fake.stop();
    const metrics = new Metrics({ defaultMetrics: false });
    const reindex: string[] = [];
    const search = new CatalogSearch({ embedder, vectors, vectorWriter: "index-job", requestReindex: (m) => reindex.push(m), metrics: searchMetrics(metrics) });
    expect(ids(shop, await search.search(shop.tenant, "braided agal", 3))[0]).toBe("agal");
    expect(await metricValue(metrics, "kaleem_search_vector_fallbacks_total", { operation: "count" })).toBe(1);
    // Not knowing what the index holds is no reason to re-embed the whole catalog.
    expect(reindex).toEqual([]);
  });
});
