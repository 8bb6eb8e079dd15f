// Telegram Bot API error answers → typed provider failures:
// {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}
import { z } from "zod";
import { bodySnippet, ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable, retryAfterHeaderMs, type ProviderFailure, type ProviderFailureInfo } from "../common/errors.js";
import { singleHeader, type HeaderBag } from "../common/headers.js";

const errorSchema = z.object({
  ok: z.literal(false),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
});

/** When flood control gives no figure: Telegram asks for about a second between messages in one chat. */
const DEFAULT_FLOOD_WAIT_MS = 1_000;

export function classifyTelegramFailure(operation: string, status: number, body: unknown, headers: HeaderBag = {}): ProviderFailure {
  const parsed = errorSchema.safeParse(body);
  const e = parsed.success ? parsed.data : null;
  const code = e?.error_code ?? status;
  const info: ProviderFailureInfo = { provider: "telegram", operation, httpStatus: status, code: e?.error_code !== undefined ? String(e.error_code) : null };
  const said = e?.description ?? `HTTP ${status} ${bodySnippet(body)}`;
  const label = `telegram ${operation}`;

  const retryAfter = e?.parameters?.retry_after;
  if (code === 429 || retryAfter !== undefined) {
    const waitMs = retryAfter !== undefined ? retryAfter * 1000 : (retryAfterHeaderMs(singleHeader(headers, "retry-after")) ?? DEFAULT_FLOOD_WAIT_MS);
    return new ProviderRateLimited(info, waitMs, "recipient", `${label} rate limited: ${said}; retry in ${Math.ceil(waitMs / 1000)} s`);
  }
  if (code === 401) return new ProviderUnrecoverable(info, "auth", `${label}: the bot token was refused (${said}); reconnect the channel with the token BotFather gave`);
  if (code === 403) return new ProviderUnrecoverable(info, "blocked", `${label}: the customer cannot be messaged (${said})`);
  if (code === 400 && /message is not modified/i.test(said)) return new ProviderUnrecoverable(info, "not_modified", `${label}: ${said}`);
  if (e?.parameters?.migrate_to_chat_id !== undefined) {
    return new ProviderUnrecoverable(info, "rejected", `${label}: the group moved to chat ${e.parameters.migrate_to_chat_id} (${said})`);
  }
  if (status >= 500 || code >= 500) return new ProviderRetryable(info, `${label} failed on Telegram's side: ${said}`);
  return new ProviderUnrecoverable(info, "rejected", `${label} refused: ${said}`);
}
