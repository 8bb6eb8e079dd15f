// BM25F over weighted fields, updated one document at a time so catalog edits do not need a
// rebuild. A query is a list of units; each unit has alternative terms (the word, its concept
// ids, typo and Arabizi candidates) and counts once, through its best-matching alternative.
//
// Laid out for the query: each document has a slot (in insertion order), each term a posting
// list of (slot, tf per field) in typed arrays, and the length normalisation of every slot and
// field is computed once per catalog change. A query walks only the posting lists of its terms,
// into per-query scratch arrays reused from one query to the next. `searchExhaustive` scores every
// document from its own term maps instead: the reference the fast path is tested against.

export type FieldName = "name" | "head" | "tags" | "attributes" | "category" | "description";

export const FIELD_WEIGHTS: Readonly<Record<FieldName, number>> = {
  name: 3,
  head: 3,
  tags: 2.5,
  attributes: 1.5,
  category: 1.5,
  description: 1,
};
const FIELDS = Object.keys(FIELD_WEIGHTS) as FieldName[];
const NF = FIELDS.length;
const WEIGHTS = Float64Array.from(FIELDS.map((f) => FIELD_WEIGHTS[f]));
const HEAD = FIELDS.indexOf("head");
const DESCRIPTION = FIELDS.indexOf("description");
const K1 = 1.2;
const B = 0.75;

export type FieldTerms = Record<FieldName, Array<{ term: string; weight: number }>>;

interface StoredDoc {
  tf: Record<FieldName, Map<string, number>>;
  len: Record<FieldName, number>;
}

export interface QueryUnit {
  /** Alternative terms → trust in [0, 1]. */
  alternatives: Map<string, number>;
  /** How much this unit matters for the query (content word 1, modifiers less). */
  importance: number;
  /** Importance when no catalog text has the unit at all (an unknown model number counts fully). */
  unknownImportance?: number;
  /**
   * A qualifier (colour, material, audience, number): it refines a match but cannot make one.
   * When a query has other units, a product must match at least one of those.
   */
  modifier?: boolean;
  /** Index of the phrase unit this word belongs to: when the phrase matches, so does the word. */
  partOf?: number;
  /** The word (or phrase) that names the product asked for: matching a product's head counts. */
  head?: boolean;
}

export interface LexicalHit {
  id: string;
  score: number;
  /** Importance- and idf-weighted share of the query's units this document matches, 0..1. */
  coverage: number;
  /**
   * Coverage for the relevance threshold: words the catalog does not know at all weigh fully
   * (the shopper wants something the store does not sell), words the catalog knows but this
   * product lacks weigh half (it may still be a fair substitute).
   */
  gate: number;
  /** Some unit matched the product's head noun (field "head"). */
  headMatch: boolean;
}

/** The documents containing one term: slot and tf per field (NF numbers per entry). */
class Posting {
  n = 0;
  slots = new Int32Array(4);
  tf = new Float64Array(4 * NF);

  add(slot: number, tf: readonly number[]): void {
    if (this.n === this.slots.length) {
      const slots = new Int32Array(this.n * 2);
      slots.set(this.slots);
      const tfs = new Float64Array(this.n * 2 * NF);
      tfs.set(this.tf);
      this.slots = slots;
      this.tf = tfs;
    }
    this.slots[this.n] = slot;
    this.tf.set(tf, this.n * NF);
    this.n++;
  }

  /** Removes the slot's entry (the last entry takes its place: the order of entries is free). */
  delete(slot: number): void {
    for (let e = 0; e < this.n; e++) {
      if (this.slots[e] !== slot) continue;
      const last = --this.n;
      this.slots[e] = this.slots[last]!;
      this.tf.copyWithin(e * NF, last * NF, (last + 1) * NF);
      return;
    }
  }
}

/** What a query computes once, before any document: shared by the fast and the exhaustive path. */
interface Prepared {
  known: boolean[];
  unitIdf: number[];
  denominator: number;
  hasCore: boolean;
  unknownWeight: number;
}

