// The k best of a stream of scored items, without sorting them all: a search wants its top 10
// of thousands. Used by the in-process vector index and the product search's fusion.

/**
 * The k best (score, seq) pairs offered, where seq is the item's position in the stream (offered
 * in increasing order). A binary heap whose root is the worst kept. Higher score wins; on equal
 * scores the earlier item wins, which is the order a stable sort of the whole stream gives.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly seqs: Int32Array;
  private n = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(k);
    this.seqs = new Int32Array(k);
  }

  /** a ranks below b. */
  private worse(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.seqs[a]! > this.seqs[b]!);
  }

  /** A NaN score is never kept (it has no place in an order). */
  offer(score: number, seq: number): void {
    if (this.k === 0 || Number.isNaN(score)) return;
    if (this.n < this.k) {
      let i = this.n++;
      this.scores[i] = score;
      this.seqs[i] = seq;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    // Items arrive in increasing seq, so an equal score never displaces what is kept.
    if (score <= this.scores[0]!) return;
    this.scores[0] = score;
    this.seqs[0] = seq;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < this.n && this.worse(l, w)) w = l;
      if (r < this.n && this.worse(r, w)) w = r;
      if (w === i) break;
      this.swap(i, w);
      i = w;
    }
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = s;
    const t = this.seqs[a]!;
    this.seqs[a] = this.seqs[b]!;
    this.seqs[b] = t;
  }

  /** Best first. */
  sorted(): Array<{ score: number; seq: number }> {
    const out: Array<{ score: number; seq: number }> = [];
    for (let i = 0; i < this.n; i++) out.push({ score: this.scores[i]!, seq: this.seqs[i]! });
    return out.sort((a, b) => b.score - a.score || a.seq - b.seq);
  }
}
