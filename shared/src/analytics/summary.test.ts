import { describe, expect, it } from "vitest";
import type { Conversation, Message, MessagePart, Order } from "../contracts/domain.js";
import { systemText } from "../conversation/system-text.js";
import { ValidationError } from "../errors.js";
import { FALLBACK_ANSWER } from "../ports/bot.js";
import { computeSummary, median, resolveRange, TOP_INTENTS, UNANSWERED_LIMIT } from "./summary.js";

const range = { from: "2025-05-01", to: "2025-05-02" };
let seq = 0;

function conversation(id: string, createdAt: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id,
    merchantId: "m",
    channel: "webchat",
    channelId: null,
    customerId: null,
    visitorId: null,
    status: "bot",
    assigneeId: null,
    locale: null,
    labels: [],
    lastSeq: 0,
    lastMessageAt: null,
    lastMessagePreview: null,
    unreadCount: 0,
    shopperReadSeq: 0,
    createdAt,
    updatedAt: createdAt,
    ...extra,
  };
}
function message(conversationId: string, role: Message["role"], createdAt: string, extra: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `m${seq}`,
    conversationId,
    seq,
    role,
    text: `${role} ${seq}`,
    parts: [],
    status: "complete",
    authorId: null,
    authorName: null,
    clientMessageId: null,
    intent: null,
    createdAt,
    ...extra,
  };
}
function order(total: number, extra: Partial<Order> = {}): Order {
  return {
    id: `o${total}`,
    merchantId: "m",
    source: null,
    externalId: null,
    number: "1",
    customerId: null,
    conversationId: "c",
    items: [],
    subtotal: total,
    deliveryFee: 0,
    codFee: 0,
    total,
    currency: "SAR",
    status: "pending",
    paymentMethod: null,
    contact: {},
    shippingAddress: null,
    createdAt: "2025-05-01T00:00:00.000Z",
    updatedAt: "2025-05-01T00:00:00.000Z",
    ...extra,
  };
}
const summary = (input: { conversations?: Conversation[]; messages?: Message[]; orders?: Order[]; earlier?: Conversation[] }) =>
  computeSummary({
    range,
    conversations: input.conversations ?? [],
    messages: input.messages ?? [],
    orders: input.orders ?? [],
    currency: "SAR",
    earlierConversations: input.earlier ?? [],
  });
const T = (hms: string) => `2025-05-01T${hms}.000Z`;
const handoff = (reason: string): MessagePart[] => [{ type: "handoff", reason }];

describe("median", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([0.1, 0.2])).toBe(0.15);
  });
});

