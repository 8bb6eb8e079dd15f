// Test harness: a real HTTP server on port 0 around createRestApp, a real SQLite store in a temp
// dir, and a tiny fetch client. Every test file starts its own and closes it in afterAll.
import {
  localMediaRoot,
  MemoryAttemptThrottle,
  MemoryJobQueue,
  MemoryRateLimiter,
  MemoryTokenBlacklist,
  openLocalDiskObjectStore,
  openSqliteStore,
  DirectCacheInvalidations,
  MemoryReadCache,
} from "@kaleem/shared/adapters";
import { cacheMetrics, cachedMerchantProfiles, createLogger, invalidatingMerchantWrites, loadConfig, Metrics, noTracing, TieredCache, TokenService, type Config, type Env, type JobQueue, type ObjectStore, type OutgoingEmail, type Store, storeCrypto } from "@kaleem/shared";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRestApp, type RestApp } from "./app.js";
import type { RestDeps } from "./deps.js";

// Tests read response bodies structurally and assert their shape, so the default body type is loose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (no JSON encoding, no default content type). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /**
   * Source address on loopback (127.0.0.x) the request is sent from, so per-IP limits can be
   * exercised with several real client addresses.
   */
  from?: string;
}

export interface TestRest {
  base: string;
  config: Config;
  store: Store;
  metrics: Metrics;
  rest: RestApp;
  dataDir: string;
  /** The job queue the app adds to (a real in-process one unless the test passed its own). */
  queue: JobQueue;
  /** The media store (local disk in the test's data dir). */
  objects: ObjectStore;
  /** Every email the app sent (the Mailer port), oldest first. */
  outbox: OutgoingEmail[];
  /**
   * The latest email to `to` (of `kind`, if given) among those sent after the first `since`,
   * waiting for one: the app sends after answering.
   */
  emailTo(to: string, kind?: OutgoingEmail["kind"], since?: number): Promise<OutgoingEmail>;
  /** The token of the latest signup link sent to `email`. */
  signupToken(email: string): string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Signs up a fresh merchant; returns its tokens and ids. */
  signup(name?: string): Promise<Session>;
  close(): Promise<void>;
}

export interface Session {
  token: string;
  refreshToken: string;
  merchantId: string;
  userId: string;
  email: string;
  password: string;
}

let counter = 0;

/**
 * What the REST app reaches outside itself, as doubles that do nothing: the tests of those paths
 * (realtime revocation, catalog index, search) pass their own recording or real implementations.
 */
function testDoubles(): Pick<RestDeps, "realtime" | "tracing" | "catalogEvents" | "productSearch" | "queue" | "channelWebhooks" | "channelConnector" | "commerceWebhooks"> {
  return {
    realtime: { sessionRevoked() {}, userRemoved() {}, widgetKeyRotated() {}, visitorBlocked() {}, conversationChanged() {} },
    // Tracing off, as by default; the tracing test passes the OpenTelemetry adapter.
    tracing: noTracing,
    catalogEvents: { productsChanged() {}, knowledgeChanged() {} },
    productSearch: { search: async () => ({ items: [] }) },
    // A real in-process queue: nothing consumes it here (the webhook flow is tested end to end by the launcher).
    queue: new MemoryJobQueue(),
    // Refuses every webhook: the provider layer lives in the workers and is wired by the launcher.
    channelWebhooks: { read: () => ({ ok: false, status: 401, reason: "no provider layer in REST tests" }), subscribe: () => null },
    // Accepts every credential, telling nothing about the account: tests of the connect rules pass
    // a recording or refusing one; the real provider layer is tested end to end by the launcher.
    channelConnector: { connect: async () => ({ ok: true, account: { accountId: "test-double", details: {} } }) },
    commerceWebhooks: { read: () => ({ ok: false, status: 401, reason: "no provider layer in REST tests" }) },
  };
}

