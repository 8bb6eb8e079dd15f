// A Kaleem message → Telegram Bot API calls. Text goes out as sendMessage (split at sentence
// boundaries within 4096 characters); quick replies and links become an inline keyboard on the
// last text message; each product card is a sendPhoto (or sendMessage without an image) with an
// "add to cart" callback button and a "view" URL button. Payloads longer than callback_data's
// 64 bytes travel as tokens (common/payload-token.ts).
import { cardLine, isHttpUrl, labelsFor, planOutbound, type OutboundMessage } from "../common/outbound.js";
import { addToCartPayload, providerPayload } from "../common/payload-token.js";
import { clip } from "../common/inbound.js";
import { jsonPost, type ProviderRequest } from "../common/request.js";
import { splitText } from "../common/text-split.js";
import { telegramChatId, telegramMethodUrl, type TelegramChannelConfig } from "./config.js";

export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;
export const TELEGRAM_CALLBACK_DATA_BYTES = 64;
const MAX_CARDS = 10;

export type InlineKeyboardButton = { text: string; callback_data: string } | { text: string; url: string };
export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

/** The callback_data for a Kaleem payload: itself when it fits 64 bytes, else its token. */
export const telegramCallbackData = (payload: string): string => providerPayload(payload, { maxBytes: TELEGRAM_CALLBACK_DATA_BYTES });

const button = (text: string, payload: string): InlineKeyboardButton => ({ text: clip(text, 64), callback_data: telegramCallbackData(payload) });

export interface TelegramSendOptions {
  /** Quote the shopper's message (its Telegram message_id) in the first message sent. */
  replyToMessageId?: string | null;
}

export function buildTelegramSend(config: TelegramChannelConfig, chatId: string, message: OutboundMessage, options: TelegramSendOptions = {}): ProviderRequest[] {
  const plan = planOutbound(message);
  const labels = labelsFor(plan.locale);
  const chat_id = telegramChatId(chatId);
  const rows: InlineKeyboardButton[][] = [
    ...plan.choices.map((c) => [button(c.label, c.payload)]),
    ...plan.links.map((l) => [{ text: clip(l.label.trim() || labels.view, 64), url: l.url }]),
  ];
  const chunks = splitText(plan.text, { maxChars: TELEGRAM_TEXT_LIMIT });
  // Buttons need a message to sit on.
  if (chunks.length === 0 && rows.length > 0) chunks.push(labels.choose);

  const requests: ProviderRequest[] = [];
  const replyTo = options.replyToMessageId && /^\d+$/.test(options.replyToMessageId) ? Number(options.replyToMessageId) : null;
  chunks.forEach((text, i) => {
    const body: Record<string, unknown> = { chat_id, text };
    if (i === 0 && replyTo !== null) body.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true };
    if (i === chunks.length - 1 && rows.length > 0) body.reply_markup = { inline_keyboard: rows } satisfies InlineKeyboardMarkup;
    requests.push(jsonPost("telegram", "sendMessage", telegramMethodUrl(config, "sendMessage"), body));
  });

  // Files by link: photos as photos (Telegram fetches up to 5 MB), everything else as a document (20 MB).
  for (const media of plan.media) {
    const photo = media.kind === "image" && media.contentType !== "image/gif";
    requests.push(
      photo
        ? jsonPost("telegram", "sendPhoto", telegramMethodUrl(config, "sendPhoto"), { chat_id, photo: media.url })
        : jsonPost("telegram", "sendDocument", telegramMethodUrl(config, "sendDocument"), { chat_id, document: media.url }),
    );
  }

  for (const card of plan.cards.slice(0, MAX_CARDS)) {
    const cardRows: InlineKeyboardButton[][] = [];
    if (card.inStock) cardRows.push([button(labels.addToCart, addToCartPayload(card.productId))]);
    if (isHttpUrl(card.url)) cardRows.push([{ text: labels.view, url: card.url }]);
    const markup = cardRows.length > 0 ? { reply_markup: { inline_keyboard: cardRows } satisfies InlineKeyboardMarkup } : {};
    const line = cardLine(card, plan.locale, plan.digits);
    if (isHttpUrl(card.imageUrl)) {
      requests.push(jsonPost("telegram", "sendPhoto", telegramMethodUrl(config, "sendPhoto"), { chat_id, photo: card.imageUrl, caption: clip(line, TELEGRAM_CAPTION_LIMIT), ...markup }));
    } else {
      requests.push(jsonPost("telegram", "sendMessage", telegramMethodUrl(config, "sendMessage"), { chat_id, text: clip(line, TELEGRAM_TEXT_LIMIT), ...markup }));
    }
  }
  return requests;
}

/** Stops the tapped button's spinner; `text` (≤ 200 characters) shows as a brief notice. */
export function buildTelegramAnswerCallbackQuery(config: TelegramChannelConfig, callbackQueryId: string, text?: string): ProviderRequest {
  const body: Record<string, unknown> = { callback_query_id: callbackQueryId };
  if (text) body.text = clip(text, 200);
  return jsonPost("telegram", "answerCallbackQuery", telegramMethodUrl(config, "answerCallbackQuery"), body);
}

/**
 * Replaces the text of a message the bot sent: for an answer shown growing as it is written.
 * Callers rate-limit the edits (Telegram allows about one message a second per chat) and send
 * what exceeds 4096 characters as new messages; only the first 4096 characters are edited in.
 */
export function buildTelegramEditText(config: TelegramChannelConfig, chatId: string, messageId: string, text: string, keyboard?: InlineKeyboardMarkup): ProviderRequest {
  const body: Record<string, unknown> = { chat_id: telegramChatId(chatId), message_id: Number(messageId), text: clip(text.trim() || "…", TELEGRAM_TEXT_LIMIT) };
  if (keyboard) body.reply_markup = keyboard;
  return jsonPost("telegram", "editMessageText", telegramMethodUrl(config, "editMessageText"), body);
}
