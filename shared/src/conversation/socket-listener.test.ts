// The sockets listener's summaries: routine ones coalesced per conversation in a window (the
// newest wins), state changes and new conversations at once, taking held summaries with them.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Conversation, Message } from "../contracts/domain.js";
import type { ConversationSummary } from "../contracts/socket.js";
import type { InboxEventName, InboxPayload, RealtimeEmitter, WidgetEventName, WidgetPayload } from "../ports/realtime.js";
import { socketListener } from "./socket-listener.js";

class Recorder implements RealtimeEmitter {
  sent: Array<{ room: string; event: string; payload: unknown }> = [];
  toWidget<E extends WidgetEventName>(r: string | readonly string[], event: E, payload: WidgetPayload<E>): void {
    for (const room of typeof r === "string" ? [r] : r) this.sent.push({ room, event, payload });
  }
  toInbox<E extends InboxEventName>(r: string | readonly string[], event: E, payload: InboxPayload<E>): void {
    for (const room of typeof r === "string" ? [r] : r) this.sent.push({ room, event, payload });
  }
  disconnectRoom(): void {}
  summaries(event = "conversation:updated") {
    return this.sent.filter((s) => s.room === "m:m1:inbox" && s.event === event).map((s) => (s.payload as { conversation: ConversationSummary }).conversation);
  }
}

const conversation = (id: string, preview: string, status: Conversation["status"] = "bot"): ConversationSummary => ({
  id, merchantId: "m1", channel: "webchat", channelId: null, customerId: null, visitorId: "v", status, assigneeId: null, locale: "en",
  labels: [], lastSeq: 1, lastMessageAt: null, lastMessagePreview: preview, unreadCount: 0, shopperReadSeq: 0,
  createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", customerName: null,
});
const message = (conversationId: string, role: Message["role"] = "bot"): Message => ({
  id: `msg-${Math.random()}`, conversationId, merchantId: "m1", seq: 1, role, text: "x", status: "complete",
  clientMessageId: null, authorId: null, intent: null, parts: [], createdAt: "2026-01-01T00:00:00.000Z",
} as unknown as Message);

/** One bot turn's events: the shopper's message, the answer starting, the answer ending. */
async function answerTurn(l: ReturnType<typeof socketListener>, id: string) {
  await l.handle({ type: "message.created", merchantId: "m1", conversationId: id, message: message(id, "shopper"), summary: conversation(id, "shipping?"), firstMessage: false });
  await l.handle({ type: "stream.started", merchantId: "m1", conversationId: id, message: message(id), summary: conversation(id, "shipping?"), firstMessage: false });
  await l.handle({ type: "stream.ended", merchantId: "m1", conversationId: id, message: message(id), summary: conversation(id, "We ship in 2 days") });
}

describe("socketListener summaries", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("without a window sends each of an answer's three summaries (the old behaviour)", async () => {
    const r = new Recorder();
    await answerTurn(socketListener(r), "c1");
    expect(r.summaries()).toHaveLength(3);
  });

  it("coalesces an answer's summaries into one, the newest, when the window ends", async () => {
    const r = new Recorder();
    const l = socketListener(r, { summaryWindowMs: 40 });
    await answerTurn(l, "c1");
    await answerTurn(l, "c2");
    expect(r.summaries()).toHaveLength(0);
    // Messages are never held: 2 turns × 2 messages, each to the watchers' and the shopper's room.
    expect(r.sent.filter((s) => s.event === "message:new")).toHaveLength(8);
    vi.advanceTimersByTime(39);
    expect(r.summaries()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(r.summaries().map((s) => [s.id, s.lastMessagePreview])).toEqual([["c1", "We ship in 2 days"], ["c2", "We ship in 2 days"]]);
    // A later turn opens a new window.
    await answerTurn(l, "c1");
    vi.advanceTimersByTime(40);
    expect(r.summaries()).toHaveLength(3);
  });

  it("sends a state change at once and drops the older summary it supersedes", async () => {
    const r = new Recorder();
    const l = socketListener(r, { summaryWindowMs: 40 });
    await answerTurn(l, "c1");
    const waiting = conversation("c1", "We ship in 2 days", "waiting_human");
    await l.handle({ type: "conversation.state_changed", merchantId: "m1", conversationId: "c1", from: "bot", conversation: waiting, summary: waiting, agentName: null, action: "handoff" });
    expect(r.summaries().map((s) => s.status)).toEqual(["waiting_human"]);
    vi.advanceTimersByTime(100);
    expect(r.summaries()).toHaveLength(1);
  });

  it("sends a new conversation at once; flush() empties the window", async () => {
    const r = new Recorder();
    const l = socketListener(r, { summaryWindowMs: 40 });
    await l.handle({ type: "message.created", merchantId: "m1", conversationId: "c9", message: message("c9", "shopper"), summary: conversation("c9", "hi"), firstMessage: true });
    expect(r.summaries("conversation:new").map((s) => s.id)).toEqual(["c9"]);
    await l.handle({ type: "conversation.updated", merchantId: "m1", conversationId: "c9", summary: conversation("c9", "hi"), reason: "labels" });
    expect(r.summaries()).toHaveLength(0);
    l.flush();
    expect(r.summaries()).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(r.summaries()).toHaveLength(1);
  });
});
