// Analytics over a seeded scenario whose every number is worked out by hand below. Records are
// written through the store with the clock set to each event's time.
import { asMerchantId, systemText, type MessagePart, type TenantStore } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let owner: Session;
let other: Session;
let agentToken: string;
const ids: Record<string, string> = {};

const at = (iso: string) => vi.setSystemTime(new Date(iso));
const handoff = (reason: string): MessagePart[] => [{ type: "handoff", reason }];

async function seed(s: TenantStore): Promise<void> {
  const say = async (conversationId: string, time: string, role: "shopper" | "bot" | "agent" | "system", text: string, extra: { intent?: string; parts?: MessagePart[] } = {}) => {
    at(time);
    await s.messages.append(conversationId, { role, text, ...extra });
  };
  const open = async (key: string, time: string) => {
    at(time);
    ids[key] = (await s.conversations.create({ channel: "webchat", visitorId: `v-${key}` })).id;
    return ids[key]!;
  };

  // E1: opened before the range, answered by an agent and closed inside it (resolution 48 h).
  const e1 = await open("E1", "2025-02-28T12:00:00.000Z");
  await say(e1, "2025-02-28T12:00:05.000Z", "shopper", "Where is my parcel?", { intent: "order_status" });
  await say(e1, "2025-03-02T11:00:00.000Z", "agent", "It ships today.");
  await say(e1, "2025-03-02T12:00:00.000Z", "system", systemText({ kind: "closed" }, "ar"));
  await s.conversations.update(e1, { status: "closed" });

  // C1 (Mar 1): bot answers in 2 s; an order follows.
  const c1 = await open("C1", "2025-03-01T10:00:00.000Z");
  await say(c1, "2025-03-01T10:00:10.000Z", "shopper", "Do you have lamps?", { intent: "product_search" });
  await say(c1, "2025-03-01T10:00:12.000Z", "bot", "Here are our lamps.");

  // C2 (Mar 1): asks for a person; bot 4 s, agent 90 s after the shopper; closed after 30 min.
  const c2 = await open("C2", "2025-03-01T12:00:00.000Z");
  await say(c2, "2025-03-01T12:00:00.000Z", "shopper", "I want to talk to a person", { intent: "human" });
  await say(c2, "2025-03-01T12:00:04.000Z", "bot", "Connecting you now.", { parts: handoff("requested") });
  await say(c2, "2025-03-01T12:00:05.000Z", "system", systemText({ kind: "waiting_human" }, "en"));
  await say(c2, "2025-03-01T12:01:00.000Z", "system", systemText({ kind: "takeover", agentName: "Sara" }, "en"));
  await say(c2, "2025-03-01T12:01:30.000Z", "agent", "Hi, Sara here.");
  await say(c2, "2025-03-01T12:30:00.000Z", "system", systemText({ kind: "closed" }, "en"));
  await s.conversations.update(c2, { status: "closed" });

  // C3 (Mar 3): a question the bot cannot place (intent other); bot 6 s.
  const c3 = await open("C3", "2025-03-03T09:00:00.000Z");
  await say(c3, "2025-03-03T09:00:00.000Z", "shopper", "هل تبيعون بطاقات هدايا؟", { intent: "other" });
  await say(c3, "2025-03-03T09:00:06.000Z", "bot", "المعذرة، ما عندي معلومات عن هذا الموضوع.");

  // C4 (Mar 3): bot 1 s, then a low-confidence handoff; now waiting for a human (Arabic line).
  const c4 = await open("C4", "2025-03-03T15:00:00.000Z");
  await say(c4, "2025-03-03T15:00:00.000Z", "shopper", "How much is delivery?", { intent: "shipping" });
  await say(c4, "2025-03-03T15:00:01.000Z", "bot", "Delivery is 25 SAR.");
  await say(c4, "2025-03-03T15:02:00.000Z", "shopper", "asdkj qwpo", { intent: "shipping" });
  await say(c4, "2025-03-03T15:02:02.000Z", "bot", "Bringing in a team member.", { parts: handoff("low_confidence") });
  await say(c4, "2025-03-03T15:02:03.000Z", "system", systemText({ kind: "waiting_human" }, "ar"));
  await s.conversations.update(c4, { status: "waiting_human" });

  // C5 (Mar 5): widget opened, nothing said.
  await open("C5", "2025-03-05T08:00:00.000Z");

  // C7 (Mar 6): bot 3 s; closed 10 min after opening without a timeline line.
  const c7 = await open("C7", "2025-03-06T10:00:00.000Z");
  await say(c7, "2025-03-06T10:00:00.000Z", "shopper", "Status of order 1001?", { intent: "order_status" });
  await say(c7, "2025-03-06T10:00:03.000Z", "bot", "It has shipped.");
  at("2025-03-06T10:10:00.000Z");
  await s.conversations.update(c7, { status: "closed" });

  // C6 (Mar 7, last second): the bot's answer lands after the range.
  const c6 = await open("C6", "2025-03-07T23:59:59.000Z");
  await say(c6, "2025-03-07T23:59:59.000Z", "shopper", "Hello", { intent: "greeting" });
  await say(c6, "2025-03-08T00:00:01.000Z", "bot", "Hi!");

  // After the range: not counted anywhere.
  const late = await open("LATE", "2025-03-08T00:00:00.000Z");
  await say(late, "2025-03-08T00:00:00.000Z", "shopper", "too late", { intent: "other" });

  const item = (price: number) => [{ productId: "p-1", name: "Lamp", price, quantity: 1 }];
  at("2025-03-01T10:05:00.000Z");
  // A cash-on-delivery order: what the shopper pays (items + delivery + COD fee) is the revenue.
  await s.orders.create({ items: item(150), conversationId: c1, deliveryFee: 25, codFee: 15, paymentMethod: "cod" });
  at("2025-03-01T12:20:00.000Z");
  await s.orders.create({ items: item(99.5), conversationId: c2, status: "confirmed" });
  at("2025-03-03T09:10:00.000Z");
  await s.orders.create({ items: item(500), conversationId: c3, status: "cancelled" });
  at("2025-03-04T09:00:00.000Z");
  await s.orders.create({ items: item(1000) });
  at("2025-03-08T01:00:00.000Z");
  await s.orders.create({ items: item(70), conversationId: c4 });
}

