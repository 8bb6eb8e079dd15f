// Nearest-neighbour index behind a port, shaped like a Qdrant collection partitioned by merchant:
// the embedded runtime uses an in-process index, the cluster uses Qdrant.

export interface VectorItem {
  id: string;
  vector: Float32Array;
  payload?: Record<string, unknown>;
}

export interface VectorMatch {
  id: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
}

export interface VectorIndex {
  /** Inserts or replaces items (by id) in this merchant's partition. */
  upsert(merchantId: string, items: VectorItem[]): Promise<void>;
  remove(merchantId: string, ids: string[]): Promise<void>;
  /** The `k` closest items of this merchant, best first. */
  query(merchantId: string, vector: Float32Array, k: number): Promise<VectorMatch[]>;
  /** Drops every item of this merchant. */
  clear(merchantId: string): Promise<void>;
  /** Number of items stored for this merchant. */
  count(merchantId: string): Promise<number>;
}