describe("resolveRange", () => {
  const today = new Date("2025-06-15T18:00:00.000Z");
  it("defaults to the 30 days ending today (UTC)", () => {
    expect(resolveRange({}, today)).toEqual({ from: "2025-05-17", to: "2025-06-15" });
    expect(resolveRange({ to: "2025-01-31" }, today)).toEqual({ from: "2025-01-02", to: "2025-01-31" });
    expect(resolveRange({ from: "2025-06-01" }, today)).toEqual({ from: "2025-06-01", to: "2025-06-15" });
    expect(resolveRange({ from: "2025-01-01" }, today)).toEqual({ from: "2025-01-01", to: "2025-01-30" });
  });
  it("accepts up to 366 days and rejects bad input", () => {
    expect(resolveRange({ from: "2024-01-01", to: "2024-12-31" }, today)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    for (const bad of [
      { from: "2024-01-01", to: "2025-01-01" },
      { from: "2025-03-02", to: "2025-03-01" },
      { from: "2025-02-29", to: "2025-03-01" },
      { from: "2025-13-01" },
      { to: "20250101" },
    ]) {
      expect(() => resolveRange(bad, today), JSON.stringify(bad)).toThrow(ValidationError);
    }
  });
});

describe("computeSummary rules", () => {
  it("counts a handoff from an Arabic takeover line, an agent message or the current status; not from a stopped bot answer", () => {
    const conversations = ["takeover", "agent", "status", "stopped", "plain"].map((id) =>
      conversation(id, T("10:00:00"), id === "status" ? { status: "human" } : {}),
    );
    const messages = conversations.map((c) => message(c.id, "shopper", T("10:00:00")));
    messages.push(
      message("takeover", "system", T("10:01:00"), { text: systemText({ kind: "takeover", agentName: "نورة" }, "ar") }),
      message("agent", "agent", T("10:02:00")),
      message("stopped", "bot", T("10:00:05"), { status: "stopped", parts: handoff("requested") }),
      // A shopper typing the system line's words is not a takeover.
      message("plain", "shopper", T("10:03:00"), { text: "joined the conversation" }),
    );
    const s = summary({ conversations, messages });
    expect(s.handoffRate).toBe(3 / 5);
    expect(s.botCoverage).toBe(2 / 5);
    expect(s.firstResponse).toEqual({ botSeconds: 5, humanSeconds: 120 });
  });

  it("counts a handoff announced while the team was offline, in either language", () => {
    const conversations = ["en", "ar", "none"].map((id) => conversation(id, T("10:00:00")));
    const messages = conversations.map((c) => message(c.id, "shopper", T("10:00:00")));
    messages.push(
      message("en", "system", T("10:00:10"), { text: systemText({ kind: "waiting_human", teamOffline: true }, "en") }),
      message("ar", "system", T("10:00:10"), { text: systemText({ kind: "waiting_human", teamOffline: true }, "ar") }),
    );
    expect(summary({ conversations, messages }).handoffRate).toBe(2 / 3);
  });

  it("measures first responses after the first shopper message only", () => {
    const c = conversation("c", T("09:00:00"));
    const messages = [
      message("c", "bot", T("09:00:00"), { text: "Welcome!" }),
      message("c", "shopper", T("09:10:00")),
      message("c", "bot", T("09:10:07")),
      message("c", "agent", T("09:15:00")),
    ];
    expect(summary({ conversations: [c], messages }).firstResponse).toEqual({ botSeconds: 7, humanSeconds: 300 });
  });

  it("uses the last close line in range, else the update time of a closed conversation", () => {
    const reclosed = conversation("re", T("08:00:00"), { status: "closed" });
    const silent = conversation("silent", T("08:00:00"), { status: "closed", updatedAt: T("08:00:30") });
    const closedLater = conversation("later", T("08:00:00"), { status: "closed", updatedAt: "2025-05-03T00:00:00.000Z" });
    const close = systemText({ kind: "closed" }, "en");
    const messages = [
      message("re", "system", T("08:01:00"), { text: close }),
      message("re", "system", T("08:02:00"), { text: systemText({ kind: "reopened" }, "en") }),
      message("re", "system", T("08:05:00"), { text: close }),
    ];
    expect(summary({ conversations: [reclosed, silent, closedLater], messages }).resolutionSeconds).toBe((300 + 30) / 2);
  });

  it("caps top intents at 10 and unanswered questions at 50, newest first", () => {
    const c = conversation("c", T("00:00:00"));
    const messages: Message[] = [];
    for (let i = 0; i < 12; i += 1) {
      for (let k = 0; k <= i; k += 1) messages.push(message("c", "shopper", T("01:00:00"), { intent: `intent${String(i).padStart(2, "0")}` }));
    }
    for (let i = 0; i < 60; i += 1) {
      messages.push(message("c", "shopper", `2025-05-02T${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00.000Z`, { intent: "other", text: `q${i}` }));
    }
    const s = summary({ conversations: [c], messages });
    expect(s.topIntents).toHaveLength(TOP_INTENTS);
    expect(s.topIntents[0]).toEqual({ intent: "other", count: 60 });
    expect(s.topIntents.slice(1, 3)).toEqual([
      { intent: "intent11", count: 12 },
      { intent: "intent10", count: 11 },
    ]);
    expect(s.unanswered).toHaveLength(UNANSWERED_LIMIT);
    expect(s.unanswered[0]!.text).toBe("q59");
    expect(s.unanswered.at(-1)!.text).toBe("q10");
  });

  it("flags a question answered by a low-confidence handoff, not one the bot answered", () => {
    const c = conversation("c", T("00:00:00"));
    const messages = [
      message("c", "shopper", T("01:00:00"), { intent: "shipping", text: "first" }),
      message("c", "bot", T("01:00:01")),
      message("c", "shopper", T("01:01:00"), { intent: "shipping", text: "second" }),
      message("c", "system", T("01:01:01"), { text: "noise" }),
      message("c", "bot", T("01:01:02"), { parts: handoff("low_confidence") }),
    ];
    expect(summary({ conversations: [c], messages }).unanswered.map((u) => u.text)).toEqual(["second"]);
  });

  it("trusts the answer's own mark when the engine left one: fallback answers are unanswered, placed ones are not", () => {
    const c = conversation("c", T("00:00:00"));
    const messages = [
      // "other" but answered from the FAQ: the engine marked the answer with the intent it served.
      message("c", "shopper", T("01:00:00"), { intent: "other", text: "gift cards?" }),
      message("c", "bot", T("01:00:01"), { intent: "other" }),
      // A placed intent the bot still could not answer.
      message("c", "shopper", T("01:01:00"), { intent: "product_search", text: "unicorn saddle" }),
      message("c", "bot", T("01:01:01"), { intent: FALLBACK_ANSWER }),
      // No mark on the answer (older records): the intent rule still applies.
      message("c", "shopper", T("01:02:00"), { intent: "other", text: "legacy" }),
      message("c", "bot", T("01:02:01")),
    ];
    expect(summary({ conversations: [c], messages }).unanswered.map((u) => u.text)).toEqual(["legacy", "unicorn saddle"]);
  });

  it("sums revenue in the merchant's currency from conversation orders that are not cancelled", () => {
    const s = summary({
      orders: [order(10.1), order(20.2), order(5, { status: "cancelled" }), order(7, { conversationId: null }), order(99, { currency: "USD" })],
    });
    expect(s.ordersFromConversations).toEqual({ count: 3, revenue: 30.3, currency: "SAR" });
  });
});
