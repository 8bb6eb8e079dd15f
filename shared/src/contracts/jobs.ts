// Job names and payload schemas: the one table producers (conversation service, REST, webhooks)
// and consumers (workers) share. The JobQueue port is generic over this table, so `add` and
// `process` only accept names listed here, type-check the payload against the schema, and the
// queue validates it with the schema on both ends.
//
// Adding a job is one line in `jobSchemas` (name: schema). A name is the BullMQ queue name and is
// persisted in Redis with every waiting, delayed and failed job: never rename one that shipped
// (jobs already queued under the old name would never run, its dead letters would vanish from
// the list). BullMQ refuses ":" in queue names and job ids.
import { z } from "zod";
import { orderStatusSchema } from "./domain.js";
import { outgoingEventTypeSchema } from "./outgoing-webhooks.js";

export const BOT_REPLY_JOB = "bot-reply";
export const botReplyJobSchema = z.object({
  merchantId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The shopper message to answer. */
  triggerMessageId: z.string().min(1),
});
export type BotReplyJob = z.infer<typeof botReplyJobSchema>;

/** A verified, stored channel webhook event to turn into a conversation message (or a delivery update). */
export const CHANNEL_INBOUND_JOB = "channel-inbound";
export const channelInboundJobSchema = z.object({
  merchantId: z.string().min(1),
  webhookEventId: z.string().min(1),
});
export type ChannelInboundJob = z.infer<typeof channelInboundJobSchema>;
export const channelInboundJobId = (webhookEventId: string): string => `inbound-${webhookEventId}`;

/** A bot or agent message to send to the channel customer (published from the outbox). */
export const CHANNEL_DELIVER_JOB = "channel-deliver";
export const channelDeliverJobSchema = z.object({
  merchantId: z.string().min(1),
  /** The outbox row that asked for it: the delivery's idempotency key. */
  outboxId: z.string().min(1),
  messageId: z.string().min(1),
  conversationId: z.string().min(1),
  /** Human replies may use Messenger's HUMAN_AGENT tag outside the 24-hour window. */
  byHuman: z.boolean(),
});
export type ChannelDeliverJob = z.infer<typeof channelDeliverJobSchema>;
export const channelDeliverJobId = (outboxId: string): string => `deliver-${outboxId}`;

/** A verified, stored store-platform webhook (normalized product/order changes) to apply. */
export const COMMERCE_INBOUND_JOB = "commerce-inbound";
export const commerceInboundJobSchema = channelInboundJobSchema;
export type CommerceInboundJob = z.infer<typeof commerceInboundJobSchema>;
export const commerceInboundJobId = (webhookEventId: string): string => `commerce-${webhookEventId}`;

/**
 * Import (the whole catalog and orders) or reconcile (changes since the last run) one commerce
 * connection through the platform's API, page by page from the checkpoint on the connection.
 */
export const COMMERCE_SYNC_JOB = "commerce-sync";
export const commerceSyncJobSchema = z.object({
  merchantId: z.string().min(1),
  connectionId: z.string().min(1),
  mode: z.enum(["import", "reconcile"]),
});
export type CommerceSyncJob = z.infer<typeof commerceSyncJobSchema>;
/**
 * `run` names one request (a fresh id for the merchant's button, the time slot for the periodic
 * reconciliation, so every workers process scheduling the same slot queues one job). Runs of one
 * connection never overlap: the job holds the connection's lock.
 */
export const commerceSyncJobId = (connectionId: string, mode: CommerceSyncJob["mode"], run: string): string => `sync-${mode}-${connectionId}-${run}`;
export const COMMERCE_SYNC_ATTEMPTS = 5;
export const COMMERCE_SYNC_JOB_OPTIONS = { attempts: COMMERCE_SYNC_ATTEMPTS, backoff: { type: "exponential" as const, delayMs: 2_000 } };

