// Hit ratios of the read cache (issue 12, item 8) under a simple widget-connect load: two hub
// processes' caches (each its own L1 and Redis connections) over one spawned redis-server (L2) and
// one SQLite store of 200 merchants. Shoppers connect to a random hub; which store they visit is
// Zipf-distributed (s = 1: a few big stores, a long tail). Each connect reads the merchant profile
// twice on its hub, as the hub does (the handshake's origin check, then `conversation:open`). One
// connect in 1,000 is preceded by a settings write of its store (through a random process's store,
// so the invalidation is broadcast). Time is compressed 30×: the run lasts 10 s with TTLs of 1 s
// (L1) and 10 s (L2), standing for the defaults of 30 s and 300 s over 5 minutes. Reported, not asserted.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { asMerchantId, cacheMetrics, cachedMerchantProfiles, createLogger, invalidatingMerchantWrites, Metrics, TieredCache, type MerchantId, type MerchantProfiles, type Store } from "@kaleem/shared";
import { MemoryReadCache, openSqliteStore, RedisCacheInvalidations, RedisReadCache } from "@kaleem/shared/adapters";
// Not through "@kaleem/shared/testing": its contract suites import vitest, which throws outside a test run.
import { startRedisServer, uniquePrefix } from "../../shared/src/testing/redis.js";
import { testStoreCrypto } from "../../shared/src/testing/store-crypto.js";

const MERCHANTS = 200;
const HUBS = 2;
const RUN_MS = 10_000;
const CONNECTS_PER_SECOND = 1_000;
const WRITE_EVERY = 1_000;
const L1_TTL_MS = 1_000;
const L2_TTL_MS = 10_000;

export interface CacheBenchRow {
  setup: string;
  connects: number;
  writes: number;
  l1: { hits: number; misses: number };
  l2: { hits: number; misses: number };
}

async function total(metrics: Metrics[], name: string, layer: string): Promise<number> {
  let sum = 0;
  for (const m of metrics) {
    const values = (await m.registry.getSingleMetric(name)!.get()).values;
    sum += values.filter((v) => v.labels.layer === layer).reduce((s, v) => s + v.value, 0);
  }
  return sum;
}

export async function benchCache(): Promise<CacheBenchRow[]> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-cache-"));
  const silent = createLogger({ level: "silent" });
  const closers: Array<() => Promise<void> | void> = [];
  try {
    const seed = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "kaleem.db") });
    closers.push(() => seed.close());
    const ids: MerchantId[] = [];
    for (let i = 0; i < MERCHANTS; i++) {
      const { merchant } = await seed.createMerchant({ name: `Store ${i}` }, { email: `o${i}@bench.example`, name: "Owner", role: "owner", passwordHash: "h" });
      ids.push(asMerchantId(merchant.id));
    }
    // Zipf(1) over the stores: cumulative weights, sampled by binary search.
    const cdf: number[] = [];
    let acc = 0;
    for (let i = 1; i <= MERCHANTS; i++) cdf.push((acc += 1 / i));
    const pick = (): MerchantId => {
      const x = Math.random() * acc;
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return ids[lo]!;
    };

    const rows: CacheBenchRow[] = [];
    for (const setup of [
      { name: `2 hubs, L1 + Redis L2, TTLs ${L1_TTL_MS / 1000} s / ${L2_TTL_MS / 1000} s (30× compressed defaults)`, l2: true },
      { name: `2 hubs, L2 off for comparison (L1 only, TTL ${L1_TTL_MS / 1000} s)`, l2: false },
    ]) {
      const prefix = uniquePrefix("bench-cache");
      const hubs: Array<{ profiles: MerchantProfiles; store: Store; metrics: Metrics }> = [];
      for (let h = 0; h < HUBS; h++) {
        const main = new Redis(redis.url);
        const sub = new Redis(redis.url);
        const metrics = new Metrics({ defaultMetrics: false });
        const cache = new TieredCache({
          l1: new MemoryReadCache(10_000),
          l1TtlMs: L1_TTL_MS,
          l2: setup.l2 ? { cache: new RedisReadCache(main, prefix), ttlMs: L2_TTL_MS } : null,
          invalidations: new RedisCacheInvalidations(main, sub, prefix, silent),
          metrics: cacheMetrics(metrics),
          logger: silent,
        });
        await cache.start();
        closers.push(async () => {
          await cache.close();
          main.disconnect();
          sub.disconnect();
        });
        const profiles = cachedMerchantProfiles(seed, cache);
        hubs.push({ profiles, metrics, store: invalidatingMerchantWrites(seed, (id) => profiles.invalidate(id)) });
      }
      let connects = 0;
      let writes = 0;
      const start = performance.now();
      while (performance.now() - start < RUN_MS) {
        const batchStart = performance.now();
        // 10 ms of load at a time, then wait for the rest of the 10 ms slot.
        for (let i = 0; i < CONNECTS_PER_SECOND / 100; i++) {
          const merchantId = pick();
          if (++connects % WRITE_EVERY === 0) {
            writes += 1;
            await hubs[Math.floor(Math.random() * HUBS)]!.store.forMerchant(merchantId).merchant.update({ widget: { color: `#${(writes % 0xffffff).toString(16).padStart(6, "0")}` } });
          }
          const hub = hubs[Math.floor(Math.random() * HUBS)]!;
          await hub.profiles.get(merchantId); // the handshake's origin check
          await hub.profiles.get(merchantId); // conversation:open's settings
        }
        const left = 10 - (performance.now() - batchStart);
        if (left > 0) await new Promise((r) => setTimeout(r, left));
      }
      const metrics = hubs.map((h) => h.metrics);
      rows.push({
        setup: setup.name,
        connects,
        writes,
        l1: { hits: await total(metrics, "kaleem_cache_hits_total", "l1"), misses: await total(metrics, "kaleem_cache_misses_total", "l1") },
        l2: { hits: await total(metrics, "kaleem_cache_hits_total", "l2"), misses: await total(metrics, "kaleem_cache_misses_total", "l2") },
      });
    }
    return rows;
  } finally {
    for (const close of closers.reverse()) await close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (hits: number, misses: number) => (hits + misses === 0 ? "—" : `${((100 * hits) / (hits + misses)).toFixed(1)} %`);

export function cacheMarkdown(rows: CacheBenchRow[]): string {
  return [
    "| Setup | Connects (writes) | L1 hit ratio, every read (hits / reads) | L1, the handshake's read alone | L2 hit ratio (of L1 misses) | Store reads per connect | Target |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const storeReads = r.l2.hits + r.l2.misses > 0 ? r.l2.misses : r.l1.misses;
      return `| ${r.setup} | ${r.connects.toLocaleString("en-US")} (${r.writes}) | ${pct(r.l1.hits, r.l1.misses)} (${r.l1.hits.toLocaleString("en-US")} / ${(r.l1.hits + r.l1.misses).toLocaleString("en-US")}) | ${pct(r.l1.hits - r.connects, r.connects - (r.l1.hits - r.connects))} | ${pct(r.l2.hits, r.l2.misses)} | ${(storeReads / r.connects).toFixed(3)} | L1 ≥ 40 %, L2 ≥ 80 % |`;
    }),
  ].join("\n");
}

// Run on its own: `node --import tsx --conditions=source scripts/bench/cache.bench.ts`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(cacheMarkdown(await benchCache()));
  process.exit(0);
}
