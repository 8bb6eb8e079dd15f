// The read-through cache over real parts: SQLite stores on one file, a spawned redis-server, two
// "processes" (each its own connections, L1 and metrics), and the merchant profile cache on them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DirectCacheInvalidations, MemoryReadCache } from "../adapters/memory/read-cache.js";
import { RedisCacheInvalidations, RedisReadCache } from "../adapters/redis/read-cache.js";
import { openSqliteStore } from "../adapters/sqlite/index.js";
import { createLogger } from "../logger.js";
import { cacheMetrics, Metrics } from "../metrics.js";
import { asMerchantId, type MerchantId, type Store } from "../ports/store.js";
import { startRedisServer, uniquePrefix, type RedisServer } from "../testing/redis.js";
import { testStoreCrypto } from "../testing/store-crypto.js";
import { waitFor } from "../testing/wait.js";
import { cachedMerchantProfiles, invalidatingMerchantWrites, type MerchantProfiles } from "./merchant-profiles.js";
import { cacheKey, TieredCache } from "./tiered.js";

const owner = (email: string) => ({ email, name: "Owner", role: "owner" as const, passwordHash: "h" });
const silent = createLogger({ level: "silent" });
const LONG = 10 * 60_000; // no entry lapses during a test: only invalidations can make a read see a write

async function counter(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0;
}

interface Process {
  store: Store;
  profiles: MerchantProfiles;
  cache: TieredCache;
  metrics: Metrics;
  close(): Promise<void>;
}

describe("read cache across two processes (L1 + Redis L2, invalidation over pub/sub)", () => {
  let redis: RedisServer;
  let dir: string;
  const opened: Process[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(path.join(tmpdir(), "kaleem-cache-"));
  });
  afterAll(async () => {
    for (const p of opened) await p.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openProcess(prefix: string): Promise<Process> {
    const engine = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "kaleem.db") });
    const main = new Redis(redis.url);
    const subscriber = new Redis(redis.url);
    const metrics = new Metrics({ defaultMetrics: false });
    const cache = new TieredCache({
      l1: new MemoryReadCache(100),
      l1TtlMs: LONG,
      l2: { cache: new RedisReadCache(main, prefix), ttlMs: LONG },
      invalidations: new RedisCacheInvalidations(main, subscriber, prefix, silent),
      metrics: cacheMetrics(metrics),
      logger: silent,
    });
    await cache.start();
    const profiles = cachedMerchantProfiles(engine, cache);
    const store = invalidatingMerchantWrites(engine, (id) => profiles.invalidate(id));
    const p: Process = {
      store,
      profiles,
      cache,
      metrics,
      async close() {
        await cache.close();
        main.disconnect();
        subscriber.disconnect();
        await engine.close();
      },
    };
    opened.push(p);
    return p;
  }

  it("fills L2 once, answers the other process from L2 then its L1, and a write on one is seen by the other's next read", async () => {
    const prefix = uniquePrefix("cache");
    const a = await openProcess(prefix);
    const b = await openProcess(prefix);
    const { merchant } = await a.store.createMerchant({ name: "Cached", widget: { allowedOrigins: ["https://one.example"] } }, owner("cache-1@example.com"));
    const { merchant: other } = await a.store.createMerchant({ name: "Other" }, owner("cache-2@example.com"));
    const id = asMerchantId(merchant.id);
    const otherId = asMerchantId(other.id);
    const l = (layer: string) => ({ layer, cache: "merchant-profile" });

    expect((await b.profiles.get(id)).widget.allowedOrigins).toEqual(["https://one.example"]); // from the store
    expect((await a.profiles.get(id)).widget.allowedOrigins).toEqual(["https://one.example"]); // from L2
    await b.profiles.get(id); // from b's L1
    await b.profiles.get(otherId);
    expect(await counter(b.metrics, "kaleem_cache_misses_total", l("l2"))).toBe(2);
    expect(await counter(b.metrics, "kaleem_cache_hits_total", l("l1"))).toBe(1);
    expect(await counter(a.metrics, "kaleem_cache_hits_total", l("l2"))).toBe(1);
    expect(await counter(a.metrics, "kaleem_cache_misses_total", l("l2"))).toBe(0);

    // The identity secret never reaches Redis.
    const inspect = new Redis(redis.url);
    try {
      const raw = await inspect.get(`${prefix}:cache:${cacheKey("merchant-profile", id, "profile")}`);
      expect(raw).toContain("https://one.example");
      expect(raw).not.toContain(merchant.widget.identitySecret);
      expect(raw).not.toContain("identitySecret");
    } finally {
      inspect.disconnect();
    }

    // A write through process a's store: b's L1 and the shared L2 drop the entry.
    await a.store.forMerchant(id).merchant.update({ widget: { allowedOrigins: ["https://two.example"] } });
    await waitFor(async () => (await b.profiles.get(id)).widget.allowedOrigins[0] === "https://two.example", "b reads the new origins");
    expect((await a.profiles.get(id)).widget.allowedOrigins).toEqual(["https://two.example"]);

    // The other tenant's entry was not touched: still an L1 hit in b.
    const before = await counter(b.metrics, "kaleem_cache_hits_total", l("l1"));
    expect((await b.profiles.get(otherId)).name).toBe("Other");
    expect(await counter(b.metrics, "kaleem_cache_hits_total", l("l1"))).toBe(before + 1);

    // Widget-key rotation is a merchant write too: the cached key follows it.
    const rotated = await b.store.forMerchant(id).merchant.update({ widget: { key: "wk_rotated_for_cache_test_0001" } });
    await waitFor(async () => (await a.profiles.get(id)).widget.key === rotated.widget.key, "a reads the rotated key");

    // Hit and miss counters per layer and cache are in the metrics text.
    const { body } = await a.metrics.render();
    expect(body).toMatch(/kaleem_cache_hits_total\{layer="l2",cache="merchant-profile"\} \d+/);
    expect(body).toMatch(/kaleem_cache_misses_total\{layer="l1",cache="merchant-profile"\} \d+/);
  });

  it("reads a value it cannot parse in L2 as a miss and replaces it", async () => {
    const prefix = uniquePrefix("cache");
    const a = await openProcess(prefix);
    const { merchant } = await a.store.createMerchant({ name: "Corrupt" }, owner("cache-3@example.com"));
    const id = asMerchantId(merchant.id);
    const main = new Redis(redis.url);
    try {
      await main.set(`${prefix}:cache:${cacheKey("merchant-profile", id, "profile")}`, '{"not":"a merchant"}', "PX", LONG);
      expect((await a.profiles.get(id)).name).toBe("Corrupt");
      expect(await counter(a.metrics, "kaleem_cache_misses_total", { layer: "l2", cache: "merchant-profile" })).toBe(1);
      expect(await main.get(`${prefix}:cache:${cacheKey("merchant-profile", id, "profile")}`)).toContain("Corrupt");
    } finally {
      main.disconnect();
    }
  });
});

