// One layer of the read-through cache of hot reads (shared/src/cache/tiered.ts): in-process (L1)
// or Redis (L2). Values are opaque strings (JSON of a zod-checked view); keys are built by the
// tiered cache and always carry a merchant id, so one tenant's entry can never answer another's read.

export interface ReadCache {
  /** The stored value, or null when absent or past its time. */
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes the keys (absent ones are ignored). */
  delete(keys: readonly string[]): Promise<void>;
}

/**
 * Tells every process that cached keys changed, so each drops them from its own L1. In one process
 * the listeners are called directly; in a cluster over Redis pub/sub (this process included).
 */
export interface CacheInvalidations {
  publish(keys: readonly string[]): Promise<void>;
  /** Calls `listener` with the keys of every publish from now on. Returns the unsubscribe. */
  subscribe(listener: (keys: readonly string[]) => void): Promise<() => Promise<void>>;
}
