// The conversation as a client knows it: history, live events, deltas and resume results fold into
// one ordered list with no gaps and no repeats. Pure: no sockets, no timers, no DOM, no zod, so the
// widget, the mobile client library and the dashboard share it.
import type { Message } from "./domain.js";
import type { MessageDelta, StreamingPartial } from "./socket.js";

/** Delivery state of the shopper's own messages (widget side). */
export type Delivery = "sending" | "sent" | "read" | "failed";

export interface ThreadMessage extends Omit<Message, "seq"> {
  /** Per-conversation sequence number; null while the server has not assigned one yet. */
  seq: number | null;
  /** Only for the shopper's own messages, on the shopper's side. */
  delivery: Delivery | null;
}

export type DeltaOutcome = "applied" | "duplicate" | "gap";

/**
 * Whose view this is. Shoppers never see private notes, and their seqs have holes where notes
 * are; agents see every message, so a hole in the seqs means something was missed.
 */
export type ThreadAudience = "shopper" | "agent";

const isFinal = (m: ThreadMessage): boolean => m.status !== "streaming";

export class ConversationThread {
  private readonly byId = new Map<string, ThreadMessage>();
  /** Sends not yet acknowledged, by client message id. */
  private readonly pending = new Map<string, ThreadMessage>();
  /** Deltas that arrived ahead of the text we hold (a gap), by message id. */
  private readonly early = new Map<string, MessageDelta[]>();
  /** Arrival order breaks ties for messages without a seq. */
  private readonly arrival = new Map<string, number>();
  private arrivals = 0;
  private agentReadSeq = 0;
  private conversation: string | null;
  private readonly audience: ThreadAudience;

  constructor(options: { audience: ThreadAudience; conversationId?: string | null }) {
    this.audience = options.audience;
    this.conversation = options.conversationId ?? null;
  }

  get conversationId(): string | null {
    return this.conversation;
  }

  /** Forgets the timeline (another conversation starts). Unsent messages survive: they go to the new one. */
  reset(conversationId: string | null): void {
    this.conversation = conversationId;
    this.byId.clear();
    this.early.clear();
    this.arrival.clear();
    this.agentReadSeq = 0;
  }

  get(id: string): ThreadMessage | undefined {
    const m = this.byId.get(id) ?? [...this.pending.values()].find((p) => p.id === id);
    return m ? { ...m } : undefined;
  }

  private ours(conversationId: string): boolean {
    if (this.conversation === null) this.conversation = conversationId;
    return conversationId === this.conversation;
  }

  /**
   * Adds or updates a complete or streaming message. A final version always wins over a streaming
   * one; between two streaming versions the longer text wins (both are prefixes of the final text).
   * Returns whether anything visible changed.
   */
  upsert(message: Message): boolean {
    if (!this.ours(message.conversationId)) return false;
    if (message.role === "note" && this.audience === "shopper") return false;
    const pending = message.clientMessageId ? this.pending.get(message.clientMessageId) : undefined;
    if (pending && message.clientMessageId) this.pending.delete(message.clientMessageId);
    const existing = this.byId.get(message.id);
    let delivery: Delivery | null = message.role === "shopper" && this.audience === "shopper" ? "sent" : null;
    if (delivery && (existing?.delivery === "read" || message.seq <= this.agentReadSeq)) delivery = "read";
    if (existing) {
      if (isFinal(existing) && message.status === "streaming") return false;
      if (!isFinal(existing) && message.status === "streaming" && message.text.length <= existing.text.length) {
        if (existing.seq === message.seq) return false;
        existing.seq = message.seq;
        return true;
      }
      if (
        isFinal(existing) &&
        existing.text === message.text &&
        existing.status === message.status &&
        existing.seq === message.seq &&
        sameParts(existing, message) &&
        JSON.stringify(existing.channelDelivery ?? null) === JSON.stringify(message.channelDelivery ?? null)
      ) {
        return pending !== undefined;
      }
    }
    this.byId.set(message.id, { ...message, delivery });
    if (!this.arrival.has(message.id)) this.arrival.set(message.id, this.arrivals++);
    if (message.status === "streaming") this.drain(message.id);
    else this.early.delete(message.id);
    return true;
  }

