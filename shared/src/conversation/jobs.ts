// Job names and payloads shared by the producers (conversation service) and the workers.
import { z } from "zod";

export const BOT_REPLY_JOB = "bot-reply";
export const botReplyJobSchema = z.object({
  merchantId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The shopper message to answer. */
  triggerMessageId: z.string().min(1),
});
export type BotReplyJob = z.infer<typeof botReplyJobSchema>;

/** One answer per shopper message: the job id makes a retried send enqueue nothing new. */
export const botReplyJobId = (triggerMessageId: string): string => `bot-reply-${triggerMessageId}`;

/**
 * The clientMessageId of the bot's answer to one shopper message. The store keeps
 * clientMessageIds unique per conversation, so a job that runs again (the queue forgot its id,
 * the process restarted, two workers raced) finds the answer instead of writing a second one.
 */
export const botAnswerClientId = (triggerMessageId: string): string => `bot:${triggerMessageId}`;
