// The composition root: one function builds a process of any role from the config. Every port
// gets its embedded implementation, or its Redis/BullMQ one when REDIS_URL is set.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import {
  BOT_REPLY_JOB,
  ConfigError,
  ConversationService,
  MemoryRateLimiter,
  MemoryStreamRegistry,
  MemoryTokenBlacklist,
  Metrics,
  RedisCatalogEvents,
  RedisKeyedLock,
  RedisRateLimiter,
  RedisStreamRegistry,
  RedisTokenBlacklist,
  TokenService,
  createLogger,
  createMemoryPresence,
  createRedisPresence,
  hashPassword,
  openSqliteStore,
  publicBaseUrl,
  realtimeMetrics,
  rooms,
  seedDemoStore,
  subscribeCatalogChanges,
  asMerchantId,
  type BotEngine,
  type CatalogEvents,
  type Config,
  type JobQueue,
  type Logger,
  type PresenceStore,
  type RateLimiter,
  type RealtimeEmitter,
  type Store,
  type StreamRegistry,
  type TokenBlacklist,
} from "@kaleem/shared";
import { createHub, type Hub } from "@kaleem/hub";
import { createRestApp } from "@kaleem/rest";
import {
  BullJobQueue,
  CatalogSearch,
  embedderFromConfig,
  MemoryJobQueue,
  RedisRealtimeEmitter,
  createBotEngine,
  createBotReplyHandler,
  createRedisTokenBudget,
  defaultIntentClassifier,
  stopOrphanedStreams,
} from "@kaleem/workers";
import { createFrontendHandler } from "./static/frontend.js";

export interface StartOptions {
  /** Replaces the built-in bot engine (tests use a scripted one). */
  bot?: BotEngine;
  logger?: Logger;
  /** Seed the demo store when the store is empty (default: config.seedDemo). */
  seedDemo?: boolean;
  /** Print demo credentials to stdout (default true). */
  printCredentials?: boolean;
}

export interface KaleemInstance {
  /** Base URL of this process's HTTP server (http://127.0.0.1:PORT). */
  url: string;
  port: number;
  config: Config;
  store: Store;
  /** Present when this process runs the hub (role hub or all). */
  hub: Hub | null;
  conversations: ConversationService;
  emitter: RealtimeEmitter;
  queue: JobQueue;
  streams: StreamRegistry;
  logger: Logger;
  metrics: Metrics;
  /** Graceful: stop accepting, let in-flight requests and jobs finish, close everything. */
  close(): Promise<void>;
}

const BOT_CONCURRENCY = 8;

