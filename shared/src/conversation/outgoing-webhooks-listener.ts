// Conversation domain events → outgoing webhooks. The listener writes a "webhook.event" outbox row
// only when the merchant has an active endpoint subscribed to the event's type; the relay then
// fans it out to those endpoints. It runs after the change is stored, so these events are not in
// the change's transaction: a process that dies between the two loses the webhook (not the
// message). Orders placed through the bot are transactional instead (written with the order).
import type { NewOutboxEvent } from "../contracts/jobs.js";
import type { Message } from "../contracts/domain.js";
import type { OutgoingEventType } from "../contracts/outgoing-webhooks.js";
import { asMerchantId, type Store } from "../ports/store.js";
import type { ConversationEvent, ConversationListener } from "./events.js";

/** The outbox row of one outgoing event; `eventId` names it for every endpoint and every retry. */
export function outgoingEvent(type: OutgoingEventType, eventId: string, data: Record<string, unknown>, createdAt = new Date().toISOString()): NewOutboxEvent {
  return { topic: "webhook.event", payload: { eventId, type, createdAt, data } };
}

const messageData = (m: Message) => ({ id: m.id, seq: m.seq, role: m.role, text: m.text, authorName: m.authorName, createdAt: m.createdAt });
/** Notes are private to agents and system lines are Kaleem's own: neither leaves as a message. */
const published = (m: Message) => m.role === "shopper" || m.role === "bot" || m.role === "agent";

function eventsOf(event: ConversationEvent): Array<{ type: OutgoingEventType; id: string; data: Record<string, unknown> }> {
  switch (event.type) {
    case "message.created": {
      if (!published(event.message)) return [];
      const out: Array<{ type: OutgoingEventType; id: string; data: Record<string, unknown> }> = [];
      if (event.firstMessage) {
        out.push({ type: "conversation.started", id: `conversation-${event.conversationId}`, data: { conversationId: event.conversationId, channel: event.summary.channel, customerId: event.summary.customerId, locale: event.summary.locale } });
      }
      out.push({ type: "message.created", id: `message-${event.message.id}`, data: { conversationId: event.conversationId, channel: event.summary.channel, message: messageData(event.message) } });
      return out;
    }
    case "stream.ended":
      // A bot answer that streamed is a created message once it is complete.
      if (event.message.status !== "complete") return [];
      return [{ type: "message.created", id: `message-${event.message.id}`, data: { conversationId: event.conversationId, channel: event.summary?.channel ?? null, message: messageData(event.message) } }];
    case "conversation.state_changed":
      if (event.conversation.status !== "waiting_human" || event.from === "waiting_human") return [];
      return [
        {
          type: "handoff.requested",
          id: `handoff-${event.conversationId}-${event.conversation.updatedAt}`,
          data: { conversationId: event.conversationId, channel: event.conversation.channel, from: event.from, action: event.action, customerName: event.summary.customerName },
        },
      ];
    default:
      return [];
  }
}

export function outgoingWebhooksListener(store: Store): ConversationListener {
  return {
    name: "outgoing-webhooks",
    // After the sockets: a slow store never delays what agents and shoppers see.
    priority: 10,
    async handle(event) {
      const wanted = eventsOf(event);
      if (wanted.length === 0) return;
      const tenant = store.forMerchant(asMerchantId(event.merchantId));
      for (const item of wanted) {
        if ((await tenant.webhookEndpoints.listSubscribed(item.type)).length === 0) continue;
        await tenant.outbox.add(outgoingEvent(item.type, item.id, item.data));
      }
    },
  };
}
