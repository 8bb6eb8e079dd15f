// The one place that reads process.env. loadConfig() validates everything once and returns a
// frozen object that each process passes down to the parts it wires.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { z } from "zod";
import { ensurePrivateDir, writePrivateFile } from "./data-dir.js";
import { deepFreeze } from "./deep-freeze.js";
import { ConfigError } from "./errors.js";
import { randomSecret } from "./ids.js";

const roleSchema = z.enum(["all", "hub", "rest", "workers"]);
export type ProcessRole = z.infer<typeof roleSchema>;

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());
/**
 * A MongoDB connection string. Not z.url(): a replica set URL lists several hosts
 * (`mongodb://a:27017,b:27017/kaleem?replicaSet=rs0`), which a WHATWG URL parser refuses.
 */
const mongoUrl = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/[^/\s]+/, "must be a mongodb:// or mongodb+srv:// connection string")
    .optional(),
);
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional());
const intFrom = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess((v) => (v === undefined || v === "" ? def : v), z.coerce.number().int().min(min).max(max));
const boolFrom = (def: boolean) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? String(def) : String(v).toLowerCase()),
    z.enum(["true", "false", "1", "0", "yes", "no"]).transform((s) => s === "true" || s === "1" || s === "yes"),
  );
const listFrom = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.split(",").map((s) => s.trim()).filter(Boolean) : []),
  z.array(z.string()),
);

/** Bot answers one workers process produces at once (each store may use BOT_MAX_CONCURRENT_PER_STORE of them). */
export const BOT_CONCURRENCY = 8;

/** Every variable Kaleem reads, with its default and meaning (README's table is generated from this). */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  KALEEM_ROLE: roleSchema.default("all"),
  PORT: intFrom(8080, 0, 65535),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: optionalUrl,
  TRUST_PROXY_HOPS: intFrom(0, 0, 10),
  KALEEM_DATA_DIR: z.string().default("./data"),
  KALEEM_SEED_DEMO: boolFrom(true),
  KALEEM_SINGLE_HOST: boolFrom(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  JWT_ACCESS_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  JWT_REFRESH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  JWT_ISSUER: z.string().default("kaleem"),
  JWT_AUDIENCE: z.string().default("kaleem-api"),
  ACCESS_TOKEN_TTL_SECONDS: intFrom(900, 30, 86400),
  REFRESH_TOKEN_TTL_SECONDS: intFrom(30 * 86400, 300, 365 * 86400),
  VISITOR_TOKEN_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  ENCRYPTION_KEY: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  /** Keys ENCRYPTION_KEY replaced, comma-separated: still read, never written (key rotation). */
  ENCRYPTION_KEYS_PREVIOUS: listFrom.pipe(z.array(z.string().min(32, "each key must be at least 32 characters"))),
  CORS_ORIGINS: listFrom,
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: boolFrom(false),
  BODY_LIMIT_BYTES: intFrom(1024 * 1024, 1024, 64 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: intFrom(600, 1),
  AUTH_RATE_LIMIT_PER_MINUTE: intFrom(30, 1),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: intFrom(6000, 1),
  COMMERCE_RECONCILE_MINUTES: intFrom(15, 0),
  WEBHOOK_RETRY_BASE_MS: intFrom(5000, 10),
  LOGIN_LOCK_AFTER_FAILURES: intFrom(10, 4, 1000),
  LOGIN_LOCK_SECONDS: intFrom(900, 1, 86400),
  SOCKET_EVENTS_PER_10S: intFrom(60, 1),
  WIDGET_CONNECTS_PER_MINUTE_PER_IP: intFrom(120, 1),
  WIDGET_CONNECTS_PER_MINUTE_PER_STORE: intFrom(3000, 1),
  WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP: intFrom(30, 1),
  WIDGET_CONVERSATIONS_PER_MINUTE_PER_STORE: intFrom(600, 1),
  WIDGET_MESSAGES_PER_MINUTE_PER_IP: intFrom(120, 1),
  WIDGET_MESSAGES_PER_MINUTE_PER_STORE: intFrom(3000, 1),
  VISITOR_TOKEN_TTL_SECONDS: intFrom(30 * 86400, 300, 365 * 86400),
  REDIS_URL: optionalUrl,
  REDIS_PREFIX: z.string().default("kaleem"),
  QUEUE_STALL_MS: intFrom(30_000, 1_000, 600_000),
  STREAM_LEASE_MS: intFrom(15_000, 1_000, 300_000),
  /** Read cache of hot reads (widget settings on connect): how long each layer keeps an entry. */
  CACHE_L1_TTL_MS: intFrom(30_000, 100, 3_600_000),
  CACHE_L2_TTL_MS: intFrom(300_000, 100, 86_400_000),
  CACHE_L1_MAX_ENTRIES: intFrom(10_000, 1, 10_000_000),
  SQLITE_BUSY_TIMEOUT_MS: intFrom(5_000, 0, 60_000),
  MONGODB_URL: mongoUrl,
  MONGODB_DB: optionalString,
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: intFrom(5_000, 100, 120_000),
  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: optionalString,
  /** Collections are named `<prefix>_<embedding model>_<hash>`: letters, digits, `_`, `-` only. */
  QDRANT_COLLECTION_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and - only (1-64)").default("kaleem_products"),
  QDRANT_TIMEOUT_MS: intFrom(2_000, 100, 60_000),
  /** OTLP/HTTP collector base URL (spans go to `<url>/v1/traces` as JSON); unset, tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** The traces' service.name; default `kaleem-<role>`. */
  OTEL_SERVICE_NAME: optionalString,
  S3_ENDPOINT: optionalUrl,
  S3_PUBLIC_ENDPOINT: optionalUrl,
  S3_ACCESS_KEY: optionalString,
  S3_SECRET_KEY: optionalString,
  S3_BUCKET: z.string().default("kaleem-media"),
  S3_REGION: z.string().default("us-east-1"),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  LLM_TIMEOUT_MS: intFrom(30000, 100),
  EMBEDDINGS_BASE_URL: optionalUrl,
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_MODEL: z.string().default("text-embedding-3-small"),
  BOT_STREAM_DELAY_MS: intFrom(15, 0, 2000),
  BOT_STREAM_COALESCE_MS: intFrom(0, 0, 250),
  BOT_MAX_CONCURRENT_PER_STORE: intFrom(4, 1, BOT_CONCURRENCY),
  BOT_MAX_PENDING_PER_STORE: intFrom(200, 1, 100_000),
  /**
   * Threads that run the bot engine off the socket thread (embedded mode). "auto": one when all
   * roles run in this process without Redis on a machine with two cores or more, else none.
   */
  BOT_ENGINE_THREADS: z.union([z.literal("auto"), z.coerce.number().int().min(0).max(16)]).default("auto"),
});
export type Env = z.infer<typeof envSchema>;

