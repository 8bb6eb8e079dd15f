// Per-socket event budget. Sockets live on one node, so a local fixed window is exact and costs
// no round trip; past the budget events are refused, far past it the socket is dropped.
export type RateVerdict = "ok" | "limited" | "flood";

export class SocketRateLimit {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs = 10_000,
    /** Events beyond limit * floodFactor in one window disconnect the socket. */
    private readonly floodFactor = 2,
  ) {}

  hit(now = Date.now()): RateVerdict {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    if (this.count <= this.limit) return "ok";
    return this.count > this.limit * this.floodFactor ? "flood" : "limited";
  }

  retryAfterSeconds(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }
}
