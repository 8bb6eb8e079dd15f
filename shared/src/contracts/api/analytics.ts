// The analytics summary (shared/src/analytics computes it; the rules behind each number are there).
import { z } from "zod";

const rate = z.number().min(0).max(1);
export const analyticsSummarySchema = z.object({
  /** YYYY-MM-DD, UTC, inclusive. */
  from: z.string(),
  /** YYYY-MM-DD, UTC, inclusive. */
  to: z.string(),
  conversationsPerDay: z.array(z.object({ date: z.string(), count: z.number().int() })),
  firstResponse: z.object({ botSeconds: z.number().nullable(), humanSeconds: z.number().nullable() }),
  resolutionSeconds: z.number().nullable(),
  botCoverage: rate,
  handoffRate: rate,
  topIntents: z.array(z.object({ intent: z.string(), count: z.number().int() })),
  unanswered: z.array(z.object({ text: z.string(), conversationId: z.string(), at: z.string() })),
  ordersFromConversations: z.object({ count: z.number().int(), revenue: z.number(), currency: z.string() }),
});
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;
