// Graph API error answers (WhatsApp Cloud API, Messenger, Instagram) → typed provider failures.
// Branch on error.code (and error_subcode where Meta documents one), never on titles.
import { z } from "zod";
import type { ChannelType } from "@kaleem/shared";
import { singleHeader, type HeaderBag } from "./headers.js";
import { bodySnippet, ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable, retryAfterHeaderMs, type ProviderFailure, type ProviderFailureInfo, type RateLimitScope } from "./errors.js";

export const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.union([z.number(), z.string()]).optional(),
    error_subcode: z.union([z.number(), z.string()]).optional(),
    is_transient: z.boolean().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/**
 * Throttling codes and how long to wait when the answer does not say. The waits are Kaleem's
 * defaults, not Meta's figures: Meta gives no delay in the body; headers, when present, win.
 */
const THROTTLING: Record<number, { scope: RateLimitScope; defaultMs: number; what: string }> = {
  4: { scope: "app", defaultMs: 60_000, what: "application request limit" },
  17: { scope: "account", defaultMs: 60_000, what: "user request limit" },
  32: { scope: "account", defaultMs: 60_000, what: "page request limit" },
  613: { scope: "account", defaultMs: 60_000, what: "custom rate limit" },
  130429: { scope: "account", defaultMs: 5_000, what: "Cloud API throughput limit" },
  // Too many messages to the same customer in a short time: only that recipient waits.
  131056: { scope: "recipient", defaultMs: 6_000, what: "pair rate limit (same customer)" },
};
/** Business-use-case limits are 800xx (80007 is WhatsApp's per-WABA one; Messenger's is not confirmed, so the range is used). */
const isBusinessUseCaseLimit = (code: number) => code >= 80_000 && code <= 80_099;

const AUTH_CODES = new Set([102, 104, 190]);
const PERMISSION_CODES = new Set([3, 10, 200, 299]);
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016, 133004]);
/** Messenger code 10 with this subcode: sent outside the allowed window. */
const MESSENGER_OUTSIDE_WINDOW_SUBCODE = 2018278;
const RECIPIENT_UNAVAILABLE = new Set([551, 131026]);

/** `estimated_time_to_regain_access` (minutes) of the X-Business-Use-Case-Usage header, as ms. */
function businessUseCaseWaitMs(headers: HeaderBag): number | null {
  const raw = singleHeader(headers, "x-business-use-case-usage");
  if (raw === null) return null;
  try {
    const usage = JSON.parse(raw) as Record<string, Array<{ estimated_time_to_regain_access?: unknown }>>;
    const minutes = Object.values(usage)
      .flat()
      .map((u) => u.estimated_time_to_regain_access)
      .filter((m): m is number => typeof m === "number" && m > 0);
    return minutes.length > 0 ? Math.max(...minutes) * 60_000 : null;
  } catch {
    return null;
  }
}

export function classifyGraphFailure(provider: ChannelType, operation: string, status: number, body: unknown, headers: HeaderBag = {}): ProviderFailure {
  const parsed = graphErrorSchema.safeParse(body);
  const e = parsed.success ? parsed.data.error : null;
  const code = e?.code !== undefined ? Number(e.code) : null;
  const subcode = e?.error_subcode !== undefined ? Number(e.error_subcode) : null;
  const info: ProviderFailureInfo = { provider, operation, httpStatus: status, code: code !== null && Number.isFinite(code) ? String(code) : null };
  const said = e ? `${code ?? "?"} ${e.message ?? e.type ?? "error"}${e.error_data?.details ? `: ${e.error_data.details}` : ""}` : `HTTP ${status} ${bodySnippet(body)}`;
  const label = `${provider} ${operation}`;

  const throttle = code !== null ? THROTTLING[code] : undefined;
  if (throttle || (code !== null && isBusinessUseCaseLimit(code)) || (status === 429 && code === null)) {
    const waitMs = retryAfterHeaderMs(singleHeader(headers, "retry-after")) ?? businessUseCaseWaitMs(headers) ?? throttle?.defaultMs ?? 60_000;
    return new ProviderRateLimited(info, waitMs, throttle?.scope ?? "account", `${label} rate limited (${throttle?.what ?? "business use case limit"}): ${said}; retry in ${Math.ceil(waitMs / 1000)} s`);
  }
  if (code === 131047 || (code === 10 && subcode === MESSENGER_OUTSIDE_WINDOW_SUBCODE)) {
    return new ProviderUnrecoverable(info, "window_closed", `${label}: ${said}`);
  }
  if (code !== null && AUTH_CODES.has(code)) {
    return new ProviderUnrecoverable(info, "auth", `${label}: the access token was refused (${said}); reconnect the channel with a valid token`);
  }
  if (code !== null && PERMISSION_CODES.has(code)) {
    return new ProviderUnrecoverable(info, "auth", `${label}: the access token lacks a permission (${said}); reconnect the channel and grant it`);
  }
  if (code !== null && RECIPIENT_UNAVAILABLE.has(code)) return new ProviderUnrecoverable(info, "blocked", `${label}: the customer cannot be messaged (${said})`);
  if (status >= 500 || e?.is_transient === true || (code !== null && TRANSIENT_CODES.has(code))) {
    return new ProviderRetryable(info, `${label} failed on the provider's side: ${said}`);
  }
  if (status === 401 || status === 403) return new ProviderUnrecoverable(info, "auth", `${label}: not allowed (${said}); reconnect the channel`);
  return new ProviderUnrecoverable(info, "rejected", `${label} refused: ${said}`);
}
