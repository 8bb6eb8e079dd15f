// Role wiring: each role takes the ports the factories built and connects its package to them.
// Nothing here chooses an engine; that is the factories' job.
import type http from "node:http";
import {
  BOT_CONCURRENCY,
  BOT_REPLY_JOB,
  CATALOG_INDEX_JOB,
  CHANNEL_DELIVER_JOB,
  CHANNEL_INBOUND_JOB,
  COMMERCE_INBOUND_JOB,
  COMMERCE_SYNC_JOB,
  guardedFetch,
  WEBHOOK_DELIVER_JOB,
  WEBHOOK_DISPATCH_JOB,
  type SystemStore,
  type AttemptThrottle,
  type Mailer,
  rooms,
  type BotEngine,
  type CatalogEvents,
  type AttachmentService,
  type Config,
  type ConversationService,
  type JobQueue,
  type KeyedLock,
  type ObjectStore,
  type Logger,
  type Metrics,
  type PresenceStore,
  type RateLimiter,
  type RealtimeEmitter,
  type Store,
  type MerchantProfiles,
  type StreamRegistry,
  type TokenBlacklist,
  type TokenBudget,
  type TokenService,
  type Tracing,
  realtimeMetrics,
  searchMetrics,
} from "@kaleem/shared";
import { createHub, type Hub, type SocketServer, type VisitorTokens } from "@kaleem/hub";
import { createRestApp, type RestRealtimeHooks } from "@kaleem/rest";
import {
  CatalogSearch,
  type CatalogVectorIndexer,
  createBotEngine,
  createCatalogIndexHandler,
  createBotReplyHandler,
  createChannelDeliverHandler,
  createChannelInboundHandler,
  createCommerceInboundHandler,
  createCommerceSyncHandler,
  createWebhookDeliverHandler,
  createWebhookDispatchHandler,
  startCommerceReconciler,
  WEBHOOK_ATTEMPTS,
  defaultIntentClassifier,
  startOutboxRelay,
  startStreamSweeper,
  startUploadSweeper,
} from "@kaleem/workers";
import { mayHaveBeenDelivered, type ChannelGateway } from "@kaleem/workers/channels";
import type { CommerceGateway } from "@kaleem/workers/commerce";
import type { Lifecycle } from "./lifecycle.js";

/** Ports every role may use, built once per process by the factories. */
export interface ProcessPorts {
  config: Config;
  store: Store;
  /** The merchant without secrets, read through the cache (widget connects, widget settings). */
  merchantProfiles: MerchantProfiles;
  queue: JobQueue;
  streams: StreamRegistry;
  presence: PresenceStore;
  blacklist: TokenBlacklist;
  rateLimiter: RateLimiter;
  tokens: TokenService;
  search: CatalogSearch;
  catalogEvents: CatalogEvents;
  /** Writes the shared vector index (Qdrant) in catalog-index jobs; null when vectors stay in each process. */
  vectorIndexer: CatalogVectorIndexer | null;
  objects: ObjectStore;
  /** Upload URLs and the checks an uploaded file passes (over the store and the object store). */
  attachments: AttachmentService;
  /** The messaging providers: webhook reading (REST) and sends (workers). */
  channels: ChannelGateway;
  /** The store platforms: webhook reading (REST), import and reconciliation pages (workers). */
  commerce: CommerceGateway;
  emitter: RealtimeEmitter;
  conversations: ConversationService;
  metrics: Metrics;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Spans and their export (no-op when tracing is off). */
  tracing: Tracing;
}

export function wireHub(ports: ProcessPorts, server: SocketServer, visitorTokens: VisitorTokens): Hub {
  const hub = createHub({
    server,
    config: ports.config,
    store: ports.store,
    merchantProfiles: ports.merchantProfiles,
    conversations: ports.conversations,
    attachments: ports.attachments,
    presence: ports.presence,
    tokens: ports.tokens,
    visitorTokens,
    rateLimiter: ports.rateLimiter,
    metrics: ports.metrics,
    logger: ports.logger,
  });
  ports.lifecycle.onClose("hub", () => hub.close());
  return hub;
}

const CHANNEL_CONCURRENCY = 8;

