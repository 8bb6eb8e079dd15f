// Connecting a Telegram bot: getMe proves the token, setWebhook points Telegram at Kaleem with
// the secret it will send back in X-Telegram-Bot-Api-Secret-Token. `allowed_updates` is always
// given in full: an empty list would mean "all except reactions", and leaving it out would keep
// whatever an earlier integration set.
import { z } from "zod";
import { ProviderUnrecoverable } from "../common/errors.js";
import type { ProviderHttpOptions } from "../common/http.js";
import { jsonPost, type ProviderRequest } from "../common/request.js";
import { TELEGRAM_SECRET_TOKEN } from "../common/signatures.js";
import { sendProviderRequest } from "../deliver.js";
import { telegramMethodUrl, type TelegramChannelConfig } from "./config.js";

export const TELEGRAM_ALLOWED_UPDATES = ["message", "callback_query", "message_reaction"] as const;

export interface TelegramBot {
  id: string;
  username: string | null;
  name: string;
}

const botSchema = z.object({ id: z.number().int(), is_bot: z.literal(true), first_name: z.string(), username: z.string().optional() });

export function buildTelegramGetMe(config: TelegramChannelConfig): ProviderRequest {
  return { provider: "telegram", operation: "getMe", method: "GET", url: telegramMethodUrl(config, "getMe"), headers: {} };
}

/** getMe's `result` → the bot; a result that is not a bot is refused (the token is not a bot token). */
export function parseTelegramGetMe(result: unknown): TelegramBot {
  const bot = botSchema.safeParse(result);
  if (!bot.success) throw new ProviderUnrecoverable({ provider: "telegram", operation: "getMe", httpStatus: 200, code: null }, "auth", "telegram getMe did not describe a bot: check the token");
  return { id: String(bot.data.id), username: bot.data.username ?? null, name: bot.data.first_name };
}

export interface TelegramWebhookSettings {
  /** Kaleem's public HTTPS URL for this channel (…/webhooks/telegram/:channelId). */
  url: string;
  /** 1-256 characters of A-Z a-z 0-9 _ -; Telegram sends it back on every update. */
  secretToken: string;
  /** Drop updates that queued while no webhook was set (default false: they are delivered). */
  dropPendingUpdates?: boolean;
}

export function buildTelegramSetWebhook(config: TelegramChannelConfig, settings: TelegramWebhookSettings): ProviderRequest {
  const info = { provider: "telegram" as const, operation: "setWebhook", httpStatus: null, code: null };
  if (!/^https:\/\/\S+$/i.test(settings.url)) throw new ProviderUnrecoverable(info, "rejected", "telegram setWebhook needs an https:// URL");
  if (!TELEGRAM_SECRET_TOKEN.test(settings.secretToken)) throw new ProviderUnrecoverable(info, "rejected", "telegram secret_token must be 1-256 characters of A-Z a-z 0-9 _ -");
  return jsonPost("telegram", "setWebhook", telegramMethodUrl(config, "setWebhook"), {
    url: settings.url,
    secret_token: settings.secretToken,
    allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
    drop_pending_updates: settings.dropPendingUpdates ?? false,
  });
}

/** getMe, then setWebhook: the bot, once Telegram has taken the webhook. Throws the typed failure otherwise. */
export async function connectTelegram(config: TelegramChannelConfig, settings: TelegramWebhookSettings, options: ProviderHttpOptions = {}): Promise<TelegramBot> {
  const bot = parseTelegramGetMe((await sendProviderRequest(buildTelegramGetMe(config), options)).result);
  const set = await sendProviderRequest(buildTelegramSetWebhook(config, settings), options);
  if (set.result !== true) throw new ProviderUnrecoverable({ provider: "telegram", operation: "setWebhook", httpStatus: 200, code: null }, "rejected", "telegram setWebhook did not confirm the webhook");
  return bot;
}
