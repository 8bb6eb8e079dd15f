// The provider layer for messaging channels: pure parsers and request builders, the executor
// that sends requests and classifies failures, media downloads and connect checks. The webhook
// routes, stores, queues and jobs (the plumbing) call these; see README.md in this folder.
export { verifyMeta, verifyMetaSubscription, verifyTelegram, TELEGRAM_SECRET_TOKEN, type SubscriptionVerdict, type WebhookRejection, type WebhookVerdict } from "./common/signatures.js";
export type { HeaderBag } from "./common/headers.js";
export { parseJsonBody, type ParseOptions } from "./common/inbound.js";
export { parseTelegramUpdate } from "./telegram/parse.js";
export { parseWhatsAppWebhook, describeWhatsAppError } from "./whatsapp/parse.js";
export { parseInstagramWebhook, parseMessengerWebhook, type MetaMessagingPlatform } from "./meta-messaging/parse.js";

export { planOutbound, type OutboundMessage, type OutboundPlan } from "./common/outbound.js";
export { splitText, type TextLimit } from "./common/text-split.js";
export { addToCartPayload, choicePayloads, isPayloadToken, payloadToken, providerPayload, resolveProviderPayload } from "./common/payload-token.js";
export { customerServiceWindow, CUSTOMER_SERVICE_WINDOW_MS, HUMAN_AGENT_WINDOW_MS, type MessageAuthor, type MetaMessagingType, type WindowInput, type WindowVerdict } from "./common/window.js";
export { describeRequest, DEFAULT_GRAPH_VERSION, type ProviderRequest } from "./common/request.js";

export type { TelegramChannelConfig } from "./telegram/config.js";
export { isTelegramBotToken } from "./telegram/config.js";
export { buildTelegramAnswerCallbackQuery, buildTelegramEditText, buildTelegramSend, telegramCallbackData, TELEGRAM_TEXT_LIMIT, type InlineKeyboardMarkup, type TelegramSendOptions } from "./telegram/send.js";
export type { WhatsAppChannelConfig } from "./whatsapp/config.js";
export { buildWhatsAppMarkRead, buildWhatsAppSend, WHATSAPP_LIMITS, type WhatsAppSendOptions } from "./whatsapp/send.js";
export type { MetaMessagingChannelConfig } from "./meta-messaging/config.js";
export { buildMetaSend, META_LIMITS, META_TEXT_LIMIT } from "./meta-messaging/send.js";

export {
  ProviderRateLimited,
  ProviderRetryable,
  ProviderUnrecoverable,
  deliveryErrorText,
  deliveryFailureOf,
  isProviderFailure,
  isWindowClosed,
  mayHaveBeenDelivered,
  type ProviderFailure,
  type ProviderFailureInfo,
  type RateLimitScope,
  type UnrecoverableKind,
} from "./common/errors.js";
export { classifyGraphFailure } from "./common/graph-errors.js";
export { classifyTelegramFailure } from "./telegram/errors.js";
export { callProvider, type FetchLike, type ProviderHttpOptions, type ProviderHttpResponse } from "./common/http.js";
export { readProviderAnswer, sendProviderRequest, sendProviderRequests, type ProviderResult, type SendSequenceOptions } from "./deliver.js";

export { DEFAULT_MEDIA_MAX_BYTES, downloadMedia, type DownloadedMedia, type MediaDownloadOptions } from "./common/media.js";
export { downloadTelegramFile } from "./telegram/media.js";
export { downloadWhatsAppMedia } from "./whatsapp/media.js";
export { downloadMetaAttachment } from "./meta-messaging/media.js";

export { buildTelegramGetMe, buildTelegramSetWebhook, connectTelegram, parseTelegramGetMe, TELEGRAM_ALLOWED_UPDATES, type TelegramBot, type TelegramWebhookSettings } from "./telegram/connect.js";
export { buildWhatsAppPhoneNumberCheck, checkWhatsAppCredentials, parseWhatsAppPhoneNumber, type WhatsAppPhoneNumber } from "./whatsapp/connect.js";
export { buildMessengerSubscribeApp, buildMetaAccountCheck, checkMetaCredentials, MESSENGER_SUBSCRIBED_FIELDS, parseMetaAccount, type MetaAccount } from "./meta-messaging/connect.js";
export { createChannelGateway, type ChannelGateway, type ChannelGatewayOptions } from "./gateway.js";
export { connectChannel } from "./connect.js";
