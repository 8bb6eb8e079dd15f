// What one bot answer costs the store, counted in SQL statements (a number, never a timing): the
// shopper's question on the demo store answered by the built-in engine through runBotReply, the
// way the queue runs it. The per-turn caches (conversation, merchant and settings read once, the
// knowledge index held between turns) are what keep the count down; BENCHMARKS.md has the before
// and after figures.
import { testStoreCrypto } from "@kaleem/shared/testing";
import { MemoryJobQueue, MemoryRateLimiter, MemoryStreamRegistry, createMemoryPresence, openSqliteStore, type SqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConversationEventBus, ConversationService, asMerchantId, seedDemoStore, socketListener, type RealtimeEmitter, type TenantStore } from "@kaleem/shared";
import { createBotEngine } from "../bot/engine/engine.js";
import { createIntentClassifier } from "../bot/intents/classifier.js";
import { embeddedSearch } from "../bot/search/embedded-search.js";
import { runBotReply } from "./bot-reply.js";

/**
 * The most statements one answer may run, after the shopper's message is stored (7 more), on a
 * warm store. Before the per-turn caches: 23 (policy) and 31 (product); see BENCHMARKS.md.
 */
const MAX_POLICY_ANSWER = 19;
const MAX_PRODUCT_ANSWER = 23;

const silent: RealtimeEmitter = { toWidget() {}, toInbox() {}, disconnectRoom() {} };
const classifier = createIntentClassifier();

let dir: string;
let store: SqliteStore;
let tenant: TenantStore;
let merchantId: string;
let service: ConversationService;
let queue: MemoryJobQueue;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-stmts-"));
  store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "db.sqlite") });
  const demo = await seedDemoStore(store, { origins: [], hashPassword: async () => "x" });
  merchantId = demo.merchantId;
  tenant = store.forMerchant(asMerchantId(merchantId));
  queue = new MemoryJobQueue();
  service = new ConversationService({ store, events: new ConversationEventBus([socketListener(silent)]), queue, streams: new MemoryStreamRegistry(), presence: createMemoryPresence() });
});
afterEach(async () => {
  await queue.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function countAnswer(engine: ReturnType<typeof createBotEngine>, conversationId: string, text: string, n: number) {
  const sendStart = store.statementsExecuted;
  const { message } = await service.shopperSend(merchantId, conversationId, { clientMessageId: `q${n}`, text });
  const send = store.statementsExecuted - sendStart;
  const seen: string[] = [];
  const before = store.statementsExecuted;
  store.traceStatements((sql) => seen.push(sql.replace(/\s+/g, " ").slice(0, 60)));
  const result = await runBotReply({ store, streams: new MemoryStreamRegistry(), emitter: silent, conversations: service, bot: engine }, { merchantId, conversationId, triggerMessageId: message.id });
  store.traceStatements(null);
  expect(result.outcome).toBe("complete");
  return { count: store.statementsExecuted - before, send, seen };
}

describe("statements per bot answer", () => {
  it(`stays at or under ${MAX_POLICY_ANSWER} for a policy question and ${MAX_PRODUCT_ANSWER} for a product question`, async () => {
    const search = embeddedSearch();
    const engine = createBotEngine({ attempts: new MemoryRateLimiter(), classifier, search, knowledge: search.knowledge, streamDelayMs: 0 });
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1", locale: "en" });
    // The first turns build the store's catalog and knowledge indexes; the figure is for the turns after.
    await countAnswer(engine, conversation.id, "how much is shipping?", 0);
    await countAnswer(engine, conversation.id, "do you have oud perfume?", 1);
    const policy = await countAnswer(engine, conversation.id, "how much is shipping?", 2);
    const product = await countAnswer(engine, conversation.id, "do you have oud perfume?", 3);
    // The statements themselves, for whoever has to find the next one to save.
    if (policy.count > MAX_POLICY_ANSWER || product.count > MAX_PRODUCT_ANSWER) console.log([...policy.seen, "--", ...product.seen].join("\n"));
    expect(policy.count).toBeLessThanOrEqual(MAX_POLICY_ANSWER);
    expect(product.count).toBeLessThanOrEqual(MAX_PRODUCT_ANSWER);
  });
});
