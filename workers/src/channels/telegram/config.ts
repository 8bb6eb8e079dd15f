// Where a Telegram channel's calls go: `<apiBaseUrl>/bot<token>/<method>`, the token in the path.
import { ProviderUnrecoverable } from "../common/errors.js";
import { TELEGRAM_API_BASE } from "../common/request.js";

export interface TelegramChannelConfig {
  /** The token BotFather gave: `<bot id>:<secret>`. */
  botToken: string;
  /** Default https://api.telegram.org; tests point it at a local server. */
  apiBaseUrl?: string;
}

const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;

export const isTelegramBotToken = (token: string): boolean => TOKEN.test(token);

function checkedToken(config: TelegramChannelConfig, operation: string): string {
  if (!isTelegramBotToken(config.botToken)) {
    throw new ProviderUnrecoverable({ provider: "telegram", operation, httpStatus: null, code: null }, "auth", "telegram bot token is not in BotFather's <id>:<secret> form; reconnect the channel");
  }
  return config.botToken;
}

const base = (config: TelegramChannelConfig) => (config.apiBaseUrl ?? TELEGRAM_API_BASE).replace(/\/+$/, "");

export const telegramMethodUrl = (config: TelegramChannelConfig, method: string): string => `${base(config)}/bot${checkedToken(config, method)}/${method}`;

/** Where getFile's file_path is downloaded from. */
export const telegramFileUrl = (config: TelegramChannelConfig, filePath: string): string =>
  `${base(config)}/file/bot${checkedToken(config, "file")}/${filePath.split("/").map(encodeURIComponent).join("/")}`;

/** Chat ids are numbers up to 52 bits (safe in JSON); usernames stay strings. */
export const telegramChatId = (chatId: string): number | string => (/^-?\d{1,16}$/.test(chatId) && Number.isSafeInteger(Number(chatId)) ? Number(chatId) : chatId);
