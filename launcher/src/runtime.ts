// The composition root: builds a process of any role from the validated config. The factories
// (factories.ts) choose one adapter per port; the role wiring (roles.ts) connects the packages to
// what they built; this file only says in which order, because some parts need others first
// (the conversation service needs the emitter, which a hub process gets from its socket server).
import type http from "node:http";
import {
  ConversationEventBus,
  ConversationService,
  Metrics,
  AttachmentService,
  TokenService,
  createLogger,
  fanOutCatalogEvents,
  searchMetrics,
  socketListener,
  outgoingWebhooksListener,
  type BotEngine,
  type Config,
  type JobQueue,
  type Logger,
  type ObjectStore,
  type PresenceStore,
  type RealtimeEmitter,
  type Store,
  type StreamRegistry,
} from "@kaleem/shared";
import { VisitorTokens, createSocketServer, type Hub } from "@kaleem/hub";
import { CatalogSearch, CatalogVectorIndexer } from "@kaleem/workers";
import { refreshDemoOrigins, seedDemoIfEmpty } from "./demo.js";
import {
  checkRoleDependencies,
  createAttemptThrottle,
  createChannelProviders,
  createCommerceProviders,
  createMailer,
  connectRedis,
  createCatalogEvents,
  createEmbedder,
  createKeyedLock,
  createObjectStore,
  createPresence,
  createQueue,
  createRateLimiter,
  createRemoteEmitter,
  createTracing,
  withEmitTracing,
  createSocketAdapterClients,
  createStore,
  createReadCache,
  createStreamRegistry,
  createTokenBlacklist,
  createTokenBudget,
  createEnginePool,
  createVectorIndex,
  createVectorJobRequests,
  type FactoryContext,
} from "./factories.js";
import { createHttpServer, listen, opsHandler, routeRequests } from "./http-server.js";
import { Lifecycle } from "./lifecycle.js";
import { wireHub, wireRest, wireWorkers, type ProcessPorts } from "./roles.js";
import { checkRedisEviction } from "./cluster-checks.js";
import { createFrontendHandler } from "./static/frontend.js";

/**
 * How long routine `conversation:updated` summaries are held per conversation: short enough that a
 * list moves as the answer lands, long enough that one answer's three summaries become one.
 */
const SUMMARY_WINDOW_MS = 40;

export interface StartOptions {
  /** Replaces the built-in bot engine (tests use a scripted one). */
  bot?: BotEngine;
  logger?: Logger;
  /** Seed the demo store when the store is empty (default: config.seedDemo). */
  seedDemo?: boolean;
  /** Print demo credentials to stdout (default true). */
  printCredentials?: boolean;
  /**
   * Tests only, and only in code (no variable sets it): S3_ENDPOINT is s3rver, which has no access
   * control, so the MinIO store's refusal of a server that serves anonymous requests is skipped.
   */
  s3TestServerWithoutAccessControl?: boolean;
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
  /** Who is online and what they watch (in memory, or Redis in a cluster). */
  presence: PresenceStore;
  emitter: RealtimeEmitter;
  queue: JobQueue;
  streams: StreamRegistry;
  /** Media of every merchant (served by this process's /media handler when it runs REST). */
  objects: ObjectStore;
  logger: Logger;
  metrics: Metrics;
  /** Graceful: stop accepting, let in-flight requests and jobs finish, close everything. */
  close(): Promise<void>;
}