/** Finds the merchant's endpoints subscribed to an outgoing event and records one delivery each. */
export const WEBHOOK_DISPATCH_JOB = "webhook-dispatch";
export const outgoingEventSchema = z.object({
  eventId: z.string().min(1),
  type: outgoingEventTypeSchema,
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** A "send test event": only this endpoint, whatever it subscribes to. */
  endpointId: z.string().min(1).optional(),
  test: z.boolean().optional(),
});
export const webhookDispatchJobSchema = outgoingEventSchema.extend({ merchantId: z.string().min(1), outboxId: z.string().min(1) });
export type WebhookDispatchJob = z.infer<typeof webhookDispatchJobSchema>;
export const webhookDispatchJobId = (outboxId: string): string => `dispatch-${outboxId}`;

/** One signed POST of a recorded delivery to its endpoint, retried with backoff. */
export const WEBHOOK_DELIVER_JOB = "webhook-deliver";
export const webhookDeliverJobSchema = z.object({ merchantId: z.string().min(1), deliveryId: z.string().min(1) });
export type WebhookDeliverJob = z.infer<typeof webhookDeliverJobSchema>;
export const webhookDeliverJobId = (deliveryId: string): string => `wh-${deliveryId}`;

/**
 * Bring the shared vector index (Qdrant) in step with the catalog for some products of one
 * merchant: embed and upsert the active ones, remove the rest and `removed`; `all` re-indexes the
 * whole catalog (a new embedding model, an empty collection, an index that drifted). Only queued
 * when a shared index is configured: the embedded runtime keeps its vectors in process.
 */
export const CATALOG_INDEX_JOB = "catalog-index";
/** Products per outbox row and job: one embeddings call's worth, well under BullMQ's payload comfort. */
export const CATALOG_INDEX_BATCH = 500;
const catalogIndexFields = {
  productIds: z.array(z.string().min(1).max(64)).max(CATALOG_INDEX_BATCH),
  removed: z.array(z.string().min(1).max(64)).max(CATALOG_INDEX_BATCH),
  all: z.boolean(),
  /**
   * For `all`: the time slot of the request. Every process that notices the same drift asks for
   * the same slot, and the job id makes that one job.
   */
  slot: z.number().int().nonnegative().optional(),
};
export const catalogIndexJobSchema = z.object({ merchantId: z.string().min(1), outboxId: z.string().min(1), ...catalogIndexFields });
export type CatalogIndexJob = z.infer<typeof catalogIndexJobSchema>;
export const catalogIndexJobId = (job: { merchantId: string; outboxId: string; all: boolean; slot?: number | undefined }): string =>
  job.all && job.slot !== undefined ? `reindex-${job.merchantId}-${job.slot}` : `index-${job.outboxId}`;
export const CATALOG_INDEX_JOB_OPTIONS = { attempts: 8, backoff: { type: "exponential" as const, delayMs: 2_000 } };

/** Every job the application queues. Payloads are JSON data: no transforms, no Dates. */
export const jobSchemas = {
  [BOT_REPLY_JOB]: botReplyJobSchema,
  [CHANNEL_INBOUND_JOB]: channelInboundJobSchema,
  [CHANNEL_DELIVER_JOB]: channelDeliverJobSchema,
  [COMMERCE_INBOUND_JOB]: commerceInboundJobSchema,
  [COMMERCE_SYNC_JOB]: commerceSyncJobSchema,
  [WEBHOOK_DISPATCH_JOB]: webhookDispatchJobSchema,
  [WEBHOOK_DELIVER_JOB]: webhookDeliverJobSchema,
  [CATALOG_INDEX_JOB]: catalogIndexJobSchema,
} as const satisfies Record<string, z.ZodType>;

// ---- outbox topics ---------------------------------------------------------------------------
// What leaves the process after a write, recorded in the same transaction as the write. The relay
// turns each topic into its job. Payload schemas are checked when the row is written and read.

/** An order moved along confirm → ship → deliver, or was cancelled, by someone in the dashboard. */
export const orderStatusChangedSchema = z.object({
  orderId: z.string().min(1),
  number: z.string().min(1),
  from: orderStatusSchema,
  to: orderStatusSchema,
  /** The user who changed it; null for a change no person made. */
  actorId: z.string().nullable(),
  changedAt: z.string(),
});
export type OrderStatusChanged = z.infer<typeof orderStatusChangedSchema>;

