// Embedded runtime, real sockets: streaming answers, idempotent sends, typing/read receipts,
// presence, handoff and resume. The bot is scripted so every expected text is known.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type ConversationOpenResult, type Message, type MessageDelta, type Presence, type ResumeResult, type WatchResult } from "@kaleem/shared";
import {
  Recorder,
  ScriptedBot,
  StreamAssembler,
  addAgent,
  call,
  closeAllClients,
  connected,
  createMerchant,
  inboxClient,
  login,
  nextEvent,
  ok,
  openConversation,
  startTestKaleem,
  until,
  widgetClient,
  type TestKaleem,
  type TestMerchant,
} from "./realtime.test-helpers.js";

let t: TestKaleem;
let bot: ScriptedBot;
let shop: TestMerchant;
let ownerToken: string;

beforeAll(async () => {
  bot = new ScriptedBot();
  t = await startTestKaleem({ bot });
  shop = await createMerchant(t.k);
  ownerToken = await login(t.k.url, shop.email, shop.password);
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

async function shopper(m: TestMerchant = shop) {
  const socket = widgetClient(t.k.url, m.widgetKey);
  await connected(socket);
  const rec = new Recorder(socket);
  const open = await openConversation(t.k.store, socket, m.merchantId, { locale: "en" });
  return { socket, rec, open };
}

async function agent(token = ownerToken) {
  const socket = inboxClient(t.k.url, token);
  await connected(socket);
  return { socket, rec: new Recorder(socket) };
}

const stored = (conversationId: string) => t.k.store.forMerchant(asMerchantId(shop.merchantId)).messages.listAfter(conversationId, 0);

describe("streaming answers", () => {
  it("streams the bot answer to the shopper and a watching agent, then stores it with its seq", async () => {
    const s = await shopper();
    const a = await agent();
    const newConversation = nextEvent<{ conversation: { id: string } }>(a.socket, "conversation:new", (p) => p.conversation.id === s.open.conversationId);
    const watch = await ok<WatchResult>(a.socket, "conversation:watch", { conversationId: s.open.conversationId });
    expect(watch.conversation.id).toBe(s.open.conversationId);

    const sent = await ok<{ message: Message }>(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "c1", text: "do you have black abayas?" });
    expect(sent.message).toMatchObject({ seq: 1, role: "shopper", text: "do you have black abayas?" });
    await newConversation;

    const doneShopper = await nextEvent<{ message: Message }>(s.socket, "message:done", (p) => p.message.role === "bot");
    await until(() => a.rec.dones.some((m) => m.id === doneShopper.message.id), "agent done");
    const final = doneShopper.message;
    expect(final).toMatchObject({ seq: 2, role: "bot", status: "complete", text: ScriptedBot.ANSWER.join("") });
    expect(final.parts.some((p) => p.type === "product_card")).toBe(true);

    for (const rec of [s.rec, a.rec]) {
      const deltas = rec.deltasOf(final.id);
      expect(deltas.length).toBeGreaterThanOrEqual(2);
      expect(deltas.map((d) => d.text).join("")).toBe(final.text);
      let offset = 0;
      for (const d of deltas) {
        expect(d.offset).toBe(offset);
        offset += d.text.length;
      }
      // The placeholder came first, so clients can place the answer by seq before any text.
      expect(rec.news.find((m) => m.id === final.id)).toMatchObject({ status: "streaming", seq: 2 });
    }
    const db = await stored(s.open.conversationId);
    expect(db.map((m) => [m.seq, m.role, m.status])).toEqual([
      [1, "shopper", "complete"],
      [2, "bot", "complete"],
    ]);
    expect(db[1]!.text).toBe(final.text);
    expect(db[0]!.intent).toBe("product_search");
  });

  it("a retried send returns the same message and triggers one answer", async () => {
    const s = await shopper();
    const before = bot.calls;
    const payload = { conversationId: s.open.conversationId, clientMessageId: "retry-1", text: "hello again" };
    const acks = await Promise.all([ok<{ message: Message }>(s.socket, "message:send", payload), ok<{ message: Message }>(s.socket, "message:send", payload)]);
    // A client that lost the ack reconnects and retries on a new socket.
    const s2 = widgetClient(t.k.url, shop.widgetKey, { visitorToken: s.open.visitorToken });
    await connected(s2);
    acks.push(await ok<{ message: Message }>(s2, "message:send", payload));
    expect(new Set(acks.map((x) => x.message.id)).size).toBe(1);
    await until(() => s.rec.dones.some((m) => m.role === "bot"), "answer");
    const db = await stored(s.open.conversationId);
    expect(db.filter((m) => m.role === "shopper")).toHaveLength(1);
    expect(db.filter((m) => m.role === "bot")).toHaveLength(1);
    expect(bot.calls - before).toBe(1);
  });

  it("messages sent back to back keep their order", async () => {
    const s = await shopper();
    const a = await agent();
    await ok(a.socket, "conversation:takeover", { conversationId: s.open.conversationId });
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ok<{ message: Message }>(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: `o${i}`, text: `m${i}` })),
    );
    const shopperMessages = (await stored(s.open.conversationId)).filter((m) => m.role === "shopper");
    expect(shopperMessages.map((m) => m.text)).toEqual(acks.map((x) => x.message.text));
    expect(acks.map((x) => x.message.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it("the same visitor token continues the same conversation", async () => {
    const s = await shopper();
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "x", text: "hi" });
    const again = widgetClient(t.k.url, shop.widgetKey, { visitorToken: s.open.visitorToken });
    await connected(again);
    const reopened = await ok<ConversationOpenResult>(again, "conversation:open", {});
    expect(reopened.conversationId).toBe(s.open.conversationId);
    expect(reopened.visitorToken).toBe(s.open.visitorToken);
    expect(reopened.messages.some((m) => m.text === "hi")).toBe(true);
    expect(reopened.settings?.storeName).toMatch(/^Shop /);
  });
});