export async function wireWorkers(ports: ProcessPorts, extra: { lock: KeyedLock; tokenBudget: TokenBudget; system: SystemStore; bot?: BotEngine }): Promise<void> {
  const bot =
    extra.bot ??
    createBotEngine({
      classifier: defaultIntentClassifier(),
      search: ports.search,
      knowledge: ports.search.knowledge,
      config: ports.config,
      metrics: ports.metrics,
      logger: ports.logger,
      tokenBudget: extra.tokenBudget,
      // Order look-up guesses are counted across conversations and processes.
      attempts: ports.rateLimiter,
    });
  ports.queue.process(
    BOT_REPLY_JOB,
    createBotReplyHandler({
      store: ports.store,
      streams: ports.streams,
      emitter: ports.emitter,
      conversations: ports.conversations,
      bot,
      metrics: realtimeMetrics(ports.metrics),
      logger: ports.logger,
      coalesceMs: ports.config.bot.coalesceMs,
      lock: extra.lock,
    }),
    // Each store may use only part of the slots (across every workers process), so one store's
    // burst of questions cannot keep another store's shoppers waiting.
    { concurrency: BOT_CONCURRENCY, perGroupConcurrency: ports.config.bot.maxConcurrentPerStore },
  );
  ports.queue.process(
    CHANNEL_INBOUND_JOB,
    createChannelInboundHandler({ config: ports.config, store: ports.store, conversations: ports.conversations, gateway: ports.channels, objects: ports.objects, logger: ports.logger }),
    { concurrency: CHANNEL_CONCURRENCY },
  );
  ports.queue.process(
    CHANNEL_DELIVER_JOB,
    createChannelDeliverHandler({ config: ports.config, store: ports.store, objects: ports.objects, conversations: ports.conversations, sender: ports.channels, mayHaveBeenDelivered, logger: ports.logger }),
    { concurrency: CHANNEL_CONCURRENCY },
  );
  ports.queue.process(
    COMMERCE_INBOUND_JOB,
    createCommerceInboundHandler({ store: ports.store, catalogEvents: ports.catalogEvents, logger: ports.logger }),
    { concurrency: CHANNEL_CONCURRENCY },
  );
  ports.queue.process(
    COMMERCE_SYNC_JOB,
    createCommerceSyncHandler({ config: ports.config, store: ports.store, gateway: ports.commerce, catalogEvents: ports.catalogEvents, lock: extra.lock, logger: ports.logger }),
    { concurrency: 2 },
  );
  if (ports.vectorIndexer) {
    // Embedding calls dominate: two at a time keeps an embeddings endpoint's rate limit in reach.
    ports.queue.process(
      CATALOG_INDEX_JOB,
      createCatalogIndexHandler({ indexer: ports.vectorIndexer, metrics: searchMetrics(ports.metrics), logger: ports.logger.child({ component: "catalog-index" }) }),
      { concurrency: 2 },
    );
  }
  const outgoing = {
    config: ports.config,
    store: ports.store,
    queue: ports.queue,
    fetch: guardedFetch(ports.config.outbound),
    logger: ports.logger,
    deliverOptions: { attempts: WEBHOOK_ATTEMPTS, backoff: { type: "exponential" as const, delayMs: ports.config.outgoingWebhooks.retryBaseMs } },
  };
  ports.queue.process(WEBHOOK_DISPATCH_JOB, createWebhookDispatchHandler(outgoing), { concurrency: CHANNEL_CONCURRENCY });
  ports.queue.process(WEBHOOK_DELIVER_JOB, createWebhookDeliverHandler(outgoing), { concurrency: CHANNEL_CONCURRENCY });
  const reconciler = startCommerceReconciler({ store: ports.store, queue: ports.queue, intervalMs: ports.config.commerce.reconcileIntervalMs, logger: ports.logger });
  ports.lifecycle.onClose("commerce reconciler", async () => reconciler.stop());
  // Registered after the queue, so it stops first: nothing new is relayed into a closing queue.
  const relay = startOutboxRelay({ system: extra.system, queue: ports.queue, logger: ports.logger });
  ports.lifecycle.onClose("outbox relay", () => relay.stop());
  // Answers whose producer died (this process before a restart, or another workers process) are
  // ended as stopped: all of them now, then whatever lapses later.
  const sweeper = startStreamSweeper({ system: extra.system, store: ports.store, streams: ports.streams, conversations: ports.conversations, logger: ports.logger, leaseMs: ports.config.streams.leaseMs });
  ports.lifecycle.onClose("stream sweeper", () => sweeper.stop());
  await sweeper.runOnce(0);
  const uploads = startUploadSweeper({ attachments: ports.attachments, system: extra.system, logger: ports.logger });
  ports.lifecycle.onClose("upload sweeper", () => uploads.stop());
}

/** What REST's writes mean for live sockets, on every node. */
function restRealtime(ports: ProcessPorts): RestRealtimeHooks {
  const { emitter, conversations, logger } = ports;
  return {
    sessionRevoked: (tokenId) => emitter.disconnectRoom("inbox", rooms.token(tokenId)),
    userRemoved: (merchantId, userId) => emitter.disconnectRoom("inbox", rooms.agent(merchantId, userId)),
    widgetKeyRotated: (merchantId, oldKey) => emitter.disconnectRoom("widget", rooms.widgetKey(merchantId, oldKey)),
    visitorBlocked: (merchantId, visitorId) => emitter.disconnectRoom("widget", rooms.visitor(merchantId, visitorId)),
    conversationChanged: (merchantId, conversationId) => {
      conversations.refreshSummary(merchantId, conversationId, "labels").catch((err: unknown) => logger.warn({ err, conversationId }, "inbox summary not refreshed"));
    },
  };
}

export function wireRest(
  ports: ProcessPorts,
  extra: { attemptThrottle: AttemptThrottle; mailer: Mailer; redisPing: (() => Promise<void>) | null },
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const rest = createRestApp({
    config: ports.config,
    store: ports.store,
    merchantProfiles: ports.merchantProfiles,
    logger: ports.logger,
    metrics: ports.metrics,
    blacklist: ports.blacklist,
    tokens: ports.tokens,
    rateLimiter: ports.rateLimiter,
    attemptThrottle: extra.attemptThrottle,
    mailer: extra.mailer,
    productSearch: ports.search,
    catalogEvents: ports.catalogEvents,
    queue: ports.queue,
    channelWebhooks: ports.channels,
    objects: ports.objects,
    channelConnector: ports.channels,
    commerceWebhooks: ports.commerce,
    realtime: restRealtime(ports),
    tracing: ports.tracing,
    ...(extra.redisPing ? { redisPing: extra.redisPing } : {}),
  });
  return rest.callback();
}