export interface Secrets {
  jwtAccessSecret: string;
  jwtRefreshSecret: string;
  visitorTokenSecret: string;
  encryptionKey: string;
}

export interface Config {
  readonly env: Env["NODE_ENV"];
  readonly production: boolean;
  readonly role: ProcessRole;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string | null;
    /** Proxies of our own in front of this process; 0 = X-Forwarded-* are ignored (the socket address counts). */
    readonly trustProxyHops: number;
  };
  readonly dataDir: string;
  /**
   * Every role runs on this one host (KALEEM_SINGLE_HOST): only then may hub/rest/workers processes
   * share the SQLite file in dataDir. A cluster role without it needs MONGODB_URL.
   */
  readonly singleHost: boolean;
  readonly seedDemo: boolean;
  readonly logLevel: Env["LOG_LEVEL"];
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  readonly secrets: Readonly<Secrets>;
  /** Encryption keys rotated out: sealed data under them is still opened, and resealed with the current key. */
  readonly previousEncryptionKeys: readonly string[];
  readonly cors: { readonly origins: readonly string[] };
  /** Calls to merchant-given URLs (apiBaseUrl): public hosts only unless the operator allows private ones. */
  readonly outbound: { readonly allowPrivateNetworks: boolean };
  /** Store-platform sync: how often every imported connection is reconciled (0: never). */
  readonly commerce: { readonly reconcileIntervalMs: number };
  /** Outgoing webhooks: the first retry's delay (each later one doubles it). */
  readonly outgoingWebhooks: { readonly retryBaseMs: number };
  readonly limits: {
    readonly bodyBytes: number;
    readonly requestsPerMinute: number;
    readonly authRequestsPerMinute: number;
    /** Provider webhook requests per source address per minute (providers send bursts from few addresses). */
    readonly webhookRequestsPerMinute: number;
    readonly socketEventsPer10s: number;
    /** Anonymous widget traffic, per client address and per store, per minute (counted on every node). */
    readonly widget: {
      readonly connects: { readonly perIp: number; readonly perStore: number };
      readonly conversations: { readonly perIp: number; readonly perStore: number };
      readonly messages: { readonly perIp: number; readonly perStore: number };
    };
    /** Per account, from any number of addresses: failures before the temporary lock, and its length. */
    readonly login: { readonly lockAfterFailures: number; readonly lockSeconds: number };
  };
  readonly redis: { readonly url: string; readonly prefix: string } | null;
  /** BullMQ: a job whose worker died runs again after about this long (lock duration and stall check). */
  readonly queue: { readonly stallMs: number };
  /** Answers in flight: how long a producer's hold lasts without renewal (see the stream sweeper). */
  readonly streams: { readonly leaseMs: number };
  /**
   * Read-through cache: L1 in each process always; L2 in Redis only when REDIS_URL is set. Writes
   * invalidate both at once; the TTLs bound how long a value can outlive a lost invalidation.
   */
  readonly cache: { readonly l1TtlMs: number; readonly l2TtlMs: number; readonly l1MaxEntries: number };
  readonly sqlite: { readonly busyTimeoutMs: number };
  /** The MongoDB store (instead of SQLite) when MONGODB_URL is set; the server must be a replica set. */
  readonly mongo: { readonly url: string; readonly dbName: string | null; readonly serverSelectionTimeoutMs: number } | null;
  readonly qdrant: { readonly url: string; readonly apiKey: string | null; readonly collectionPrefix: string; readonly timeoutMs: number } | null;
  /** OpenTelemetry export; null (the default) starts no SDK. */
  readonly tracing: { readonly endpoint: string; readonly serviceName: string } | null;
  readonly s3: {
    /** Where the server processes reach MinIO/S3. */
    readonly endpoint: string;
    /** The origin presigned media URLs name, for browsers and providers (S3_PUBLIC_ENDPOINT, default: endpoint). */
    readonly publicEndpoint: string;
    readonly accessKey: string;
    readonly secretKey: string;
    readonly bucket: string;
    readonly region: string;
  } | null;
  readonly llm: { readonly baseUrl: string; readonly apiKey: string | null; readonly model: string; readonly timeoutMs: number } | null;
  readonly embeddings: { readonly baseUrl: string; readonly apiKey: string | null; readonly model: string } | null;
  readonly bot: {
    readonly streamDelayMs: number;
    /**
     * Deltas of one answer produced within this many ms of the last one sent go out merged into
     * one `message:delta` (0: each as produced); the first delta never waits (PROTOCOL.md §3).
     */
    readonly coalesceMs: number;
    /** Answers one store may have running at once across every workers process (fairness between stores). */
    readonly maxConcurrentPerStore: number;
    /** Unanswered shopper messages one store may have queued; past it new widget messages get `rate_limited`. */
    readonly maxPendingPerStore: number;
    /** Engine threads of this process's workers role (0: the engine runs on the main thread). */
    readonly engineThreads: number;
  };
  /** Visitor tokens: lifetime; renewed on open/resume once half of it has passed. */
  readonly visitorTokens: { readonly ttlSeconds: number };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  ${issue.path.join(".") || "(environment)"}: ${issue.message}`)
    .join("\n");
}

const storedSecret = z.string().min(32, "must be at least 32 characters").optional();
const storedSecretsSchema = z.object({
  jwtAccessSecret: storedSecret,
  jwtRefreshSecret: storedSecret,
  visitorTokenSecret: storedSecret,
  encryptionKey: storedSecret,
});

/** Reads secrets from <dataDir>/secrets.json, generating and saving any that are missing. */
function embeddedSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<Secrets> = {};
  ensurePrivateDir(dataDir);
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new ConfigError(`${file} is not valid JSON; fix or remove it (tokens issued with it will stop working)`);
    }
    const parsed = storedSecretsSchema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(`Invalid ${file}:\n${formatIssues(parsed.error)}`);
    stored = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<Secrets>;
  }
  const secrets: Secrets = {
    jwtAccessSecret: stored.jwtAccessSecret ?? randomSecret(48),
    jwtRefreshSecret: stored.jwtRefreshSecret ?? randomSecret(48),
    visitorTokenSecret: stored.visitorTokenSecret ?? randomSecret(48),
    encryptionKey: stored.encryptionKey ?? randomSecret(48),
  };
  if (JSON.stringify(stored) !== JSON.stringify(secrets)) {
    writePrivateFile(file, JSON.stringify(secrets, null, 2));
  }
  return secrets;
}

/**
 * Validates the environment. Throws ConfigError naming each bad variable.
 * `overrides` lets tests and the launcher set values without touching process.env.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, overrides: Partial<Record<keyof Env, string>> = {}): Config {
  const parsed = envSchema.safeParse({ ...source, ...overrides });
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${formatIssues(parsed.error)}`);
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const dataDir = path.resolve(e.KALEEM_DATA_DIR);

  const given = {
    jwtAccessSecret: e.JWT_ACCESS_SECRET,
    jwtRefreshSecret: e.JWT_REFRESH_SECRET,
    visitorTokenSecret: e.VISITOR_TOKEN_SECRET,
    encryptionKey: e.ENCRYPTION_KEY,
  };
  const envNames: Record<keyof Secrets, string> = {
    jwtAccessSecret: "JWT_ACCESS_SECRET",
    jwtRefreshSecret: "JWT_REFRESH_SECRET",
    visitorTokenSecret: "VISITOR_TOKEN_SECRET",
    encryptionKey: "ENCRYPTION_KEY",
  };
  let secrets: Secrets;
  if (production) {
    const missing = (Object.keys(given) as (keyof Secrets)[]).filter((k) => !given[k]).map((k) => envNames[k]);
    if (missing.length > 0) {
      throw new ConfigError(`Invalid configuration:\n${missing.map((n) => `  ${n}: required when NODE_ENV=production`).join("\n")}`);
    }
    secrets = given as Secrets;
  } else {
    const generated = embeddedSecrets(dataDir);
    secrets = {
      jwtAccessSecret: given.jwtAccessSecret ?? generated.jwtAccessSecret,
      jwtRefreshSecret: given.jwtRefreshSecret ?? generated.jwtRefreshSecret,
      visitorTokenSecret: given.visitorTokenSecret ?? generated.visitorTokenSecret,
      encryptionKey: given.encryptionKey ?? generated.encryptionKey,
    };
  }
  if (secrets.jwtAccessSecret === secrets.jwtRefreshSecret) {
    throw new ConfigError("Invalid configuration:\n  JWT_REFRESH_SECRET: must differ from JWT_ACCESS_SECRET");
  }
  if (e.S3_ENDPOINT && (!e.S3_ACCESS_KEY || !e.S3_SECRET_KEY)) {
    throw new ConfigError("Invalid configuration:\n  S3_ACCESS_KEY/S3_SECRET_KEY: required when S3_ENDPOINT is set");
  }
  if (e.QDRANT_URL && !/^https?:$/.test(new URL(e.QDRANT_URL).protocol)) {
    throw new ConfigError("Invalid configuration:\n  QDRANT_URL: must be an http:// or https:// URL (Qdrant's REST port, e.g. http://qdrant:6333)");
  }
  if (e.OTEL_EXPORTER_OTLP_ENDPOINT && !/^https?:$/.test(new URL(e.OTEL_EXPORTER_OTLP_ENDPOINT).protocol)) {
    throw new ConfigError("Invalid configuration:\n  OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL (the collector's OTLP/HTTP port, e.g. http://otel-collector:4318)");
  }
  if (e.OTEL_SERVICE_NAME && !e.OTEL_EXPORTER_OTLP_ENDPOINT) {
    throw new ConfigError("Invalid configuration:\n  OTEL_SERVICE_NAME: set without OTEL_EXPORTER_OTLP_ENDPOINT");
  }
  if (e.QDRANT_API_KEY && !e.QDRANT_URL) {
    throw new ConfigError("Invalid configuration:\n  QDRANT_API_KEY: set without QDRANT_URL");
  }

  const config: Config = {
    env: e.NODE_ENV,
    production,
    role: e.KALEEM_ROLE,
    http: { host: e.HOST, port: e.PORT, publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/$/, "") : null, trustProxyHops: e.TRUST_PROXY_HOPS },
    dataDir,
    singleHost: e.KALEEM_SINGLE_HOST,
    seedDemo: e.KALEEM_SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    auth: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    },
    secrets,
    previousEncryptionKeys: e.ENCRYPTION_KEYS_PREVIOUS.filter((k) => k !== secrets.encryptionKey),
    cors: { origins: e.CORS_ORIGINS },
    outbound: { allowPrivateNetworks: e.OUTBOUND_ALLOW_PRIVATE_NETWORKS },
    commerce: { reconcileIntervalMs: e.COMMERCE_RECONCILE_MINUTES * 60_000 },
    outgoingWebhooks: { retryBaseMs: e.WEBHOOK_RETRY_BASE_MS },
    limits: {
      bodyBytes: e.BODY_LIMIT_BYTES,
      requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
      authRequestsPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
      webhookRequestsPerMinute: e.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      socketEventsPer10s: e.SOCKET_EVENTS_PER_10S,
      widget: {
        connects: { perIp: e.WIDGET_CONNECTS_PER_MINUTE_PER_IP, perStore: e.WIDGET_CONNECTS_PER_MINUTE_PER_STORE },
        conversations: { perIp: e.WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP, perStore: e.WIDGET_CONVERSATIONS_PER_MINUTE_PER_STORE },
        messages: { perIp: e.WIDGET_MESSAGES_PER_MINUTE_PER_IP, perStore: e.WIDGET_MESSAGES_PER_MINUTE_PER_STORE },
      },
      login: { lockAfterFailures: e.LOGIN_LOCK_AFTER_FAILURES, lockSeconds: e.LOGIN_LOCK_SECONDS },
    },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : null,
    queue: { stallMs: e.QUEUE_STALL_MS },
    streams: { leaseMs: e.STREAM_LEASE_MS },
    cache: { l1TtlMs: e.CACHE_L1_TTL_MS, l2TtlMs: e.CACHE_L2_TTL_MS, l1MaxEntries: e.CACHE_L1_MAX_ENTRIES },
    sqlite: { busyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS },
    mongo: e.MONGODB_URL ? { url: e.MONGODB_URL, dbName: e.MONGODB_DB ?? null, serverSelectionTimeoutMs: e.MONGODB_SERVER_SELECTION_TIMEOUT_MS } : null,
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME ?? `kaleem-${e.KALEEM_ROLE}` } : null,
    qdrant: e.QDRANT_URL ? { url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY ?? null, collectionPrefix: e.QDRANT_COLLECTION_PREFIX, timeoutMs: e.QDRANT_TIMEOUT_MS } : null,
    s3:
      e.S3_ENDPOINT && e.S3_ACCESS_KEY && e.S3_SECRET_KEY
        ? {
            endpoint: e.S3_ENDPOINT,
            publicEndpoint: e.S3_PUBLIC_ENDPOINT ?? e.S3_ENDPOINT,
            accessKey: e.S3_ACCESS_KEY,
            secretKey: e.S3_SECRET_KEY,
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
          }
        : null,
    llm: e.LLM_BASE_URL ? { baseUrl: e.LLM_BASE_URL.replace(/\/$/, ""), apiKey: e.LLM_API_KEY ?? null, model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS } : null,
    embeddings: e.EMBEDDINGS_BASE_URL
      ? { baseUrl: e.EMBEDDINGS_BASE_URL.replace(/\/$/, ""), apiKey: e.EMBEDDINGS_API_KEY ?? null, model: e.EMBEDDINGS_MODEL }
      : null,
    bot: {
      streamDelayMs: e.BOT_STREAM_DELAY_MS,
      coalesceMs: e.BOT_STREAM_COALESCE_MS,
      maxConcurrentPerStore: e.BOT_MAX_CONCURRENT_PER_STORE,
      maxPendingPerStore: e.BOT_MAX_PENDING_PER_STORE,
      engineThreads: e.BOT_ENGINE_THREADS === "auto" ? (e.KALEEM_ROLE === "all" && !e.REDIS_URL && os.availableParallelism() >= 2 ? 1 : 0) : e.BOT_ENGINE_THREADS,
    },
    visitorTokens: { ttlSeconds: e.VISITOR_TOKEN_TTL_SECONDS },
  };
  return deepFreeze(config);
}


/** The URL a browser or provider uses to reach this installation. */
export function publicBaseUrl(config: Config): string {
  return config.http.publicUrl ?? `http://localhost:${config.http.port}`;
}