describe("typing, read receipts, presence", () => {
  it("typing and read receipts reach the other side", async () => {
    const s = await shopper();
    const a = await agent();
    await ok(a.socket, "conversation:watch", { conversationId: s.open.conversationId });

    const shopperTyping = nextEvent<{ role: string; isTyping: boolean }>(a.socket, "typing");
    await ok(s.socket, "typing", { conversationId: s.open.conversationId, isTyping: true });
    expect(await shopperTyping).toMatchObject({ role: "shopper", isTyping: true, conversationId: s.open.conversationId });

    const agentTyping = nextEvent<{ role: string; name: string }>(s.socket, "typing");
    await ok(a.socket, "typing", { conversationId: s.open.conversationId, isTyping: true });
    expect(await agentTyping).toMatchObject({ role: "agent", isTyping: true, agentId: shop.ownerId });

    const sent = await ok<{ message: Message }>(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "r1", text: "read me" });
    await until(() => s.rec.dones.some((m) => m.role === "bot"), "answer");
    const agentRead = nextEvent<{ by: string; seq: number }>(s.socket, "message:read");
    await ok(a.socket, "message:read", { conversationId: s.open.conversationId, seq: 2 });
    expect(await agentRead).toEqual({ conversationId: s.open.conversationId, seq: 2, by: "agent" });

    const shopperRead = nextEvent<{ by: string; seq: number }>(a.socket, "message:read");
    await ok(s.socket, "message:read", { conversationId: s.open.conversationId, seq: 2 });
    expect(await shopperRead).toEqual({ conversationId: s.open.conversationId, seq: 2, by: "shopper" });
    const conv = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).conversations.get(s.open.conversationId);
    expect(conv).toMatchObject({ shopperReadSeq: 2, unreadCount: 0 });
    expect(sent.message.seq).toBe(1);

    // An agent who read up to an older seq leaves newer shopper messages unread.
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "r2", text: "one more" });
    await ok(a.socket, "message:read", { conversationId: s.open.conversationId, seq: 2 });
    const after = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).conversations.get(s.open.conversationId);
    expect(after!.unreadCount).toBe(1);
  });

  it("keeps the shopper's page (http(s) only) on the conversation for agents", async () => {
    const s = await shopper();
    await ok(s.socket, "conversation:open", { pageUrl: "https://shop.example/products/abaya-1" });
    const a = await agent();
    const watched = await ok<WatchResult>(a.socket, "conversation:watch", { conversationId: s.open.conversationId });
    expect(watched.conversation.pageUrl).toBe("https://shop.example/products/abaya-1");
    await ok(s.socket, "conversation:open", { pageUrl: "javascript:alert(1)" });
    const stored = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).conversations.get(s.open.conversationId);
    expect(stored!.pageUrl).toBe("https://shop.example/products/abaya-1");
  });

  it("presence shows who is online and who views or types in a conversation; collisions are refused", async () => {
    const s = await shopper();
    const second = await addAgent(t.k, shop.merchantId, "Bob");
    const a = await agent();
    const b = await agent(await login(t.k.url, second.email, second.password));
    await ok(a.socket, "conversation:watch", { conversationId: s.open.conversationId });
    await ok(b.socket, "conversation:watch", { conversationId: s.open.conversationId });
    await ok(b.socket, "typing", { conversationId: s.open.conversationId, isTyping: true });
    const p = await ok<Presence>(a.socket, "presence:get", {});
    expect(p.online.map((o) => o.agentId).sort()).toEqual([shop.ownerId, second.id].sort());
    expect(p.conversations[s.open.conversationId]).toEqual({ viewers: [shop.ownerId, second.id].sort(), typing: [second.id] });

    // Pushed too, not only on request.
    const pushed = nextEvent<Presence>(a.socket, "presence", (x) => !x.online.some((o) => o.agentId === second.id));
    b.socket.disconnect();
    expect((await pushed).conversations[s.open.conversationId]?.viewers).toEqual([shop.ownerId]);

    const c = await agent(await login(t.k.url, second.email, second.password));
    await ok(a.socket, "conversation:takeover", { conversationId: s.open.conversationId });
    const clash = await call(c.socket, "conversation:takeover", { conversationId: s.open.conversationId });
    expect(clash).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(clash.ok ? "" : clash.error.message).toContain("Owner");
  });
});

