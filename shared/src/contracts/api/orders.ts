// Orders as the dashboard lists and opens them: the stored order with where it came from (the
// channel of its conversation) and who placed it; the detail adds the customer and the conversation.
import { z } from "zod";
import { conversationChannelSchema, conversationSchema, customerSchema, orderSchema } from "../domain.js";
import { pageSchema } from "./envelopes.js";

export const orderListItemSchema = orderSchema.extend({
  /** The channel of the conversation it was placed in; null when it was placed outside one (API, store platform). */
  channel: conversationChannelSchema.nullable(),
  /** The name given at checkout, else the customer's; null when neither is known. */
  customerName: z.string().nullable(),
});
export type OrderListItem = z.infer<typeof orderListItemSchema>;
export const orderPageSchema = pageSchema(orderListItemSchema);

export const orderDetailSchema = orderListItemSchema.extend({
  customer: customerSchema.pick({ id: true, name: true, email: true, phone: true, channel: true }).nullable(),
  /** The conversation it came from (a link into the inbox); null when there is none or it is gone. */
  conversation: conversationSchema.pick({ id: true, channel: true, status: true, lastMessageAt: true }).nullable(),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;
