// Provider failures as typed errors that steer the delivery job:
//   ProviderRateLimited    wait `retryAfterMs`, then try again; not a failed attempt (a
//                          RetryAfterError, which the queue delays the job by).
//   ProviderUnrecoverable  never retried: window closed, bad credentials, blocked by the user,
//                          a request the provider refuses. An UnrecoverableError for the queue.
//   ProviderRetryable      5xx, timeouts, network: retried with backoff. A RetryableError.
import { RetryAfterError, RetryableError, UnrecoverableError, type ChannelType, type CommercePlatform, type DeliveryFailure } from "@kaleem/shared";

export interface ProviderFailureInfo {
  /** A messaging channel, or a store platform (whose API calls share this plumbing). */
  provider: ChannelType | CommercePlatform;
  operation: string;
  /** HTTP status of the answer; null when there was none (network, timeout). */
  httpStatus: number | null;
  /** The provider's own error code (Telegram error_code, Graph error.code) as text. */
  code: string | null;
}

export type RateLimitScope = "recipient" | "account" | "app";

export class ProviderRateLimited extends RetryAfterError {
  readonly retryAfterMs: number;
  readonly scope: RateLimitScope;
  readonly info: ProviderFailureInfo;
  constructor(info: ProviderFailureInfo, retryAfterMs: number, scope: RateLimitScope, message: string) {
    // A RetryAfterError: the queue delays the job by it without counting a failed attempt.
    super(Math.max(0, Math.ceil(retryAfterMs)), message);
    this.retryAfterMs = this.delayMs;
    this.scope = scope;
    this.info = info;
  }
}

export type UnrecoverableKind =
  /** WhatsApp 131047 / Messenger outside the allowed window: only a template (or a human-agent tag) can reach the customer. */
  | "window_closed"
  /** The channel's token or secret is wrong, expired or lacks a permission: reconnect it. */
  | "auth"
  /** The customer blocked the bot, deleted the account or cannot be messaged. */
  | "blocked"
  /** Telegram: the edit would not change the message (harmless for "growing" answers). */
  | "not_modified"
  /** A media download larger than allowed. */
  | "too_large"
  /** Anything else the provider refuses as given (bad parameter, unknown recipient...). */
  | "rejected";

export class ProviderUnrecoverable extends UnrecoverableError {
  readonly kind: UnrecoverableKind;
  readonly info: ProviderFailureInfo;
  constructor(info: ProviderFailureInfo, kind: UnrecoverableKind, message: string) {
    super(message);
    this.kind = kind;
    this.info = info;
  }
}

export class ProviderRetryable extends RetryableError {
  readonly info: ProviderFailureInfo;
  constructor(info: ProviderFailureInfo, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.info = info;
  }
}

export type ProviderFailure = ProviderRateLimited | ProviderUnrecoverable | ProviderRetryable;

export const isProviderFailure = (err: unknown): err is ProviderFailure =>
  err instanceof ProviderRateLimited || err instanceof ProviderUnrecoverable || err instanceof ProviderRetryable;

export const isWindowClosed = (err: unknown): boolean => err instanceof ProviderUnrecoverable && err.kind === "window_closed";

/** The kind of a delivery failure the inbox acts on (a closed window turns the composer into a notice). */
export function deliveryFailureOf(err: unknown): DeliveryFailure {
  if (!(err instanceof ProviderUnrecoverable)) return "unavailable";
  return err.kind === "window_closed" || err.kind === "auth" || err.kind === "blocked" ? err.kind : "rejected";
}

/** What the inbox shows as a failed delivery's reason. */
export function deliveryErrorText(err: unknown): string {
  if (err instanceof ProviderUnrecoverable && err.kind === "window_closed") return `window closed — send a template (${err.message})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Seconds (or an HTTP date) in a Retry-After header, as ms; null when absent or unreadable. */
export function retryAfterHeaderMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The body's text for messages, short enough for a log line. */
export function bodySnippet(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function errorCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return null;
}

/**
 * Whether a failed send may still have reached the customer. A provider that answered with a
 * refusal, a throttle or a server error did not deliver it; a connection never made did not
 * either. A timeout, a connection reset or an answer that broke off may have: nothing is known.
 */
export function mayHaveBeenDelivered(err: unknown): boolean {
  if (err instanceof ProviderRateLimited || err instanceof ProviderUnrecoverable) return false;
  if (err instanceof ProviderRetryable) {
    const status = err.info.httpStatus;
    if (status !== null && (status < 200 || status >= 300)) return false;
    if (status === null) return !NEVER_CONNECTED.has(errorCode(err) ?? "");
    return true;
  }
  return true;
}