describe("read cache in one process (L1 only, invalidations told directly)", () => {
  const schema = z.object({ v: z.number() });
  const m = asMerchantId("m_one");

  function oneProcess() {
    const metrics = new Metrics({ defaultMetrics: false });
    const cache = new TieredCache({ l1: new MemoryReadCache(10), l1TtlMs: LONG, l2: null, invalidations: new DirectCacheInvalidations(), metrics: cacheMetrics(metrics), logger: silent });
    return { cache, metrics };
  }

  it("a write's invalidation is seen by the very next read", async () => {
    const { cache, metrics } = oneProcess();
    await cache.start();
    let stored = 1;
    let loads = 0;
    const read = () => cache.read({ cache: "c", merchantId: m, id: "x", schema }, async () => ((loads += 1), { v: stored }));
    expect(await read()).toEqual({ v: 1 });
    expect(await read()).toEqual({ v: 1 });
    expect(loads).toBe(1);
    stored = 2;
    await cache.invalidate("c", m, ["x"]);
    expect(await read()).toEqual({ v: 2 });
    expect(loads).toBe(2);
    expect(await counter(metrics, "kaleem_cache_hits_total", { layer: "l1", cache: "c" })).toBe(1);
    expect(await counter(metrics, "kaleem_cache_misses_total", { layer: "l1", cache: "c" })).toBe(2);
    await cache.close();
  });

  it("decodes an unchanged L1 entry once: later hits share one frozen value; an invalidation or a new value decodes again", async () => {
    const { cache } = oneProcess();
    await cache.start();
    const checked = z.object({ v: z.number(), tags: z.array(z.string()) });
    let parses = 0;
    const counting = z.preprocess((raw) => ((parses += 1), raw), checked);
    let stored = 1;
    const read = () => cache.read({ cache: "c", merchantId: m, id: "d", schema: counting }, async () => ({ v: stored, tags: ["a"] }));
    await read(); // from the loader
    const first = await read();
    const second = await read();
    expect(parses).toBe(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.tags)).toBe(true);
    stored = 2;
    await cache.invalidate("c", m, ["d"]);
    await read();
    expect(await read()).toEqual({ v: 2, tags: ["a"] });
    expect(parses).toBe(2);
    await cache.close();
  });

  it("does not keep what a load read before an invalidation that arrived while it ran", async () => {
    const { cache } = oneProcess();
    await cache.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loads = 0;
    const slow = cache.read({ cache: "c", merchantId: m, id: "x", schema }, async () => {
      loads += 1;
      await gate;
      return { v: 1 }; // read before the write below
    });
    await cache.invalidate("c", m, ["x"]);
    release();
    expect(await slow).toEqual({ v: 1 });
    expect(await cache.read({ cache: "c", merchantId: m, id: "x", schema }, async () => ((loads += 1), { v: 2 }))).toEqual({ v: 2 });
    expect(loads).toBe(2);
    await cache.close();
  });

  it("keys every entry by merchant: another merchant's read never gets it, and no key without a merchant", async () => {
    const { cache } = oneProcess();
    expect(await cache.read({ cache: "c", merchantId: m, id: "x", schema }, async () => ({ v: 1 }))).toEqual({ v: 1 });
    expect(await cache.read({ cache: "c", merchantId: asMerchantId("m_two"), id: "x", schema }, async () => ({ v: 9 }))).toEqual({ v: 9 });
    expect(() => cacheKey("c", "" as MerchantId, "x")).toThrow();
  });
});
