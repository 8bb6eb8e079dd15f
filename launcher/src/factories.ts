// One factory per port: each chooses its adapter from the validated config and nothing else. The
// embedded default (no REDIS_URL) gets the in-process adapters; a cluster gets Redis/BullMQ ones.
// A role that needs shared state and has no engine for it is refused here, at construction, so a
// cluster process can never run on in-memory state by accident.
import path from "node:path";
import { Redis } from "ioredis";
import {
  ConfigError,
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
  type VectorIndex,
} from "@kaleem/shared";
import {
  BullJobQueue,
  DirectoryMailer,
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
  openSqliteStore,
  type MediaHandler,
  subscribeCatalogChanges,
} from "@kaleem/shared/adapters";
import { embedderFromConfig } from "@kaleem/workers";
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
}

/**
 * Roles other than `all` reach each other through Redis: without it they cannot be built. And they
 * may share SQLite only when told they all run on one host (cluster-checks.ts).
 */
export function checkRoleDependencies(config: Config, logger: Logger): void {
  if (config.role !== "all" && !config.redis) {
    throw new ConfigError(`Invalid configuration:\n  REDIS_URL: required when KALEEM_ROLE=${config.role} (roles reach each other through Redis)`);
  }
  refuse(sqliteClusterProblem(config, storeEngine(config)));
  // Said loudly so nobody believes their data is in MongoDB when it is not.
  for (const [name, set] of [
    ["MONGODB_URL", config.mongo],
    ["QDRANT_URL", config.qdrant],
  ] as const) {
    if (set) logger.warn(`${name} is set but its adapter is not implemented yet; using the embedded one`);
  }
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

/** Which engine createStore opens. SQLite only for now: the MongoDB store answers "mongo" here once it is wired. */
export function storeEngine(_config: Config): "sqlite" | "mongo" {
  return "sqlite";
}

/** The store, and its cross-tenant scope for the outbox relay and the webhook sweeper only. */
export async function createStore(ctx: FactoryContext): Promise<{ store: Store; system: SystemStore }> {
  // Owner-only: the database holds password hashes, PII and sealed secrets.
  ensurePrivateDir(ctx.config.dataDir);
  const store = await openSqliteStore({ file: path.join(ctx.config.dataDir, "kaleem.db"), busyTimeoutMs: ctx.config.sqlite.busyTimeoutMs });
  ctx.lifecycle.onClose("store", () => store.close());
  return { store, system: store.system };
}

export function createTokenBlacklist(ctx: FactoryContext): TokenBlacklist {
  return ctx.redis ? new RedisTokenBlacklist(ctx.redis, prefix(ctx)) : new MemoryTokenBlacklist();
}

export function createRateLimiter(ctx: FactoryContext): RateLimiter {
  return ctx.redis ? new RedisRateLimiter(ctx.redis, prefix(ctx)) : new MemoryRateLimiter();
}

/** Sign-in attempts per account: every REST node of a cluster counts them together. */
export function createAttemptThrottle(ctx: FactoryContext): AttemptThrottle {
  return ctx.redis ? new RedisAttemptThrottle(ctx.redis, prefix(ctx)) : new MemoryAttemptThrottle();
}

/** Account emails. No mail transport is configurable yet: they are saved under `<data dir>/mail` (README says so). */
export function createMailer(ctx: FactoryContext): Mailer {
  return new DirectoryMailer(path.join(ctx.config.dataDir, "mail"), ctx.logger.child({ component: "mailer" }));
}

export function createQueue(ctx: FactoryContext): JobQueue {
  const queue = ctx.config.redis
    ? new BullJobQueue({ redisUrl: ctx.config.redis.url, prefix: `${ctx.config.redis.prefix}:bull`, stallMs: ctx.config.queue.stallMs })
    : new MemoryJobQueue();
  ctx.lifecycle.onClose("queue", () => queue.close());
  return queue;
}

export function createStreamRegistry(ctx: FactoryContext): StreamRegistry {
  const streams = ctx.redis ? new RedisStreamRegistry(ctx.redis, prefix(ctx), { leaseMs: ctx.config.streams.leaseMs }) : new MemoryStreamRegistry();
  ctx.lifecycle.onClose("stream registry", () => streams.close());
  return streams;
}

export function createPresence(ctx: FactoryContext): PresenceStore {
  const presence = ctx.redis ? createRedisPresence(ctx.redis, prefix(ctx)) : createMemoryPresence();
  ctx.lifecycle.onClose("presence", () => presence.close());
  return presence;
}

/** One bot answer at a time per conversation: across every workers process in a cluster. */
export function createKeyedLock(ctx: FactoryContext): KeyedLock {
  return ctx.redis ? new RedisKeyedLock(ctx.redis, prefix(ctx)) : new MemoryKeyedLock();
}

/** The LLM budget is counted once for every workers process of a cluster. */
export function createTokenBudget(ctx: FactoryContext): TokenBudget {
  return ctx.redis ? createRedisTokenBudget(ctx.redis, prefix(ctx)) : createMemoryTokenBudget();
}

/** The built-in offline embedding, or an OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set. */
export function createEmbedder(ctx: FactoryContext): Embedder {
  return embedderFromConfig(ctx.config);
}

export function createVectorIndex(_ctx: FactoryContext): VectorIndex {
  return new MemoryVectorIndex();
}

/**
 * Catalog changes reach every process's search index: told directly in one process, over Redis
 * pub/sub (to every process, this one included) in a cluster.
 */
export async function createCatalogEvents(ctx: FactoryContext, index: CatalogEvents): Promise<CatalogEvents> {
  if (!ctx.redis) return index;
  const subscriber = duplicate(ctx, "catalog subscriber");
  const unsubscribe = await subscribeCatalogChanges(subscriber, prefix(ctx), index, ctx.logger);
  ctx.lifecycle.onClose("catalog subscription", unsubscribe);
  return new RedisCatalogEvents(ctx.redis, prefix(ctx), index, ctx.logger);
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