export async function startKaleem(config: Config, options: StartOptions = {}): Promise<KaleemInstance> {
  const role = config.role;
  const runsHub = role === "all" || role === "hub";
  const runsRest = role === "all" || role === "rest";
  const runsWorkers = role === "all" || role === "workers";
  if (role !== "all" && !config.redis) {
    throw new ConfigError(`Invalid configuration:\n  REDIS_URL: required when KALEEM_ROLE=${role} (roles reach each other through Redis)`);
  }

  const logger = options.logger ?? createLogger({ level: config.logLevel, name: `kaleem-${role}` });
  const metrics = new Metrics({ labels: { role } });
  const cleanups: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, "shutdown step failed");
      }
    }
  };

  try {
    // Said loudly so nobody believes their data is in MongoDB when it is not.
    for (const [name, set] of [["MONGODB_URL", config.mongo], ["QDRANT_URL", config.qdrant], ["S3_ENDPOINT", config.s3]] as const) {
      if (set) logger.warn(`${name} is set but its adapter is not implemented yet; using the embedded one`);
    }
    mkdirSync(config.dataDir, { recursive: true });
    const store = await openSqliteStore({ file: path.join(config.dataDir, "kaleem.db") });
    cleanups.push(() => store.close());

    let redis: Redis | null = null;
    let blacklist: TokenBlacklist;
    let rateLimiter: RateLimiter;
    let queue: JobQueue;
    let streams: StreamRegistry;
    let presence: PresenceStore;
    if (config.redis) {
      const { url, prefix } = config.redis;
      const main = new Redis(url, { lazyConnect: false });
      redis = main;
      cleanups.push(() => main.quit().then(() => undefined));
      blacklist = new RedisTokenBlacklist(main, prefix);
      rateLimiter = new RedisRateLimiter(main, prefix);
      queue = new BullJobQueue({ redisUrl: url, prefix: `${prefix}:bull` });
      streams = new RedisStreamRegistry(main, prefix);
      presence = createRedisPresence(main, prefix);
    } else {
      blacklist = new MemoryTokenBlacklist();
      rateLimiter = new MemoryRateLimiter();
      queue = new MemoryJobQueue();
      streams = new MemoryStreamRegistry();
      presence = createMemoryPresence();
    }
    cleanups.push(() => presence.close());
    cleanups.push(() => streams.close());
    // Queue closes before streams: running jobs finish (or stop) while their stream records exist.
    cleanups.push(() => queue.close());

    const tokens = new TokenService(config, blacklist);
    // The built-in offline embedding, or an OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set.
    const search = new CatalogSearch({ embedder: embedderFromConfig(config) });
    // Every process keeps its own search index; in a cluster, catalog writes reach them all.
    let catalogEvents: CatalogEvents = search;
    if (redis && config.redis) {
      catalogEvents = new RedisCatalogEvents(redis, config.redis.prefix, search, logger);
      const subscriber = redis.duplicate();
      const unsubscribe = await subscribeCatalogChanges(subscriber, config.redis.prefix, search, logger);
      cleanups.push(async () => {
        await unsubscribe();
        subscriber.disconnect();
      });
    }
    const server = http.createServer();
    server.keepAliveTimeout = 5_000;
    // Registered before the hub so that, closing in reverse, websockets are closed first and the
    // server then only waits for in-flight HTTP requests.
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeIdleConnections();
          // Keep-alive sockets with no request in flight would hold close() open.
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        }),
    );

    let hub: Hub | null = null;
    let emitter: RealtimeEmitter;
    let conversations: ConversationService;
    if (runsHub) {
      const pub = redis?.duplicate() ?? null;
      const sub = redis?.duplicate() ?? null;
      if (pub && sub) cleanups.push(() => void (pub.disconnect(), sub.disconnect()));
      hub = createHub({
        httpServer: server,
        config,
        store,
        queue,
        streams,
        presence,
        tokens,
        metrics,
        logger,
        redis: pub && sub && config.redis ? { pub, sub, prefix: config.redis.prefix } : null,
      });
      const h = hub;
      cleanups.push(() => h.close());
      emitter = hub.emitter;
      conversations = hub.conversations;
    } else {
      emitter = new RedisRealtimeEmitter(redis!, config.redis!.prefix, realtimeMetrics(metrics));
      conversations = new ConversationService({ store, emitter, queue, streams, metrics, logger, presence });
    }

    if (runsWorkers) {
      const bot =
        options.bot ??
        createBotEngine({
          classifier: defaultIntentClassifier(),
          search,
          config,
          metrics,
          logger,
          // Order look-up guesses are counted across conversations and processes.
          attempts: rateLimiter,
          // Several workers processes answer for the same merchant: the LLM budget is counted once.
          ...(redis && config.redis ? { tokenBudget: createRedisTokenBudget(redis, config.redis.prefix) } : {}),
        });
      queue.process(
        BOT_REPLY_JOB,
        createBotReplyHandler({
          store,
          streams,
          emitter,
          conversations,
          bot,
          metrics: realtimeMetrics(metrics),
          logger,
          // Several workers processes: one answer at a time per conversation across all of them.
          ...(redis && config.redis ? { lock: new RedisKeyedLock(redis, config.redis.prefix) } : {}),
        }),
        { concurrency: BOT_CONCURRENCY },
      );
      const orphans = await stopOrphanedStreams({ store, streams, conversations });
      if (orphans > 0) logger.warn({ orphans }, "ended answers left streaming by a previous run");
    }

    const rest = runsRest
      ? createRestApp({
          config,
          store,
          logger,
          metrics,
          blacklist,
          rateLimiter,
          productSearch: search,
          catalogEvents,
          realtime: {
            sessionRevoked: (tokenId) => emitter.disconnectRoom("inbox", rooms.token(tokenId)),
            userRemoved: (merchantId, userId) => emitter.disconnectRoom("inbox", rooms.agent(merchantId, userId)),
            widgetKeyRotated: (merchantId, oldKey) => emitter.disconnectRoom("widget", rooms.widgetKey(merchantId, oldKey)),
            conversationChanged: (merchantId, conversationId) => {
              conversations.refreshSummary(merchantId, conversationId).catch((err: unknown) => logger.warn({ err, conversationId }, "inbox summary not refreshed"));
            },
          },
          ...(redis ? { redisPing: async () => void (await redis.ping()) } : {}),
        })
      : null;
    const restHandler = rest?.callback() ?? null;
    const frontend = role === "all" ? createFrontendHandler({ store, dataDir: config.dataDir, logger }) : null;
    const ops = opsHandler({ store, metrics, redis });

    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      // Socket.IO answers its own path before this listener runs.
      if (req.url?.startsWith("/socket.io/")) return;
      void (async () => {
        if (restHandler) {
          if (frontend && (await frontend(req, res))) return;
          return restHandler(req, res);
        }
        if (await ops(req, res)) return;
        res.statusCode = 404;
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ error: { code: "not_found", message: "Route not found" } }));
      })().catch((err: unknown) => {
        logger.error({ err }, "request failed");
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
    });

    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.http.port, config.http.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;

    const seed = options.seedDemo ?? config.seedDemo;
    if (seed && runsRest && (await store.lookup.merchantIds()).length === 0) {
      const demo = await seedDemoStore(store, { origins: ownOrigins(config, port), hashPassword: (p) => hashPassword(p) });
      writeFileSync(path.join(config.dataDir, "demo.json"), JSON.stringify(demo, null, 2), { mode: 0o600 });
      if (options.printCredentials !== false) {
        const base = config.http.publicUrl ?? `http://localhost:${port}`;
        process.stdout.write(
          `\nKaleem demo store "${demo.storeName}" is ready\n  storefront: ${base}/\n  dashboard:  ${base}/dashboard/\n  login:      ${demo.email} / ${demo.password}\n  widget key: ${demo.widgetKey}\n  (saved in ${path.join(config.dataDir, "demo.json")})\n\n`,
        );
      }
    }

    if (runsRest) await refreshDemoOrigins(store, config, port, logger);

    logger.info({ role, url }, "kaleem started");
    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      config,
      store,
      hub,
      conversations,
      emitter,
      queue,
      streams,
      logger,
      metrics,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * The demo store lets the product's own origins embed its widget. A restart on another PORT (or
 * PUBLIC_URL) would otherwise leave the demo page refused by the hub's origin check.
 */
