// The optional LLM phrasing, against a local OpenAI-compatible server: used when the merchant's
// budget allows, counted by usage, and replaced by the built-in phrasing whenever its output
// carries a figure or claim the facts do not.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Metrics, type BotEngine } from "@kaleem/shared";
import { createIntentClassifier, type IntentClassifier } from "../intents/classifier.js";
import { monthKey, type TokenBudget } from "@kaleem/shared";
import { createMemoryTokenBudget, MemoryRateLimiter } from "@kaleem/shared/adapters";
import { createChatClient } from "../llm/client.js";
import { startFakeLlmServer, type FakeLlmServer } from "../llm/test-server.test-helpers.js";
import { embeddedSearch } from "../search/embedded-search.js";
import { createBotEngine } from "./engine.js";
import { Chat, openTestShop, type TestShop } from "./fixture.test-helpers.js";

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = createIntentClassifier();
});

let server: FakeLlmServer;
let shop: TestShop;
let budget: TokenBudget;
let metrics: Metrics;
let engine: BotEngine;
let plain: BotEngine;

beforeEach(async () => {
  server = await startFakeLlmServer();
  shop = await openTestShop({ llmMonthlyTokenBudget: 1000 });
  budget = createMemoryTokenBudget();
  metrics = new Metrics({ defaultMetrics: false });
  const search = embeddedSearch();
  engine = createBotEngine({ attempts: new MemoryRateLimiter(),
    classifier,
    search,
    metrics,
    tokenBudget: budget,
    chatClient: createChatClient({ baseUrl: server.url, apiKey: null, model: "m", timeoutMs: 5000, maxRetries: 0 }),
  });
  plain = createBotEngine({ attempts: new MemoryRateLimiter(), classifier, search });
});
afterEach(async () => {
  await server.close();
  await shop.close();
});

async function builtIn(question: string): Promise<string> {
  return (await (await Chat.open(plain, shop.t)).say(question)).text;
}

const RETURNS_Q = "what is your return policy?";

describe("LLM phrasing", () => {
  it("streams the model's wording when it only restates the facts, and counts the tokens", async () => {
    const wording = ["You have ", "14 days to return unused items. ", "Refunds reach your original payment method within 7 days."];
    server.script({ kind: "stream", chunks: wording, usage: { prompt_tokens: 300, completion_tokens: 40, total_tokens: 340 } });
    const r = await (await Chat.open(engine, shop.t)).say(RETURNS_Q);
    expect(r.text).toBe(wording.join(""));
    const sent = server.requests[0]!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]!.role).toBe("system");
    expect(sent.messages[1]!.content).toContain(await builtIn(RETURNS_Q));
    expect(await budget.used(shop.t.merchantId, monthKey())).toBe(340);
    expect((await metrics.render()).body).toMatch(/bot_llm_answers_total\{outcome="used"\} 1/);
  });

  it("falls back to the built-in answer when the model states a wrong price", async () => {
    server.script({ kind: "stream", chunks: ["The Black Crepe Abaya is ", "only 150 SAR today!"] });
    const chat = await Chat.open(engine, shop.t);
    const r = await chat.say("how much is the black crepe abaya?");
    expect(r.text).not.toContain("150");
    expect(r.text).toBe(await builtIn("how much is the black crepe abaya?"));
    expect(r.text).toContain("189 SAR");
    expect(r.parts.some((p) => p.type === "product_card")).toBe(true);
    expect((await metrics.render()).body).toMatch(/bot_llm_answers_total\{outcome="rejected"\} 1/);
  });

  it("keeps checked sentences and completes with the built-in answer when a later sentence invents a discount", async () => {
    server.script({ kind: "stream", chunks: ["You can return items within 14 days. ", "Use code SAVE for a discount on your next order."] });
    const r = await (await Chat.open(engine, shop.t)).say(RETURNS_Q);
    expect(r.text).not.toMatch(/discount|SAVE/);
    expect(r.text.startsWith("You can return items within 14 days. ")).toBe(true);
    expect(r.text.endsWith(await builtIn(RETURNS_Q))).toBe(true);
  });

  it("does not call the model once the merchant's monthly budget is used up", async () => {
    await budget.add(shop.t.merchantId, monthKey(), 1000);
    const r = await (await Chat.open(engine, shop.t)).say(RETURNS_Q);
    expect(server.requests).toHaveLength(0);
    expect(r.text).toBe(await builtIn(RETURNS_Q));
  });

  it("does not call the model for merchants without a budget", async () => {
    await shop.t.merchant.update({ bot: { llmMonthlyTokenBudget: 0 } });
    await (await Chat.open(engine, shop.t)).say(RETURNS_Q);
    expect(server.requests).toHaveLength(0);
  });

  it("never lets the model phrase flow answers (cart, checkout)", async () => {
    const chat = await Chat.open(engine, shop.t);
    await chat.say(`add:${shop.products.musk!.id}`);
    expect(server.requests).toHaveLength(0);
  });

  it("falls back when the server fails", async () => {
    server.script({ kind: "status", status: 500 });
    const r = await (await Chat.open(engine, shop.t)).say(RETURNS_Q);
    expect(r.text).toBe(await builtIn(RETURNS_Q));
    expect((await metrics.render()).body).toMatch(/bot_llm_answers_total\{outcome="error"\} 1/);
  });

  it("stops cleanly when aborted while the model is streaming", async () => {
    server.script({ kind: "stall", chunks: ["You can return items within 14 days. "] });
    const chat = await Chat.open(engine, shop.t);
    const controller = new AbortController();
    chat.history.push({ id: "q", conversationId: chat.conversationId, seq: 1, role: "shopper", text: RETURNS_Q, parts: [], status: "complete", authorId: null, authorName: null, clientMessageId: null, intent: null, createdAt: new Date().toISOString() });
    const events = [];
    for await (const e of engine.reply({ store: shop.t, conversationId: chat.conversationId, history: chat.history, locale: null }, controller.signal)) {
      events.push(e);
      if (e.type === "delta") controller.abort();
    }
    expect(events.filter((e) => e.type === "delta")).toHaveLength(1);
    await expect.poll(() => server.openResponses()).toBe(0);
  });
});
