// The conversation as the client knows it: merges history, live events, deltas and resume results
// into one ordered list with no gaps and no repeats. Pure: no sockets, no timers, no DOM.
import type { Message, MessageDelta, MessagePart, MessageRole, MessageStatus, StreamingPartial } from "@kaleem/shared/contracts";

/** Delivery state of the shopper's own messages. */
export type Delivery = "sending" | "sent" | "read" | "failed";

export interface ClientMessage {
  /** Server id, or `local:<clientMessageId>` until the server acknowledges the send. */
  id: string;
  /** Per-conversation sequence number; null while the server has not assigned one yet. */
  seq: number | null;
  role: MessageRole;
  text: string;
  parts: MessagePart[];
  status: MessageStatus;
  authorName: string | null;
  clientMessageId: string | null;
  createdAt: string;
  /** Only for the shopper's own messages. */
  delivery: Delivery | null;
}

export type DeltaOutcome = "applied" | "duplicate" | "gap";

const isFinal = (m: ClientMessage): boolean => m.status !== "streaming";

const fromServer = (m: Message, delivery: Delivery | null): ClientMessage => ({
  id: m.id,
  seq: m.seq,
  role: m.role,
  text: m.text,
  parts: m.parts,
  status: m.status,
  authorName: m.authorName,
  clientMessageId: m.clientMessageId,
  createdAt: m.createdAt,
  delivery,
});

export class ConversationLog {
  private readonly byId = new Map<string, ClientMessage>();
  /** Sends not yet acknowledged, by client message id. */
  private readonly pending = new Map<string, ClientMessage>();
  /** Deltas that arrived ahead of the text we hold (a gap), by message id. */
  private readonly early = new Map<string, MessageDelta[]>();
  /** Arrival order breaks ties for messages without a seq. */
  private readonly arrival = new Map<string, number>();
  private arrivals = 0;
  private agentReadSeq = 0;

  clear(): void {
    this.byId.clear();
    this.early.clear();
    this.arrival.clear();
    // Unsent messages survive a conversation switch: they will be sent to the new one.
  }

  get(id: string): ClientMessage | undefined {
    return this.byId.get(id) ?? [...this.pending.values()].find((m) => m.id === id);
  }

  /**
   * Adds or updates a complete or streaming message. A final version always wins over a streaming one;
   * between two streaming versions the longer text wins (both are prefixes of the final text).
   */
  upsert(message: Message): boolean {
    if (message.role === "note") return false;
    const pending = message.clientMessageId ? this.pending.get(message.clientMessageId) : undefined;
    if (pending && message.clientMessageId) this.pending.delete(message.clientMessageId);
    const existing = this.byId.get(message.id);
    let delivery: Delivery | null = message.role === "shopper" ? "sent" : null;
    if (existing?.delivery === "read" || (message.role === "shopper" && message.seq <= this.agentReadSeq)) delivery = "read";
    if (existing) {
      if (isFinal(existing) && message.status === "streaming") return false;
      if (!isFinal(existing) && message.status === "streaming" && message.text.length <= existing.text.length) {
        if (existing.seq === message.seq) return false;
        existing.seq = message.seq;
        return true;
      }
      if (isFinal(existing) && existing.text === message.text && existing.status === message.status && existing.seq === message.seq && sameParts(existing.parts, message.parts)) {
        return pending !== undefined;
      }
    }
    this.byId.set(message.id, fromServer(message, delivery));
    if (!this.arrival.has(message.id)) this.arrival.set(message.id, this.arrivals++);
    if (message.status === "streaming") this.drain(message.id);
    else this.early.delete(message.id);
    return true;
  }

