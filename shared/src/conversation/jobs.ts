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