  /** Applies a streaming delta by character offset: repeats are ignored, gaps are held back. */
  applyDelta(delta: MessageDelta): DeltaOutcome {
    if (!this.ours(delta.conversationId)) return "duplicate";
    let message = this.byId.get(delta.messageId);
    if (!message) {
      if (delta.offset !== 0) return this.holdBack(delta);
      // The first delta can overtake the message's announcement; start the message from it.
      message = this.streamingBot(delta.messageId, null, "");
      this.byId.set(message.id, message);
      this.arrival.set(message.id, this.arrivals++);
    }
    if (isFinal(message)) return "duplicate";
    const held = message.text.length;
    if (delta.offset > held) return this.holdBack(delta);
    if (delta.offset + delta.text.length <= held) return "duplicate";
    message.text += delta.text.slice(held - delta.offset);
    this.drain(message.id);
    return "applied";
  }

  /** Merges the text so far of an answer that is still streaming (from open, watch or resume). */
  applyPartial(partial: StreamingPartial): boolean {
    const existing = this.byId.get(partial.messageId);
    if (existing) {
      if (isFinal(existing)) return false;
      let changed = false;
      if (existing.seq !== partial.seq) {
        existing.seq = partial.seq;
        changed = true;
      }
      if (partial.text.length > existing.text.length) {
        existing.text = partial.text;
        changed = true;
      }
      this.drain(existing.id);
      return changed;
    }
    this.byId.set(partial.messageId, this.streamingBot(partial.messageId, partial.seq, partial.text));
    this.arrival.set(partial.messageId, this.arrivals++);
    this.drain(partial.messageId);
    return true;
  }

  /**
   * Folds a snapshot (open, watch) or a resume result: the store's view is authoritative, so
   * deltas held back for a gap it covers are dropped. Returns whether anything changed.
   */
  applySnapshot(messages: readonly Message[], streaming: readonly StreamingPartial[]): boolean {
    let changed = false;
    for (const m of [...messages].sort((a, b) => a.seq - b.seq)) changed = this.upsert(m) || changed;
    for (const p of streaming) changed = this.applyPartial(p) || changed;
    this.dropCoveredGaps();
    return changed;
  }

  /** Forgets held-back deltas (the store's view after a resume stands). */
  dropGaps(): void {
    this.early.clear();
  }

  /** True while some delta is waiting for text that never arrived: the caller should resume. */
  hasGap(): boolean {
    return this.early.size > 0;
  }

  /**
   * The seq to resume after: everything up to it is final in our copy. Capped below any message
   * still streaming, so an answer that finished while we were away comes back in its final form;
   * for agents also below the first hole in the seqs.
   */
  resumeAfterSeq(): number {
    const held = [...this.byId.values()].filter((m): m is ThreadMessage & { seq: number } => m.seq !== null).sort((a, b) => a.seq - b.seq);
    let point = 0;
    let previous: number | null = null;
    for (const m of held) {
      if (!isFinal(m)) break;
      if (this.audience === "agent" && previous !== null && m.seq > previous + 1) break;
      point = m.seq;
      previous = m.seq;
    }
    // A delta for a message we have never seen: its seq is unknown, so nothing after what we hold
    // in full can be trusted either (the point above already stops there).
    return point;
  }

  /** Highest seq held (streaming messages included). */
  lastSeq(): number {
    let max = 0;
    for (const m of this.byId.values()) if (m.seq !== null && m.seq > max) max = m.seq;
    return max;
  }