async function refreshDemoOrigins(store: Store, config: Config, port: number, logger: Logger): Promise<void> {
  const file = path.join(config.dataDir, "demo.json");
  if (!existsSync(file)) return;
  let merchantId: unknown;
  try {
    merchantId = (JSON.parse(readFileSync(file, "utf8")) as { merchantId?: unknown }).merchantId;
  } catch {
    return;
  }
  if (typeof merchantId !== "string") return;
  const tenant = store.forMerchant(asMerchantId(merchantId));
  try {
    const merchant = await tenant.merchant.get();
    const own = ownOrigins(config, port);
    const missing = own.filter((o) => !merchant.widget.allowedOrigins.includes(o));
    if (missing.length > 0) {
      await tenant.merchant.update({ widget: { allowedOrigins: [...merchant.widget.allowedOrigins, ...missing] } });
      logger.info({ added: missing }, "demo store now allows this server's origins");
    }
  } catch (err) {
    logger.warn({ err }, "demo store origins not refreshed");
  }
}

function ownOrigins(config: Config, port: number): string[] {
  return [...new Set([publicBaseUrl({ ...config, http: { ...config.http, port } }), `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
}

/** /healthz, /readyz and /metrics for roles without the REST app (which serves its own). */
function opsHandler(deps: { store: Store; metrics: Metrics; redis: Redis | null }) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || (url !== "/healthz" && url !== "/readyz" && url !== "/metrics")) return false;
    if (url === "/metrics") {
      const { contentType, body } = await deps.metrics.render();
      res.setHeader("Content-Type", contentType);
      res.end(body);
      return true;
    }
    const checks: Record<string, "ok" | "fail"> = {};
    if (url === "/readyz") {
      checks.store = await deps.store.ping().then(() => "ok" as const, () => "fail" as const);
      if (deps.redis) checks.redis = await deps.redis.ping().then(() => "ok" as const, () => "fail" as const);
    }
    const ready = Object.values(checks).every((c) => c === "ok");
    res.statusCode = ready ? 200 : 503;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: ready ? "ok" : "fail", ...(url === "/readyz" ? { checks } : {}) }));
    return true;
  };
}
