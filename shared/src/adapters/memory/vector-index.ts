// In-process vector index: one partition per merchant, exact cosine by brute force. Fine for
// catalogs of thousands of products; Qdrant implements the same port for larger installations.
import type { VectorIndex, VectorItem, VectorMatch } from "../../ports/vector-index.js";
import { ValidationError } from "../../errors.js";

interface Entry {
  vector: Float32Array;
  norm: number;
  payload: Record<string, unknown> | undefined;
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

export class MemoryVectorIndex implements VectorIndex {
  private readonly partitions = new Map<string, Map<string, Entry>>();

  private partition(merchantId: string): Map<string, Entry> {
    let p = this.partitions.get(merchantId);
    if (!p) this.partitions.set(merchantId, (p = new Map()));
    return p;
  }

  upsert(merchantId: string, items: VectorItem[]): Promise<void> {
    const p = this.partition(merchantId);
    const dims = p.values().next().value?.vector.length ?? items[0]?.vector.length;
    // Checked before anything is written: a bad batch leaves the index as it was.
    const wrong = items.find((item) => item.vector.length !== dims);
    if (wrong) return Promise.reject(new ValidationError(`Vector for ${wrong.id} has ${wrong.vector.length} dimensions, index has ${dims}`));
    for (const item of items) p.set(item.id, { vector: item.vector, norm: norm(item.vector), payload: item.payload });
    return Promise.resolve();
  }

  remove(merchantId: string, ids: string[]): Promise<void> {
    const p = this.partitions.get(merchantId);
    if (p) for (const id of ids) p.delete(id);
    return Promise.resolve();
  }

  query(merchantId: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const p = this.partitions.get(merchantId);
    if (!p || k <= 0) return Promise.resolve([]);
    const qn = norm(vector);
    if (qn === 0) return Promise.resolve([]);
    const out: VectorMatch[] = [];
    for (const [id, e] of p) {
      if (e.vector.length !== vector.length || e.norm === 0) continue;
      let dot = 0;
      for (let i = 0; i < vector.length; i++) dot += (vector[i] ?? 0) * (e.vector[i] ?? 0);
      out.push({ id, score: dot / (qn * e.norm) });
    }
    out.sort((a, b) => b.score - a.score);
    return Promise.resolve(out.slice(0, k));
  }

  clear(merchantId: string): Promise<void> {
    this.partitions.delete(merchantId);
    return Promise.resolve();
  }

  count(merchantId: string): Promise<number> {
    return Promise.resolve(this.partitions.get(merchantId)?.size ?? 0);
  }
}
