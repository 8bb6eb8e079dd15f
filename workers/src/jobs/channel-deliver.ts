// Sends one bot or agent message to its channel customer, at most once per outbox row whatever
// crashes in between. The attempt is recorded before the provider is called and every piece the
// provider accepts is recorded as it is accepted, so a job run again after a timeout, a SIGKILL
// or a 429 resumes after what was already sent instead of sending it twice. (The one window left
// is a crash between the provider's acceptance of a piece and its record: that piece may repeat.)
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
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import { deliveryFailureOf } from "../channels/common/errors.js";

export interface ChannelDeliverDeps {
  config: Config;
  store: Store;
  conversations: ConversationService;
  sender: ChannelSender;
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

    const sealed = await tenant.channels.getSecrets(channel.id);
    const secrets = sealed ? integrationSecrets(deps.config).open(sealed) : {};
    try {
      const { providerMessageIds } = await deps.sender.send({
        channel,
        secrets,
        recipientId: customer.externalId,
        message,
        locale: conversation.locale ?? "en",
        byHuman,
        lastCustomerMessageAt: await lastCustomerMessageAt(tenant, conversation.id),
        alreadySent: attempt.providerMessageIds,
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
