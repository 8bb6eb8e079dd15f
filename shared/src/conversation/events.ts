// Domain events of conversations. The service says what happened; listeners decide who hears of
// it (sockets, and later channel delivery, analytics, outgoing webhooks), in the style of a
// lifecycle-hook pipeline: listeners run in priority order, each one's failure is logged and does
// not stop the others or undo the change (which is already stored).
import type { Conversation, ConversationStatus, Message } from "../contracts/domain.js";
import type { ConversationSummary } from "../contracts/socket.js";
import type { Logger } from "../logger.js";

interface Base {
  merchantId: string;
  conversationId: string;
}

export type ConversationEvent =
  /** A finished message was stored (shopper, agent, note, system, or a bot answer stored whole). */
  | (Base & { type: "message.created"; message: Message; summary: ConversationSummary; firstMessage: boolean })
  /** A bot answer started streaming: stored with status `streaming`, its deltas follow on the stream. */
  | (Base & { type: "stream.started"; message: Message; summary: ConversationSummary; firstMessage: boolean })
  /** A streamed answer ended (`complete` or `stopped`) with its final text and parts. */
  | (Base & { type: "stream.ended"; message: Message; summary: ConversationSummary | null })
  /** Status or assignee changed (takeover, release, handoff, assign, close, reopen). */
  | (Base & {
      type: "conversation.state_changed";
      from: ConversationStatus;
      conversation: Conversation;
      summary: ConversationSummary;
      /** Name of the agent handling it now, for the shopper's header. */
      agentName: string | null;
      action: string;
    })
  /** Something the inbox list shows changed without a state change (labels, unread count). */
  | (Base & { type: "conversation.updated"; summary: ConversationSummary; reason: "read" | "labels" | "refresh" })
  /** A read receipt. */
  | (Base & { type: "message.read"; seq: number; by: "shopper" | "agent" })
  /** A stored message changed without new text: its channel delivery state (sent, delivered, read, failed). */
  | (Base & { type: "message.updated"; message: Message });

export type ConversationEventType = ConversationEvent["type"];

export interface ConversationListener {
  /** Names the listener in logs. */
  readonly name: string;
  /** Lower runs first; equal priorities keep registration order. Sockets use 0. */
  readonly priority?: number;
  handle(event: ConversationEvent): void | Promise<void>;
}

/** The ordered list of listeners one process runs. */
export class ConversationEventBus {
  private listeners: ConversationListener[] = [];
  constructor(
    listeners: readonly ConversationListener[] = [],
    private readonly logger?: Logger,
  ) {
    for (const l of listeners) this.add(l);
  }

  add(listener: ConversationListener): void {
    // A stable sort keeps registration order among equal priorities.
    this.listeners = [...this.listeners, listener].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  }

  async publish(event: ConversationEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener.handle(event);
      } catch (err) {
        this.logger?.warn({ err, listener: listener.name, event: event.type, conversationId: event.conversationId }, "conversation listener failed");
      }
    }
  }
}
