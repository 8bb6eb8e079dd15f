// Pages of records the API returns as stored: the domain schemas themselves in a page envelope.
import {
  auditLogSchema,
  categorySchema,
  knowledgeItemSchema,
  messageSchema,
  productSchema,
  visitorSchema,
} from "../domain.js";
import { conversationSummarySchema } from "../socket.js";
import { pageSchema } from "./envelopes.js";

export const productPageSchema = pageSchema(productSchema);
export const categoryPageSchema = pageSchema(categorySchema);
/** `GET /conversations`: the inbox's summaries (the stored record and the shopper's name), as the socket sends them. */
export const conversationPageSchema = pageSchema(conversationSummarySchema);
export const messagePageSchema = pageSchema(messageSchema);
export const knowledgePageSchema = pageSchema(knowledgeItemSchema);
export const auditPageSchema = pageSchema(auditLogSchema);
/** `GET /visitors/blocked`: visitors the store blocked from the widget, most recent first. */
export const visitorPageSchema = pageSchema(visitorSchema);
