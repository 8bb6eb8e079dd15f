import type { CacheInvalidations, ReadCache } from "../../ports/read-cache.js";

/**
 * L1: a bounded LRU with a time to live per entry. A Map keeps insertion order, so re-inserting on
 * every hit makes its first key the least recently used one.
 */
export class MemoryReadCache implements ReadCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  }
  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) return null;
    this.entries.set(key, entry);
    return entry.value;
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
  get size(): number {
    return this.entries.size;
  }
}

/** One process: invalidations go straight to its listeners. */
export class DirectCacheInvalidations implements CacheInvalidations {
  private readonly listeners = new Set<(keys: readonly string[]) => void>();
  async publish(keys: readonly string[]): Promise<void> {
    for (const listener of this.listeners) listener(keys);
  }
  async subscribe(listener: (keys: readonly string[]) => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }
}