describe("handoff", () => {
  it("takeover mid-stream stops the answer; agent replies reach the shopper; notes do not; release brings the bot back", async () => {
    const s = await shopper();
    const a = await agent();
    await ok(a.socket, "conversation:watch", { conversationId: s.open.conversationId });
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "h1", text: "slow answer please" });
    await until(() => s.rec.deltas.length >= 3, "deltas");
    const streamingId = s.rec.deltas[0]!.messageId;

    const updated = nextEvent<{ status: string; agentName: string | null }>(s.socket, "conversation:updated");
    const takeover = await ok<{ conversation: { status: string; assigneeId: string } }>(a.socket, "conversation:takeover", { conversationId: s.open.conversationId });
    expect(takeover.conversation).toMatchObject({ status: "human", assigneeId: shop.ownerId });
    const agentName = "Owner " + shop.email.match(/owner(\d+)/)![1];
    expect(await updated).toMatchObject({ status: "human", agentName });
    // A shopper who reloads now sees who is handling the conversation right away.
    const reopened = await ok<ConversationOpenResult>(s.socket, "conversation:open", {});
    expect(reopened).toMatchObject({ status: "human", agentName });

    await until(() => s.rec.dones.some((m) => m.id === streamingId), "stopped answer");
    const done = { message: s.rec.doneOf((m) => m.id === streamingId)! };
    expect(done.message.status).toBe("stopped");
    const asm = new StreamAssembler(streamingId);
    for (const d of s.rec.deltasOf(streamingId)) asm.delta(d);
    const deltasAtStop = s.rec.deltasOf(streamingId).length;
    const db = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).messages.get(streamingId);
    expect(db).toMatchObject({ status: "stopped", text: done.message.text });
    expect(asm.text).toBe(done.message.text);
    expect(asm.gaps).toBe(0);

    // The timeline has the takeover as a system message.
    const timeline = await stored(s.open.conversationId);
    expect(timeline.some((m) => m.role === "system" && /joined the conversation/.test(m.text))).toBe(true);
    const audit = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).audit.list({ limit: 100 });
    expect(audit.items.some((r) => r.action === "conversation.takeover" && r.target === s.open.conversationId)).toBe(true);

    // While a human has it, shopper messages get no bot answer.
    const botCalls = bot.calls;
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "h2", text: "are you there?" });
    const reply = nextEvent<{ message: Message }>(s.socket, "message:new", (p) => p.message.role === "agent");
    await ok(a.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "a1", text: "Hi, I am here" });
    expect((await reply).message).toMatchObject({ text: "Hi, I am here", authorId: shop.ownerId });
    const note = await ok<{ message: Message }>(a.socket, "note:add", { conversationId: s.open.conversationId, text: "VIP customer" });
    await until(() => a.rec.news.some((m) => m.id === note.message.id), "note to agents");
    expect(s.rec.news.some((m) => m.role === "note")).toBe(false);
    expect(s.rec.deltasOf(streamingId).length).toBe(deltasAtStop);
    expect(bot.calls).toBe(botCalls);
    // A shopper resuming from the start does not get the note either.
    const resumed = await ok<ResumeResult>(s.socket, "conversation:resume", { conversationId: s.open.conversationId, afterSeq: 0 });
    expect(resumed.messages.some((m) => m.role === "note")).toBe(false);
    expect(resumed.messages.some((m) => m.id === note.message.id)).toBe(false);

    const released = await ok<{ conversation: { status: string } }>(a.socket, "conversation:release", { conversationId: s.open.conversationId });
    expect(released.conversation.status).toBe("bot");
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "h3", text: "back to the bot" });
    const again = await nextEvent<{ message: Message }>(s.socket, "message:done", (p) => p.message.role === "bot" && p.message.status === "complete");
    expect(again.message.text).toBe(ScriptedBot.ANSWER.join(""));
    expect(bot.calls).toBe(botCalls + 1);
  });

  it("the bot's handoff signal moves the conversation to waiting_human; close and reopen are audited", async () => {
    const s = await shopper();
    const a = await agent();
    const waiting = nextEvent<{ conversation: { id: string; status: string } }>(a.socket, "conversation:updated", (p) => p.conversation.id === s.open.conversationId && p.conversation.status === "waiting_human");
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "ho", text: "handoff please" });
    await waiting;
    const closed = await ok<{ conversation: { status: string } }>(a.socket, "conversation:close", { conversationId: s.open.conversationId });
    expect(closed.conversation.status).toBe("closed");
    const reopened = await ok<{ conversation: { status: string } }>(a.socket, "conversation:reopen", { conversationId: s.open.conversationId });
    expect(reopened.conversation.status).toBe("bot");
    const assigned = await ok<{ conversation: { assigneeId: string } }>(a.socket, "conversation:assign", { conversationId: s.open.conversationId, agentId: shop.ownerId });
    expect(assigned.conversation.assigneeId).toBe(shop.ownerId);
    const timeline = await stored(s.open.conversationId);
    expect(timeline.filter((m) => m.role === "system").map((m) => m.text)).toEqual([
      "Connecting you with a team member, one moment please",
      "Conversation closed",
      "Conversation reopened",
      expect.stringMatching(/^Conversation assigned to Owner/),
    ]);
    const audit = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).audit.list({ limit: 100 });
    const actions = audit.items.filter((r) => r.target === s.open.conversationId).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["conversation.handoff_requested", "conversation.close", "conversation.reopen", "conversation.assign"]));
  });

  it("the shopper can ask for a person", async () => {
    const s = await shopper();
    const r = await ok<{ status: string }>(s.socket, "conversation:human", { conversationId: s.open.conversationId });
    expect(r.status).toBe("waiting_human");
  });
});

