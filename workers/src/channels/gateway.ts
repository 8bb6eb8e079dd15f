// The provider layer behind the channel ports: REST reads webhooks through it (ChannelWebhooks) and
// proves credentials on connect (ChannelConnector), the delivery job sends through it
// (ChannelSender). It picks the provider by the channel's type and its credentials from the
// channel's public config and sealed secrets.
import type {
  Channel,
  ChannelConnector,
  ChannelSecrets,
  ChannelSender,
  ChannelWebhooks,
  OutgoingChannelMessage,
  ParsedWebhook,
  WebhookReading,
} from "@kaleem/shared";
import { ProviderUnrecoverable } from "./common/errors.js";
import type { FetchLike } from "./common/http.js";
import { parseJsonBody } from "./common/inbound.js";
import type { OutboundMessage } from "./common/outbound.js";
import type { ProviderRequest } from "./common/request.js";
import { verifyMeta, verifyMetaSubscription, verifyTelegram } from "./common/signatures.js";
import { connectChannel } from "./connect.js";
import { customerServiceWindow } from "./common/window.js";
import { sendProviderRequest, sendProviderRequests } from "./deliver.js";
import { buildMetaSend } from "./meta-messaging/send.js";
import { parseInstagramWebhook, parseMessengerWebhook } from "./meta-messaging/parse.js";
import { buildTelegramAnswerCallbackQuery, buildTelegramSend } from "./telegram/send.js";
import { parseTelegramUpdate } from "./telegram/parse.js";
import { buildWhatsAppSend } from "./whatsapp/send.js";
import { downloadTelegramFile } from "./telegram/media.js";
import { downloadWhatsAppMedia } from "./whatsapp/media.js";
import { downloadMetaAttachment } from "./meta-messaging/media.js";
import { parseWhatsAppWebhook } from "./whatsapp/parse.js";

export interface ChannelGatewayOptions {
  /** Every provider call goes through it (the launcher passes the SSRF-guarded fetch). */
  fetch: FetchLike;
  timeoutMs?: number;
  now?: () => Date;
}

export interface ChannelGateway extends ChannelWebhooks, ChannelSender, ChannelConnector {
  /** Stops a tapped Telegram button from spinning (best effort; nothing else needs it). */
  acknowledgeChoice(input: { channel: Channel; secrets: ChannelSecrets; callbackQueryId: string }): Promise<void>;
}

/** The account id a Meta payload must name: the channel's phone number id or page/IG account id. */
function expectedAccount(channel: Channel): string | null {
  if (channel.type === "telegram") return null;
  return (channel.type === "whatsapp" ? channel.publicConfig.phoneNumberId : channel.publicConfig.pageId) ?? null;
}

function parse(channel: Channel, json: unknown): ParsedWebhook {
  switch (channel.type) {
    case "telegram":
      return parseTelegramUpdate(json);
    case "whatsapp":
      return parseWhatsAppWebhook(json);
    case "messenger":
      return parseMessengerWebhook(json);
    case "instagram":
      return parseInstagramWebhook(json);
  }
}

const apiBase = (channel: Channel) => channel.publicConfig.apiBaseUrl || undefined;

function sendRequests(channel: Channel, secrets: ChannelSecrets, recipientId: string, message: OutboundMessage, messaging: ReturnType<typeof customerServiceWindow>): ProviderRequest[] {
  const base = apiBase(channel);
  switch (channel.type) {
    case "telegram":
      return buildTelegramSend({ botToken: secrets.botToken ?? "", ...(base ? { apiBaseUrl: base } : {}) }, recipientId, message);
    case "whatsapp":
      return buildWhatsAppSend(
        { phoneNumberId: channel.publicConfig.phoneNumberId ?? "", accessToken: secrets.accessToken ?? "", ...(base ? { apiBaseUrl: base } : {}) },
        recipientId,
        message,
      );
    case "messenger":
    case "instagram": {
      if (!messaging.open || messaging.messagingType === null) throw new Error("a Meta send needs an open window verdict");
      return buildMetaSend(
        { platform: channel.type, accountId: channel.publicConfig.pageId ?? "", accessToken: secrets.accessToken ?? "", ...(base ? { apiBaseUrl: base } : {}) },
        recipientId,
        message,
        messaging.messagingType === "MESSAGE_TAG" ? { messagingType: "MESSAGE_TAG", tag: messaging.tag } : { messagingType: "RESPONSE" },
      );
    }
  }
}

