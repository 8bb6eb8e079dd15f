// Jobs that exhausted their attempts (a failed channel delivery, an event that could not be
// processed), as owners and admins see and retry them.
import { z } from "zod";
import { itemsSchema } from "./envelopes.js";

export const deadLetterViewSchema = z.object({
  id: z.string(),
  /** The job kind: channel-deliver, channel-inbound, bot-reply. */
  job: z.string(),
  /** The job's payload (ids of the message, conversation, webhook event...; no secrets). */
  data: z.record(z.string(), z.unknown()),
  /** Channel deliveries: the conversation of the message that failed, and its channel (null for other jobs, or when gone). */
  conversationId: z.string().nullable(),
  channelId: z.string().nullable(),
  error: z.string(),
  attempts: z.number().int(),
  failedAt: z.string(),
});
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;
export const deadLetterListSchema = itemsSchema(deadLetterViewSchema);
export const deadLetterRetrySchema = z.object({ retried: z.literal(true) });
export type DeadLetterRetry = z.infer<typeof deadLetterRetrySchema>;
