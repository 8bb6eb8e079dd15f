// The bot engine on threads of its own (embedded mode): the socket thread hands each turn to the
// least busy engine thread and streams the events back, so classifying, searching and phrasing
// an answer for one store never holds another shopper's first token. Each thread has its own
// store connection and search index; catalog and knowledge changes are told to every thread, and
// the ports that must stay shared (order look-up attempts, the LLM token budget) are called back
// on the main thread.
import { Worker } from "node:worker_threads";
import {
  RateLimitedError,
  ServiceUnavailableError,
  UnrecoverableError,
  type BotEngine,
  type BotEvent,
  type BotTurnInput,
  type CatalogEvents,
  type Logger,
  type RateLimiter,
  type TokenBudget,
} from "@kaleem/shared";
import { fromThreadSchema, REMOTE_CALLS, toThreadError, type FromThread, type ThreadError, type ToThread } from "./protocol.js";

export interface EnginePoolOptions {
  size: number;
  /** The thread's entry module (the composition root that builds the engine and calls serveEngineThread). */
  entry: URL;
  /** Given to every thread as workerData (structured-cloned: plain data only). */
  workerData: unknown;
  /** Node flags of the threads. */
  execArgv?: string[];
  /**
   * A module (a specifier resolved from the working directory) whose `register()` installs a
   * loader before the entry is imported: tsx's `tsx/esm/api` for a TypeScript entry run from the
   * sources; none for built JavaScript.
   */
  loader?: string;
  attempts: RateLimiter;
  tokenBudget: TokenBudget;
  logger: Logger;
  /** How long a thread may take to build its engine before the pool gives up on it. */
  startTimeoutMs?: number;
}

interface Turn {
  push(event: BotEvent): void;
  end(): void;
  fail(error: Error): void;
}

interface Slot {
  worker: Worker;
  exited: boolean;
  started: boolean;
  turns: Map<number, Turn>;
  metricsWaiters: Map<number, (metrics: unknown[]) => void>;
  ready: Promise<void>;
}