export const outboxTopicSchemas = {
  /** A message to send to its conversation's channel. */
  "channel.deliver": channelDeliverJobSchema.omit({ merchantId: true, outboxId: true }),
  /** Sent to the merchant's outgoing webhooks that subscribe to `order.status_changed`. */
  "order.status_changed": orderStatusChangedSchema,
  /** Something happened that merchants' outgoing webhooks may subscribe to. */
  "webhook.event": outgoingEventSchema,
  /** Products changed (or a full re-index is wanted): the catalog-index job updates the shared vector index. */
  "catalog.changed": z.object(catalogIndexFields),
} as const satisfies Record<string, z.ZodType>;
export type OutboxTopic = keyof typeof outboxTopicSchemas;
export type OutboxPayload<T extends OutboxTopic> = z.infer<(typeof outboxTopicSchemas)[T]>;
export type NewOutboxEvent = { [T in OutboxTopic]: { topic: T; payload: OutboxPayload<T> } }[OutboxTopic];

export type AppJobSchemas = typeof jobSchemas;
export type AppJobName = keyof AppJobSchemas;

/** One answer per shopper message: the job id makes a retried send enqueue nothing new. */
export const botReplyJobId = (triggerMessageId: string): string => `bot-reply-${triggerMessageId}`;

/**
 * The clientMessageId of the bot's answer to one shopper message. The store keeps
 * clientMessageIds unique per conversation, so a job that runs again (the queue forgot its id,
 * the process restarted, two workers raced) finds the answer instead of writing a second one.
 */
export const botAnswerClientId = (triggerMessageId: string): string => `bot:${triggerMessageId}`;

// ---- stored inbound webhook events -------------------------------------------------------------
// A stored webhook event's source says which job processes it: the webhook routes queue it after
// the 2xx and the stale-event sweeper queues it again if its process died in between.

/** The stored event's source for a messaging channel: one dedupe space per channel (the same update_id in two bots is two events). */
export const channelEventSource = (channelId: string): string => `channel:${channelId}`;
/** The stored event's source for a store platform connection. */
export const commerceEventSource = (connectionId: string): string => `commerce:${connectionId}`;

export type InboundJobName = typeof CHANNEL_INBOUND_JOB | typeof COMMERCE_INBOUND_JOB;
export const INBOUND_JOB_OPTIONS = { attempts: 5, backoff: { type: "exponential" as const, delayMs: 1_000 } };

/** The job that processes a stored webhook event, by its source. */
export function inboundJobFor(source: string, merchantId: string, webhookEventId: string): { name: InboundJobName; data: ChannelInboundJob; jobId: string } {
  const data = { merchantId, webhookEventId };
  if (source.startsWith("commerce:")) return { name: COMMERCE_INBOUND_JOB, data, jobId: commerceInboundJobId(webhookEventId) };
  return { name: CHANNEL_INBOUND_JOB, data, jobId: channelInboundJobId(webhookEventId) };
}

// ---- trace context -----------------------------------------------------------------------------
// A job carries the W3C trace context of the request that queued it, so the worker's span joins
// the same trace. It rides in the payload under one reserved key that the queue keeps next to
// whatever the job's schema parsed (ports/queue.ts), so no job schema has to list it; it is only
// present when tracing is on.

export const JOB_TRACE_KEY = "_trace";
export const jobTraceSchema = z.object({
  /** W3C traceparent: version-traceid-spanid-flags. */
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
  tracestate: z.string().max(512).optional(),
});
export type JobTrace = z.infer<typeof jobTraceSchema>;

/** The trace context a raw payload carries, or undefined (none, or not a valid one). */
export function jobTraceOf(data: unknown): JobTrace | undefined {
  if (!data || typeof data !== "object" || !(JOB_TRACE_KEY in data)) return undefined;
  const parsed = jobTraceSchema.safeParse((data as Record<string, unknown>)[JOB_TRACE_KEY]);
  return parsed.success ? parsed.data : undefined;
}
