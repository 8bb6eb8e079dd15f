// Analytics for the dashboard, computed from the store on request (see shared/src/analytics for
// the exact rules behind each number).
import { analyticsSummarySchema, loadAnalyticsSummary, resolveRange } from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date as YYYY-MM-DD");

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
