// The customer-service window, as a pure rule. WhatsApp: free-form messages only within 24 hours
// of the customer's last message; after that, only approved templates. Messenger and Instagram:
// within 24 hours a normal RESPONSE; after that a human agent (never the bot) may still answer
// for up to 7 days with the HUMAN_AGENT tag. Telegram has no window.
import type { ChannelType } from "@kaleem/shared";

export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export type MessageAuthor = "bot" | "agent";

/** How a Messenger/Instagram send must be labelled. */
export type MetaMessagingType = { messagingType: "RESPONSE" } | { messagingType: "MESSAGE_TAG"; tag: "HUMAN_AGENT" };

export type WindowVerdict =
  | ({ open: true } & (MetaMessagingType | { messagingType: null }))
  | { open: false; reason: "window_closed"; message: string; closedAt: string | null };

export interface WindowInput {
  channel: ChannelType;
  /** When the customer last wrote on this channel (ISO); null if never. */
  lastInboundAt: string | null;
  author: MessageAuthor;
  now: Date;
}

function closed(message: string, last: number, windowMs: number): WindowVerdict {
  return { open: false, reason: "window_closed", message, closedAt: Number.isFinite(last) ? new Date(last + windowMs).toISOString() : null };
}

export function customerServiceWindow(input: WindowInput): WindowVerdict {
  if (input.channel === "telegram") return { open: true, messagingType: null };
  const last = input.lastInboundAt === null ? Number.NaN : Date.parse(input.lastInboundAt);
  const age = Number.isFinite(last) ? input.now.getTime() - last : Number.POSITIVE_INFINITY;
  if (input.channel === "whatsapp") {
    if (age <= CUSTOMER_SERVICE_WINDOW_MS) return { open: true, messagingType: null };
    return closed("Window closed — send a template: the customer last wrote more than 24 hours ago.", last, CUSTOMER_SERVICE_WINDOW_MS);
  }
  if (age <= CUSTOMER_SERVICE_WINDOW_MS) return { open: true, messagingType: "RESPONSE" };
  if (input.author === "agent" && age <= HUMAN_AGENT_WINDOW_MS) return { open: true, messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
  if (input.author === "agent") {
    return closed("Window closed: the customer last wrote more than 7 days ago, so not even a human agent may reply.", last, HUMAN_AGENT_WINDOW_MS);
  }
  return closed("Window closed: the customer last wrote more than 24 hours ago; only a human agent may still reply (within 7 days).", last, CUSTOMER_SERVICE_WINDOW_MS);
}