export async function startKaleem(config: Config, options: StartOptions = {}): Promise<KaleemInstance> {
  const role = config.role;
  const runsHub = role === "all" || role === "hub";
  const runsRest = role === "all" || role === "rest";
  const runsWorkers = role === "all" || role === "workers";

  const logger = options.logger ?? createLogger({ level: config.logLevel, name: `kaleem-${role}` });
  checkRoleDependencies(config, logger);
  const metrics = new Metrics({ labels: { role } });
  const lifecycle = new Lifecycle(logger);
  // First, so it closes last: the spans of everything else's shutdown are flushed.
  const tracing = await createTracing({ config, lifecycle });

  try {
    // ---- ports: one factory each, in the order they close in reverse ----
    const { store: storeEngineOnly, system } = await createStore({ config, redis: null, logger, metrics, lifecycle, tracing });
    const redis = connectRedis(config, lifecycle);
    // Before anything queues a job or records a stream: an evicting Redis would lose them.
    if (redis) await checkRedisEviction(redis);
    const ctx: FactoryContext = { config, redis, logger, metrics, lifecycle, tracing };
    // From here on every role holds the store whose merchant writes invalidate the cached profiles.
    const { store, profiles: merchantProfiles } = await createReadCache(ctx, storeEngineOnly);
    const presence = createPresence(ctx);
    const streams = createStreamRegistry(ctx);
    const rateLimiter = createRateLimiter(ctx);
    const tokenBudget = createTokenBudget(ctx);
    // The engine threads (embedded mode) open their own store connection, so after the store; and
    // before the queue, so they close after it: running answers finish first. They start while
    // the rest is built and are waited for before the workers role is wired.
    const enginePool = runsWorkers && !options.bot && config.bot.engineThreads > 0 ? createEnginePool(ctx, { attempts: rateLimiter, tokenBudget }) : null;
    // The queue closes before the stream records: running jobs finish (or stop) while those exist.
    const queue = createQueue(ctx);
    const blacklist = createTokenBlacklist(ctx);
    const tokens = new TokenService(config, blacklist);
    // Every process keeps its own lexical index; catalog writes reach them all. Vectors live in
    // this process too (embedded), or in Qdrant, written once by the catalog-index job.
    const embedder = createEmbedder(ctx);
    const { vectors, shared } = await createVectorIndex(ctx, embedder);
    const vectorJobs = createVectorJobRequests(ctx, store, shared);
    const search = new CatalogSearch({
      embedder,
      vectors,
      vectorWriter: shared ? "index-job" : "search",
      ...(vectorJobs ? { requestReindex: (merchantId: string) => vectorJobs.requestReindex(merchantId) } : {}),
      logger: logger.child({ component: "search" }),
      metrics: searchMetrics(metrics),
    });
    // The engine threads keep search indexes of their own: every catalog change reaches them too.
    const catalogEvents = await createCatalogEvents(ctx, enginePool ? fanOutCatalogEvents(search, enginePool) : search, vectorJobs);
    const vectorIndexer = shared ? new CatalogVectorIndexer({ store, embedder, vectors }) : null;
    const { objects, mediaHandler } = await createObjectStore(ctx, { testServerWithoutAccessControl: options.s3TestServerWithoutAccessControl === true });
    const channels = createChannelProviders(ctx);
    const commerce = createCommerceProviders(ctx);

    // ---- realtime: the hub's own emitter, or the Redis one in processes without sockets ----
    const server = createHttpServer(lifecycle);
    const sockets = runsHub ? createSocketServer({ httpServer: server, config, store, merchantProfiles, metrics, redis: createSocketAdapterClients(ctx) }) : null;
    const emitter = withEmitTracing(sockets ? sockets.emitter : createRemoteEmitter(ctx), ctx);
    // Sockets first; outgoing webhooks after them (a slow store never delays what people see).
    // Routine inbox summaries are coalesced per conversation: one per answer instead of three.
    const socketEvents = socketListener(emitter, { summaryWindowMs: SUMMARY_WINDOW_MS });
    lifecycle.onClose("held inbox summaries", () => socketEvents.flush());
    const events = new ConversationEventBus([socketEvents, outgoingWebhooksListener(store)], logger);
    const conversations = new ConversationService({ store, events, queue, streams, presence, metrics, logger, maxPendingBotAnswers: config.bot.maxPendingPerStore });

    const attachments = new AttachmentService({ store, objects, logger });
    const ports: ProcessPorts = { config, store, merchantProfiles, queue, streams, presence, blacklist, rateLimiter, tokens, search, catalogEvents, vectorIndexer, objects, attachments, channels, commerce, emitter, conversations, metrics, logger, lifecycle, tracing };

    // ---- roles ----
    const hub = sockets ? wireHub(ports, sockets, new VisitorTokens(config.secrets.visitorTokenSecret, { ttlSeconds: config.visitorTokens.ttlSeconds })) : null;
    if (runsWorkers) {
      await enginePool?.ready;
      const bot = options.bot ?? enginePool;
      await wireWorkers(ports, { lock: createKeyedLock(ctx), tokenBudget, system, ...(bot ? { bot } : {}) });
    }
    const redisPing = redis ? async () => void (await redis.ping()) : null;
    const rest: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = runsRest
      ? wireRest(ports, { attemptThrottle: createAttemptThrottle(ctx), mailer: createMailer(ctx), redisPing })
      : null;
    routeRequests(
      server,
      {
        rest,
        media: runsRest ? mediaHandler : null,
        frontend: role === "all" || role === "rest" ? createFrontendHandler({ store, dataDir: config.dataDir, logger }) : null,
        ops: opsHandler({ store, metrics, redis }),
      },
      logger,
    );

    const port = await listen(server, config.http.port, config.http.host);
    const url = `http://127.0.0.1:${port}`;

    if (runsRest) {
      if (options.seedDemo ?? config.seedDemo) await seedDemoIfEmpty(store, config, port, options.printCredentials !== false);
      await refreshDemoOrigins(store, config, port, logger);
    }

    logger.info({ role, url }, "kaleem started");
    return { url, port, config, store, hub, conversations, presence, emitter, queue, streams, objects, logger, metrics, close: () => lifecycle.close() };
  } catch (err) {
    await lifecycle.close();
    throw err;
  }
}
