// Turns one stored channel webhook event into its effect: a customer message in their open
// conversation (which the bot then answers unless a person handles it), or a delivery state on a
// message Kaleem sent. Running it twice has one effect: messages are appended under the
// provider's id, and a processed event is skipped.
import {
  asMerchantId,
  channelClientId,
  inboundEventSchema,
  integrationSecrets,
  type Channel,
  type ChannelInboundJob,
  type Config,
  type ConversationService,
  type InboundEvent,
  type InboundPart,
  type Job,
  type Logger,
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import type { ChannelGateway } from "../channels/gateway.js";
import { inboundText } from "../channels/inbound-text.js";
import { unprocessedEvent } from "./stored-event.js";
import { choicePayloads, isPayloadToken, resolveProviderPayload } from "../channels/common/payload-token.js";

export interface ChannelInboundDeps {
  config: Config;
  store: Store;
  conversations: ConversationService;
  gateway: Pick<ChannelGateway, "acknowledgeChoice">;
  logger?: Logger;
}

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
      await deps.conversations.shopperSend(tenant.merchantId, conversation.id, { clientMessageId: channelClientId(event.dedupeKey), text });
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