export async function startTestRest(
  env: Partial<Record<keyof Env, string>> = {},
  extraDeps: Partial<RestDeps> = {},
  options: {
    /**
     * What the app is given instead of the SQLite store (a wrapper around it): tests that need a
     * window held open (a request paused mid-way) wrap it; `TestRest.store` stays the real one.
     */
    wrapStore?: (store: Store) => Store;
    /**
     * Opens the store instead of SQLite in the data dir: suites written for every engine (the
     * injection attacks) take the engine's store this way.
     */
    openStore?: (dataDir: string) => Promise<Store>;
  } = {},
): Promise<TestRest> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "kaleem-rest-"));
  const config = loadConfig({
    KALEEM_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    // Test files sign up many stores from one IP; the limits get their own test.
    AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    RATE_LIMIT_PER_MINUTE: "100000",
    ...env,
  });
  const store = options.openStore ? await options.openStore(dataDir) : await openSqliteStore({ crypto: storeCrypto(config), file: path.join(dataDir, "kaleem.db") });
  const metrics = new Metrics();
  const blacklist = new MemoryTokenBlacklist();
  const outbox: OutgoingEmail[] = [];
  const doubles = testDoubles();
  // Real media storage in the test's data dir, as embedded runs keep it.
  const objects = await openLocalDiskObjectStore({ root: localMediaRoot(dataDir), signingSecret: "s".repeat(40), publicBaseUrl: "http://127.0.0.1" });
  const queue = extraDeps.queue ?? doubles.queue;
  // The read cache as one process has it (L1 only, invalidations told directly), as launcher wires it.
  const readCache = new TieredCache({
    l1: new MemoryReadCache(1000),
    l1TtlMs: config.cache.l1TtlMs,
    l2: null,
    invalidations: new DirectCacheInvalidations(),
    metrics: cacheMetrics(metrics),
    logger: createLogger({ level: "silent" }),
  });
  await readCache.start();
  const served = options.wrapStore ? options.wrapStore(store) : store;
  const merchantProfiles = cachedMerchantProfiles(served, readCache);
  const rest = createRestApp({
    config,
    store: invalidatingMerchantWrites(served, (merchantId) => merchantProfiles.invalidate(merchantId)),
    merchantProfiles,
    logger: createLogger({ level: "silent" }),
    metrics,
    blacklist,
    tokens: new TokenService(config, blacklist),
    rateLimiter: new MemoryRateLimiter(),
    attemptThrottle: new MemoryAttemptThrottle(),
    ...doubles,
    objects,
    ...extraDeps,
    // The outgoing-email boundary: kept for the test, then handed to the test's own mailer if any.
    mailer: {
      async send(email) {
        outbox.push(email);
        await extraDeps.mailer?.send(email);
      },
    },
  });
  const server: Server = createServer(rest.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function request<T = any>(method: string, urlPath: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    // node:http rather than fetch: fetch refuses methods such as TRACE and cannot pick a source address.
    const res = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
      const req = httpRequest(base + urlPath, { method, headers, ...(options.from ? { localAddress: options.from } : {}) }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const responseHeaders = new Headers();
          for (let i = 0; i < incoming.rawHeaders.length; i += 2) responseHeaders.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
          resolve({ status: incoming.statusCode ?? 0, headers: responseHeaders, text: Buffer.concat(chunks).toString("utf8") });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
    let parsed: unknown = res.text;
    if ((res.headers.get("content-type") ?? "").includes("json") && res.text !== "") parsed = JSON.parse(res.text);
    return { status: res.status, body: parsed as T, text: res.text, headers: res.headers };
  }

  async function emailTo(to: string, kind?: OutgoingEmail["kind"], since = 0): Promise<OutgoingEmail> {
    const find = () =>
      outbox
        .slice(since)
        .reverse()
        .find((m) => m.to === to.toLowerCase() && (kind === undefined || m.kind === kind));
    for (let i = 0; i < 500 && !find(); i++) await new Promise((r) => setTimeout(r, 10));
    const mail = find();
    if (!mail) throw new Error(`no email to ${to} was sent`);
    return mail;
  }

  function signupToken(email: string): string {
    const mail = [...outbox].reverse().find((m) => m.kind === "signup_confirm" && m.to === email.toLowerCase());
    const token = mail && /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    if (!token) throw new Error(`no signup link was emailed to ${email}`);
    return token;
  }

  /** Signs up the way a person does: the form, then the link from the confirmation email. */
  async function signup(name = "Store"): Promise<Session> {
    counter += 1;
    const email = `owner${counter}-${Date.now()}@example.com`;
    const password = "s3cret-passw0rd";
    const since = outbox.length;
    const asked = await request("POST", "/api/v1/auth/signup", { body: { storeName: `${name} ${counter}`, email, password } });
    if (asked.status !== 202) throw new Error(`signup failed: ${asked.status} ${asked.text}`);
    await emailTo(email, "signup_confirm", since);
    const res = await request("POST", "/api/v1/auth/signup/confirm", { body: { token: signupToken(email) } });
    if (res.status !== 201) throw new Error(`signup confirmation failed: ${res.status} ${res.text}`);
    return {
      token: res.body.accessToken,
      refreshToken: res.body.refreshToken,
      merchantId: res.body.merchant.id,
      userId: res.body.user.id,
      email,
      password,
    };
  }

  return {
    base,
    config,
    store,
    metrics,
    rest,
    dataDir,
    queue,
    objects,
    outbox,
    emailTo,
    signupToken,
    request,
    signup,
    async close() {
      try {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await queue.close();
        await store.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
