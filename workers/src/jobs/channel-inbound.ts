// Turns one stored channel webhook event into its effect: a customer message in their open
// conversation (which the bot then answers unless a person handles it), or a delivery state on a
// message Kaleem sent. Running it twice has one effect: messages are appended under the
// provider's id, and a processed event is skipped.
import { createHash } from "node:crypto";
import {
  asMerchantId,
  channelClientId,
  inboundEventSchema,
  integrationSecrets,
  PayloadTooLargeError,
  UnrecoverableError,
  type Channel,
  type ChannelInboundJob,
  type Config,
  type ConversationService,
  type DeliveryFailure,
  type InboundEvent,
  type AttachmentPart,
  type InboundPart,
  type Job,
  type ObjectStore,
  type Logger,
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import type { ChannelGateway } from "../channels/gateway.js";
import { inboundText } from "../channels/inbound-text.js";
import { unprocessedEvent } from "./stored-event.js";
import { choicePayloads, isPayloadToken, resolveProviderPayload } from "../channels/common/payload-token.js";
import { deliveryFailureOf } from "../channels/common/errors.js";
import { classifyGraphFailure } from "../channels/common/graph-errors.js";

export interface ChannelInboundDeps {
  config: Config;
  store: Store;
  conversations: ConversationService;
  gateway: Pick<ChannelGateway, "acknowledgeChoice" | "downloadMedia">;
  /** Where media customers send is kept (local disk embedded, MinIO in a cluster). */
  objects: ObjectStore;
  logger?: Logger;
}

/** The largest file kept from a channel (what Telegram lets bots download). */
export const CHANNEL_MEDIA_MAX_BYTES = 20 * 1024 * 1024;

/** How far back a tapped button's message is looked for (its payload was shortened to a token). */
const CHOICE_LOOKBACK = 30;

export function createChannelInboundHandler(deps: ChannelInboundDeps): (job: Job<ChannelInboundJob>) => Promise<void> {
  return async (job) => {
    const { merchantId, webhookEventId } = job.data;
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    const stored = await unprocessedEvent(tenant, webhookEventId, inboundEventSchema, "inbound");
    if (!stored) return;
    const { record, payload: event } = stored;
    const channel = await tenant.channels.get(record.source.replace(/^channel:/, ""));
    if (!channel) {
      await tenant.webhookEvents.markFailed(record.id, "channel removed");
      return;
    }
    await apply(deps, tenant, channel, event);
    await tenant.webhookEvents.markProcessed(record.id);
  };
}

async function apply(deps: ChannelInboundDeps, tenant: TenantStore, channel: Channel, event: InboundEvent): Promise<void> {
  switch (event.kind) {
    case "message": {
      if (event.callbackQueryId) await acknowledge(deps, tenant, channel, event.callbackQueryId);
      const conversation = await deps.conversations.channelConversation(tenant.merchantId, channel, event.from);
      const text = inboundText(await resolveChoices(tenant, conversation.id, event.parts));
      // A reaction alone is not something to answer.
      if (text === null) return;
      const attachments = await keepMedia(deps, tenant, channel, event.dedupeKey, event.parts);
      await deps.conversations.shopperSend(tenant.merchantId, conversation.id, { clientMessageId: channelClientId(event.dedupeKey), text, parts: attachments });
      return;
    }
    case "status": {
      const message = await tenant.messages.findByProviderMessageId(event.providerMessageId);
      if (!message) return;
      await deps.conversations.deliveryChanged(tenant, message.id, {
        channel: channel.type,
        state: event.status,
        providerMessageId: event.providerMessageId,
        error: event.error ? `${event.error.code} ${event.error.title}`.trim() : null,
        ...(event.status === "failed" && { failure: statusFailure(channel.type, event.error) }),
      });
      return;
    }
    default:
      // Recorded by the webhook route; nothing more to do (edits, template updates, watermarks...).
      return;
  }
}

/**
 * A button whose payload did not fit the provider's field went out as a token; the tap brings the
 * token back. It stands for a payload of one of the bot's recent messages in this conversation.
 */
async function resolveChoices(tenant: TenantStore, conversationId: string, parts: readonly InboundPart[]): Promise<InboundPart[]> {
  if (!parts.some((p) => p.type === "choice" && isPayloadToken(p.payload))) return [...parts];
  const recent = (await tenant.messages.listLatest(conversationId, CHOICE_LOOKBACK)).filter((m) => m.role === "bot" || m.role === "agent");
  const candidates = recent.flatMap((m) => choicePayloads(m.parts));
  return parts.flatMap((p): InboundPart[] => {
    if (p.type !== "choice" || !isPayloadToken(p.payload)) return [p];
    const payload = resolveProviderPayload(p.payload, candidates);
    // A stale or forged tap: what the customer saw on the button is all we can go by.
    if (payload === null) return p.title ? [{ type: "text", text: p.title }] : [];
    return [{ ...p, payload }];
  });
}

async function acknowledge(deps: ChannelInboundDeps, tenant: TenantStore, channel: Channel, callbackQueryId: string): Promise<void> {
  try {
    const sealed = await tenant.channels.getSecrets(channel.id);
    await deps.gateway.acknowledgeChoice({ channel, secrets: sealed ? integrationSecrets(deps.config).open(sealed) : {}, callbackQueryId });
  } catch (err) {
    // The button keeps its spinner a little longer; the tap itself is still handled.
    deps.logger?.warn({ err, channelId: channel.id }, "callback query not answered");
  }
}

const EXTENSION: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "video/mp4": "mp4",
  "application/pdf": "pdf",
};

