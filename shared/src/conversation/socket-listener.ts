// The listener that turns conversation events into socket events: shopper rooms see what shoppers
// may see (never notes), watchers see the whole timeline, the merchant's inbox room sees summaries.
import { rooms } from "../contracts/socket.js";
import type { Message } from "../contracts/domain.js";
import type { RealtimeEmitter } from "../ports/realtime.js";
import type { ConversationEvent, ConversationListener } from "./events.js";

export function socketListener(emitter: RealtimeEmitter): ConversationListener {
  const message = (merchantId: string, m: Message, event: "message:new" | "message:done") => {
    emitter.toInbox(rooms.conversationWatchers(merchantId, m.conversationId), event, { message: m });
    if (m.role !== "note") emitter.toWidget(rooms.conversationShopper(merchantId, m.conversationId), event, { message: m });
  };
  return {
    name: "sockets",
    priority: 0,
    handle(e: ConversationEvent) {
      const inbox = rooms.inbox(e.merchantId);
      switch (e.type) {
        case "message.created":
        case "stream.started":
          message(e.merchantId, e.message, "message:new");
          emitter.toInbox(inbox, e.firstMessage ? "conversation:new" : "conversation:updated", { conversation: e.summary });
          return;
        case "stream.ended":
          message(e.merchantId, e.message, "message:done");
          if (e.summary) emitter.toInbox(inbox, "conversation:updated", { conversation: e.summary });
          return;
        case "conversation.state_changed":
          emitter.toInbox(inbox, "conversation:updated", { conversation: e.summary });
          emitter.toWidget(rooms.conversationShopper(e.merchantId, e.conversationId), "conversation:updated", {
            conversationId: e.conversationId,
            status: e.conversation.status,
            agentName: e.agentName,
          });
          return;
        case "conversation.updated":
          emitter.toInbox(inbox, "conversation:updated", { conversation: e.summary });
          return;
        case "message.updated":
          // Delivery states are for agents; the shopper is on the channel, not in the widget.
          emitter.toInbox(rooms.conversationWatchers(e.merchantId, e.conversationId), "message:updated", { message: e.message });
          return;
        case "message.read": {
          const read = { conversationId: e.conversationId, seq: e.seq, by: e.by };
          if (e.by === "agent") emitter.toWidget(rooms.conversationShopper(e.merchantId, e.conversationId), "message:read", read);
          emitter.toInbox(rooms.conversationWatchers(e.merchantId, e.conversationId), "message:read", read);
          return;
        }
      }
    },
  };
}
