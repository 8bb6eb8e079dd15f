// How the Orders page names and colours order states, and which moves it offers (the table of
// allowed moves is the server's, from the shared contracts).
import { conversationChannelSchema, ORDER_STATUS_NEXT, orderStatusSchema, type OrderStatus } from "@kaleem/shared/contracts";
import type { StringKey } from "../../i18n/strings";

export const ORDER_STATUSES = orderStatusSchema.options;
export const CONVERSATION_CHANNELS = conversationChannelSchema.options;

export const orderStatusTone = (status: OrderStatus) =>
  status === "pending" ? "amber" : status === "confirmed" ? "blue" : status === "shipped" ? "blue" : status === "delivered" ? "green" : "grey";

export type OrderMove = Exclude<OrderStatus, "pending">;

/** The buttons an order in `status` gets, forward moves first, cancelling last. */
export function orderMoves(status: OrderStatus): Array<{ to: OrderMove; label: StringKey; danger: boolean }> {
  return ORDER_STATUS_NEXT[status]
    .filter((to): to is OrderMove => to !== "pending")
    .map((to) => ({ to, label: `orders.move.${to}` as const, danger: to === "cancelled" }))
    .sort((a, b) => Number(a.danger) - Number(b.danger));
}
