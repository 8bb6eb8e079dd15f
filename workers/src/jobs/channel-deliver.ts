// Sends one bot or agent message to its channel customer, at most once per outbox row whatever
// crashes in between. The attempt is recorded before the provider is called, the piece about to
// be sent is marked in flight, and every piece the provider accepts is recorded as it is
// accepted. A job run again after a 429, a provider error or a refused connection resumes after
// what was already sent. A job run again after the worker died (or a timeout) during a call
// finds that piece still in flight: it may or may not have reached the customer, and the
// providers offer no idempotent send to ask with. It is never sent blindly again: the delivery
// fails as "unconfirmed" (a dead letter the merchant can send again on purpose).
import {
  asMerchantId,
  integrationSecrets,
  RetryAfterError,
  UnrecoverableError,
  type ChannelDeliverJob,
  type ChannelSender,
  type Config,
  type ConversationService,
  type DeliveryFailure,
  type Job,
  type Logger,
  type Message,
  type ObjectStore,
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import { deliveryFailureOf } from "../channels/common/errors.js";

export interface ChannelDeliverDeps {
  config: Config;
  store: Store;
  /** Agents' attachments: the provider fetches each through a presigned link made here. */
  objects: ObjectStore;
  conversations: ConversationService;
  sender: ChannelSender;
  /** Whether a failed call may still have reached the customer (the provider layer knows its errors). */
  mayHaveBeenDelivered: (err: unknown) => boolean;
  logger?: Logger;
  /** Consecutive provider server errors that open a channel's breaker, and how long it stays open. */
  breaker?: { threshold: number; openMs: number };
}

export const DEFAULT_BREAKER = { threshold: 5, openMs: 60_000 };
/** Attempts of a delivery job; throttling (RetryAfterError) does not use them. */
export const DELIVERY_ATTEMPTS = 6;

export function createChannelDeliverHandler(deps: ChannelDeliverDeps): (job: Job<ChannelDeliverJob>) => Promise<void> {
  const breaker = deps.breaker ?? DEFAULT_BREAKER;
  return async (job) => {
    const { merchantId, outboxId, messageId, conversationId, byHuman } = job.data;
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    const [message, conversation] = await Promise.all([tenant.messages.get(messageId), tenant.conversations.get(conversationId)]);
    if (!message || !conversation || message.conversationId !== conversation.id) throw new UnrecoverableError("message or conversation not found");
    const channel = conversation.channelId ? await tenant.channels.get(conversation.channelId) : null;
    const customer = conversation.customerId ? await tenant.customers.get(conversation.customerId) : null;
    const fail = async (reason: string, failure: DeliveryFailure) => {
      await tenant.deliveryAttempts.finish(outboxId, { state: "failed", error: reason });
      if (channel) await deps.conversations.deliveryChanged(tenant, message.id, { channel: channel.type, state: "failed", providerMessageId: null, error: reason, failure });
    };
    if (!channel || !customer?.externalId) {
      await fail("the conversation's channel or customer is gone", "rejected");
      throw new UnrecoverableError("no channel or recipient to deliver to");
    }
    if (channel.status === "disabled") {
      await fail("channel disabled", "unavailable");
      throw new UnrecoverableError("channel disabled");
    }
    const openUntil = channel.breakerOpenUntil ? Date.parse(channel.breakerOpenUntil) - Date.now() : 0;
    // The provider keeps failing: wait until the breaker closes, without spending an attempt.
    if (openUntil > 0) throw new RetryAfterError(openUntil);

    let { attempt } = await tenant.deliveryAttempts.begin(outboxId, message.id);
    if (attempt.state === "sent") return;
    if (attempt.state === "failed") {
      // Only a dead letter retried by the merchant runs after a failure: it is a new try.
      await tenant.deliveryAttempts.forget(outboxId);
      ({ attempt } = await tenant.deliveryAttempts.begin(outboxId, message.id));
    }
    if (attempt.inFlight !== null) {
      const reason = "unconfirmed: the sender stopped during the call to the provider, so this message may or may not have reached the customer; check the chat and send it again if needed";
      await fail(reason, "unconfirmed");
      throw new UnrecoverableError(reason);
    }

    const sealed = await tenant.channels.getSecrets(channel.id);
    const secrets = sealed ? integrationSecrets(deps.config).open(sealed) : {};
    try {
      const { providerMessageIds } = await deps.sender.send({
        channel,
        secrets,
        recipientId: customer.externalId,
        message,
        mediaUrls: await mediaLinks(deps.objects, merchantId, message),
        locale: conversation.locale ?? "en",
        arabicDigits: (await tenant.merchant.get()).bot.arabicDigits,
        byHuman,
        lastCustomerMessageAt: await lastCustomerMessageAt(tenant, conversation.id),
        alreadySent: attempt.providerMessageIds,
        onPieceStarting: (index) => tenant.deliveryAttempts.markInFlight(outboxId, index),
        onPieceSent: async (providerMessageId) => {
          await tenant.deliveryAttempts.addPiece(outboxId, providerMessageId);
          await tenant.messages.linkProviderMessage(message.id, providerMessageId);
        },
      });
      await tenant.deliveryAttempts.finish(outboxId, { state: "sent", providerMessageIds });
      await tenant.channels.recordDelivery(channel.id, { ok: true }, breaker);
      await deps.conversations.deliveryChanged(tenant, message.id, { channel: channel.type, state: "sent", providerMessageId: providerMessageIds[0] ?? null, error: null });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      // The provider answered (or was never reached): that piece is known not to be delivered.
      if (!deps.mayHaveBeenDelivered(err)) await tenant.deliveryAttempts.markInFlight(outboxId, null);
      if (err instanceof RetryAfterError) throw err;
      const final = err instanceof UnrecoverableError || job.attempt >= DELIVERY_ATTEMPTS;
      await tenant.channels.recordDelivery(channel.id, { ok: false, error: reason, serverError: !(err instanceof UnrecoverableError) }, breaker);
      if (final) await fail(reason, deliveryFailureOf(err));
      deps.logger?.warn({ err, merchantId, messageId, channelId: channel.id, attempt: job.attempt, final }, "channel delivery failed");
      throw err;
    }
  };
}

/** The 24-hour customer-service window is counted from the customer's last message. */
async function lastCustomerMessageAt(tenant: TenantStore, conversationId: string): Promise<string | null> {
  const recent = await tenant.messages.listLatest(conversationId, 50);
  return recent.filter((m) => m.role === "shopper").at(-1)?.createdAt ?? null;
}

/** How long a provider has to fetch an attachment we send by link (WhatsApp and Meta fetch later, not at once). */
export const MEDIA_LINK_SECONDS = 24 * 3600;

/** A presigned link per attachment of the message; made again on every attempt (the pieces stay the same). */
async function mediaLinks(objects: ObjectStore, merchantId: string, message: Message): Promise<Record<string, string>> {
  const links: Record<string, string> = {};
  const scoped = objects.forMerchant(asMerchantId(merchantId));
  for (const part of message.parts) {
    if (part.type !== "attachment" || links[part.key]) continue;
    links[part.key] = await scoped.presignGet(part.key, {
      expiresInSeconds: MEDIA_LINK_SECONDS,
      ...(part.kind === "image" ? {} : { downloadName: (part.name ?? "file").replace(/[\p{Cc}"\\/]/gu, "_") || "file" }),
    });
  }
  return links;
}
