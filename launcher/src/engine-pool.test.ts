// The engine pool with its real thread entry (engine-thread.ts): each thread opens its own
// connection to the same SQLite file, builds its own search index, and is told of catalog and
// knowledge writes; order look-up attempts are counted on the main thread's limiter.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asMerchantId,
  createLogger,
  loadConfig,
  Metrics,
  noTracing,
  seedDemoStore,
  ServiceUnavailableError,
  type BotEngine,
  type BotEvent,
  type Config,
  type RateLimiter,
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import { createMemoryTokenBudget, MemoryRateLimiter } from "@kaleem/shared/adapters";
import { createBotEngine, defaultIntentClassifier, embeddedSearch, type EnginePool } from "@kaleem/workers";
import { createEnginePool, createStore } from "./factories.js";
import { Lifecycle } from "./lifecycle.js";

const silentLogger = createLogger({ level: "silent", name: "engine-pool-test" });

function configFor(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({}, { KALEEM_DATA_DIR: dataDir, LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0", BOT_ENGINE_THREADS: "2", ...env });
}

class CountingLimiter implements RateLimiter {
  readonly keys: string[] = [];
  private readonly inner = new MemoryRateLimiter();
  hit(key: string, limit: number, windowSeconds: number) {
    this.keys.push(key);
    return this.inner.hit(key, limit, windowSeconds);
  }
}

interface World {
  dir: string;
  config: Config;
  store: Store;
  tenant: TenantStore;
  lifecycle: Lifecycle;
  metrics: Metrics;
  attempts: CountingLimiter;
  pool: EnginePool;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-pool-"));
  const config = configFor(dir, env);
  const lifecycle = new Lifecycle(silentLogger);
  const metrics = new Metrics({ defaultMetrics: false });
  const ctx = { config, redis: null, logger: silentLogger, metrics, lifecycle, tracing: noTracing };
  const { store } = await createStore(ctx);
  const demo = await seedDemoStore(store, { origins: [], hashPassword: async () => "x" });
  const attempts = new CountingLimiter();
  const pool = createEnginePool(ctx, { attempts, tokenBudget: createMemoryTokenBudget() });
  await pool.ready;
  return { dir, config, store, tenant: store.forMerchant(asMerchantId(demo.merchantId)), lifecycle, metrics, attempts, pool };
}

async function closeWorld(w: World): Promise<void> {
  await w.lifecycle.close();
  rmSync(w.dir, { recursive: true, force: true });
}

/** Stores `text` as the shopper's next message and answers it with `engine`. */
async function ask(engine: BotEngine, tenant: TenantStore, conversationId: string, text: string, signal = new AbortController().signal): Promise<BotEvent[]> {
  await tenant.messages.append(conversationId, { role: "shopper", text });
  const history = await tenant.messages.listLatest(conversationId, 20);
  const events: BotEvent[] = [];
  for await (const event of engine.reply({ store: tenant, conversationId, history, locale: null }, signal)) events.push(event);
  return events;
}

const textOf = (events: BotEvent[]) => events.flatMap((e) => (e.type === "delta" ? [e.text] : [])).join("");
const parts = (events: BotEvent[]) => events.flatMap((e) => (e.type === "part" ? [e.part] : []));
const newConversation = async (tenant: TenantStore) => (await tenant.conversations.create({ channel: "webchat", visitorId: `v-${Math.random()}` })).id;

describe("engine pool (threads)", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await closeWorld(w);
  });

  it("answers as the engine on the main thread does", async () => {
    const local = createBotEngine({ classifier: defaultIntentClassifier(), search: embeddedSearch(), config: w.config, attempts: new MemoryRateLimiter() });
    // My own sentences: a delivery question, an Arabic greeting, a product search, a return question.
    for (const text of ["what does delivery to jeddah cost?", "السلام عليكم", "I want a black abaya", "can I send back a dress after a week?"]) {
      const mine = await ask(local, w.tenant, await newConversation(w.tenant), text);
      const pooled = await ask(w.pool, w.tenant, await newConversation(w.tenant), text);
      expect(textOf(pooled)).toBe(textOf(mine));
      expect(textOf(pooled).length).toBeGreaterThan(0);
      expect(parts(pooled)).toEqual(parts(mine));
      expect(pooled.find((e) => e.type === "intent")).toEqual(mine.find((e) => e.type === "intent"));
    }
    // Both threads took turns: the least busy one gets each turn, so a sequence may stay on one;
    // concurrent turns spread.
    const conversations = await Promise.all([1, 2, 3, 4].map(() => newConversation(w.tenant)));
    const answers = await Promise.all(conversations.map((c) => ask(w.pool, w.tenant, c, "how long does shipping to riyadh take?")));
    for (const a of answers) expect(textOf(a)).toMatch(/1.+2/);
    expect(w.pool.busy()).toEqual([0, 0]);
  });

  it("hears of catalog writes: a product created after the thread's index was built is found", async () => {
    const conversation = await newConversation(w.tenant);
    const before = await ask(w.pool, w.tenant, conversation, "do you sell a teal kayak paddle?");
    expect(parts(before).some((p) => p.type === "product_card" && p.name.includes("Kayak"))).toBe(false);
    const product = await w.tenant.products.create({ name: { en: "Teal Kayak Paddle", ar: "مجداف كاياك" }, description: { en: "A light carbon paddle", ar: "مجداف خفيف" }, price: 240, tags: ["sport"], attributes: { colour: "teal" } });
    w.pool.productsChanged(w.tenant.merchantId, [product.id], []);
    const after = await ask(w.pool, w.tenant, await newConversation(w.tenant), "do you sell a teal kayak paddle?");
    expect(parts(after).some((p) => p.type === "product_card" && p.productId === product.id)).toBe(true);
  });

  it("hears of knowledge writes: a changed delivery fee is quoted at once", async () => {
    const shipping = (await w.tenant.knowledge.all()).find((k) => k.data.kind === "shipping")!;
    expect(textOf(await ask(w.pool, w.tenant, await newConversation(w.tenant), "how much is delivery to riyadh?"))).toMatch(/25/);
    if (shipping.data.kind !== "shipping") throw new Error("seed changed");
    const zones = shipping.data.policy.zones.map((z) => (z.name.en === "Riyadh" ? { ...z, fee: 19 } : z));
    await w.tenant.knowledge.update(shipping.id, { data: { ...shipping.data, policy: { ...shipping.data.policy, zones } } });
    w.pool.knowledgeChanged(w.tenant.merchantId);
    expect(textOf(await ask(w.pool, w.tenant, await newConversation(w.tenant), "how much is delivery to riyadh?"))).toMatch(/19/);
  });

  it("counts order look-up attempts on the main thread's limiter", async () => {
    const conversation = await newConversation(w.tenant);
    const order = (await w.tenant.orders.list({}, { limit: 1 })).items[0]!;
    await ask(w.pool, w.tenant, conversation, `where is my order ${order.number}?`);
    expect(w.attempts.keys).toEqual([]);
    await ask(w.pool, w.tenant, conversation, "nobody@example.com");
    expect(w.attempts.keys).toContain(`bot-verify:${w.tenant.merchantId}:order:${order.number}`);
  });

  it("adds the threads' bot instruments to the process's /metrics", async () => {
    const body = (await w.metrics.render()).body;
    const answered = [...body.matchAll(/^bot_answers_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(answered).toBeGreaterThanOrEqual(8);
  });
});

describe("engine pool: stopping and failing", () => {
  let w: World;
  beforeAll(async () => {
    // Paced answers, so a turn is still running when the test stops it.
    w = await world({ BOT_STREAM_DELAY_MS: "150", BOT_ENGINE_THREADS: "1" });
  });
  afterAll(async () => {
    await closeWorld(w);
  });

  async function firstDeltaThen(act: () => void): Promise<{ events: BotEvent[]; error: unknown }> {
    const conversation = await newConversation(w.tenant);
    await w.tenant.messages.append(conversation, { role: "shopper", text: "what are your payment options?" });
    const history = await w.tenant.messages.listLatest(conversation, 20);
    const controller = new AbortController();
    const events: BotEvent[] = [];
    let error: unknown = null;
    try {
      for await (const event of w.pool.reply({ store: w.tenant, conversationId: conversation, history, locale: null }, controller.signal)) {
        events.push(event);
        if (event.type === "delta" && events.filter((e) => e.type === "delta").length === 1) act();
      }
    } catch (err) {
      error = err;
    }
    return { events, error };
  }

  it("stops a turn in its thread when the signal aborts", async () => {
    const conversation = await newConversation(w.tenant);
    await w.tenant.messages.append(conversation, { role: "shopper", text: "what are your payment options?" });
    const history = await w.tenant.messages.listLatest(conversation, 20);
    const controller = new AbortController();
    const deltas: string[] = [];
    for await (const event of w.pool.reply({ store: w.tenant, conversationId: conversation, history, locale: null }, controller.signal)) {
      if (event.type !== "delta") continue;
      deltas.push(event.text);
      controller.abort();
    }
    // The paced answer has many words; after the abort at most the one already in flight arrives.
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.length).toBeLessThanOrEqual(2);
    expect(w.pool.busy()).toEqual([0]);
  });

  it("fails the turns of a thread that dies as retryable, and starts another thread", async () => {
    const { events, error } = await firstDeltaThen(() => void w.pool.terminateThread(0));
    expect(events.some((e) => e.type === "delta")).toBe(true);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    const after = await ask(w.pool, w.tenant, await newConversation(w.tenant), "السلام عليكم");
    expect(textOf(after).length).toBeGreaterThan(0);
  });
});

describe("engine pool: start-up", () => {
  it("rejects `ready` when a thread cannot build its engine", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-pool-bad-"));
    try {
      // The data dir is a file: the thread's store cannot open.
      const notADir = path.join(dir, "file");
      mkdirSync(dir, { recursive: true });
      writeFileSync(notADir, "x");
      const lifecycle = new Lifecycle(silentLogger);
      const config = { ...configFor(path.join(dir, "data"), { BOT_ENGINE_THREADS: "1" }), dataDir: notADir };
      const ctx = { config, redis: null, logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }), lifecycle, tracing: noTracing };
      const pool = createEnginePool(ctx, { attempts: new MemoryRateLimiter(), tokenBudget: createMemoryTokenBudget() });
      await expect(pool.ready).rejects.toThrow();
      await lifecycle.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
