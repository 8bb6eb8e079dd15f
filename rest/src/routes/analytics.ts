// Analytics for the dashboard, computed from the store on request (see shared/src/analytics for
// the exact rules behind each number).
import { loadAnalyticsSummary, resolveRange } from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date as YYYY-MM-DD");

const rate = z.number().min(0).max(1);
export const analyticsSummarySchema = z.object({
  from: z.string(),
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

export const analyticsRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/analytics/summary",
    summary: "Conversation, response-time, coverage, intent and order figures for a date range (UTC days, to inclusive; default the last 30 days; at most 366 days)",
    tag: "analytics",
    auth: true,
    roles: ["owner", "admin"],
    query: z.object({ from: date.optional(), to: date.optional() }),
    responses: { 200: { description: "The summary", schema: analyticsSummarySchema } },
    async handler({ caller, query }) {
      const range = resolveRange(query);
      return { body: await loadAnalyticsSummary(caller.store, range) };
    },
  }),
];
