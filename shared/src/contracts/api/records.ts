// Pages of records the API returns as stored: the domain schemas themselves in a page envelope.
import {
  auditLogSchema,
  categorySchema,
  conversationSchema,
  knowledgeItemSchema,
  messageSchema,
  productSchema,
} from "../domain.js";
import { pageSchema } from "./envelopes.js";

export const productPageSchema = pageSchema(productSchema);
export const categoryPageSchema = pageSchema(categorySchema);
/** `GET /conversations`: the stored records (the inbox socket's summaries add the shopper's name). */
export const conversationPageSchema = pageSchema(conversationSchema);
export const messagePageSchema = pageSchema(messageSchema);
export const knowledgePageSchema = pageSchema(knowledgeItemSchema);
export const auditPageSchema = pageSchema(auditLogSchema);