/** Errors come back by name, so the job retries or gives up as it would in one thread. */
export function fromThreadError(e: ThreadError): Error {
  if (e.name === "UnrecoverableError") return new UnrecoverableError(e.message);
  if (e.name === "RateLimitedError") return new RateLimitedError(e.retryAfterSeconds ?? 1, e.message);
  if (e.name === "ServiceUnavailableError" || e.name === "StoreUnavailableError") return new ServiceUnavailableError(e.message, e.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : {});
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

export class EnginePool implements BotEngine, CatalogEvents {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(private readonly options: EnginePoolOptions) {}

  /**
   * Starts every thread; `ready` settles once each has built its engine (a thread that cannot is
   * a start-up error: it rejects, and the caller closes the pool). Turns given before then wait.
   */
  static create(options: EnginePoolOptions): EnginePool {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`EnginePool: size must be a positive integer, got ${options.size}`);
    const pool = new EnginePool(options);
    for (let i = 0; i < options.size; i++) pool.slots.push(pool.spawn());
    pool.ready = Promise.all(pool.slots.map((s) => s.ready)).then(() => undefined);
    pool.ready.catch(() => {});
    return pool;
  }

  ready: Promise<void> = Promise.resolve();

  get size(): number {
    return this.slots.length;
  }

  /** Turns running now, per thread (for tests and the metrics of the caller). */
  busy(): number[] {
    return this.slots.map((s) => s.turns.size);
  }

  private spawn(): Slot {
    const { entry, loader } = this.options;
    const common = { workerData: this.options.workerData, execArgv: this.options.execArgv ?? [] };
    // A script (not a module) that installs the loader, then imports the entry with it.
    const worker = loader
      ? new Worker(`import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, { ...common, eval: true })
      : new Worker(entry, common);
    const slot: Slot = { worker, exited: false, started: false, turns: new Map(), metricsWaiters: new Map(), ready: Promise.resolve() };
    let markReady!: () => void;
    let failStart!: (err: Error) => void;
    slot.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Rejections of a thread that never becomes ready are the start-up's to report.
    slot.ready.catch(() => {});
    const startTimeoutMs = this.options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      failStart(new Error(`engine thread did not start within ${startTimeoutMs} ms`));
      // A thread stuck in its start is ended; its exit starts another.
      void worker.terminate();
    }, startTimeoutMs);
    timer.unref();
    worker.on("message", (raw: unknown) => {
      const parsed = fromThreadSchema.safeParse(raw);
      if (!parsed.success) {
        this.options.logger.error({ issues: parsed.error.issues.slice(0, 3) }, "engine thread sent a malformed message; ignored");
        return;
      }
      const m = parsed.data;
      if (m.type === "ready") {
        slot.started = true;
        clearTimeout(timer);
        markReady();
        return;
      }
      this.onMessage(slot, m);
    });
    worker.on("error", (err) => {
      this.options.logger.error({ err }, "engine thread failed");
      if (!slot.started) failStart(err);
    });
    worker.on("exit", (code) => {
      slot.exited = true;
      clearTimeout(timer);
      if (!slot.started) failStart(new Error(`engine thread exited with code ${code} before it was ready`));
      // Its turns cannot finish: they fail as retryable, so the job runs them again elsewhere.
      for (const turn of slot.turns.values()) turn.fail(new ServiceUnavailableError("the engine thread answering this turn stopped", { retryAfterSeconds: 1 }));
      slot.turns.clear();
      for (const waiter of slot.metricsWaiters.values()) waiter([]);
      slot.metricsWaiters.clear();
      const i = this.slots.indexOf(slot);
      if (i === -1 || this.closing) return;
      this.options.logger.warn({ code }, "engine thread exited; starting another");
      this.slots[i] = this.spawn();
    });
    return slot;
  }

  private onMessage(slot: Slot, m: Exclude<FromThread, { type: "ready" }>): void {
    switch (m.type) {
      case "events": {
        const turn = slot.turns.get(m.id);
        for (const event of m.events) turn?.push(event as BotEvent);
        return;
      }
      case "end":
        slot.turns.get(m.id)?.end();
        slot.turns.delete(m.id);
        return;
      case "error":
        slot.turns.get(m.id)?.fail(fromThreadError(m.error));
        slot.turns.delete(m.id);
        return;
      case "call":
        void this.call(m.target, m.method, m.args).then(
          (value) => this.post(slot, { type: "call-result", id: m.id, ok: true, value }),
          (err: unknown) => this.post(slot, { type: "call-result", id: m.id, ok: false, error: toThreadError(err) }),
        );
        return;
      case "metrics": {
        const waiter = slot.metricsWaiters.get(m.id);
        slot.metricsWaiters.delete(m.id);
        waiter?.(m.metrics);
        return;
      }
    }
  }

  /** The shared ports, by name; only the methods REMOTE_CALLS lists may be called. */
  private async call(target: keyof typeof REMOTE_CALLS, method: string, args: unknown[]): Promise<unknown> {
    if (!(REMOTE_CALLS[target] as readonly string[]).includes(method)) throw new UnrecoverableError(`engine thread asked for ${target}.${method}, which is not shared`);
    if (target === "attempts") {
      const [key, limit, windowSeconds] = args;
      if (typeof key !== "string" || typeof limit !== "number" || typeof windowSeconds !== "number") throw new UnrecoverableError("attempts.hit: bad arguments");
      return this.options.attempts.hit(key, limit, windowSeconds);
    }
    const [merchantId, month, tokens] = args;
    if (typeof merchantId !== "string" || typeof month !== "string") throw new UnrecoverableError(`budget.${method}: bad arguments`);
    if (method === "used") return this.options.tokenBudget.used(merchantId, month);
    if (typeof tokens !== "number") throw new UnrecoverableError("budget.add: bad arguments");
    return this.options.tokenBudget.add(merchantId, month, tokens);
  }

  private post(slot: Slot, message: ToThread): void {
    slot.worker.postMessage(message);
  }

  /** The started thread with the fewest turns; a thread still starting (a replacement) only when none has. */
  private leastBusy(): Slot {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.started && (!best || s.turns.size < best.turns.size)) best = s;
    if (best) return best;
    for (const s of this.slots) if (!best || s.turns.size < best.turns.size) best = s;
    return best!;
  }

  reply(input: BotTurnInput, signal: AbortSignal): AsyncIterable<BotEvent> {
    return { [Symbol.asyncIterator]: () => this.run(input, signal) };
  }

  private async *run(input: BotTurnInput, signal: AbortSignal): AsyncGenerator<BotEvent> {
    if (this.closing) throw new ServiceUnavailableError("the engine pool is closing", { retryAfterSeconds: 1 });
    const slot = this.leastBusy();
    await slot.ready;
    const id = this.nextId++;
    const queue: BotEvent[] = [];
    let finished = false;
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    slot.turns.set(id, {
      push: (event) => {
        queue.push(event);
        notify();
      },
      end: () => {
        finished = true;
        notify();
      },
      fail: (error) => {
        failure = error;
        finished = true;
        notify();
      },
    });
    const onAbort = () => this.post(slot, { type: "abort", id });
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      this.post(slot, {
        type: "turn",
        id,
        merchantId: input.store.merchantId,
        conversationId: input.conversationId,
        history: input.history,
        locale: input.locale,
        ...(input.conversation ? { conversation: input.conversation } : {}),
      });
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      while (queue.length > 0) yield queue.shift()!;
      if (failure) throw failure;
    } finally {
      signal.removeEventListener("abort", onAbort);
      // A consumer that stopped early (its own abort, a takeover) leaves nothing running.
      if (slot.turns.delete(id)) this.post(slot, { type: "abort", id });
    }
  }

  /** Ends thread `index` as a crash would (tests of the recovery path); another one starts. */
  async terminateThread(index: number): Promise<void> {
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`no engine thread ${index}`);
    await slot.worker.terminate();
  }

  productsChanged(merchantId: string, productIds: string[], removed: string[]): void {
    for (const s of this.slots) this.post(s, { type: "products", merchantId, productIds, removed });
  }

  knowledgeChanged(merchantId: string): void {
    for (const s of this.slots) this.post(s, { type: "knowledge", merchantId });
  }

  /**
   * Each thread's own instruments (prom-client JSON), for the process's /metrics to aggregate. A
   * thread that does not answer within 2 s (busy with a long turn) is left out of this scrape.
   */
  async threadMetrics(): Promise<unknown[][]> {
    return Promise.all(
      this.slots.map(
        (s) =>
          new Promise<unknown[]>((resolve) => {
            const id = this.nextId++;
            const timer = setTimeout(() => {
              s.metricsWaiters.delete(id);
              resolve([]);
            }, 2_000);
            s.metricsWaiters.set(id, (metrics) => {
              clearTimeout(timer);
              resolve(metrics);
            });
            this.post(s, { type: "metrics", id });
          }),
      ),
    );
  }

  /** Asks each thread to close its store and end; one that has not within 5 s is terminated. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.exited) return;
        const exited = new Promise<void>((resolve) => s.worker.once("exit", () => resolve()));
        this.post(s, { type: "close" });
        const timer = setTimeout(() => void s.worker.terminate(), 5_000);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}
