// The factories for a shared vector index, across two processes of one cluster (two contexts,
// each with its own Redis connection, one store): a catalog change reaches both processes'
// lexical indexes over Redis, and only the process that made it writes the outbox row for the
// catalog-index job — one job per change, however many processes search.
import { createLogger, loadConfig, Metrics, noTracing, type CatalogEvents } from "@kaleem/shared";
import { openSqliteStore } from "@kaleem/shared/adapters";
import { startRedisServer, uniquePrefix, waitFor, type RedisServer, testStoreCrypto } from "@kaleem/shared/testing";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, createCatalogEvents, createVectorJobRequests, type FactoryContext } from "./factories.js";
import { Lifecycle } from "./lifecycle.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

/** A process's lexical index, as far as catalog events go: what it was told. */
class HeardChanges implements CatalogEvents {
  readonly heard: string[] = [];
  knowledgeChanged(): void {}
  productsChanged(merchantId: string, productIds: string[], removed: string[]): void {
    this.heard.push(`${merchantId}:${productIds.join(",")}:${removed.join(",")}`);
  }
}

describe("catalog events with a shared vector index", () => {
  it("reach every process's lexical index over Redis and the outbox once", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-vectors-"));
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dataDir, "kaleem.db") });
    const logger = createLogger({ level: "silent" });
    const prefix = uniquePrefix("vec");
    const lifecycles: Lifecycle[] = [];
    try {
      const { merchant } = await store.createMerchant({ name: "Shop" }, { email: "o@example.com", name: "O", role: "owner", passwordHash: "x" });
      const processes = [0, 1].map(() => {
        const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_PREFIX: prefix, QDRANT_URL: "http://127.0.0.1:9" });
        const lifecycle = new Lifecycle(logger);
        lifecycles.push(lifecycle);
        const ctx: FactoryContext = { config, redis: connectRedis(config, lifecycle), logger, metrics: new Metrics({ defaultMetrics: false }), lifecycle, tracing: noTracing };
        return { ctx, lexical: new HeardChanges() };
      });
      const events = await Promise.all(processes.map(async (p) => createCatalogEvents(p.ctx, p.lexical, createVectorJobRequests(p.ctx, store, true))));

      events[0]!.productsChanged(merchant.id, ["p1"], ["p0"]);
      await waitFor(() => processes.every((p) => p.lexical.heard.length > 0), "both processes told");
      // (The writing process hears it directly and again from the channel: applying a change twice is harmless.)
      for (const p of processes) expect(new Set(p.lexical.heard)).toEqual(new Set([`${merchant.id}:p1:p0`]));
      // Shutdown flushes the outbox writer, so everything asked for is written by now.
      for (const l of lifecycles.splice(0)) await l.close();
      const rows = await store.system.outbox.claim({ limit: 10, leaseMs: 60_000, owner: "test" });
      expect(rows.map((r) => [r.merchantId, r.topic, r.payload])).toEqual([
        [merchant.id, "catalog.changed", { productIds: ["p1"], removed: [], all: false }],
        [merchant.id, "catalog.changed", { productIds: [], removed: ["p0"], all: false }],
      ]);
    } finally {
      for (const l of lifecycles) await l.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("without a shared index writes no outbox rows: each process keeps its own vectors", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-vectors-"));
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dataDir, "kaleem.db") });
    const logger = createLogger({ level: "silent" });
    const lifecycle = new Lifecycle(logger);
    try {
      const { merchant } = await store.createMerchant({ name: "Shop" }, { email: "o@example.com", name: "O", role: "owner", passwordHash: "x" });
      const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir });
      const ctx: FactoryContext = { config, redis: null, logger, metrics: new Metrics({ defaultMetrics: false }), lifecycle, tracing: noTracing };
      const lexical = new HeardChanges();
      const jobs = createVectorJobRequests(ctx, store, false);
      expect(jobs).toBeNull();
      const events = await createCatalogEvents(ctx, lexical, jobs);
      // Embedded: the search index itself, told directly.
      expect(events).toBe(lexical);
      events.productsChanged(merchant.id, ["p1"], []);
      expect(lexical.heard).toEqual([`${merchant.id}:p1:`]);
      expect(await store.system.outbox.claim({ limit: 10, leaseMs: 60_000, owner: "test" })).toEqual([]);
    } finally {
      await lifecycle.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
