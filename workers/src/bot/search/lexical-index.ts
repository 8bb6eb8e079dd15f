// BM25F over weighted fields, updated one document at a time so catalog edits do not need a
// rebuild. A query is a list of units; each unit has alternative terms (the word, its concept
// ids, typo and Arabizi candidates) and counts once, through its best-matching alternative.

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

export class LexicalIndex {
  private readonly docs = new Map<string, StoredDoc>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly totalLen: Record<FieldName, number> = { name: 0, head: 0, tags: 0, attributes: 0, category: 0, description: 0 };

  get size(): number {
    return this.docs.size;
  }

  /** Every indexed term (for typo and Arabizi expansion). */
  vocabulary(): IterableIterator<string> {
    return this.postings.keys();
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  df(term: string): number {
    return this.postings.get(term)?.size ?? 0;
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
        let set = this.postings.get(term);
        if (!set) this.postings.set(term, (set = new Set()));
        set.add(id);
      }
      this.totalLen[f] += doc.len[f];
    }
    this.docs.set(id, doc);
  }

  remove(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    for (const f of FIELDS) {
      this.totalLen[f] -= doc.len[f];
      for (const term of doc.tf[f].keys()) {
        const set = this.postings.get(term);
        set?.delete(id);
        if (set?.size === 0) this.postings.delete(term);
      }
    }
    this.docs.delete(id);
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

  /** Scores every document that matches at least one unit; `allowed` restricts the candidates. */
  search(units: readonly QueryUnit[], allowed?: (id: string) => boolean): LexicalHit[] {
    const candidates = new Set<string>();
    for (const u of units) for (const term of u.alternatives.keys()) for (const id of this.postings.get(term) ?? []) candidates.add(id);
    return this.scoreDocs(units, candidates, allowed);
  }

  /**
   * The same scores as `search`, computed for every document with no candidate step: the ground
   * truth the benchmark measures the index's recall against (and tests compare `search` with).
   */
  searchExhaustive(units: readonly QueryUnit[], allowed?: (id: string) => boolean): LexicalHit[] {
    return this.scoreDocs(units, this.docs.keys(), allowed);
  }

  private scoreDocs(units: readonly QueryUnit[], candidates: Iterable<string>, allowed?: (id: string) => boolean): LexicalHit[] {
    const known = units.map((u) => [...u.alternatives.keys()].some((t) => this.has(t)));
    const unitIdf = units.map((u) => {
      let best = 0;
      for (const [term, w] of u.alternatives) if (this.has(term) && w >= 0.7) best = Math.max(best, this.idf(term));
      return best > 0 ? best : this.maxIdf();
    });
    const denominator = units.reduce((s, u, i) => s + u.importance * (unitIdf[i] ?? 0), 0);
    const hasCore = units.some((u) => !u.modifier);
    const unknownWeight = units.reduce((s, u, i) => s + (known[i] ? 0 : (u.unknownImportance ?? u.importance) * (unitIdf[i] ?? 0)), 0);
    const idfCache = new Map<string, number>();
    const idfOf = (t: string) => {
      let v = idfCache.get(t);
      if (v === undefined) idfCache.set(t, (v = this.idf(t)));
      return v;
    };
    const hits: LexicalHit[] = [];
    for (const id of candidates) {
      if (allowed && !allowed(id)) continue;
      const doc = this.docs.get(id);
      if (!doc) continue;
      let score = 0;
      let covered = 0;
      let missingKnown = 0;
      let headMatch = false;
      let coreMatched = false;
      const trusts: number[] = [];
      units.forEach((u, i) => {
        let best = 0;
        let trust = 0;
        for (const [term, w] of u.alternatives) {
          const s = this.termScore(doc, term, idfOf(term));
          if (s.score > 0) {
            best = Math.max(best, w * s.score);
            // A word only the description mentions ("great for your sofa") is weak evidence.
            trust = Math.max(trust, s.core ? w : w * 0.5);
            if (w >= 0.7 && u.head === true && this.inHead(doc, term)) headMatch = true;
          }
        }
        // Phrase units come first, so a word of a matched phrase ("saudi coffee" for
        // "arabic coffee") is covered even when the product does not use the word itself.
        if (u.partOf !== undefined) trust = Math.max(trust, trusts[u.partOf] ?? 0);
        trusts[i] = trust;
        const weight = u.importance * (unitIdf[i] ?? 0);
        if (!u.modifier && trust >= 0.5) coreMatched = true;
        score += u.importance * best;
        covered += weight * trust;
        if (known[i]) missingKnown += weight * (1 - trust);
      });
      const gateDenominator = covered + 0.5 * missingKnown + unknownWeight;
      const gate = hasCore && !coreMatched ? 0 : gateDenominator > 0 ? covered / gateDenominator : 0;
      if (score > 0) {
        hits.push({
          id,
          score,
          coverage: denominator > 0 ? covered / denominator : 0,
          gate,
          headMatch,
        });
      }
    }
    return hits.sort((a, b) => b.score - a.score);
  }
}
