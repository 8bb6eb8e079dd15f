// Issue 15, item 2, as the attack run did it: the real embedded product, real sockets from several
// loopback addresses (127.0.0.x), one store flooding its widget while a shopper of another store
// waits for the bot. The bot is slow for the flooding store (its answers hang until the other
// store's shopper has been answered, like a slow model under load): before per-store fairness the
// flood's answers held every bot slot and the other shopper was never answered.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, BOT_REPLY_JOB, type Ack, type BotEngine, type BotEvent, type ConversationOpenResult, type Message } from "@kaleem/shared";
import {
  closeAllClients,
  connected,
  createMerchant,
  nextEvent,
  ok,
  refusalOf,
  refusedWith,
  startTestKaleem,
  until,
  widgetClient,
  type TestKaleem,
  type TestMerchant,
} from "./realtime.test-helpers.js";

/** Answers at once, except for the flooding store, whose answers wait for `release()`. */
class GatedBot implements BotEngine {
  private open!: () => void;
  readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  slowMerchantId = "";
  release(): void {
    this.open();
  }
  async *reply(input: Parameters<BotEngine["reply"]>[0], signal: AbortSignal): AsyncIterable<BotEvent> {
    yield { type: "intent", intent: "other", confidence: 1 };
    if (input.store.merchantId === this.slowMerchantId) {
      await Promise.race([this.gate, new Promise((r) => signal.addEventListener("abort", r, { once: true }))]);
      if (signal.aborted) return;
    }
    yield { type: "delta", text: "Happy to help." };
  }
}

const ADDRESSES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
const MESSAGES_PER_IP = 30;
const MESSAGES_PER_STORE = 100;

let t: TestKaleem;
let bot: GatedBot;
let flooding: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  bot = new GatedBot();
  t = await startTestKaleem({
    bot,
    env: {
      WIDGET_CONNECTS_PER_MINUTE_PER_IP: "100",
      WIDGET_MESSAGES_PER_MINUTE_PER_IP: String(MESSAGES_PER_IP),
      WIDGET_MESSAGES_PER_MINUTE_PER_STORE: String(MESSAGES_PER_STORE),
      WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP: "100",
    },
  });
  flooding = await createMerchant(t.k);
  other = await createMerchant(t.k);
  bot.slowMerchantId = flooding.merchantId;
});
afterEach(() => closeAllClients());
afterAll(async () => {
  bot?.release();
  await t?.close();
});

describe("a widget flood from one store", () => {
  it("is refused past the per-address and per-store budgets (40 sockets × 12 messages), and another store's shopper is still answered", async () => {
    const sockets = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const from = ADDRESSES[i % ADDRESSES.length]!;
        const socket = widgetClient(t.k.url, flooding.widgetKey, { from });
        await connected(socket);
        await ok<ConversationOpenResult>(socket, "conversation:open", {});
        return { socket, from };
      }),
    );
    const acks = await Promise.all(
      sockets.flatMap(({ socket, from }, i) =>
        Array.from({ length: 12 }, async (_, n) => ({
          from,
          ack: (await socket.timeout(20_000).emitWithAck("message:send", { clientMessageId: `flood-${i}-${n}`, text: `flood ${i} ${n}` })) as Ack<{ message: Message }>,
        })),
      ),
    );
    const accepted = acks.filter((a) => a.ack.ok);
    const refused = acks.filter((a) => !a.ack.ok);
    // The store's budget bounds what got in; no address got more than its own.
    expect(accepted.length).toBeLessThanOrEqual(MESSAGES_PER_STORE);
    for (const address of ADDRESSES) expect(accepted.filter((a) => a.from === address).length).toBeLessThanOrEqual(MESSAGES_PER_IP);
    expect(refused.length).toBeGreaterThanOrEqual(480 - MESSAGES_PER_STORE);
    for (const { ack } of refused) {
      expect(ack.ok ? null : ack.error.code).toBe("rate_limited");
      expect(ack.ok ? 0 : ack.error.retryAfterSeconds).toBeGreaterThan(0);
    }
    const stored = await t.k.store.forMerchant(asMerchantId(flooding.merchantId)).conversations.list({}, { limit: 100 });
    const shopperMessages = (await Promise.all(stored.items.map((c) => t.k.store.forMerchant(asMerchantId(flooding.merchantId)).messages.listAfter(c.id, 0)))).flat().filter((m) => m.role === "shopper");
    expect(shopperMessages).toHaveLength(accepted.length);

    // While the flooding store's answers are stuck, a shopper of another store asks and is answered.
    const shopper = widgetClient(t.k.url, other.widgetKey, { from: "127.0.0.9" });
    await connected(shopper);
    await ok(shopper, "conversation:open", {});
    const answer = nextEvent<{ message: Message }>(shopper, "message:done", (p) => p.message.role === "bot");
    await ok(shopper, "message:send", { clientMessageId: "other-1", text: "do you deliver to Riyadh?" });
    expect((await answer).message).toMatchObject({ role: "bot", status: "complete", text: "Happy to help." });

    // The flooding store's own shoppers are answered too once its answers move again.
    bot.release();
    const firstFlooder = accepted[0]!.ack;
    const conversationId = firstFlooder.ok ? firstFlooder.data.message.conversationId : "";
    await until(async () => (await t.k.store.forMerchant(asMerchantId(flooding.merchantId)).messages.listAfter(conversationId, 0)).some((m) => m.role === "bot"), "an answer on the flooding store");
  }, 60_000);
});