beforeAll(async () => {
  t = await startTestRest();
  owner = await t.signup("Analytics");
  other = await t.signup("Other");
  const email = `agent-${Date.now()}@example.com`;
  await t.request("POST", "/api/v1/team", { token: owner.token, body: { email, name: "Agent", role: "agent", password: "agent-password-1" } });
  agentToken = (await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-1" } })).body.accessToken;
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    await seed(t.store.forMerchant(asMerchantId(owner.merchantId)));
    // Another store's busy day inside the same range.
    const s = t.store.forMerchant(asMerchantId(other.merchantId));
    at("2025-03-02T10:00:00.000Z");
    const c = await s.conversations.create({ channel: "webchat", visitorId: "v-other" });
    await s.messages.append(c.id, { role: "shopper", text: "Other store question", intent: "other" });
    await s.orders.create({ items: [{ productId: "p", name: "x", price: 10, quantity: 1 }], conversationId: c.id });
  } finally {
    vi.useRealTimers();
  }
});
afterAll(async () => t?.close());

describe("GET /analytics/summary", () => {
  it("computes every figure of the seeded week exactly", async () => {
    const res = await t.request("GET", "/api/v1/analytics/summary?from=2025-03-01&to=2025-03-07", { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: "2025-03-01",
      to: "2025-03-07",
      conversationsPerDay: [
        { date: "2025-03-01", count: 2 },
        { date: "2025-03-02", count: 0 },
        { date: "2025-03-03", count: 2 },
        { date: "2025-03-04", count: 0 },
        { date: "2025-03-05", count: 1 },
        { date: "2025-03-06", count: 1 },
        { date: "2025-03-07", count: 1 },
      ],
      // bot delays 2, 4, 6, 1, 3 s → 3; agent delay only in C2 → 90.
      firstResponse: { botSeconds: 3, humanSeconds: 90 },
      // C2 1800 s, E1 172800 s, C7 600 s → 1800.
      resolutionSeconds: 1800,
      // Six conversations with a shopper message (C1 C2 C3 C4 C6 C7); C2 and C4 reached a person.
      botCoverage: 4 / 6,
      handoffRate: 2 / 6,
      topIntents: [
        { intent: "shipping", count: 2 },
        { intent: "greeting", count: 1 },
        { intent: "human", count: 1 },
        { intent: "order_status", count: 1 },
        { intent: "other", count: 1 },
        { intent: "product_search", count: 1 },
      ],
      unanswered: [
        { text: "asdkj qwpo", conversationId: ids.C4, at: "2025-03-03T15:02:00.000Z" },
        { text: "هل تبيعون بطاقات هدايا؟", conversationId: ids.C3, at: "2025-03-03T09:00:00.000Z" },
      ],
      // C1 150 + 25 + 15 + C2 99.5; C3's is cancelled, one has no conversation, C4's is after the range.
      ordersFromConversations: { count: 2, revenue: 289.5, currency: "SAR" },
    });
  });

  it("narrows to the days asked for (to is inclusive)", async () => {
    const res = await t.request("GET", "/api/v1/analytics/summary?from=2025-03-03&to=2025-03-03", { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.conversationsPerDay).toEqual([{ date: "2025-03-03", count: 2 }]);
    expect(res.body.firstResponse).toEqual({ botSeconds: 3.5, humanSeconds: null });
    expect(res.body.resolutionSeconds).toBeNull();
    expect(res.body.botCoverage).toBe(0.5);
    expect(res.body.handoffRate).toBe(0.5);
    expect(res.body.ordersFromConversations).toEqual({ count: 0, revenue: 0, currency: "SAR" });
  });

  it("zero-fills an empty range and defaults to the last 30 days", async () => {
    const empty = await t.request("GET", "/api/v1/analytics/summary?from=2024-12-30&to=2025-01-02", { token: owner.token });
    expect(empty.body).toEqual({
      from: "2024-12-30",
      to: "2025-01-02",
      conversationsPerDay: ["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"].map((date) => ({ date, count: 0 })),
      firstResponse: { botSeconds: null, humanSeconds: null },
      resolutionSeconds: null,
      botCoverage: 0,
      handoffRate: 0,
      topIntents: [],
      unanswered: [],
      ordersFromConversations: { count: 0, revenue: 0, currency: "SAR" },
    });
    const today = new Date().toISOString().slice(0, 10);
    const byDefault = await t.request("GET", "/api/v1/analytics/summary", { token: owner.token });
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.conversationsPerDay).toHaveLength(30);
    expect(byDefault.body.to).toBe(today);
    expect(byDefault.body.conversationsPerDay.at(-1).date).toBe(today);
  });

  it("rejects bad ranges with 400", async () => {
    for (const q of ["from=2025-03-07&to=2025-03-01", "from=2024-01-01&to=2025-01-01", "from=2025-02-30&to=2025-03-01", "from=03/01/2025", "to=yesterday"]) {
      const res = await t.request("GET", `/api/v1/analytics/summary?${q}`, { token: owner.token });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    // 366 days is the most a range may cover.
    expect((await t.request("GET", "/api/v1/analytics/summary?from=2024-01-01&to=2024-12-31", { token: owner.token })).status).toBe(200);
  });

  it("is for owners and admins, and shows only the caller's store", async () => {
    expect((await t.request("GET", "/api/v1/analytics/summary", { token: agentToken })).status).toBe(403);
    const res = await t.request("GET", "/api/v1/analytics/summary?from=2025-03-01&to=2025-03-07", { token: other.token });
    expect(res.body.conversationsPerDay.map((d: { count: number }) => d.count)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(res.body.unanswered.map((u: { text: string }) => u.text)).toEqual(["Other store question"]);
    expect(res.body.ordersFromConversations).toEqual({ count: 1, revenue: 10, currency: "SAR" });
    expect(JSON.stringify(res.body)).not.toContain(ids.C4!);
  });
});
