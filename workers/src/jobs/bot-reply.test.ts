// The bot reply job and the conversation service against the real SQLite store, the in-process
// queue and stream registry. The emitter records what would reach each room.
import { MemoryKeyedLock, MemoryStreamRegistry, RedisKeyedLock, createMemoryPresence, openSqliteStore, MemoryJobQueue } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT_REPLY_JOB, ConversationEventBus, ConversationService, socketListener, FALLBACK_ANSWER, UnrecoverableError, ValidationError, asMerchantId, rooms, type BotEngine, type BotEvent, type BotReplyJob, type BotTurnInput, type InboxEventName, type InboxPayload, type Message, type RealtimeEmitter, type Store, type SystemStore, type TenantStore, StoreUnavailableError, type WidgetEventName, type WidgetPayload } from "@kaleem/shared";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { startRedisServer, uniquePrefix, waitFor, testStoreCrypto } from "@kaleem/shared/testing";
import { createBotReplyHandler, runBotReply } from "./bot-reply.js";
import { endOrphanedStream, sweepOrphanedStreams } from "./stream-sweeper.js";

class RecordingEmitter implements RealtimeEmitter {
  sent: Array<{ ns: "widget" | "inbox"; room: string; event: string; payload: unknown }> = [];
  toWidget<E extends WidgetEventName>(r: string | readonly string[], event: E, payload: WidgetPayload<E>): void {
    for (const room of typeof r === "string" ? [r] : r) this.sent.push({ ns: "widget", room, event, payload });
  }
  toInbox<E extends InboxEventName>(r: string | readonly string[], event: E, payload: InboxPayload<E>): void {
    for (const room of typeof r === "string" ? [r] : r) this.sent.push({ ns: "inbox", room, event, payload });
  }
  disconnectRoom(): void {}
  to(room: string, event?: string) {
    return this.sent.filter((s) => s.room === room && (!event || s.event === event));
  }
}

class ScriptedEngine implements BotEngine {
  seen: BotTurnInput[] = [];
  constructor(private readonly script: (input: BotTurnInput) => AsyncIterable<BotEvent>) {}
  reply(input: BotTurnInput): AsyncIterable<BotEvent> {
    this.seen.push(input);
    return this.script(input);
  }
}

