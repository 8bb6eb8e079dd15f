// Attacks, family 12 on the sockets: every client event of the protocol's tables (identify aside:
// its fields are the signed identity itself) is sent on the caller's own conversation with a payload
// it accepts plus fields a client must not set — merchantId (another store's), role, seq, id,
// createdAt, authorId, authorName, visitorId, userId. Each ack must be a refusal or a success that
// ignored them: no ack and no stored message or conversation holds a forced value, shopper messages
// stay the shopper's, and the other store has nothing. A new event fails until it has a sample.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, inboxClientEvents, widgetClientEvents } from "@kaleem/shared";
import { call, closeAllClients, connected, createMerchant, inboxClient, login, openConversation, ScriptedBot, startTestKaleem, widgetClient, type OpenedConversation, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

const FORCED_TIME = "2001-01-01T00:00:00.000Z";
const forcedValues = ["forced-id-0001", FORCED_TIME, "987654321", "forced-author", "Forced Name", "forced-visitor", "forced-user"];
let t: TestKaleem;
let a: TestMerchant;
let b: TestMerchant;
let conv: OpenedConversation;
let ownerId = "";

const forced = (): Record<string, unknown> => ({
  merchantId: b.merchantId,
  role: "owner",
  seq: 987654321,
  id: "forced-id-0001",
  createdAt: FORCED_TIME,
  authorId: "forced-author",
  authorName: "Forced Name",
  visitorId: "forced-visitor",
  userId: "forced-user",
});
/** Fields that are the event's own business. */
const legitimate: Record<string, string[]> = { "message:read": ["seq"] };

let n = 0;
const widgetSamples: Record<string, (c: string) => unknown> = {
  "conversation:open": () => ({ locale: "en" }),
  "conversation:resume": (c) => ({ conversationId: c, afterSeq: 0 }),
  "message:send": (c) => ({ conversationId: c, clientMessageId: `w-${(n += 1)}`, text: "hello from the shopper" }),
  typing: (c) => ({ conversationId: c, isTyping: true }),
  "message:read": (c) => ({ conversationId: c, seq: 1 }),
  "conversation:human": (c) => ({ conversationId: c }),
  "upload:create": () => ({ name: "photo.jpg", contentType: "image/jpeg", size: 1024 }),
};
const inboxSamples: Record<string, (c: string) => unknown> = {
  "conversation:watch": (c) => ({ conversationId: c }),
  "conversation:unwatch": (c) => ({ conversationId: c }),
  "conversation:resume": (c) => ({ conversationId: c, afterSeq: 0 }),
  "conversation:takeover": (c) => ({ conversationId: c }),
  "message:send": (c) => ({ conversationId: c, clientMessageId: `i-${(n += 1)}`, text: "hello from the agent" }),
  "note:add": (c) => ({ conversationId: c, text: "an internal note" }),
  typing: (c) => ({ conversationId: c, isTyping: true }),
  "message:read": (c) => ({ conversationId: c, seq: 1 }),
  "presence:get": () => ({}),
  "conversation:assign": (c) => ({ conversationId: c, agentId: ownerId }),
  "conversation:release": (c) => ({ conversationId: c }),
  "conversation:close": (c) => ({ conversationId: c }),
  "conversation:reopen": (c) => ({ conversationId: c }),
  "upload:create": (c) => ({ conversationId: c, name: "size-chart.pdf", contentType: "application/pdf", size: 2048 }),
};
// attachment:link names a stored object of the conversation (no valid sample without one); its
// scoping and strictness are in attachments.flow.test.ts and tenancy-sockets.test.ts.
const EXEMPT = ["identify", "attachment:link"];

beforeAll(async () => {
  t = await startTestKaleem({ bot: new ScriptedBot(), env: { SOCKET_EVENTS_PER_10S: "100000" } });
  a = await createMerchant(t.k, { allowedOrigins: ["https://a.example"] });
  b = await createMerchant(t.k, { allowedOrigins: ["https://b.example"] });
  ownerId = a.ownerId;
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

describe("socket mass assignment (from the protocol tables)", () => {
  it("has a sample for every client event", () => {
    expect(Object.keys(widgetClientEvents).filter((e) => !widgetSamples[e] && !EXEMPT.includes(e))).toEqual([]);
    expect(Object.keys(inboxClientEvents).filter((e) => !inboxSamples[e])).toEqual([]);
  });

  it("every forced field on every event is refused or ignored, and nothing stored takes it", async () => {
    const shopper = widgetClient(t.k.url, a.widgetKey, { origin: "https://a.example" });
    await connected(shopper);
    conv = await openConversation(t.k.store, shopper, a.merchantId);
    const agent = inboxClient(t.k.url, await login(t.k.url, a.email, a.password));
    await connected(agent);
    const tally = { refused: 0, ignored: 0 };
    const attempt = async (socket: typeof shopper, event: string, payload: unknown, ack: boolean, what: string) => {
      if (!ack) {
        socket.emit(event, payload);
        return;
      }
      const res = await call(socket, event, payload);
      if (!res.ok) {
        // Refused for the forced field (strict payloads, such as presence:get's).
        expect(res.error.code, `${what}: ${res.error.message}`).toBe("validation_failed");
        tally.refused += 1;
        return;
      }
      const text = JSON.stringify(res.data);
      for (const v of [...forcedValues, b.merchantId]) expect(text, `${what} took ${v}`).not.toContain(v);
      tally.ignored += 1;
    };
    for (const [event, sample] of Object.entries(widgetSamples)) {
      for (const [field, value] of Object.entries(forced())) {
        if (legitimate[event]?.includes(field)) continue;
        await attempt(shopper, event, { ...(sample(conv.conversationId) as object), [field]: value }, widgetClientEvents[event as keyof typeof widgetClientEvents].ack, `widget ${event} + ${field}`);
      }
    }
    for (const [event, sample] of Object.entries(inboxSamples)) {
      for (const [field, value] of Object.entries(forced())) {
        if (legitimate[event]?.includes(field)) continue;
        await attempt(agent, event, { ...(sample(conv.conversationId) as object), [field]: value }, inboxClientEvents[event as keyof typeof inboxClientEvents].ack, `inbox ${event} + ${field}`);
      }
    }
    expect(tally.ignored).toBeGreaterThan(0);

    const tenant = t.k.store.forMerchant(asMerchantId(a.merchantId));
    const messages = await tenant.messages.listAfter(conv.conversationId, 0, 1000);
    const stored = JSON.stringify({ messages, conversation: await tenant.conversations.get(conv.conversationId) });
    for (const v of forcedValues) expect(stored, `a stored record holds ${v}`).not.toContain(v);
    expect(stored).not.toContain(b.merchantId);
    // The shopper's messages are the shopper's; the agent's are the agent's, under their real name.
    expect(messages.filter((m) => m.text === "hello from the shopper").every((m) => m.role === "shopper")).toBe(true);
    expect(messages.filter((m) => m.text === "hello from the agent").every((m) => m.role === "agent" && m.authorId === a.ownerId)).toBe(true);
    expect(messages.filter((m) => m.text === "hello from the shopper").length).toBeGreaterThan(0);
    expect((await t.k.store.forMerchant(asMerchantId(b.merchantId)).conversations.list()).items).toEqual([]);
    expect((await tenant.users.get(a.ownerId))!.role).toBe("owner");
  });
});
