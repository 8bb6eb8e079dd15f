// In-process vector index: one partition per merchant, exact cosine by brute force. Fine for
// catalogs of thousands of products; Qdrant implements the same port for larger installations.
//
// Laid out for the scan: a partition's vectors sit in one Float32Array (slot after slot), norms
// are computed once at upsert, and a query multiplies only its non-zero dimensions (the built-in
// hashed embedding of a short query has a few dozen of 512). The k best are kept in a small heap
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
  data = new Float32Array(0);
  norms = new Float64Array(0);
  payloads: Array<Record<string, unknown> | undefined> = [];
  readonly slotOf = new Map<string, number>();

  reset(dims: number): void {
    this.dims = dims;
    this.ids = [];
    this.data = new Float32Array(0);
    this.norms = new Float64Array(0);
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
    this.data.set(item.vector, slot * this.dims);
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

  private reserve(slots: number): void {
    if (this.norms.length >= slots) return;
    const capacity = Math.max(16, this.norms.length * 2, slots);
    const data = new Float32Array(capacity * this.dims);
    data.set(this.data);
    const norms = new Float64Array(capacity);
    norms.set(this.norms);
    this.data = data;
    this.norms = norms;
  }

  /** Closes the holes removals left, keeping the order of what remains. */
  private compact(): void {
    let to = 0;
    for (let from = 0; from < this.ids.length; from++) {
      const id = this.ids[from];
      if (id === null || id === undefined) continue;
      if (to !== from) {
        this.data.copyWithin(to * this.dims, from * this.dims, (from + 1) * this.dims);
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
    const { data, norms, ids, dims } = p;
    const heap = new TopK(Math.min(k, p.size));
    for (let slot = 0; slot < ids.length; slot++) {
      const n = norms[slot]!;
      if (n === 0) continue;
      const base = slot * dims;
      let dot = 0;
      for (let j = 0; j < nz; j++) dot += valuesOf[j]! * data[base + dimsOf[j]!]!;
      heap.offer(dot / (qn * n), slot);
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