describe("anonymous connects and conversations", () => {
  it("300 anonymous connects create no conversation; the visitor's first message creates exactly one", async () => {
    const shop = await createMerchant(t.k);
    const opened: ReturnType<typeof widgetClient>[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const sockets = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const socket = widgetClient(t.k.url, shop.widgetKey, { from: `127.0.1.${1 + ((batch * 50 + i) % 6)}` });
          await connected(socket);
          const open = await ok<ConversationOpenResult>(socket, "conversation:open", {});
          expect(open.conversationId).toBeNull();
          expect(open.visitorToken).toBeTruthy();
          return socket;
        }),
      );
      opened.push(...sockets);
    }
    const tenant = t.k.store.forMerchant(asMerchantId(shop.merchantId));
    expect((await tenant.conversations.list()).items).toHaveLength(0);

    // Two messages sent at once by one visitor land in the one conversation their first one created.
    const first = opened[0]!;
    const [a, b] = await Promise.all([
      ok<{ message: Message }>(first, "message:send", { clientMessageId: "first-1", text: "hello" }),
      ok<{ message: Message }>(first, "message:send", { conversationId: null, clientMessageId: "first-2", text: "anyone there?" }),
    ]);
    expect(a.message.conversationId).toBe(b.message.conversationId);
    const listed = (await tenant.conversations.list()).items;
    expect(listed.map((c) => c.id)).toEqual([a.message.conversationId]);
    // Opening again now returns that conversation (older clients keep working from here).
    expect((await ok<ConversationOpenResult>(first, "conversation:open", {})).conversationId).toBe(a.message.conversationId);
  }, 60_000);

  it("connects past an address's budget are refused with rate_limited and a retry-after; other addresses still connect", async () => {
    const limited = await startTestKaleem({ env: { WIDGET_CONNECTS_PER_MINUTE_PER_IP: "5" } });
    try {
      const shop = await createMerchant(limited.k);
      for (let i = 0; i < 5; i++) await connected(widgetClient(limited.k.url, shop.widgetKey, { from: "127.0.0.20" }));
      const refusal = await refusedWith(widgetClient(limited.k.url, shop.widgetKey, { from: "127.0.0.20" }));
      expect(refusal.code).toBe("rate_limited");
      expect(refusal.retryAfterSeconds).toBeGreaterThan(0);
      // Unknown keys count against the address too: a key-guessing flood is no cheaper.
      expect((await refusedWith(widgetClient(limited.k.url, "wk_guess", { from: "127.0.0.20" }))).code).toBe("rate_limited");
      await connected(widgetClient(limited.k.url, shop.widgetKey, { from: "127.0.0.21" }));
    } finally {
      closeAllClients();
      await limited.close();
    }
  });

  it("a store's connect budget is shared by all addresses and leaves other stores alone", async () => {
    const limited = await startTestKaleem({ env: { WIDGET_CONNECTS_PER_MINUTE_PER_STORE: "8" } });
    try {
      const busy = await createMerchant(limited.k);
      const calm = await createMerchant(limited.k);
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => connected(widgetClient(limited.k.url, busy.widgetKey, { from: ADDRESSES[i % ADDRESSES.length]! }))),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(8);
      for (const r of results) if (r.status === "rejected") expect(refusalOf(r.reason as Error).code).toBe("rate_limited");
      await connected(widgetClient(limited.k.url, calm.widgetKey, { from: ADDRESSES[0]! }));
    } finally {
      closeAllClients();
      await limited.close();
    }
  });

  it("new conversations past an address's budget are refused before anything is stored", async () => {
    const limited = await startTestKaleem({ env: { WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP: "3" } });
    try {
      const shop = await createMerchant(limited.k);
      const acks: Array<Ack<{ message: Message }>> = [];
      for (let i = 0; i < 5; i++) {
        const socket = widgetClient(limited.k.url, shop.widgetKey, { from: "127.0.0.30" });
        await connected(socket);
        await ok(socket, "conversation:open", {});
        acks.push((await socket.timeout(10_000).emitWithAck("message:send", { clientMessageId: `c${i}`, text: "hi" })) as Ack<{ message: Message }>);
      }
      expect(acks.map((a) => (a.ok ? "ok" : a.error.code))).toEqual(["ok", "ok", "ok", "rate_limited", "rate_limited"]);
      expect((await limited.k.store.forMerchant(asMerchantId(shop.merchantId)).conversations.list()).items).toHaveLength(3);
      // Another address starts its conversation.
      const elsewhere = widgetClient(limited.k.url, shop.widgetKey, { from: "127.0.0.31" });
      await connected(elsewhere);
      await ok(elsewhere, "message:send", { clientMessageId: "e1", text: "hi" });
    } finally {
      closeAllClients();
      await limited.close();
    }
  });

  it("a store with too many unanswered messages refuses new widget messages until the bot catches up", async () => {
    const gated = new GatedBot();
    const limited = await startTestKaleem({ bot: gated, env: { BOT_MAX_PENDING_PER_STORE: "3" } });
    try {
      const shop = await createMerchant(limited.k);
      gated.slowMerchantId = shop.merchantId;
      const socket = widgetClient(limited.k.url, shop.widgetKey);
      await connected(socket);
      const acks: Array<Ack<{ message: Message }>> = [];
      for (let i = 0; i < 5; i++) acks.push((await socket.timeout(10_000).emitWithAck("message:send", { clientMessageId: `p${i}`, text: `question ${i}` })) as Ack<{ message: Message }>);
      expect(acks.map((a) => (a.ok ? "ok" : a.error.code))).toEqual(["ok", "ok", "ok", "rate_limited", "rate_limited"]);
      const refused = acks[3]!;
      expect(refused.ok ? "" : refused.error.message).toMatch(/answering many shoppers/);
      const conversationId = acks[0]!.ok ? acks[0]!.data.message.conversationId : "";
      const tenant = limited.k.store.forMerchant(asMerchantId(shop.merchantId));
      expect((await tenant.messages.listAfter(conversationId, 0)).filter((m) => m.role === "shopper")).toHaveLength(3);
      gated.release();
      await until(async () => (await limited.k.queue.groupDepth(BOT_REPLY_JOB, shop.merchantId)) === 0, "the backlog drained");
      expect((await socket.timeout(10_000).emitWithAck("message:send", { clientMessageId: "p-after", text: "and now?" })) as Ack<unknown>).toMatchObject({ ok: true });
    } finally {
      gated.release();
      closeAllClients();
      await limited.close();
    }
  });
});
