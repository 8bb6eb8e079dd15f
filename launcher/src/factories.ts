// One factory per port: each chooses its adapter from the validated config and nothing else. The
// embedded default (no REDIS_URL) gets the in-process adapters; a cluster gets Redis/BullMQ ones.
// A role that needs shared state and has no engine for it is refused here, at construction, so a
// cluster process can never run on in-memory state by accident.
import path from "node:path";
import { Redis } from "ioredis";
import {
  ConfigError,
  TieredCache,
  cacheMetrics,
  cachedMerchantProfiles,
  invalidatingMerchantWrites,
  type MerchantProfiles,
  fanOutCatalogEvents,
  OutboxCatalogEvents,
  searchMetrics,
  ServiceUnavailableError,
  ensurePrivateDir,
  guardedFetch,
  hmacSha256,
  publicBaseUrl,
  realtimeMetrics,
  type ObjectStore,
  type AttemptThrottle,
  type CatalogEvents,
  type Config,
  type Embedder,
  type JobQueue,
  type KeyedLock,
  type Logger,
  type Mailer,
  type Metrics,
  type PresenceStore,
  type RateLimiter,
  type RealtimeEmitter,
  type Store,
  type SystemStore,
  type StreamRegistry,
  type TokenBlacklist,
  type TokenBudget,
  type VectorIndex, storeCrypto,
  noTracing,
  tracedEmitter,
  tracedQueue,
  type Tracing,
} from "@kaleem/shared";
import {
  BullJobQueue,
  DirectCacheInvalidations,
  MemoryReadCache,
  RedisCacheInvalidations,
  RedisReadCache,
  DirectoryMailer,
  QdrantVectorIndex,
  qdrantCollectionName,
  MemoryAttemptThrottle,
  MemoryJobQueue,
  MemoryKeyedLock,
  MemoryRateLimiter,
  MemoryStreamRegistry,
  MemoryTokenBlacklist,
  MemoryVectorIndex,
  RedisAttemptThrottle,
  RedisCatalogEvents,
  RedisKeyedLock,
  withRedisUnavailable,
  RedisRateLimiter,
  RedisRealtimeEmitter,
  RedisStreamRegistry,
  RedisTokenBlacklist,
  createMemoryPresence,
  createMemoryTokenBudget,
  createRedisPresence,
  createMediaHandler,
  createRedisTokenBudget,
  localMediaRoot,
  openLocalDiskObjectStore,
  openMinioObjectStore,
  openMongoStore,
  openSqliteStore,
  type MediaHandler,
  subscribeCatalogChanges,
} from "@kaleem/shared/adapters";
import { EnginePool, embedderFromConfig } from "@kaleem/workers";
import { createChannelGateway, type ChannelGateway } from "@kaleem/workers/channels";
import { createCommerceGateway, type CommerceGateway } from "@kaleem/workers/commerce";
import { refuse, sqliteClusterProblem } from "./cluster-checks.js";
import type { Lifecycle } from "./lifecycle.js";

/** What every factory may look at: the config, this process's Redis connection (cluster), and where to register cleanup. */
export interface FactoryContext {
  config: Config;
  /** The process's main Redis connection; null in the embedded default. */
  redis: Redis | null;
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  /** OpenTelemetry when an OTLP endpoint is configured, else `noTracing` (createTracing). */
  tracing: Tracing;
}

/**
 * Roles other than `all` reach each other through Redis: without it they cannot be built. And they
 * may share SQLite only when told they all run on one host (cluster-checks.ts).
 */
export function checkRoleDependencies(config: Config, _logger: Logger): void {
  if (config.role !== "all" && !config.redis) {
    throw new ConfigError(`Invalid configuration:\n  REDIS_URL: required when KALEEM_ROLE=${config.role} (roles reach each other through Redis)`);
  }
  refuse(sqliteClusterProblem(config, storeEngine(config)));
}

