import { defineRoute, type AnyRoute } from "../http/route.js";
import { buildOpenApi, openApiDocumentSchema, type OpenApiDocument } from "../openapi.js";
import { analyticsRoutes } from "./analytics.js";
import { auditRoutes } from "./audit.js";
import { authRoutes } from "./auth.js";
import { cannedReplyRoutes } from "./canned-replies.js";
import { catalogRoutes } from "./catalog.js";
import { channelRoutes } from "./channels.js";
import { commerceRoutes } from "./commerce.js";
import { conversationLabelRoutes } from "./conversation-labels.js";
import { conversationRoutes } from "./conversations.js";
import { customerRoutes } from "./customers.js";
import { deadLetterRoutes } from "./dead-letters.js";
import { knowledgeRoutes } from "./knowledge.js";
import { orderRoutes } from "./orders.js";
import { outgoingWebhookRoutes } from "./outgoing-webhooks.js";
import { searchRoutes } from "./search.js";
import { settingsRoutes } from "./settings.js";
import { teamRoutes } from "./team.js";
import { visitorRoutes } from "./visitors.js";

export const API_VERSION = "1.0.0";

const domainRoutes: AnyRoute[] = [
  ...authRoutes,
  ...teamRoutes,
  ...catalogRoutes,
  ...searchRoutes,
  ...knowledgeRoutes,
  ...conversationRoutes,
  ...customerRoutes,
  ...orderRoutes,
  ...settingsRoutes,
  ...auditRoutes,
  ...channelRoutes,
  ...deadLetterRoutes,
  ...commerceRoutes,
  ...outgoingWebhookRoutes,
  ...cannedReplyRoutes,
  ...conversationLabelRoutes,
  ...visitorRoutes,
  ...analyticsRoutes,
];

let cachedDocument: OpenApiDocument | null = null;

const openApiRoute = defineRoute({
  method: "get",
  path: "/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tag: "meta",
  auth: false,
  responses: { 200: { description: "OpenAPI document", schema: openApiDocumentSchema } },
  async handler() {
    cachedDocument ??= buildOpenApi(apiRoutes, { title: "Kaleem REST API", version: API_VERSION });
    return { body: cachedDocument };
  },
});

/** Every route under /api/v1: the router and the OpenAPI document both read this list. */
export const apiRoutes: readonly AnyRoute[] = [...domainRoutes, openApiRoute];