export class LexicalIndex {
  private readonly docs = new Map<string, StoredDoc>();
  private readonly postings = new Map<string, Posting>();
  private readonly totalLen: Record<FieldName, number> = { name: 0, head: 0, tags: 0, attributes: 0, category: 0, description: 0 };
  /** Slot → document id, in insertion order; null where a removed document was. */
  private slotIds: Array<string | null> = [];
  private readonly slotOf = new Map<string, number>();
  /** Field lengths per slot (NF per slot). */
  private slotLen = new Float64Array(0);
  /** BM25's length normalisation per slot and field; null after a change until the next query. */
  private norms: Float64Array | null = null;
  // Per-query scratch, reused: best score and trust per (slot, unit), the query that last touched
  // each slot, whether a unit matched the slot's head noun, and the slots touched.
  private best = new Float64Array(0);
  private trust = new Float64Array(0);
  private stamp = new Int32Array(0);
  private headHit = new Uint8Array(0);
  private touched = new Int32Array(0);
  private epoch = 0;
  private changes = 0;

  get size(): number {
    return this.docs.size;
  }

  /** Goes up with every upsert and removal: what is derived from the index is stale when it moved. */
  get version(): number {
    return this.changes;
  }

  /** Every indexed term (for typo and Arabizi expansion). */
  vocabulary(): IterableIterator<string> {
    return this.postings.keys();
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  df(term: string): number {
    return this.postings.get(term)?.n ?? 0;
  }

  idf(term: string): number {
    const n = this.docs.size;
    const df = this.df(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** idf of a term no document contains: the most a word can weigh. */
  maxIdf(): number {
    return Math.log(1 + (this.docs.size + 0.5) / 0.5);
  }

  upsert(id: string, fields: FieldTerms): void {
    this.remove(id);
    const doc: StoredDoc = {
      tf: { name: new Map(), head: new Map(), tags: new Map(), attributes: new Map(), category: new Map(), description: new Map() },
      len: { name: 0, head: 0, tags: 0, attributes: 0, category: 0, description: 0 },
    };
    for (const f of FIELDS) {
      for (const { term, weight } of fields[f]) {
        doc.tf[f].set(term, (doc.tf[f].get(term) ?? 0) + weight);
        if (weight >= 1) doc.len[f] += 1;
      }
      this.totalLen[f] += doc.len[f];
    }
    this.docs.set(id, doc);
    // A new slot at the end, so slot order stays the documents' insertion order.
    const slot = this.slotIds.length;
    this.slotIds.push(id);
    this.slotOf.set(id, slot);
    if (this.slotLen.length < (slot + 1) * NF) {
      const grown = new Float64Array(Math.max(64, this.slotLen.length * 2, (slot + 1) * NF));
      grown.set(this.slotLen);
      this.slotLen = grown;
    }
    FIELDS.forEach((f, k) => (this.slotLen[slot * NF + k] = doc.len[f]));
    const perTerm = new Map<string, number[]>();
    FIELDS.forEach((f, k) => {
      for (const [term, tf] of doc.tf[f]) {
        let row = perTerm.get(term);
        if (!row) perTerm.set(term, (row = new Array<number>(NF).fill(0)));
        row[k] = tf;
      }
    });
    for (const [term, row] of perTerm) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = new Posting()));
      p.add(slot, row);
    }
    this.norms = null;
    this.changes++;
  }

  remove(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    const slot = this.slotOf.get(id)!;
    const terms = new Set<string>();
    for (const f of FIELDS) {
      this.totalLen[f] -= doc.len[f];
      for (const term of doc.tf[f].keys()) terms.add(term);
    }
    for (const term of terms) {
      const p = this.postings.get(term);
      p?.delete(slot);
      if (p?.n === 0) this.postings.delete(term);
    }
    this.docs.delete(id);
    this.slotOf.delete(id);
    this.slotIds[slot] = null;
    this.norms = null;
    this.changes++;
    const holes = this.slotIds.length - this.slotOf.size;
    if (holes > 256 && holes > this.slotOf.size) this.compact();
  }

  /** Renumbers the slots without the holes removals left, keeping their order. */
  private compact(): void {
    const renumber = new Int32Array(this.slotIds.length).fill(-1);
    const ids: Array<string | null> = [];
    for (let slot = 0; slot < this.slotIds.length; slot++) {
      const id = this.slotIds[slot];
      if (id === null || id === undefined) continue;
      renumber[slot] = ids.length;
      this.slotLen.copyWithin(ids.length * NF, slot * NF, (slot + 1) * NF);
      this.slotOf.set(id, ids.length);
      ids.push(id);
    }
    this.slotIds = ids;
    for (const p of this.postings.values()) for (let e = 0; e < p.n; e++) p.slots[e] = renumber[p.slots[e]!]!;
  }