/**
 * Downloads what the customer sent through the provider's media API into the merchant's object
 * store. A retried job writes the same keys again (nothing piles up). A file the provider refuses
 * for good (gone, too large) is left out: the message text still says what was sent.
 */
async function keepMedia(deps: ChannelInboundDeps, tenant: TenantStore, channel: Channel, dedupeKey: string, parts: readonly InboundPart[]): Promise<AttachmentPart[]> {
  const media = parts.filter((p): p is Extract<InboundPart, { type: "media" }> => p.type === "media");
  if (media.length === 0) return [];
  const sealed = await tenant.channels.getSecrets(channel.id);
  const secrets = sealed ? integrationSecrets(deps.config).open(sealed) : {};
  const folder = `channels/${channel.id}/${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 32)}`;
  const kept: AttachmentPart[] = [];
  for (const [index, part] of media.entries()) {
    try {
      const file = await deps.gateway.downloadMedia({ channel, secrets, mediaRef: part.mediaRef, maxBytes: CHANNEL_MEDIA_MAX_BYTES });
      const contentType = file.contentType ?? part.mimeType ?? "application/octet-stream";
      const key = `${folder}/${index}.${EXTENSION[contentType] ?? "bin"}`;
      const info = await deps.objects.forMerchant(tenant.merchantId).put(key, file.bytes, { contentType, maxBytes: CHANNEL_MEDIA_MAX_BYTES });
      kept.push({ type: "attachment", kind: part.kind, key, contentType, size: info.size, name: part.fileName });
    } catch (err) {
      if (!(err instanceof UnrecoverableError || err instanceof PayloadTooLargeError)) throw err;
      deps.logger?.warn({ err, channelId: channel.id, kind: part.kind }, "channel media not kept");
    }
  }
  return kept;
}

/** A failed-status callback's error code read as the same kind a refused send would have been (131047: window closed). */
function statusFailure(type: Channel["type"], error: { code: string; title: string } | null): DeliveryFailure {
  if (!error || type === "telegram") return "rejected";
  return deliveryFailureOf(classifyGraphFailure(type, "status", 400, { error: { code: Number(error.code), message: error.title } }));
}
