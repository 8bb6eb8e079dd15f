// Pages of records the API returns as stored: the domain schemas themselves in a page envelope.
import {
  auditLogSchema,
  categorySchema,
  conversationSchema,
  knowledgeItemSchema,
  messageSchema,
  orderSchema,
  productSchema,
  visitorSchema,
} from "../domain.js";
import { pageSchema } from "./envelopes.js";

export const productPageSchema = pageSchema(productSchema);
export const categoryPageSchema = pageSchema(categorySchema);
export const orderPageSchema = pageSchema(orderSchema);
/** `GET /conversations`: the stored records (the inbox socket's summaries add the shopper's name). */
export const conversationPageSchema = pageSchema(conversationSchema);
export const messagePageSchema = pageSchema(messageSchema);
export const knowledgePageSchema = pageSchema(knowledgeItemSchema);
export const auditPageSchema = pageSchema(auditLogSchema);
/** `GET /visitors/blocked`: visitors the store blocked from the widget, most recent first. */
export const visitorPageSchema = pageSchema(visitorSchema);