  /** BM25F score of one term, and whether it occurs outside the description. */
  private inHead(doc: StoredDoc, term: string): boolean {
    return (doc.tf.head.get(term) ?? 0) >= 1;
  }

  private termScore(doc: StoredDoc, term: string, idf: number): { score: number; core: boolean } {
    const n = Math.max(1, this.docs.size);
    let tfw = 0;
    let core = false;
    for (const f of FIELDS) {
      const tf = doc.tf[f].get(term);
      if (tf === undefined) continue;
      if (f !== "description") core = true;
      const avg = Math.max(1, this.totalLen[f] / n);
      tfw += (FIELD_WEIGHTS[f] * tf) / (1 - B + (B * Math.max(1, doc.len[f])) / avg);
    }
    return { score: tfw === 0 ? 0 : (idf * tfw) / (K1 + tfw), core };
  }

  /** Length normalisation of every slot and field, as `termScore` computes it. */
  private lengthNorms(): Float64Array {
    if (this.norms) return this.norms;
    const n = Math.max(1, this.docs.size);
    const avg = FIELDS.map((f) => Math.max(1, this.totalLen[f] / n));
    const norms = new Float64Array(this.slotIds.length * NF);
    for (let slot = 0; slot < this.slotIds.length; slot++) {
      for (let k = 0; k < NF; k++) norms[slot * NF + k] = 1 - B + (B * Math.max(1, this.slotLen[slot * NF + k]!)) / avg[k]!;
    }
    return (this.norms = norms);
  }

  private prepare(units: readonly QueryUnit[]): Prepared {
    const known = units.map((u) => [...u.alternatives.keys()].some((t) => this.has(t)));
    const unitIdf = units.map((u) => {
      let best = 0;
      for (const [term, w] of u.alternatives) if (this.has(term) && w >= 0.7) best = Math.max(best, this.idf(term));
      return best > 0 ? best : this.maxIdf();
    });
    return {
      known,
      unitIdf,
      denominator: units.reduce((s, u, i) => s + u.importance * (unitIdf[i] ?? 0), 0),
      hasCore: units.some((u) => !u.modifier),
      unknownWeight: units.reduce((s, u, i) => s + (known[i] ? 0 : (u.unknownImportance ?? u.importance) * (unitIdf[i] ?? 0)), 0),
    };
  }

  /**
   * One document's hit from its best score and trust per unit (at `off` in the arrays, which the
   * phrase step below overwrites), or null when nothing scored.
   */
  private finish(id: string, units: readonly QueryUnit[], q: Prepared, best: Float64Array, trust: Float64Array, off: number, headMatch: boolean): LexicalHit | null {
    let score = 0;
    let covered = 0;
    let missingKnown = 0;
    let coreMatched = false;
    for (let i = 0; i < units.length; i++) {
      const u = units[i]!;
      let t = trust[off + i]!;
      // Phrase units come first, so a word of a matched phrase ("saudi coffee" for
      // "arabic coffee") is covered even when the product does not use the word itself.
      if (u.partOf !== undefined) t = Math.max(t, trust[off + u.partOf] ?? 0);
      trust[off + i] = t;
      const weight = u.importance * (q.unitIdf[i] ?? 0);
      if (!u.modifier && t >= 0.5) coreMatched = true;
      score += u.importance * best[off + i]!;
      covered += weight * t;
      if (q.known[i]) missingKnown += weight * (1 - t);
    }
    if (!(score > 0)) return null;
    const gateDenominator = covered + 0.5 * missingKnown + q.unknownWeight;
    const gate = q.hasCore && !coreMatched ? 0 : gateDenominator > 0 ? covered / gateDenominator : 0;
    return { id, score, coverage: q.denominator > 0 ? covered / q.denominator : 0, gate, headMatch };
  }