export function connectRedis(config: Config, lifecycle: Lifecycle): Redis | null {
  if (!config.redis) return null;
  // A command during an outage fails after two reconnection attempts instead of waiting for Redis
  // to return: a webhook or a login then answers an error at once (the client retries) rather than hanging.
  const redis = new Redis(config.redis.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  lifecycle.onClose("redis", () => redis.quit().then(() => undefined));
  return redis;
}

/** A dedicated connection (subscribers and the Socket.IO adapter cannot share the main one). */
function duplicate(ctx: FactoryContext, name: string): Redis {
  const redis = requireRedis(ctx, name).duplicate();
  // QUIT, not a bare disconnect: commands still in flight (the Socket.IO adapter's subscriptions of a
  // hub closed soon after start) get their replies instead of rejecting unhandled.
  ctx.lifecycle.onClose(name, () => redis.quit().then(() => undefined, () => redis.disconnect()));
  return redis;
}

function requireRedis(ctx: FactoryContext, what: string): Redis {
  if (!ctx.redis) throw new ConfigError(`${what} needs REDIS_URL`);
  return ctx.redis;
}

const prefix = (ctx: FactoryContext): string => ctx.config.redis?.prefix ?? "kaleem";

/** Which engine createStore opens: MongoDB when MONGODB_URL is set, else the SQLite file. */
export function storeEngine(config: Config): "sqlite" | "mongo" {
  return config.mongo ? "mongo" : "sqlite";
}

/** The store, and its cross-tenant scope for the outbox relay and the webhook sweeper only. */
export async function createStore(ctx: FactoryContext): Promise<{ store: Store; system: SystemStore }> {
  if (ctx.config.mongo) {
    // A replica set is required (transactions); openMongoStore refuses anything else at start-up.
    const store = await openMongoStore({
      crypto: storeCrypto(ctx.config),
      url: ctx.config.mongo.url,
      ...(ctx.config.mongo.dbName ? { dbName: ctx.config.mongo.dbName } : {}),
      serverSelectionTimeoutMs: ctx.config.mongo.serverSelectionTimeoutMs,
    });
    ctx.lifecycle.onClose("store", () => store.close());
    return { store, system: store.system };
  }
  // Owner-only: the database holds password hashes, PII and sealed secrets.
  ensurePrivateDir(ctx.config.dataDir);
  const store = await openSqliteStore({ crypto: storeCrypto(ctx.config), file: path.join(ctx.config.dataDir, "kaleem.db"), busyTimeoutMs: ctx.config.sqlite.busyTimeoutMs });
  ctx.lifecycle.onClose("store", () => store.close());
  return { store, system: store.system };
}

export function createTokenBlacklist(ctx: FactoryContext): TokenBlacklist {
  return ctx.redis ? withRedisUnavailable(new RedisTokenBlacklist(ctx.redis, prefix(ctx))) : new MemoryTokenBlacklist();
}

export function createRateLimiter(ctx: FactoryContext): RateLimiter {
  return ctx.redis ? withRedisUnavailable(new RedisRateLimiter(ctx.redis, prefix(ctx))) : new MemoryRateLimiter();
}

/** Sign-in attempts per account: every REST node of a cluster counts them together. */
export function createAttemptThrottle(ctx: FactoryContext): AttemptThrottle {
  return ctx.redis ? withRedisUnavailable(new RedisAttemptThrottle(ctx.redis, prefix(ctx))) : new MemoryAttemptThrottle();
}

/** Account emails. No mail transport is configurable yet: they are saved under `<data dir>/mail` (README says so). */
export function createMailer(ctx: FactoryContext): Mailer {
  return new DirectoryMailer(path.join(ctx.config.dataDir, "mail"), ctx.logger.child({ component: "mailer" }));
}

export function createQueue(ctx: FactoryContext): JobQueue {
  const queue = ctx.config.redis
    ? withRedisUnavailable(new BullJobQueue({ redisUrl: ctx.config.redis.url, prefix: `${ctx.config.redis.prefix}:bull`, stallMs: ctx.config.queue.stallMs }))
    : new MemoryJobQueue();
  ctx.lifecycle.onClose("queue", () => queue.close());
  // Traced only when on: off, jobs carry no trace context and run without a wrapper.
  return ctx.tracing.enabled ? tracedQueue(queue, ctx.tracing) : queue;
}

/**
 * OpenTelemetry over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise no SDK starts and
 * the no-op port runs the work as it is. Registered first so it closes last (flushing every span).
 */
export async function createTracing(ctx: Pick<FactoryContext, "config" | "lifecycle">): Promise<Tracing> {
  if (!ctx.config.tracing) return noTracing;
  // Loaded on demand: a process with tracing off never loads the SDK or the exporter.
  const { startOtelTracing } = await import("@kaleem/shared/otel");
  const tracing = startOtelTracing({ endpoint: ctx.config.tracing.endpoint, serviceName: ctx.config.tracing.serviceName, resource: { "kaleem.role": ctx.config.role } });
  ctx.lifecycle.onClose("tracing", () => tracing.shutdown());
  return tracing;
}

/** Emits recorded on the active span (the job or request that caused them) when tracing is on. */
export function withEmitTracing(emitter: RealtimeEmitter, ctx: FactoryContext): RealtimeEmitter {
  return ctx.tracing.enabled ? tracedEmitter(emitter, ctx.tracing) : emitter;
}

export function createStreamRegistry(ctx: FactoryContext): StreamRegistry {
  const streams = ctx.redis ? withRedisUnavailable(new RedisStreamRegistry(ctx.redis, prefix(ctx), { leaseMs: ctx.config.streams.leaseMs })) : new MemoryStreamRegistry();
  ctx.lifecycle.onClose("stream registry", () => streams.close());
  return streams;
}

export function createPresence(ctx: FactoryContext): PresenceStore {
  const presence = ctx.redis ? withRedisUnavailable(createRedisPresence(ctx.redis, prefix(ctx))) : createMemoryPresence();
  ctx.lifecycle.onClose("presence", () => presence.close());
  return presence;
}

/** One bot answer at a time per conversation: across every workers process in a cluster. */
export function createKeyedLock(ctx: FactoryContext): KeyedLock {
  // A lock of a killed process lapses as its jobs are found stalled, not later: the conversation's
  // next answer waits no longer than the retried one.
  return ctx.redis ? withRedisUnavailable(new RedisKeyedLock(ctx.redis, prefix(ctx), { leaseMs: ctx.config.queue.stallMs })) : new MemoryKeyedLock();
}

/**
 * The bot engine on `config.bot.engineThreads` threads (engine-thread.ts builds each one); await
 * `ready` before it answers. Run from the TypeScript sources (tests, `npm run bench`) a thread
 * needs the tsx loader; built, plain node.
 */
export function createEnginePool(ctx: FactoryContext, shared: { attempts: RateLimiter; tokenBudget: TokenBudget }): EnginePool {
  const fromSources = import.meta.url.endsWith(".ts");
  const pool = EnginePool.create({
    size: ctx.config.bot.engineThreads,
    entry: new URL(fromSources ? "./engine-thread.ts" : "./engine-thread.js", import.meta.url),
    ...(fromSources ? { execArgv: ["--conditions=source"], loader: "tsx/esm/api" } : {}),
    workerData: { config: ctx.config },
    attempts: shared.attempts,
    tokenBudget: shared.tokenBudget,
    logger: ctx.logger.child({ component: "engine-pool" }),
  });
  ctx.lifecycle.onClose("engine threads", () => pool.close());
  // The answers' instruments (bot_*) are counted on the threads.
  ctx.metrics.include(() => pool.threadMetrics());
  return pool;
}

/** The LLM budget is counted once for every workers process of a cluster. */
export function createTokenBudget(ctx: FactoryContext): TokenBudget {
  return ctx.redis ? withRedisUnavailable(createRedisTokenBudget(ctx.redis, prefix(ctx))) : createMemoryTokenBudget();
}

/** The built-in offline embedding, or an OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set. */
export function createEmbedder(ctx: FactoryContext): Embedder {
  return embedderFromConfig(ctx.config);
}

/**
 * Where product vectors live. Embedded: in this process, written by its own search. With
 * QDRANT_URL: one Qdrant collection per embedding model shared by every process, written only by
 * the catalog-index job (`shared: true`). The collection is set up now; a Qdrant that is down at
 * start-up does not stop the process (searches are lexical-only until it answers, and the index
 * sets the collection up on its first successful call).
 */
export async function createVectorIndex(ctx: FactoryContext, embedder: Embedder): Promise<{ vectors: VectorIndex; shared: boolean }> {
  const q = ctx.config.qdrant;
  if (!q) return { vectors: new MemoryVectorIndex(), shared: false };
  if (q.apiKey && new URL(q.url).protocol === "http:") {
    ctx.logger.warn("QDRANT_API_KEY is sent over plain http; use an https QDRANT_URL unless Qdrant is on a private network");
  }
  const vectors = new QdrantVectorIndex({
    url: q.url,
    apiKey: q.apiKey,
    collection: qdrantCollectionName(q.collectionPrefix, embedder.id),
    dimensions: embedder.dimensions,
    timeoutMs: q.timeoutMs,
  });
  try {
    await vectors.start();
    ctx.logger.info({ collection: vectors.collectionName }, "Qdrant vector index ready");
  } catch (err) {
    if (!(err instanceof ServiceUnavailableError)) throw err;
    ctx.logger.warn({ err, collection: vectors.collectionName }, "Qdrant unreachable at start-up; product search is lexical-only until it answers");
  }
  return { vectors, shared: true };
}

/**
 * Catalog changes reach every process's search index: told directly in one process, over Redis
 * pub/sub (to every process, this one included) in a cluster.
 */
export async function createCatalogEvents(ctx: FactoryContext, index: CatalogEvents, vectorJobs: OutboxCatalogEvents | null): Promise<CatalogEvents> {
  const lexical = ctx.redis ? await redisCatalogEvents(ctx, index) : index;
  // A shared vector index is written by the catalog-index job: the change goes to the outbox too.
  return vectorJobs ? fanOutCatalogEvents(lexical, vectorJobs) : lexical;
}

async function redisCatalogEvents(ctx: FactoryContext, index: CatalogEvents): Promise<CatalogEvents> {
  const redis = requireRedis(ctx, "catalog events");
  const subscriber = duplicate(ctx, "catalog subscriber");
  const unsubscribe = await subscribeCatalogChanges(subscriber, prefix(ctx), index, ctx.logger);
  ctx.lifecycle.onClose("catalog subscription", unsubscribe);
  return new RedisCatalogEvents(redis, prefix(ctx), index, ctx.logger);
}

/** With a shared vector index: catalog changes (and re-index requests) written to the outbox for the catalog-index job. */
export function createVectorJobRequests(ctx: FactoryContext, store: Store, shared: boolean): OutboxCatalogEvents | null {
  if (!shared) return null;
  const requests = new OutboxCatalogEvents(store, ctx.logger.child({ component: "catalog-index" }), searchMetrics(ctx.metrics));
  // Before the store closes: rows already asked for are written.
  ctx.lifecycle.onClose("catalog index requests", () => requests.flush());
  return requests;
}

/**
 * Media (channel attachments, uploads): files under the data dir, served through signed URLs by
 * the returned handler. The signing secret is derived from the encryption key, so URLs survive a
 * restart and every process of one installation signs alike.
 */
export async function createObjectStore(
  ctx: FactoryContext,
  options: { testServerWithoutAccessControl?: boolean } = {},
): Promise<{ objects: ObjectStore; mediaHandler: MediaHandler | null }> {
  // MinIO/S3 when configured: a private bucket, read through presigned URLs only; a server that
  // answers anonymous requests is refused at opening. Nothing is kept on local disk then.
  if (ctx.config.s3) {
    const objects = await openMinioObjectStore({ ...ctx.config.s3, ...(options.testServerWithoutAccessControl ? { testServerWithoutAccessControl: true } : {}) });
    return { objects, mediaHandler: null };
  }
  const objects = await openLocalDiskObjectStore({
    root: localMediaRoot(ctx.config.dataDir),
    signingSecret: hmacSha256(ctx.config.secrets.encryptionKey, "kaleem-media-urls"),
    publicBaseUrl: publicBaseUrl(ctx.config),
  });
  return { objects, mediaHandler: createMediaHandler(objects) };
}

/** For processes without the hub: emits into the hubs' rooms through Redis. */
export function createRemoteEmitter(ctx: FactoryContext): RealtimeEmitter {
  return new RedisRealtimeEmitter(requireRedis(ctx, "emitting without a hub"), prefix(ctx), realtimeMetrics(ctx.metrics));
}

/** Pub/sub connections for the hub's Socket.IO Redis adapter, or null in one process. */
export function createSocketAdapterClients(ctx: FactoryContext): { pub: Redis; sub: Redis; prefix: string } | null {
  if (!ctx.redis) return null;
  return { pub: duplicate(ctx, "socket.io pub"), sub: duplicate(ctx, "socket.io sub"), prefix: prefix(ctx) };
}

/**
 * The messaging providers (Telegram, WhatsApp, Messenger, Instagram): webhook reading and the
 * credential checks on connect for REST, sends for the workers. Every call to a provider goes through the SSRF-guarded fetch, so a
 * channel's apiBaseUrl can never reach this machine's network unless the operator allows it.
 */
export function createChannelProviders(ctx: FactoryContext): ChannelGateway {
  return createChannelGateway({ fetch: guardedFetch(ctx.config.outbound) });
}

/** Store platforms (Shopify, Salla, Zid): webhook reading for REST, API pages for the sync jobs. */
export function createCommerceProviders(ctx: FactoryContext): CommerceGateway {
  return createCommerceGateway({ fetch: guardedFetch(ctx.config.outbound) });
}

/**
 * The read-through cache of hot reads, and the store every role then uses: its merchant writes
 * invalidate the cached profile in L2 and in every process's L1. L2 (Redis) exactly when REDIS_URL
 * is set; invalidations over Redis pub/sub then, told directly in one process.
 */
export async function createReadCache(ctx: FactoryContext, store: Store): Promise<{ store: Store; profiles: MerchantProfiles; cache: TieredCache }> {
  const { cache: c } = ctx.config;
  const logger = ctx.logger.child({ component: "read-cache" });
  const cache = new TieredCache({
    l1: new MemoryReadCache(c.l1MaxEntries),
    l1TtlMs: c.l1TtlMs,
    l2: ctx.redis ? { cache: new RedisReadCache(ctx.redis, prefix(ctx)), ttlMs: c.l2TtlMs } : null,
    invalidations: ctx.redis ? new RedisCacheInvalidations(ctx.redis, duplicate(ctx, "cache invalidation subscriber"), prefix(ctx), logger) : new DirectCacheInvalidations(),
    metrics: cacheMetrics(ctx.metrics),
    logger,
  });
  await cache.start();
  ctx.lifecycle.onClose("read cache", () => cache.close());
  const profiles = cachedMerchantProfiles(store, cache);
  return { store: invalidatingMerchantWrites(store, (merchantId) => profiles.invalidate(merchantId)), profiles, cache };
}
