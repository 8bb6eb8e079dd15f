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

export const BOT_REPLY_JOB = "bot-reply";
export const botReplyJobSchema = z.object({
  merchantId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The shopper message to answer. */
  triggerMessageId: z.string().min(1),
});
export type BotReplyJob = z.infer<typeof botReplyJobSchema>;

/** Every job the application queues. Payloads are JSON data: no transforms, no Dates. */
export const jobSchemas = {
  [BOT_REPLY_JOB]: botReplyJobSchema,
} as const satisfies Record<string, z.ZodType>;

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