  /**
   * Scores every document that matches at least one unit; `allowed` restricts the candidates.
   * Hits come in the documents' insertion order (the caller ranks them).
   */
  search(units: readonly QueryUnit[], allowed?: (id: string) => boolean): LexicalHit[] {
    const U = units.length;
    const slots = this.slotIds.length;
    if (U === 0 || slots === 0) return [];
    const q = this.prepare(units);
    const norms = this.lengthNorms();
    if (this.stamp.length < slots) {
      const cap = Math.max(64, slots * 2);
      this.stamp = new Int32Array(cap);
      this.headHit = new Uint8Array(cap);
      this.touched = new Int32Array(cap);
      this.epoch = 0;
    }
    if (this.best.length < slots * U) {
      this.best = new Float64Array(Math.max(slots * U, this.stamp.length * Math.max(U, 8)));
      this.trust = new Float64Array(this.best.length);
    }
    const { best, trust, stamp, headHit, touched } = this;
    const epoch = ++this.epoch;
    let nTouched = 0;
    for (let i = 0; i < U; i++) {
      const u = units[i]!;
      const wantsHead = u.head === true;
      for (const [term, w] of u.alternatives) {
        const p = this.postings.get(term);
        if (!p) continue;
        const idf = this.idf(term);
        const core = w;
        const weak = w * 0.5;
        const { slots: ps, tf } = p;
        for (let e = 0; e < p.n; e++) {
          const slot = ps[e]!;
          const row = slot * U;
          if (stamp[slot] !== epoch) {
            stamp[slot] = epoch;
            best.fill(0, row, row + U);
            trust.fill(0, row, row + U);
            headHit[slot] = 0;
            touched[nTouched++] = slot;
          }
          // BM25F of this term in this document, field by field as termScore adds it.
          let tfw = 0;
          let inCore = false;
          const base = e * NF;
          const nb = slot * NF;
          for (let k = 0; k < NF; k++) {
            const x = tf[base + k]!;
            if (x === 0) continue;
            if (k !== DESCRIPTION) inCore = true;
            tfw += (WEIGHTS[k]! * x) / norms[nb + k]!;
          }
          if (tfw === 0) continue;
          const s = (idf * tfw) / (K1 + tfw);
          if (!(s > 0)) continue;
          const ws = w * s;
          if (ws > best[row + i]!) best[row + i] = ws;
          // A word only the description mentions ("great for your sofa") is weak evidence.
          const tr = inCore ? core : weak;
          if (tr > trust[row + i]!) trust[row + i] = tr;
          if (w >= 0.7 && wantsHead && tf[base + HEAD]! >= 1) headHit[slot] = 1;
        }
      }
    }
    const order = touched.subarray(0, nTouched).sort();
    const hits: LexicalHit[] = [];
    for (let j = 0; j < nTouched; j++) {
      const slot = order[j]!;
      const id = this.slotIds[slot]!;
      if (allowed && !allowed(id)) continue;
      const hit = this.finish(id, units, q, best, trust, slot * U, headHit[slot] === 1);
      if (hit) hits.push(hit);
    }
    return hits;
  }

  /**
   * The same scores as `search`, computed for every document from its own term maps, with no
   * posting lists: the ground truth the benchmark measures the index's recall against, and the
   * reference the tests hold `search` to.
   */
  searchExhaustive(units: readonly QueryUnit[], allowed?: (id: string) => boolean): LexicalHit[] {
    if (units.length === 0) return [];
    const q = this.prepare(units);
    const idfCache = new Map<string, number>();
    const idfOf = (t: string) => {
      let v = idfCache.get(t);
      if (v === undefined) idfCache.set(t, (v = this.idf(t)));
      return v;
    };
    const best = new Float64Array(units.length);
    const trust = new Float64Array(units.length);
    const hits: LexicalHit[] = [];
    for (const [id, doc] of this.docs) {
      if (allowed && !allowed(id)) continue;
      let headMatch = false;
      units.forEach((u, i) => {
        let b = 0;
        let t = 0;
        for (const [term, w] of u.alternatives) {
          const s = this.termScore(doc, term, idfOf(term));
          if (s.score > 0) {
            b = Math.max(b, w * s.score);
            t = Math.max(t, s.core ? w : w * 0.5);
            if (w >= 0.7 && u.head === true && this.inHead(doc, term)) headMatch = true;
          }
        }
        best[i] = b;
        trust[i] = t;
      });
      const hit = this.finish(id, units, q, best, trust, 0, headMatch);
      if (hit) hits.push(hit);
    }
    return hits;
  }
}