describe("resume", () => {
  it("a shopper that drops mid-stream resumes with the text so far and ends with exactly the stored text", async () => {
    const s = await shopper();
    const a = await agent();
    await ok(a.socket, "conversation:watch", { conversationId: s.open.conversationId });
    const sent = await ok<{ message: Message }>(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "res1", text: "slow and long" });
    await until(() => s.rec.deltas.length >= 5, "some deltas");
    const messageId = s.rec.deltas[0]!.messageId;
    s.socket.disconnect();
    await until(() => a.rec.deltasOf(messageId).length >= s.rec.deltasOf(messageId).length + 5, "stream went on without the shopper");

    const back = widgetClient(t.k.url, shop.widgetKey, { visitorToken: s.open.visitorToken });
    const rec = new Recorder(back);
    await connected(back);
    const asm = new StreamAssembler(messageId);
    const resumed = await ok<ResumeResult>(back, "conversation:resume", { conversationId: s.open.conversationId, afterSeq: sent.message.seq });
    const partial = resumed.streaming.find((p) => p.messageId === messageId);
    expect(partial, "the answer is still streaming, so resume carries its text so far").toBeDefined();
    expect(resumed.messages.find((m) => m.id === messageId)).toMatchObject({ status: "streaming", text: partial!.text });
    asm.partial(partial!.text);
    // Deltas that raced the ack are applied by offset, as a client library does.
    for (const d of rec.deltasOf(messageId)) asm.delta(d);
    back.on("message:delta", (d: MessageDelta) => asm.delta(d));
    back.on("message:done", (p: { message: Message }) => asm.finish(p.message));
    expect(partial!.text.length).toBeGreaterThan(0);

    await ok(a.socket, "conversation:takeover", { conversationId: s.open.conversationId });
    await until(() => asm.done !== null, "done");
    const db = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).messages.get(messageId);
    expect(asm.done!.text).toBe(db!.text);
    expect(asm.text).toBe(db!.text);
    expect(asm.gaps).toBe(0);
    // The resume point stays below the answer still streaming: resuming from it later returns the final text.
    expect(resumed.lastSeq).toBe(sent.message.seq);
  });

  it("resume after the answer finished returns it from the store with nothing streaming", async () => {
    const s = await shopper();
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "res2", text: "quick one" });
    const done = await nextEvent<{ message: Message }>(s.socket, "message:done");
    const r = await ok<ResumeResult>(s.socket, "conversation:resume", { conversationId: s.open.conversationId, afterSeq: 1 });
    expect(r.streaming).toEqual([]);
    expect(r.messages.map((m) => m.id)).toEqual([done.message.id]);
    expect(r.lastSeq).toBe(2);
  });
});