  /** Applies a streaming delta by character offset: repeats are ignored, gaps are held back. */
  applyDelta(delta: MessageDelta): DeltaOutcome {
    let message = this.byId.get(delta.messageId);
    if (!message) {
      if (delta.offset !== 0) return this.holdBack(delta);
      // The first delta can overtake the message's announcement; start the message from it.
      message = {
        id: delta.messageId,
        seq: null,
        role: "bot",
        text: "",
        parts: [],
        status: "streaming",
        authorName: null,
        clientMessageId: null,
        createdAt: new Date().toISOString(),
        delivery: null,
      };
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

  /** Merges the text so far of an answer that is still streaming (from open/resume). */
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
    this.byId.set(partial.messageId, {
      id: partial.messageId,
      seq: partial.seq,
      role: "bot",
      text: partial.text,
      parts: [],
      status: "streaming",
      authorName: null,
      clientMessageId: null,
      createdAt: new Date().toISOString(),
      delivery: null,
    });
    this.arrival.set(partial.messageId, this.arrivals++);
    this.drain(partial.messageId);
    return true;
  }

  /** Forgets held-back deltas (the store's view after a resume is authoritative). */
  dropGaps(): void {
    this.early.clear();
  }

  /** True while some delta is waiting for text that never arrived: the caller should resume. */
  hasGap(): boolean {
    return this.early.size > 0;
  }

  /**
   * The seq to resume after: everything final up to it is held. Capped below any message still
   * streaming, so an answer that finished while we were away comes back in its final form.
   */
  resumeAfterSeq(): number {
    let finalMax = 0;
    let streamingMin = Number.POSITIVE_INFINITY;
    for (const m of this.byId.values()) {
      if (m.seq === null) continue;
      if (isFinal(m)) finalMax = Math.max(finalMax, m.seq);
      else streamingMin = Math.min(streamingMin, m.seq);
    }
    for (const id of this.early.keys()) {
      // A message we have never seen: we cannot know its seq, so re-read from what we hold in full.
      if (!this.byId.has(id)) streamingMin = Math.min(streamingMin, finalMax + 1);
    }
    return Math.max(0, Math.min(finalMax, streamingMin - 1));
  }

  /** Highest seq held (streaming messages included). */
  lastSeq(): number {
    let max = 0;
    for (const m of this.byId.values()) if (m.seq !== null && m.seq > max) max = m.seq;
    return max;
  }

  addPending(clientMessageId: string, text: string, createdAt: string): ClientMessage {
    const message: ClientMessage = {
      id: `local:${clientMessageId}`,
      seq: null,
      role: "shopper",
      text,
      parts: [],
      status: "complete",
      authorName: null,
      clientMessageId,
      createdAt,
      delivery: "sending",
    };
    this.pending.set(clientMessageId, message);
    this.arrival.set(message.id, this.arrivals++);
    return message;
  }

  pendingSends(): ClientMessage[] {
    return [...this.pending.values()];
  }

  setPendingDelivery(clientMessageId: string, delivery: "sending" | "failed"): boolean {
    const message = this.pending.get(clientMessageId);
    if (!message || message.delivery === delivery) return false;
    message.delivery = delivery;
    return true;
  }

  /** The agent read up to `seq`: the shopper's messages up to it show as read. */
  markReadByAgent(seq: number): boolean {
    if (seq <= this.agentReadSeq) return false;
    this.agentReadSeq = seq;
    let changed = false;
    for (const m of this.byId.values()) {
      if (m.role === "shopper" && m.seq !== null && m.seq <= seq && m.delivery !== "read") {
        m.delivery = "read";
        changed = true;
      }
    }
    return changed;
  }

  /** Messages ordered by seq; messages without a seq yet (unsent, just started) follow in arrival order. */
  list(): ClientMessage[] {
    const all = [...this.byId.values(), ...this.pending.values()];
    const order = (m: ClientMessage) => this.arrival.get(m.id) ?? 0;
    return all
      .sort((a, b) => {
        if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
        if (a.seq !== null) return -1;
        if (b.seq !== null) return 1;
        return order(a) - order(b);
      })
      .map((m) => ({ ...m }));
  }

  private holdBack(delta: MessageDelta): DeltaOutcome {
    const list = this.early.get(delta.messageId) ?? [];
    if (!list.some((d) => d.offset === delta.offset && d.text.length === delta.text.length)) list.push(delta);
    this.early.set(delta.messageId, list);
    return "gap";
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

function sameParts(a: MessagePart[], b: MessagePart[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
