// The engine thread's side of the pool: parses each turn, runs it on the engine this thread
// built, and streams the events back. The ports that must stay shared with the rest of the
// process (order look-up attempts, the LLM token budget) are called on the main thread.
import type { MessagePort } from "node:worker_threads";
import { asMerchantId, type BotEngine, type BotEvent, type CatalogEvents, type Metrics, type RateLimiter, type RateLimitResult, type Store, type TokenBudget } from "@kaleem/shared";
import { fromThreadError } from "./engine-pool.js";
import { toThreadError, toThreadSchema, type FromThread } from "./protocol.js";

export interface RemotePorts {
  attempts: RateLimiter;
  tokenBudget: TokenBudget;
}

export interface ThreadEngine {
  engine: BotEngine;
  store: Store;
  /** This thread's search index (and knowledge index), told of every catalog write. */
  catalogEvents: CatalogEvents;
  metrics: Metrics;
  /** Closes what the thread opened (its store connection). */
  close(): Promise<void>;
}

/**
 * Serves turns on `port` (the thread's parentPort) once `build` has made the engine; "ready" is
 * posted then. A build that throws ends the thread with the error (the pool's start fails).
 */
export async function serveEngineThread(port: MessagePort, build: (remote: RemotePorts) => Promise<ThreadEngine>): Promise<void> {
  const send = (m: FromThread) => port.postMessage(m);
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextCall = 1;
  const call = (target: "attempts" | "budget", method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextCall++;
      calls.set(id, { resolve, reject });
      send({ type: "call", id, target, method, args });
    });
  const remote: RemotePorts = {
    attempts: { hit: async (key, limit, windowSeconds) => (await call("attempts", "hit", [key, limit, windowSeconds])) as RateLimitResult },
    tokenBudget: {
      used: async (merchantId, month) => Number(await call("budget", "used", [merchantId, month])),
      add: async (merchantId, month, tokens) => void (await call("budget", "add", [merchantId, month, tokens])),
    },
  };
  const running = new Map<number, AbortController>();
  let built: ThreadEngine | null = null;
  const pending: unknown[] = [];

  async function runTurn(m: Extract<ReturnType<typeof toThreadSchema.parse>, { type: "turn" }>, t: ThreadEngine): Promise<void> {
    const controller = new AbortController();
    running.set(m.id, controller);
    try {
      const store = t.store.forMerchant(asMerchantId(m.merchantId));
      const input = { store, conversationId: m.conversationId, history: m.history, locale: m.locale, ...(m.conversation ? { conversation: m.conversation } : {}) };
      // Events produced in one tick (a whole answer when nothing paces it) cross in one message:
      // a message per word would cost more than the word.
      let batch: BotEvent[] = [];
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        if (batch.length === 0) return;
        send({ type: "events", id: m.id, events: batch });
        batch = [];
      };
      try {
        for await (const event of t.engine.reply(input, controller.signal)) {
          if (controller.signal.aborted) break;
          batch.push(event);
          if (!scheduled) {
            scheduled = true;
            setImmediate(flush);
          }
        }
      } finally {
        flush();
      }
      send({ type: "end", id: m.id });
    } catch (err) {
      send({ type: "error", id: m.id, error: toThreadError(err) });
    } finally {
      running.delete(m.id);
    }
  }

  function handle(raw: unknown, t: ThreadEngine): void {
    const parsed = toThreadSchema.safeParse(raw);
    if (!parsed.success) {
      // A turn that does not parse is answered with an error, so the job does not wait forever.
      const id = typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "number" ? raw.id : null;
      if (id !== null && (raw as { type?: unknown }).type === "turn") {
        send({ type: "error", id, error: { name: "UnrecoverableError", message: `engine thread: malformed turn (${parsed.error.issues[0]?.path.join(".") ?? "?"})` } });
      }
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case "turn":
        void runTurn(m, t);
        return;
      case "abort":
        running.get(m.id)?.abort();
        return;
      case "products":
        t.catalogEvents.productsChanged(m.merchantId, m.productIds, m.removed);
        return;
      case "knowledge":
        t.catalogEvents.knowledgeChanged(m.merchantId);
        return;
      case "call-result": {
        const waiter = calls.get(m.id);
        calls.delete(m.id);
        if (!waiter) return;
        if (m.ok) waiter.resolve(m.value);
        else waiter.reject(fromThreadError(m.error ?? { name: "Error", message: "the main thread's call failed" }));
        return;
      }
      case "metrics":
        void t.metrics.registry.getMetricsAsJSON().then((metrics) => send({ type: "metrics", id: m.id, metrics }));
        return;
      case "close":
        for (const c of running.values()) c.abort();
        // In a worker thread process.exit ends this thread only.
        void t.close().finally(() => process.exit(0));
        return;
    }
  }

  // Messages that arrive while the engine is being built (a catalog change) are kept for it.
  port.on("message", (raw: unknown) => {
    if (built) handle(raw, built);
    else pending.push(raw);
  });
  built = await build(remote);
  for (const raw of pending.splice(0)) handle(raw, built);
  send({ type: "ready" });
}