/** Pieces that answered without a message id still count, so a resumed send skips them too. */
const pieceId = (index: number, providerMessageId: string | null): string => providerMessageId ?? `piece:${index}`;

export function createChannelGateway(options: ChannelGatewayOptions): ChannelGateway {
  const now = options.now ?? (() => new Date());
  const http = { fetch: options.fetch, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  return {
    read({ channel, secrets, rawBody, headers }): WebhookReading {
      const verdict = channel.type === "telegram" ? verifyTelegram(headers, secrets.secretToken ?? "") : verifyMeta(rawBody, headers, secrets.appSecret ?? "");
      if (!verdict.ok) return { ok: false, status: 401, reason: verdict.reason };
      const json = parseJsonBody(rawBody);
      if (json === null) return { ok: false, status: 400, reason: "the body is not JSON" };
      const webhook = parse(channel, json);
      const expected = expectedAccount(channel);
      const foreign = expected === null ? [] : webhook.accountIds.filter((id) => id !== expected);
      if (foreign.length > 0) return { ok: false, status: 403, reason: `the payload is for account ${foreign[0]}, not this channel's` };
      return { ok: true, webhook };
    },

    subscribe({ channel, query }) {
      const verdict = verifyMetaSubscription(query, channel.publicConfig.verifyToken ?? "");
      return verdict.ok ? verdict.challenge : null;
    },

    async send(input: OutgoingChannelMessage) {
      const { channel, secrets, message } = input;
      const window = customerServiceWindow({ channel: channel.type, lastInboundAt: input.lastCustomerMessageAt, author: input.byHuman ? "agent" : "bot", now: now() });
      if (!window.open) {
        throw new ProviderUnrecoverable({ provider: channel.type, operation: "messages", httpStatus: null, code: null }, "window_closed", window.message);
      }
      const requests = sendRequests(channel, secrets, input.recipientId, { text: message.text, parts: message.parts, locale: input.locale, ...(input.arabicDigits ? { digits: input.arabicDigits } : {}), ...(input.mediaUrls ? { mediaUrls: input.mediaUrls } : {}) }, window);
      const sent = [...input.alreadySent];
      for (let index = sent.length; index < requests.length; index++) {
        await input.onPieceStarting(index);
        const result = await sendProviderRequest(requests[index]!, http);
        const id = pieceId(index, result.providerMessageId);
        sent.push(id);
        await input.onPieceSent(id);
      }
      return { providerMessageIds: sent };
    },

    async downloadMedia({ channel, secrets, mediaRef, maxBytes }) {
      const base = apiBase(channel);
      const options = { ...http, maxBytes };
      switch (channel.type) {
        case "telegram":
          return downloadTelegramFile({ botToken: secrets.botToken ?? "", ...(base ? { apiBaseUrl: base } : {}) }, mediaRef, options);
        case "whatsapp":
          return downloadWhatsAppMedia(
            { phoneNumberId: channel.publicConfig.phoneNumberId ?? "", accessToken: secrets.accessToken ?? "", ...(base ? { apiBaseUrl: base } : {}) },
            mediaRef,
            options,
          );
        case "messenger":
        case "instagram":
          // Meta hands out signed CDN URLs; no token is sent to them.
          return downloadMetaAttachment(channel.type, mediaRef, options);
      }
    },

    connect(input) {
      return connectChannel(input, http);
    },

    async acknowledgeChoice({ channel, secrets, callbackQueryId }) {
      if (channel.type !== "telegram") return;
      const base = apiBase(channel);
      const [request] = [buildTelegramAnswerCallbackQuery({ botToken: secrets.botToken ?? "", ...(base ? { apiBaseUrl: base } : {}) }, callbackQueryId)];
      await sendProviderRequests([request], http);
    },
  };
}
