// Coalesces an answer's deltas in short windows (BOT_STREAM_COALESCE_MS; with none, only the
// pieces produced in one turn of the event loop are merged, which delays nothing): each `message:delta`
// costs an encode and one socket write per recipient whatever its length, so at ~40 tokens/s
// merging the tokens of a 30–50 ms window into one delta cuts the hub's per-token work roughly in
// proportion. A piece that arrives `windowMs` or more after the last send goes out at once, with
// whatever is held before it (the first piece of an answer always does, so time to first response
// is unaffected); one that arrives sooner is held, at most `windowMs`. What goes out is one
// contiguous piece of text, so the protocol's offsets and its resume rule are unchanged (a delta
// is just longer).

/** Records one piece of the answer and emits it as one delta; `producedAt` is its oldest token's time. */
export type DeltaSink = (text: string, producedAt: number) => Promise<void>;

export class DeltaWindow {
  private pending = "";
  private pendingSince = 0;
  /** When the last piece went out (-Infinity: nothing yet, so the first one never waits). */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Window 0: a piece went out in this turn of the event loop; later ones wait for its end. */
  private turnOpen = false;
  /** Sends run one after another: offsets come from the stream record in call order. */
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** Pieces handed to the sink (for tests and metrics: deltas actually emitted). */
  sent = 0;

  constructor(
    private readonly windowMs: number,
    private readonly sink: DeltaSink,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Adds text the engine produced at `producedAt` (the sink's lag is measured from it). Resolves
   * once it is sent when it goes out at once; when it is held it resolves at once (a later push or
   * `flush` reports a failed send). A held piece waits at most `windowMs`.
   */
  async push(text: string, producedAt: number = this.now()): Promise<void> {
    this.throwIfFailed();
    if (text.length === 0) return;
    if (this.windowMs <= 0) {
      // No window: nothing waits for time to pass. But pieces produced in the same turn of the
      // event loop as a send (a whole answer when nothing paces it, an LLM's chunks read in one
      // go) are merged and go out at the end of that turn: held for no time, sent as one delta
      // instead of a socket write each. A paced producer (one piece per turn) sends each piece.
      if (this.turnOpen) {
        if (this.pending.length === 0) this.pendingSince = producedAt;
        this.pending += text;
        return;
      }
      this.turnOpen = true;
      setImmediate(() => {
        this.turnOpen = false;
        // A failure here is kept and rethrown by the next push or flush (the producer's loop).
        this.sendPending().catch(() => undefined);
      });
      await this.send(text, producedAt);
      return;
    }
    const at = this.now();
    if (at - this.lastSentAt >= this.windowMs) {
      // The window since the last send has passed: this piece and whatever is held go out now, on
      // the producer's own turn of the event loop (no wake-up of our own).
      this.clearTimer();
      const since = this.pending.length > 0 ? this.pendingSince : producedAt;
      const piece = this.pending + text;
      this.pending = "";
      await this.send(piece, since);
      return;
    }
    if (this.pending.length === 0) {
      this.pendingSince = producedAt;
      // Only for a producer that goes quiet: at a steady pace the next piece arrives after the
      // window and sends this one, and the timer is cleared unfired. Measured on the hub, a timer
      // per delta cost more CPU than the merged emits saved (each fires in a wake-up of its own).
      this.timer = setTimeout(() => {
        this.timer = null;
        // A failure here is kept and rethrown by the next push or flush (the producer's loop).
        this.sendPending().catch(() => undefined);
      }, this.windowMs);
    }
    this.pending += text;
  }

  /** Sends whatever is held now and waits for every send; rejects with the first failed one. */
  async flush(): Promise<void> {
    this.clearTimer();
    await this.sendPending();
    await this.chain;
    this.throwIfFailed();
  }

  /** Drops what is held and the timer (the answer failed); waits for a send in progress. */
  async cancel(): Promise<void> {
    this.clearTimer();
    this.pending = "";
    await this.chain.catch(() => undefined);
  }

  private sendPending(): Promise<void> {
    if (this.pending.length === 0) return this.chain;
    const text = this.pending;
    this.pending = "";
    return this.send(text, this.pendingSince);
  }

  private send(text: string, producedAt: number): Promise<void> {
    this.lastSentAt = this.now();
    this.sent++;
    const run = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.sink(text, producedAt);
      } catch (error) {
        this.failure = { error };
        throw error;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
