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

/** Every job the application queues. Payloads are JSON data: no transforms, no Dates. */
export const jobSchemas = {
  [BOT_REPLY_JOB]: botReplyJobSchema,
  [CHANNEL_INBOUND_JOB]: channelInboundJobSchema,
  [CHANNEL_DELIVER_JOB]: channelDeliverJobSchema,
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
  /**
   * For the merchant's outgoing webhooks (a later issue delivers them): until then the relay only
   * marks these rows published.
   */
  "order.status_changed": orderStatusChangedSchema,
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
