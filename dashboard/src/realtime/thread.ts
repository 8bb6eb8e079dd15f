// The open conversation's timeline as a pure value. Socket events, watch snapshots and resume results
// all fold into it, so a message is never shown twice and a streaming answer never skips or repeats
// text: deltas are applied by character offset, `message:done` replaces the text with the final one.
import type { Message, MessageDelta, StreamingPartial } from "@kaleem/shared/contracts";

export interface ThreadMessage extends Message {
  /** A delta arrived for a message we have not seen yet: its seq is not known. */
  provisional?: boolean;
}

export interface Thread {
  conversationId: string;
  /** Ordered by seq (provisional messages last). */
  messages: ThreadMessage[];
  /** True when a delta left a hole (offset beyond the text we have): the caller should resume. */
  gap: boolean;
}

export function emptyThread(conversationId: string): Thread {
  return { conversationId, messages: [], gap: false };
}

function order(messages: ThreadMessage[]): ThreadMessage[] {
  return [...messages].sort((a, b) => {
    if (!!a.provisional !== !!b.provisional) return a.provisional ? 1 : -1;
    return a.seq - b.seq;
  });
}

function replaceOrInsert(thread: Thread, next: ThreadMessage): Thread {
  const index = thread.messages.findIndex((m) => m.id === next.id);
  const messages = index === -1 ? [...thread.messages, next] : thread.messages.map((m, i) => (i === index ? next : m));
  return { ...thread, messages: order(messages) };
}

/** A complete (or stored) message: the stored record wins, except that a still-streaming copy never
 * shortens text we already have from deltas. */
export function applyMessage(thread: Thread, message: Message): Thread {
  if (message.conversationId !== thread.conversationId) return thread;
  const existing = thread.messages.find((m) => m.id === message.id);
  if (existing && message.status === "streaming") {
    if (existing.status !== "streaming") return thread;
    const text = existing.text.length > message.text.length && existing.text.startsWith(message.text) ? existing.text : message.text;
    return replaceOrInsert(thread, { ...message, text });
  }
  return replaceOrInsert(thread, { ...message });
}

export function applyDone(thread: Thread, message: Message): Thread {
  return applyMessage(thread, message);
}

export function applyDelta(thread: Thread, delta: MessageDelta): Thread {
  if (delta.conversationId !== thread.conversationId) return thread;
  const existing = thread.messages.find((m) => m.id === delta.messageId);
  if (existing && existing.status !== "streaming") return thread; // already final
  const have = existing?.text ?? "";
  if (delta.offset > have.length) return { ...thread, gap: true };
  const end = delta.offset + delta.text.length;
  if (end <= have.length) return thread; // a repeat of text we already have
  const text = have + delta.text.slice(have.length - delta.offset);
  if (existing) return replaceOrInsert(thread, { ...existing, text });
  const maxSeq = thread.messages.reduce((max, m) => (m.provisional ? max : Math.max(max, m.seq)), 0);
  return replaceOrInsert(thread, {
    id: delta.messageId,
    conversationId: delta.conversationId,
    seq: maxSeq + 1,
    role: "bot",
    text,
    parts: [],
    status: "streaming",
    authorId: null,
    authorName: null,
    clientMessageId: null,
    intent: null,
    createdAt: new Date().toISOString(),
    provisional: true,
  });
}

/** Partial text of answers still streaming (from watch or resume): adopt it when it is longer. */
export function applyStreaming(thread: Thread, partials: StreamingPartial[]): Thread {
  let next = thread;
  for (const partial of partials) {
    const existing = next.messages.find((m) => m.id === partial.messageId);
    if (existing && existing.status !== "streaming") continue;
    if (existing && existing.text.length >= partial.text.length) {
      if (existing.provisional) next = replaceOrInsert(next, { ...existing, seq: partial.seq, provisional: false });
      continue;
    }
    next = replaceOrInsert(next, {
      ...(existing ?? {
        id: partial.messageId,
        conversationId: thread.conversationId,
        role: "bot" as const,
        parts: [],
        authorId: null,
        authorName: null,
        clientMessageId: null,
        intent: null,
        createdAt: new Date().toISOString(),
      }),
      seq: partial.seq,
      text: partial.text,
      status: "streaming",
      provisional: false,
    });
  }
  return next;
}

/** Merge a snapshot (watch) or a resume result into the thread. */
export function applySnapshot(thread: Thread, messages: Message[], streaming: StreamingPartial[]): Thread {
  let next: Thread = { ...thread, gap: false };
  for (const message of messages) next = applyMessage(next, message);
  return applyStreaming(next, streaming);
}

/** The seq to resume after: everything up to it is final in our copy, so nothing before it can
 * still change. A message that was streaming when we lost the connection is asked for again. */
export function resumePoint(thread: Thread): number {
  let point: number | null = null;
  for (const message of thread.messages) {
    if (message.provisional || message.status === "streaming") break;
    // A hole in the seqs means we missed messages: resume from before it.
    if (point !== null && message.seq > point + 1) break;
    point = message.seq;
  }
  return point ?? 0;
}