let dir: string;
let store: Store & { readonly system: SystemStore };
let dbFile: string;
let tenant: TenantStore;
let merchantId: string;
let ownerId: string;
let emitter: RecordingEmitter;
let queue: MemoryJobQueue;
let streams: MemoryStreamRegistry;
let service: ConversationService;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-jobs-"));
  dbFile = path.join(dir, "db.sqlite");
  // A short lock wait: the write-failure test holds the lock from a second connection.
  store = await openSqliteStore({ crypto: testStoreCrypto(), file: dbFile, busyTimeoutMs: 100 });
  const { merchant, owner } = await store.createMerchant({ name: "Shop" }, { email: `o${Math.random()}@x.io`, name: "Sara", role: "owner", passwordHash: "x" });
  merchantId = merchant.id;
  ownerId = owner.id;
  tenant = store.forMerchant(asMerchantId(merchantId));
  emitter = new RecordingEmitter();
  queue = new MemoryJobQueue();
  streams = new MemoryStreamRegistry();
  // An agent is online, so handoffs say a person will join (the offline case has its own test).
  const presence = createMemoryPresence();
  await presence.online({ merchantId, agentId: ownerId, name: "Sara", socketId: "s0" });
  service = new ConversationService({ store, events: new ConversationEventBus([socketListener(emitter)]), queue, streams, presence });
});
afterEach(async () => {
  await queue.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const agent = () => ({ userId: ownerId, name: "Sara" });
async function conversationWith(text: string, locale: "en" | "ar" = "en") {
  const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1", locale });
  const { message } = await service.shopperSend(merchantId, conversation.id, { clientMessageId: `c-${text}`, text });
  return { conversation, trigger: message };
}

describe("bot reply job", () => {
  it("ends an answer that failed mid-stream as stopped with its text, without a retry", async () => {
    const bot = new ScriptedEngine(async function* () {
      yield { type: "delta", text: "Half an " };
      yield { type: "delta", text: "answer" };
      throw new Error("engine crashed");
    });
    const { conversation, trigger } = await conversationWith("hi");
    const result = await runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    expect(result.outcome).toBe("failed");
    expect(result.message).toMatchObject({ status: "stopped", text: "Half an answer" });
    const done = emitter.to(rooms.conversationShopper(merchantId, conversation.id), "message:done");
    expect(done).toHaveLength(1);
    expect(await streams.partials(merchantId, conversation.id)).toEqual([]);
  });

  it("a failure before any output is retried by the queue, then dead-lettered", async () => {
    let calls = 0;
    const bot = new ScriptedEngine(async function* () {
      calls += 1;
      if (calls > 0) throw new Error("index not ready");
      yield { type: "delta", text: "never reached" } as const;
    });
    queue.process(BOT_REPLY_JOB, createBotReplyHandler({ store, streams, emitter, conversations: service, bot, lock: new MemoryKeyedLock() }));
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    await service.shopperSend(merchantId, conversation.id, { clientMessageId: "x", text: "hello" });
    await waitFor(async () => (await queue.deadLetters(BOT_REPLY_JOB)).length > 0, "the dead letter");
    expect(calls).toBe(2);
    expect((await queue.deadLetters(BOT_REPLY_JOB))[0]).toMatchObject({ error: "index not ready", attempts: 2 });
    expect((await tenant.messages.listAfter(conversation.id, 0)).map((m) => m.role)).toEqual(["shopper"]);
  });

  it("skips conversations a human handles, rejects bad payloads, and never shows notes to the bot", async () => {
    const bot = new ScriptedEngine(async function* () {
      yield { type: "delta", text: "ok" };
    });
    const { conversation, trigger } = await conversationWith("first");
    await service.addNote(merchantId, agent(), conversation.id, { text: "secret note" });
    await runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    expect(bot.seen[0]!.history.map((m) => m.text)).toEqual(["first"]);

    await service.takeover(merchantId, agent(), conversation.id);
    const skipped = await runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    expect(skipped.outcome).toBe("skipped");
    expect(bot.seen).toHaveLength(1);

    // The queue checks the payload against botReplyJobSchema before anything runs.
    const queued = await queue.depth(BOT_REPLY_JOB);
    await expect(queue.add(BOT_REPLY_JOB, { merchantId } as BotReplyJob)).rejects.toBeInstanceOf(ValidationError);
    expect(await queue.depth(BOT_REPLY_JOB)).toBe(queued);
    await expect(
      runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: "nope", triggerMessageId: trigger.id }),
    ).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it("answers a shopper message once even when its job runs again (queue forgot the id, process restarted)", async () => {
    const bot = new ScriptedEngine(async function* () {
      yield { type: "delta", text: "Hello there" };
    });
    const deps = { store, streams, emitter, conversations: service, bot };
    const { conversation, trigger } = await conversationWith("hello");
    const first = await runBotReply(deps, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    expect(first.outcome).toBe("complete");
    const again = await runBotReply(deps, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    expect(again.outcome).toBe("skipped");
    // The engine is not even consulted: its side effects (cart, orders) must not happen twice.
    expect(bot.seen).toHaveLength(1);
    const bots = (await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "bot");
    expect(bots.map((m) => m.text)).toEqual(["Hello there"]);
  });

  it("a streamed answer becomes the stored conversation preview once it completes (what REST lists show)", async () => {
    const bot = new ScriptedEngine(async function* () {
      yield { type: "delta", text: "We ship " };
      yield { type: "delta", text: "in 2 days" };
    });
    const { conversation, trigger } = await conversationWith("shipping?");
    expect((await tenant.conversations.get(conversation.id))!.lastMessagePreview).toBe("shipping?");
    await runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    const stored = await tenant.conversations.get(conversation.id);
    expect(stored!.lastMessagePreview).toBe("We ship in 2 days");
    const listed = await tenant.conversations.list();
    expect(listed.items.find((c) => c.id === conversation.id)!.lastMessagePreview).toBe("We ship in 2 days");
    const summary = emitter.to(rooms.inbox(merchantId), "conversation:updated").at(-1)!.payload as { conversation: { lastMessagePreview: string } };
    expect(summary.conversation.lastMessagePreview).toBe("We ship in 2 days");
  });

  it("with a coalescing window, the first delta goes out alone and the rest merged; offsets stay contiguous and the deltas are the final text", async () => {
    const tokens = Array.from({ length: 20 }, (_, i) => `w${i} `);
    const bot = new ScriptedEngine(async function* () {
      for (const text of tokens) yield { type: "delta", text };
    });
    const { conversation, trigger } = await conversationWith("tell me");
    // The widest window: the burst of tokens falls inside it however slow the machine is.
    const result = await runBotReply({ store, streams, emitter, conversations: service, bot, coalesceMs: 250 }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    const text = tokens.join("");
    expect(result.message).toMatchObject({ status: "complete", text });
    for (const room of [rooms.conversationShopper(merchantId, conversation.id), rooms.conversationWatchers(merchantId, conversation.id)]) {
      const deltas = emitter.to(room, "message:delta").map((d) => d.payload as { offset: number; text: string });
      expect(deltas[0]).toEqual(expect.objectContaining({ offset: 0, text: tokens[0] }));
      expect(deltas.length).toBeLessThan(tokens.length);
      let have = 0;
      for (const d of deltas) {
        expect(d.offset).toBe(have);
        have += d.text.length;
      }
      expect(deltas.map((d) => d.text).join("")).toBe(text);
      // Every delta precedes the final message in the room.
      const events = emitter.to(room).map((e) => e.event);
      expect(events.lastIndexOf("message:delta")).toBeLessThan(events.indexOf("message:done"));
    }
  });

  it("with no window, an answer produced at once goes out as two deltas (the first word, then the rest); a paced one word by word", async () => {
    const tokens = Array.from({ length: 20 }, (_, i) => `w${i} `);
    const burst = new ScriptedEngine(async function* () {
      for (const text of tokens) yield { type: "delta", text };
    });
    const paced = new ScriptedEngine(async function* () {
      for (const text of tokens.slice(0, 5)) {
        // The next piece comes in a later turn of the event loop, as a paced engine's does.
        await new Promise((r) => setTimeout(r, 1));
        yield { type: "delta", text };
      }
    });
    for (const [bot, expected] of [[burst, [tokens[0], tokens.slice(1).join("")]], [paced, tokens.slice(0, 5)]] as const) {
      const { conversation, trigger } = await conversationWith("tell me");
      const result = await runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
      expect(result.message).toMatchObject({ status: "complete", text: expected.join("") });
      const deltas = emitter.to(rooms.conversationShopper(merchantId, conversation.id), "message:delta").map((d) => d.payload as { offset: number; text: string });
      expect(deltas.map((d) => d.text)).toEqual(expected);
      expect(deltas.map((d) => d.offset)).toEqual(expected.map((_, i) => expected.slice(0, i).join("").length));
    }
  });

  it("a takeover while deltas are held in the window still sends them before the stopped answer", async () => {
    let conversationId = "";
    const bot = new ScriptedEngine(async function* () {
      yield { type: "delta", text: "One " };
      yield { type: "delta", text: "two " };
      yield { type: "delta", text: "three" };
      await service.takeover(merchantId, agent(), conversationId);
      yield { type: "delta", text: " never" };
    });
    const { conversation, trigger } = await conversationWith("count");
    conversationId = conversation.id;
    const result = await runBotReply({ store, streams, emitter, conversations: service, bot, coalesceMs: 250 }, { merchantId, conversationId, triggerMessageId: trigger.id });
    expect(result.message).toMatchObject({ status: "stopped", text: "One two three" });
    const deltas = emitter.to(rooms.conversationShopper(merchantId, conversationId), "message:delta").map((d) => (d.payload as { text: string }).text);
    expect(deltas.join("")).toBe("One two three");
    expect(await streams.partials(merchantId, conversationId)).toEqual([]);
  });

  it("marks the stored answer with the intent it served, or fallback when it did not know", async () => {
    const scripted = (fallback: boolean) =>
      new ScriptedEngine(async function* () {
        yield { type: "intent", intent: "product_search", confidence: 0.9, fallback };
        yield { type: "delta", text: fallback ? "I don't know" : "Here you go" };
      });
    const asked = await conversationWith("unicorn saddle");
    const unknown = await runBotReply({ store, streams, emitter, conversations: service, bot: scripted(true) }, { merchantId, conversationId: asked.conversation.id, triggerMessageId: asked.trigger.id });
    expect(unknown.message).toMatchObject({ role: "bot", intent: FALLBACK_ANSWER });
    expect((await tenant.messages.get(asked.trigger.id))!.intent).toBe("product_search");

    const trigger = (await service.shopperSend(merchantId, asked.conversation.id, { clientMessageId: "c-2", text: "green kaftan" })).message;
    const known = await runBotReply({ store, streams, emitter, conversations: service, bot: scripted(false) }, { merchantId, conversationId: asked.conversation.id, triggerMessageId: trigger.id });
    expect(known.message).toMatchObject({ role: "bot", intent: "product_search" });
  });

  it("a handoff the engine sent both as a part and as a signal is one part on the message", async () => {
    const bot = new ScriptedEngine(async function* () {
      yield { type: "intent", intent: "human", confidence: 0.9 };
      yield { type: "delta", text: "Connecting you now" };
      yield { type: "part", part: { type: "handoff", reason: "requested" } };
      yield { type: "handoff", reason: "requested" };
    });
    const asked = await conversationWith("a person please");
    const result = await runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: asked.conversation.id, triggerMessageId: asked.trigger.id });
    expect(result.message!.parts).toEqual([{ type: "handoff", reason: "requested" }]);
    expect((await tenant.conversations.get(asked.conversation.id))!.status).toBe("waiting_human");
  });

  it("a takeover before the answer's first word leaves no empty bot message behind", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached = false;
    const bot = new ScriptedEngine(async function* () {
      yield { type: "intent", intent: "shipping", confidence: 0.9 };
      reached = true;
      await gate;
      yield { type: "delta", text: "Too late" };
    });
    const { conversation, trigger } = await conversationWith("slow");
    const run = runBotReply({ store, streams, emitter, conversations: service, bot }, { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id });
    for (let i = 0; i < 1000 && !reached; i++) await new Promise((r) => setImmediate(r));
    expect(reached).toBe(true);
    await service.takeover(merchantId, agent(), conversation.id);
    release();
    const result = await run;
    expect(result).toEqual({ message: null, outcome: "stopped" });
    expect((await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "bot")).toEqual([]);
    expect(emitter.to(rooms.conversationShopper(merchantId, conversation.id), "message:done")).toEqual([]);
  });

  it("two runs of one job racing each other store one answer", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bot = new ScriptedEngine(async function* () {
      await gate;
      yield { type: "delta", text: "Only once" };
    });
    const deps = { store, streams, emitter, conversations: service, bot };
    const { conversation, trigger } = await conversationWith("race");
    const job = { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id };
    const runs = [runBotReply(deps, job), runBotReply(deps, job)];
    release();
    const outcomes = (await Promise.all(runs)).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(["complete", "skipped"]);
    const bots = (await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "bot");
    expect(bots.map((m) => [m.text, m.status])).toEqual([["Only once", "complete"]]);
  });

  it("a message whose later neighbour was already answered is not answered late (superseded)", async () => {
    const bot = new ScriptedEngine(async function* (input) {
      const last = [...input.history].reverse().find((m) => m.role === "shopper")!;
      yield { type: "delta", text: `re: ${last.text}` };
    });
    const deps = { store, streams, emitter, conversations: service, bot };
    const { conversation, trigger: first } = await conversationWith("first question");
    const second = (await service.shopperSend(merchantId, conversation.id, { clientMessageId: "c-second", text: "second question" })).message;
    // Another workers process took the second message's job first.
    expect((await runBotReply(deps, { merchantId, conversationId: conversation.id, triggerMessageId: second.id })).outcome).toBe("complete");
    expect((await runBotReply(deps, { merchantId, conversationId: conversation.id, triggerMessageId: first.id })).outcome).toBe("skipped");
    const bots = (await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "bot");
    expect(bots.map((m) => m.text)).toEqual(["re: second question"]);
  });

  it("two workers processes sharing a Redis lock never answer one conversation at the same time", async () => {
    const redis = await startRedisServer();
    const clients = [new Redis(redis.url), new Redis(redis.url)];
    try {
      const prefix = uniquePrefix("botlock");
      let active = 0;
      let overlapped = false;
      const bot = new ScriptedEngine(async function* (input) {
        active += 1;
        if (active > 1) overlapped = true;
        try {
          // Read-modify-write of the bot state with a pause: a second runner would clobber it.
          const state = await tenant.conversations.getBotState(input.conversationId);
          await new Promise((r) => setTimeout(r, 20));
          await tenant.conversations.setBotState(input.conversationId, { answered: Number(state.answered ?? 0) + 1 });
          yield { type: "delta", text: "ok" };
        } finally {
          active -= 1;
        }
      });
      const handlers = clients.map((c) =>
        createBotReplyHandler({ store, streams, emitter, conversations: service, bot, lock: new RedisKeyedLock(c, prefix, { pollMs: 5 }) }),
      );
      const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v-lock" });
      const triggers = [];
      for (let i = 0; i < 4; i++) {
        triggers.push((await service.shopperSend(merchantId, conversation.id, { clientMessageId: `l${i}`, text: `q${i}` })).message);
      }
      await Promise.all(
        triggers.map((t, i) =>
          handlers[i % 2]!({ id: `j${i}`, name: BOT_REPLY_JOB, attempt: 1, data: { merchantId, conversationId: conversation.id, triggerMessageId: t.id } }),
        ),
      );
      expect(overlapped).toBe(false);
      const answered = Number((await tenant.conversations.getBotState(conversation.id)).answered);
      const bots = (await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "bot");
      // Every run that answered counted once; superseded runs answered nothing and counted nothing.
      expect(answered).toBe(bots.length);
      expect(bots.length).toBeGreaterThan(0);
    } finally {
      for (const c of clients) c.disconnect();
      await redis.stop();
    }
  });

  it("answers one conversation's messages one at a time, in order, even with queue concurrency", async () => {
    const active = new Map<string, number>();
    let overlapped = false;
    const bot = new ScriptedEngine(async function* (input) {
      const now = (active.get(input.conversationId) ?? 0) + 1;
      active.set(input.conversationId, now);
      if (now > 1) overlapped = true;
      try {
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
        const last = [...input.history].reverse().find((m) => m.role === "shopper")!;
        yield { type: "delta", text: `re: ${last.text}` };
      } finally {
        active.set(input.conversationId, (active.get(input.conversationId) ?? 1) - 1);
      }
    });
    queue.process(BOT_REPLY_JOB, createBotReplyHandler({ store, streams, emitter, conversations: service, bot, lock: new MemoryKeyedLock() }), { concurrency: 4 });
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    // Another conversation runs alongside: serialisation is per conversation only.
    const other = await tenant.conversations.create({ channel: "webchat", visitorId: "v2" });
    await service.shopperSend(merchantId, conversation.id, { clientMessageId: "a", text: "add the hijab" });
    await service.shopperSend(merchantId, conversation.id, { clientMessageId: "b", text: "add 2 green kaftans" });
    await service.shopperSend(merchantId, other.id, { clientMessageId: "c", text: "hello" });
    const answers = async (id: string) => (await tenant.messages.listAfter(id, 0)).filter((m) => m.role === "bot" && m.status === "complete");
    await waitFor(async () => (await answers(conversation.id)).length === 2 && (await answers(other.id)).length === 1, "three answers");
    expect((await answers(conversation.id)).map((m) => m.text)).toEqual(["re: add the hijab", "re: add 2 green kaftans"]);
    // Two runs over one conversation would read and save its bot state (the cart) over each other.
    expect(overlapped).toBe(false);
  });

  it("answers left streaming by a dead process are ended by the sweep with the text recorded; live ones are left alone", async () => {
    const { conversation } = await conversationWith("x");
    const orphan = (await tenant.messages.append(conversation.id, { role: "bot", text: "", status: "streaming" })).message;
    const abandoned = (await tenant.messages.append(conversation.id, { role: "bot", text: "", status: "streaming" })).message;
    const live = (await tenant.messages.append(conversation.id, { role: "bot", text: "", status: "streaming" })).message;
    await streams.start({ merchantId, conversationId: conversation.id, messageId: live.id, seq: live.seq });
    const gaveUp = await streams.start({ merchantId, conversationId: conversation.id, messageId: abandoned.id, seq: abandoned.seq });
    await gaveUp.append("so far");
    await gaveUp.abandon();
    const deps = { system: store.system, store, streams, conversations: service };
    expect(await sweepOrphanedStreams(deps, 0)).toBe(2);
    expect(await tenant.messages.get(orphan.id)).toMatchObject({ status: "stopped", text: "" });
    expect(await tenant.messages.get(abandoned.id)).toMatchObject({ status: "stopped", text: "so far" });
    expect((await tenant.messages.get(live.id))!.status).toBe("streaming");
    // Each ended answer reached the shopper and the inbox once; a second sweep finds nothing.
    expect(emitter.to(rooms.conversationShopper(merchantId, conversation.id), "message:done").map((e) => (e.payload as { message: Message }).message.id).sort()).toEqual([orphan.id, abandoned.id].sort());
    expect(await sweepOrphanedStreams(deps, 0)).toBe(0);
    expect(await endOrphanedStream(deps, { merchantId, conversationId: conversation.id, messageId: live.id })).toBeNull();
  });

  it("a final write the store refuses (busy) fails the job; its retry ends the answer with its text and never runs the engine again", async () => {
    let runs = 0;
    const blocker = new Database(dbFile);
    try {
      const bot = new ScriptedEngine(async function* () {
        runs += 1;
        yield { type: "delta", text: "Your order ships " };
        yield { type: "delta", text: "tomorrow" };
        // Another writer takes the database lock before the final answer is written.
        blocker.exec("BEGIN IMMEDIATE");
      });
      const { conversation, trigger } = await conversationWith("when does it ship?");
      const job = { merchantId, conversationId: conversation.id, triggerMessageId: trigger.id };
      const deps = { store, streams, emitter, conversations: service, bot };
      const failure = await runBotReply(deps, job).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(failure).toMatchObject({ code: "unavailable", fault: "busy" });
      blocker.exec("ROLLBACK");
      // Stored as streaming, the text kept by the registry, nothing final yet.
      const bots = async () => (await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "bot");
      expect((await bots()).map((m) => m.status)).toEqual(["streaming"]);

      expect(await runBotReply(deps, job)).toEqual({ message: null, outcome: "skipped" });
      expect(runs).toBe(1);
      expect(await bots()).toEqual([expect.objectContaining({ status: "stopped", text: "Your order ships tomorrow" })]);
      expect(await streams.partials(merchantId, conversation.id)).toEqual([]);
    } finally {
      if (blocker.inTransaction) blocker.exec("ROLLBACK");
      blocker.close();
    }
  });

});

describe("conversation service", () => {
  it("a repeated send stores one message and queues one answer", async () => {
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    const first = await service.shopperSend(merchantId, conversation.id, { clientMessageId: "same", text: "hello" });
    const again = await service.shopperSend(merchantId, conversation.id, { clientMessageId: "same", text: "hello" });
    expect(again).toEqual({ message: first.message, duplicate: true });
    expect(await queue.depth(BOT_REPLY_JOB)).toBe(1);
    expect(emitter.to(rooms.conversationShopper(merchantId, conversation.id), "message:new")).toHaveLength(1);
    expect(emitter.to(rooms.inbox(merchantId), "conversation:new")).toHaveLength(1);
  });

  it("the lastSeq given by open and resume stays below an answer still streaming, so resuming from it returns the final text", async () => {
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    await service.shopperSend(merchantId, conversation.id, { clientMessageId: "q", text: "question" });
    const answer = (await tenant.messages.append(conversation.id, { role: "bot", text: "", status: "streaming" })).message;
    const handle = await streams.start({ merchantId, conversationId: conversation.id, messageId: answer.id, seq: answer.seq });
    await handle.append("Half");

    const opened = await service.openForVisitor(merchantId, "v1", {});
    expect(opened.streaming).toEqual([{ messageId: answer.id, seq: answer.seq, text: "Half" }]);
    expect(opened.lastSeq).toBe(answer.seq - 1);
    const resumed = await service.resume(merchantId, conversation.id, 0, "shopper");
    expect(resumed.lastSeq).toBe(answer.seq - 1);

    // The answer finishes while the client is away; it resumes from the lastSeq it was given.
    await tenant.messages.update(answer.id, { text: "Half and whole", status: "complete" });
    await handle.finish();
    const back = await service.resume(merchantId, conversation.id, resumed.lastSeq, "shopper");
    expect(back.messages.map((m) => [m.id, m.text, m.status])).toEqual([[answer.id, "Half and whole", "complete"]]);
    expect(back.lastSeq).toBe(answer.seq);
  });

  it("refreshSummary pushes a conversation changed elsewhere to its merchant's inbox only", async () => {
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    await tenant.conversations.update(conversation.id, { labels: ["vip"] });
    await service.refreshSummary(merchantId, conversation.id);
    const sent = emitter.to(rooms.inbox(merchantId), "conversation:updated");
    expect(sent.map((s) => (s.payload as { conversation: { id: string; labels: string[] } }).conversation)).toMatchObject([{ id: conversation.id, labels: ["vip"] }]);
    const other = await store.createMerchant({ name: "Other" }, { email: `p${Math.random()}@x.io`, name: "P", role: "owner", passwordHash: "x" });
    await service.refreshSummary(other.merchant.id, conversation.id);
    expect(emitter.sent).toHaveLength(1);
  });

  it("notes go to watching agents only; state changes are system messages in the conversation's language", async () => {
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1", locale: "ar" });
    const note = await service.addNote(merchantId, agent(), conversation.id, { text: "private" });
    const shopperRoom = rooms.conversationShopper(merchantId, conversation.id);
    expect(emitter.to(shopperRoom).some((s) => (s.payload as { message?: Message }).message?.id === note.message.id)).toBe(false);
    expect(emitter.to(rooms.conversationWatchers(merchantId, conversation.id), "message:new")).toHaveLength(1);

    await service.takeover(merchantId, agent(), conversation.id);
    const view = emitter.to(shopperRoom, "conversation:updated").at(-1)!.payload;
    expect(view).toEqual({ conversationId: conversation.id, status: "human", agentName: "Sara" });
    const system = (await tenant.messages.listAfter(conversation.id, 0)).filter((m) => m.role === "system");
    expect(system.map((m) => m.text)).toEqual(["انضم Sara إلى المحادثة"]);
  });

  it("a handoff while no agent is online tells the shopper so, in their language", async () => {
    const presence = createMemoryPresence();
    try {
      const withPresence = new ConversationService({ store, events: new ConversationEventBus([socketListener(emitter)]), queue, streams, presence });
      const nobody = await tenant.conversations.create({ channel: "webchat", visitorId: "v-off", locale: "ar" });
      await withPresence.requestHuman(merchantId, nobody.id, "shopper", "requested");
      const offline = (await tenant.messages.listAfter(nobody.id, 0)).filter((m) => m.role === "system");
      expect(offline.at(-1)!.text).toContain("ما فيه أحد متصل الحين");

      await presence.online({ merchantId, agentId: ownerId, name: "Sara", socketId: "s1" });
      const someone = await tenant.conversations.create({ channel: "webchat", visitorId: "v-on", locale: "en" });
      await withPresence.requestHuman(merchantId, someone.id, "shopper", "requested");
      const online = (await tenant.messages.listAfter(someone.id, 0)).filter((m) => m.role === "system");
      expect(online.at(-1)!.text).toBe("Connecting you with a team member, one moment please");
    } finally {
      await presence.close();
    }
  });

  it("the state machine refuses impossible moves and is idempotent where it can be", async () => {
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    const other = await tenant.users.create({ email: `b${Math.random()}@x.io`, name: "Omar", role: "agent", passwordHash: "x" });
    expect((await service.requestHuman(merchantId, conversation.id, "shopper", "asked")).status).toBe("waiting_human");
    expect((await service.requestHuman(merchantId, conversation.id, "bot", "again")).status).toBe("waiting_human");
    expect((await service.takeover(merchantId, agent(), conversation.id)).assigneeId).toBe(ownerId);
    expect((await service.takeover(merchantId, agent(), conversation.id)).status).toBe("human");
    await expect(service.takeover(merchantId, { userId: other.id, name: "Omar" }, conversation.id)).rejects.toThrow(/already handled by Sara/);
    expect((await service.release(merchantId, agent(), conversation.id)).status).toBe("bot");
    expect((await service.close(merchantId, agent(), conversation.id)).status).toBe("closed");
    await expect(service.agentSend(merchantId, agent(), conversation.id, { clientMessageId: "z", text: "hi" })).rejects.toThrow(/closed/);
    await expect(service.requestHuman(merchantId, conversation.id, "shopper", "x")).rejects.toThrow(/closed/);
    // A shopper writing to a closed conversation reopens it for the bot.
    await service.shopperSend(merchantId, conversation.id, { clientMessageId: "back", text: "hello?" });
    expect((await service.get(merchantId, conversation.id)).status).toBe("bot");
    await expect(service.getForVisitor(merchantId, "someone-else", conversation.id)).rejects.toThrow(/not found/);
  });
});