  /** A message being sent by this client, shown until the server's copy (same clientMessageId) replaces it. */
  addPending(input: { clientMessageId: string; text: string; createdAt: string; role?: "shopper" | "agent" | "note"; authorName?: string | null }): ThreadMessage {
    const message: ThreadMessage = {
      id: `local:${input.clientMessageId}`,
      conversationId: this.conversation ?? "",
      seq: null,
      role: input.role ?? "shopper",
      text: input.text,
      parts: [],
      status: "complete",
      authorId: null,
      authorName: input.authorName ?? null,
      clientMessageId: input.clientMessageId,
      intent: null,
      createdAt: input.createdAt,
      delivery: this.audience === "shopper" ? "sending" : null,
    };
    this.pending.set(input.clientMessageId, message);
    this.arrival.set(message.id, this.arrivals++);
    return { ...message };
  }

  pendingSends(): ThreadMessage[] {
    return [...this.pending.values()].map((m) => ({ ...m }));
  }

  setPendingDelivery(clientMessageId: string, delivery: "sending" | "failed"): boolean {
    const message = this.pending.get(clientMessageId);
    if (!message || message.delivery === delivery) return false;
    message.delivery = delivery;
    return true;
  }

  /** Gives up on an unsent message (the agent's send was refused). */
  dropPending(clientMessageId: string): boolean {
    return this.pending.delete(clientMessageId);
  }

  /** The agent read up to `seq`: the shopper's messages up to it show as read. */
  markReadByAgent(seq: number): boolean {
    if (seq <= this.agentReadSeq) return false;
    this.agentReadSeq = seq;
    let changed = false;
    for (const m of this.byId.values()) {
      if (m.role === "shopper" && m.delivery !== null && m.seq !== null && m.seq <= seq && m.delivery !== "read") {
        m.delivery = "read";
        changed = true;
      }
    }
    return changed;
  }

  /** Messages ordered by seq; messages without a seq yet (unsent, just started) follow in arrival order. */
  list(): ThreadMessage[] {
    const all = [...this.byId.values(), ...this.pending.values()];
    const order = (m: ThreadMessage) => this.arrival.get(m.id) ?? 0;
    return all
      .sort((a, b) => {
        if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
        if (a.seq !== null) return -1;
        if (b.seq !== null) return 1;
        return order(a) - order(b);
      })
      .map((m) => ({ ...m }));
  }

  private streamingBot(id: string, seq: number | null, text: string): ThreadMessage {
    return {
      id,
      conversationId: this.conversation ?? "",
      seq,
      role: "bot",
      text,
      parts: [],
      status: "streaming",
      authorId: null,
      authorName: null,
      clientMessageId: null,
      intent: null,
      createdAt: new Date().toISOString(),
      delivery: null,
    };
  }

  private holdBack(delta: MessageDelta): DeltaOutcome {
    const list = this.early.get(delta.messageId) ?? [];
    if (!list.some((d) => d.offset === delta.offset && d.text.length === delta.text.length)) list.push(delta);
    this.early.set(delta.messageId, list);
    return "gap";
  }

  /** After a snapshot: held deltas of messages now final, or of messages the snapshot did not bring, are moot. */
  private dropCoveredGaps(): void {
    for (const id of [...this.early.keys()]) {
      const m = this.byId.get(id);
      if (!m || isFinal(m)) this.early.delete(id);
    }
  }

  /** Applies held-back deltas that now connect to the text we hold; drops the ones already covered. */
  private drain(messageId: string): void {
    const list = this.early.get(messageId);
    if (!list) return;
    const message = this.byId.get(messageId);
    if (!message || isFinal(message)) {
      if (message) this.early.delete(messageId);
      return;
    }
    list.sort((a, b) => a.offset - b.offset);
    const rest: MessageDelta[] = [];
    for (const d of list) {
      const held = message.text.length;
      if (d.offset + d.text.length <= held) continue;
      if (d.offset > held) {
        rest.push(d);
        continue;
      }
      message.text += d.text.slice(held - d.offset);
    }
    if (rest.length > 0) this.early.set(messageId, rest);
    else this.early.delete(messageId);
  }
}

function sameParts(a: { parts: Message["parts"] }, b: { parts: Message["parts"] }): boolean {
  return a.parts.length === b.parts.length && JSON.stringify(a.parts) === JSON.stringify(b.parts);
}
