// In-process vector index: one partition per merchant, exact cosine by brute force. Fine for
// catalogs of thousands of products; Qdrant implements the same port for larger installations.
//
// Laid out for the scan: a partition's vectors sit in one Float32Array by dimension (column d
// holds dimension d of every item, slot after slot), norms are computed once at upsert, and a
// query walks only the columns of its non-zero dimensions (the built-in hashed embedding of a
// short query has a few dozen of 512), each front to back. The k best are kept in a small heap
// instead of sorting every score. Ties keep insertion order, as a stable sort of a Map did.
import type { VectorIndex, VectorItem, VectorMatch } from "../../ports/vector-index.js";
import { ValidationError } from "../../errors.js";
import { TopK } from "../../search/top-k.js";

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

class Partition {
  dims = 0;
  /** Slots in insertion order; a removed item leaves a hole (null id) until the next compaction. */
  ids: Array<string | null> = [];
  /** Column-major: dimension d of slot s is at d * capacity + s. */
  data = new Float32Array(0);
  /** Norm per slot; its length is the capacity. 0 for a hole (and a zero vector: never matched). */
  norms = new Float64Array(0);
  /** Per-query dot products, one per slot (queries run one at a time: no await inside). */
  dots = new Float64Array(0);
  payloads: Array<Record<string, unknown> | undefined> = [];
  readonly slotOf = new Map<string, number>();

  reset(dims: number): void {
    this.dims = dims;
    this.ids = [];
    this.data = new Float32Array(0);
    this.norms = new Float64Array(0);
    this.dots = new Float64Array(0);
    this.payloads = [];
    this.slotOf.clear();
  }

  get size(): number {
    return this.slotOf.size;
  }

  put(item: VectorItem): void {
    let slot = this.slotOf.get(item.id);
    // A replaced item keeps its place (a Map's set does the same), a new one goes last.
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(item.id);
      this.payloads.push(undefined);
      this.slotOf.set(item.id, slot);
      this.reserve(this.ids.length);
    }
    const cap = this.norms.length;
    for (let d = 0; d < this.dims; d++) this.data[d * cap + slot] = item.vector[d]!;
    this.norms[slot] = norm(item.vector);
    this.payloads[slot] = item.payload;
  }

  delete(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.ids[slot] = null;
    this.payloads[slot] = undefined;
    this.norms[slot] = 0;
    if (this.ids.length > 64 && this.slotOf.size < this.ids.length / 2) this.compact();
  }

  reserve(slots: number): void {
    if (this.norms.length >= slots) return;
    const old = this.norms.length;
    const capacity = Math.max(16, old * 2, slots);
    const data = new Float32Array(capacity * this.dims);
    for (let d = 0; d < this.dims; d++) data.set(this.data.subarray(d * old, (d + 1) * old), d * capacity);
    const norms = new Float64Array(capacity);
    norms.set(this.norms);
    this.data = data;
    this.norms = norms;
    this.dots = new Float64Array(capacity);
  }

  /** Closes the holes removals left, keeping the order of what remains. */
  private compact(): void {
    let to = 0;
    for (let from = 0; from < this.ids.length; from++) {
      const id = this.ids[from];
      if (id === null || id === undefined) continue;
      if (to !== from) {
        const cap = this.norms.length;
        for (let d = 0; d < this.dims; d++) this.data[d * cap + to] = this.data[d * cap + from]!;
        this.norms[to] = this.norms[from]!;
        this.ids[to] = id;
        this.payloads[to] = this.payloads[from];
        this.slotOf.set(id, to);
      }
      to++;
    }
    this.ids.length = to;
    this.payloads.length = to;
    this.norms.fill(0, to);
  }
}

export class MemoryVectorIndex implements VectorIndex {
  private readonly partitions = new Map<string, Partition>();

  private partition(merchantId: string): Partition {
    let p = this.partitions.get(merchantId);
    if (!p) this.partitions.set(merchantId, (p = new Partition()));
    return p;
  }

  upsert(merchantId: string, items: VectorItem[]): Promise<void> {
    const p = this.partition(merchantId);
    const dims = p.size > 0 ? p.dims : items[0]?.vector.length;
    // Checked before anything is written: a bad batch leaves the index as it was.
    const wrong = items.find((item) => item.vector.length !== dims);
    if (wrong) return Promise.reject(new ValidationError(`Vector for ${wrong.id} has ${wrong.vector.length} dimensions, index has ${dims}`));
    if (dims === undefined) return Promise.resolve();
    // An empty partition takes the size of whatever comes first, as a fresh one does.
    if (p.size === 0 && p.dims !== dims) p.reset(dims);
    // Room for the whole batch at once: a catalog's first build is one batch, and fits exactly.
    p.reserve(p.ids.length + items.filter((item) => !p.slotOf.has(item.id)).length);
    for (const item of items) p.put(item);
    return Promise.resolve();
  }

  remove(merchantId: string, ids: string[]): Promise<void> {
    const p = this.partitions.get(merchantId);
    if (p) for (const id of ids) p.delete(id);
    return Promise.resolve();
  }

  query(merchantId: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const p = this.partitions.get(merchantId);
    if (!p || k <= 0 || p.size === 0 || vector.length !== p.dims) return Promise.resolve([]);
    const qn = norm(vector);
    if (qn === 0) return Promise.resolve([]);
    // The query's non-zero dimensions: skipping the others adds nothing but zeros to each dot
    // product, so the scores are exactly those of the full loop.
    let nz = 0;
    const dimsOf = new Int32Array(vector.length);
    const valuesOf = new Float64Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const x = vector[i]!;
      if (x !== 0) {
        dimsOf[nz] = i;
        valuesOf[nz++] = x;
      }
    }
    const { data, norms, ids, dots } = p;
    const cap = norms.length;
    const n = ids.length;
    dots.fill(0, 0, n);
    // Dimension by dimension, so each slot's sum adds its terms in the order a row-by-row dot
    // product would: the same floating-point result.
    for (let j = 0; j < nz; j++) {
      const x = valuesOf[j]!;
      const off = dimsOf[j]! * cap;
      for (let slot = 0; slot < n; slot++) dots[slot] = dots[slot]! + x * data[off + slot]!;
    }
    const heap = new TopK(Math.min(k, p.size));
    for (let slot = 0; slot < n; slot++) {
      const norm = norms[slot]!;
      if (norm !== 0) heap.offer(dots[slot]! / (qn * norm), slot);
    }
    return Promise.resolve(heap.sorted().map(({ score, seq }) => ({ id: ids[seq]!, score })));
  }

  clear(merchantId: string): Promise<void> {
    this.partitions.delete(merchantId);
    return Promise.resolve();
  }

  count(merchantId: string): Promise<number> {
    return Promise.resolve(this.partitions.get(merchantId)?.size ?? 0);
  }
}
