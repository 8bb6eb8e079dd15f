// Mutual exclusion per key (one bot answer at a time per conversation). In memory for one process;
// through Redis when several workers processes share the work.

export interface KeyedLock {
  /** Runs `fn` while holding `key`; callers of the same key run one after another. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
