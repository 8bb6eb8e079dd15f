// Read-through cache of hot reads: L1 in this process, L2 in Redis when the installation has one,
// then the loader (the store). A write invalidates L2 and tells every process to drop its L1 entry.
//
// Keys are `<cache>:<merchantId>:<id>`: the merchant id is a required part of every read and
// invalidation, so a key can never be shared between tenants.
import type { ZodType } from "zod";
import { deepFreeze } from "../deep-freeze.js";
import type { Logger } from "../logger.js";
import type { CacheMetrics } from "../metrics.js";
import type { CacheInvalidations, ReadCache } from "../ports/read-cache.js";
import type { MerchantId } from "../ports/store.js";

export interface CacheEntrySpec<T> {
  /** The cache's name, a label in the metrics ("merchant-profile"). */
  cache: string;
  merchantId: MerchantId;
  id: string;
  /** Checks what a layer returns: a value another version wrote, or a corrupted one, is a miss. */
  schema: ZodType<T>;
}

export interface TieredCacheOptions {
  l1: ReadCache;
  l1TtlMs: number;
  /** Redis in a cluster; null in one process (L1 only). */
  l2: { cache: ReadCache; ttlMs: number } | null;
  invalidations: CacheInvalidations;
  metrics: CacheMetrics;
  logger: Logger;
}

/** How many decoded L1 entries are kept beside their stored strings (least recently read dropped). */
const DECODED_MAX_ENTRIES = 1_000;

export const cacheKey = (cache: string, merchantId: MerchantId, id: string): string => {
  if (!merchantId) throw new Error("cache keys need a merchant id");
  return `${cache}:${merchantId}:${id}`;
};

export class TieredCache {
  /**
   * Bumped per key on every invalidation this process hears of. A load that started before an
   * invalidation does not fill L1 with what it read (it may be the value just replaced).
   */
  private readonly generations = new Map<string, number>();
  private unsubscribe: (() => Promise<void>) | null = null;
  /**
   * The value last decoded from each L1 entry, with the string it came from: an L1 hit on the same
   * string is not parsed and checked again (every widget connect reads the merchant profile twice).
   * Values are frozen, since every reader of the entry shares one.
   */
  private readonly decoded = new Map<string, { raw: string; value: unknown }>();

  constructor(private readonly o: TieredCacheOptions) {}

  /** Starts listening for invalidations; before it resolves, other processes' writes are not seen. */
  async start(): Promise<void> {
    this.unsubscribe = await this.o.invalidations.subscribe((keys) => this.dropLocal(keys));
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async read<T>(spec: CacheEntrySpec<T>, load: () => Promise<T>): Promise<T> {
    const key = cacheKey(spec.cache, spec.merchantId, spec.id);
    const generation = this.generations.get(key) ?? 0;
    const l1 = this.fromL1(spec, key, await this.o.l1.get(key));
    if (l1 !== undefined) {
      this.o.metrics.hits.inc({ layer: "l1", cache: spec.cache });
      return l1;
    }
    this.o.metrics.misses.inc({ layer: "l1", cache: spec.cache });
    if (this.o.l2) {
      const l2 = this.parse(spec, await this.l2Get(key));
      if (l2 !== undefined) {
        this.o.metrics.hits.inc({ layer: "l2", cache: spec.cache });
        await this.fillL1(key, generation, JSON.stringify(l2));
        return l2;
      }
      this.o.metrics.misses.inc({ layer: "l2", cache: spec.cache });
    }
    const value = await load();
    const raw = JSON.stringify(value);
    if (this.o.l2 && (this.generations.get(key) ?? 0) === generation) await this.l2Set(key, raw);
    await this.fillL1(key, generation, raw);
    return value;
  }

  /** After a write: gone from L2 and from every process's L1 (this one at once). */
  async invalidate(cache: string, merchantId: MerchantId, ids: readonly string[]): Promise<void> {
    const keys = ids.map((id) => cacheKey(cache, merchantId, id));
    this.o.metrics.invalidations.inc({ cache }, keys.length);
    this.dropLocal(keys);
    if (this.o.l2) {
      try {
        await this.o.l2.cache.delete(keys);
      } catch (err) {
        this.o.metrics.errors.inc({ layer: "l2", op: "delete" });
        this.o.logger.warn({ err, keys }, "cache invalidation not written to Redis; other processes may read the old value until its TTL");
      }
    }
    try {
      await this.o.invalidations.publish(keys);
    } catch (err) {
      this.o.metrics.errors.inc({ layer: "l1", op: "publish" });
      this.o.logger.warn({ err, keys }, "cache invalidation not broadcast; other processes may read the old value until its L1 TTL");
    }
  }

  private dropLocal(keys: readonly string[]): void {
    for (const key of keys) {
      this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
      this.decoded.delete(key);
    }
    // The memory layer's delete is synchronous underneath; its promise never rejects.
    void this.o.l1.delete(keys);
  }

  private async fillL1(key: string, generation: number, raw: string): Promise<void> {
    if ((this.generations.get(key) ?? 0) !== generation) return;
    await this.o.l1.set(key, raw, this.o.l1TtlMs);
  }

  private fromL1<T>(spec: CacheEntrySpec<T>, key: string, raw: string | null): T | undefined {
    const known = this.decoded.get(key);
    this.decoded.delete(key);
    if (raw === null) return undefined;
    // The memory layer hands back the very string it stored, so this is a pointer comparison.
    if (known?.raw === raw) {
      this.decoded.set(key, known);
      return known.value as T;
    }
    const value = this.parse(spec, raw);
    if (value === undefined) return undefined;
    this.decoded.set(key, { raw, value: deepFreeze(value) });
    if (this.decoded.size > DECODED_MAX_ENTRIES) this.decoded.delete(this.decoded.keys().next().value!);
    return value;
  }

  private parse<T>(spec: CacheEntrySpec<T>, raw: string | null): T | undefined {
    if (raw === null) return undefined;
    try {
      const parsed = spec.schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  // A Redis outage must not stop widgets from connecting: the read goes to the store, counted and logged.
  private async l2Get(key: string): Promise<string | null> {
    try {
      return await this.o.l2!.cache.get(key);
    } catch (err) {
      this.o.metrics.errors.inc({ layer: "l2", op: "get" });
      this.o.logger.warn({ err }, "cache L2 read failed; reading from the store");
      return null;
    }
  }

  private async l2Set(key: string, raw: string): Promise<void> {
    try {
      await this.o.l2!.cache.set(key, raw, this.o.l2!.ttlMs);
    } catch (err) {
      this.o.metrics.errors.inc({ layer: "l2", op: "set" });
      this.o.logger.warn({ err }, "cache L2 write failed");
    }
  }
}
