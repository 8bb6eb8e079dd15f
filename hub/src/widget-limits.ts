// Anonymous widget traffic is limited per client address and per store, on top of the per-socket
// event budget: a flood from many sockets, or from many stores' keys, is counted where it comes
// from. The counters live behind the RateLimiter port (Redis in a cluster), so every hub node
// counts against the same budget.
import { RateLimitedError, type Config, type RateLimiter } from "@kaleem/shared";

export type WidgetLimitKind = "connects" | "conversations" | "messages";

const WINDOW_SECONDS = 60;
const WHAT: Record<WidgetLimitKind, string> = {
  connects: "Too many connections",
  conversations: "Too many new conversations",
  messages: "Too many messages",
};

export class WidgetLimits {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: Config["limits"]["widget"],
  ) {}

  /**
   * Counts one `kind` for the address and the store; RateLimitedError (with its retry-after) when
   * either budget is spent. The address is counted first and a refused address is not counted
   * against the store, so one source cannot spend a store's budget for everyone else.
   */
  async hit(kind: WidgetLimitKind, ip: string, merchantId: string): Promise<void> {
    await this.hitAddress(kind, ip);
    await this.hitStore(kind, merchantId);
  }

  /** The address's half alone (a connect counts it before the store is known). */
  async hitAddress(kind: WidgetLimitKind, ip: string): Promise<void> {
    const result = await this.limiter.hit(`widget:${kind}:ip:${ip}`, this.limits[kind].perIp, WINDOW_SECONDS);
    if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds, `${WHAT[kind]} from this address; retry in ${result.retryAfterSeconds}s`);
  }

  async hitStore(kind: WidgetLimitKind, merchantId: string): Promise<void> {
    const result = await this.limiter.hit(`widget:${kind}:store:${merchantId}`, this.limits[kind].perStore, WINDOW_SECONDS);
    if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds, `${WHAT[kind]} for this store; retry in ${result.retryAfterSeconds}s`);
  }
}
