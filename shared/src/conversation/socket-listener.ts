// The listener that turns conversation events into socket events: shopper rooms see what shoppers
// may see (never notes), watchers see the whole timeline, the merchant's inbox room sees summaries.
//
// Who gets summaries: the inbox room holds the store's signed-in agents, and every one of them has
// a list that can show any conversation of the store (the "all" tab, the waiting badge and chime on
// every page of the dashboard), so the room is the audience; narrowing it to watchers would leave
// the other agents' lists stale. What shrinks is how often: one answer used to send three
// summaries (the shopper's message, the answer starting, the answer ending). Routine summaries are
// coalesced per conversation in a short window, the newest winning; a state change (status,
// assignee: what the tabs and the chime depend on) and a new conversation go out at once and take
// any summary still held for that conversation with them.
import { rooms, type ConversationSummary } from "../contracts/socket.js";
import type { Message } from "../contracts/domain.js";
import type { RealtimeEmitter } from "../ports/realtime.js";
import type { ConversationEvent, ConversationListener } from "./events.js";

export interface SocketListenerOptions {
  /** Window for coalescing routine `conversation:updated` summaries per conversation (ms); 0 sends each at once. */
  summaryWindowMs?: number;
}

export interface SocketListener extends ConversationListener {
  /** Sends every held summary now (shutdown, tests). */
  flush(): void;
}

export function socketListener(emitter: RealtimeEmitter, options: SocketListenerOptions = {}): SocketListener {
  const windowMs = options.summaryWindowMs ?? 0;
  /** Summaries held per conversation (room + id), the newest one kept, sent when the window ends. */
  const held = new Map<string, { room: string; summary: ConversationSummary; timer: NodeJS.Timeout }>();
  const send = (room: string, summary: ConversationSummary) => emitter.toInbox(room, "conversation:updated", { conversation: summary });
  const drop = (room: string, conversationId: string) => {
    const key = `${room}\n${conversationId}`;
    const pending = held.get(key);
    if (pending) {
      clearTimeout(pending.timer);
      held.delete(key);
    }
  };
  /** A routine summary: coalesced in the window. */
  const summary = (room: string, s: ConversationSummary) => {
    if (windowMs <= 0) return send(room, s);
    const key = `${room}\n${s.id}`;
    const pending = held.get(key);
    if (pending) {
      pending.summary = s;
      return;
    }
    const timer = setTimeout(() => {
      const entry = held.get(key);
      held.delete(key);
      if (entry) send(entry.room, entry.summary);
    }, windowMs);
    // A summary still held at shutdown is not worth keeping the process up: lists reload on reconnect.
    timer.unref();
    held.set(key, { room, summary: s, timer });
  };
  /** A summary that must not wait (state change): it supersedes anything held for the conversation. */
  const now = (room: string, s: ConversationSummary) => {
    drop(room, s.id);
    send(room, s);
  };
  const message = (merchantId: string, m: Message, event: "message:new" | "message:done") => {
    emitter.toInbox(rooms.conversationWatchers(merchantId, m.conversationId), event, { message: m });
    if (m.role !== "note") emitter.toWidget(rooms.conversationShopper(merchantId, m.conversationId), event, { message: m });
  };
  return {
    name: "sockets",
    priority: 0,
    flush() {
      const all = [...held.values()];
      held.clear();
      for (const entry of all) {
        clearTimeout(entry.timer);
        send(entry.room, entry.summary);
      }
    },
    handle(e: ConversationEvent) {
      const inbox = rooms.inbox(e.merchantId);
      switch (e.type) {
        case "message.created":
        case "stream.started":
          message(e.merchantId, e.message, "message:new");
          if (e.firstMessage) {
            drop(inbox, e.summary.id);
            emitter.toInbox(inbox, "conversation:new", { conversation: e.summary });
          } else summary(inbox, e.summary);
          return;
        case "stream.ended":
          message(e.merchantId, e.message, "message:done");
          if (e.summary) summary(inbox, e.summary);
          return;
        case "conversation.state_changed":
          now(inbox, e.summary);
          emitter.toWidget(rooms.conversationShopper(e.merchantId, e.conversationId), "conversation:updated", {
            conversationId: e.conversationId,
            status: e.conversation.status,
            agentName: e.agentName,
          });
          return;
        case "conversation.updated":
          summary(inbox, e.summary);
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
