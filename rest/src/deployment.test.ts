// Behaviour that depends on how the process is deployed: production headers, proxies, raw bodies.
import { testStoreCrypto } from "@kaleem/shared/testing";
import { DirectCacheInvalidations, DirectoryMailer, localMediaRoot, MemoryReadCache, MemoryAttemptThrottle, MemoryJobQueue, openLocalDiskObjectStore, MemoryRateLimiter, MemoryTokenBlacklist, openSqliteStore } from "@kaleem/shared/adapters";
import { cacheMetrics, cachedMerchantProfiles, createLogger, loadConfig, Metrics, noTracing, TieredCache, TokenService } from "@kaleem/shared";
import Koa from "koa";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRestApp } from "./app.js";
import { readRawBody } from "./http/body.js";
import type { RestState } from "./http/state.js";
import { startTestRest } from "./harness.test-helpers.js";

describe("production mode", () => {
  it("adds HSTS", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaleem-rest-prod-"));
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "db.sqlite") });
    const config = loadConfig({
      NODE_ENV: "production",
      KALEEM_DATA_DIR: dir,
      JWT_ACCESS_SECRET: "a".repeat(40),
      JWT_REFRESH_SECRET: "b".repeat(40),
      VISITOR_TOKEN_SECRET: "c".repeat(40),
      ENCRYPTION_KEY: "d".repeat(40),
    });
    const blacklist = new MemoryTokenBlacklist();
    const metrics = new Metrics({ defaultMetrics: false });
    const cache = new TieredCache({ l1: new MemoryReadCache(10), l1TtlMs: 1000, l2: null, invalidations: new DirectCacheInvalidations(), metrics: cacheMetrics(metrics), logger: createLogger({ level: "silent" }) });
    const rest = createRestApp({
      config,
      store,
      merchantProfiles: cachedMerchantProfiles(store, cache),
      logger: createLogger({ level: "silent" }),
      metrics,
      blacklist,
      tokens: new TokenService(config, blacklist),
      rateLimiter: new MemoryRateLimiter(),
      attemptThrottle: new MemoryAttemptThrottle(),
      mailer: new DirectoryMailer(path.join(dir, "mail"), createLogger({ level: "silent" })),
      realtime: { sessionRevoked() {}, userRemoved() {}, widgetKeyRotated() {}, visitorBlocked() {}, conversationChanged() {} },
      tracing: noTracing,
      catalogEvents: { productsChanged() {}, knowledgeChanged() {} },
      productSearch: { search: async () => ({ items: [] }) },
      queue: new MemoryJobQueue(),
      channelWebhooks: { read: () => ({ ok: false, status: 401, reason: "not wired" }), subscribe: () => null },
      objects: await openLocalDiskObjectStore({ root: localMediaRoot(dir), signingSecret: "s".repeat(40), publicBaseUrl: "http://127.0.0.1" }),
      channelConnector: { connect: async () => ({ ok: false, failure: "unreachable", reason: "not wired" }) },
      commerceWebhooks: { read: () => ({ ok: false, status: 401, reason: "not wired" }) },
    });
    const server = createServer(rest.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("behind a proxy", () => {
  it("uses X-Forwarded-For for per-IP limits and audit only when TRUST_PROXY_HOPS is set, and only its last hops", async () => {
    for (const hops of [1, 0]) {
      const trusted = hops > 0;
      const t = await startTestRest({ AUTH_RATE_LIMIT_PER_MINUTE: "3", TRUST_PROXY_HOPS: String(hops) });
      try {
        const owner = await t.signup("Proxy");
        // What the proxy would forward: whatever the client claimed, then the address it saw.
        const via = (claimed: string, seen: string) => ({ "x-forwarded-for": `${claimed}, ${seen}` });
        const attempt = (headers: Record<string, string>) =>
          t.request("POST", "/api/v1/auth/login", { body: { email: owner.email, password: owner.password }, headers });
        const statuses = [];
        const route: Array<[string, string]> = [
          ["10.0.0.1", "203.0.113.7"],
          ["10.0.0.2", "198.51.100.9"],
          ["10.0.0.3", "203.0.113.7"],
          ["10.0.0.4", "203.0.113.7"],
          ["10.0.0.5", "203.0.113.7"],
        ];
        for (const [claimed, seen] of route) {
          statuses.push((await attempt(via(claimed, seen))).status);
        }
        // Trusted: one bucket per address the proxy saw, whatever the client claims (a fourth call from
        // 203.0.113.7 is over). Untrusted: one socket address for everything, signup and its
        // confirmation included, so the second login is over the limit.
        expect(statuses).toEqual(trusted ? [200, 200, 200, 200, 429] : [200, 429, 429, 429, 429]);
        const audit = await t.request("GET", "/api/v1/audit", { token: owner.token });
        const ips = audit.body.items.filter((a: { action: string }) => a.action === "auth.login").map((a: { ip: string }) => a.ip);
        expect(ips.includes("203.0.113.7")).toBe(trusted);
        expect(ips.some((ip: string) => ip.startsWith("10.0.0."))).toBe(false);
      } finally {
        await t.close();
      }
    }
  });

  it("without a trusted proxy, each real source address has its own bucket and X-Forwarded-For changes nothing", async () => {
    const t = await startTestRest({ AUTH_RATE_LIMIT_PER_MINUTE: "2" });
    try {
      const login = (from: string, spoof: string) =>
        t.request("POST", "/api/v1/auth/login", { from, body: { email: "nobody@example.com", password: "wrong-password" }, headers: { "x-forwarded-for": spoof } });
      const fromA = [await login("127.0.0.11", "1.1.1.1"), await login("127.0.0.11", "2.2.2.2"), await login("127.0.0.11", "3.3.3.3")];
      expect(fromA.map((r) => r.status)).toEqual([401, 401, 429]);
      expect((await login("127.0.0.12", "1.1.1.1")).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe("raw bodies", () => {
  it("keeps the exact request bytes for signature checks", async () => {
    const app = new Koa<RestState>();
    app.use(async (ctx) => {
      const raw = await readRawBody(ctx, 1024);
      ctx.body = { length: raw.length, same: (await readRawBody(ctx, 1024)) === raw, hex: raw.toString("hex") };
    });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const payload = Buffer.from('{ "a" :1,\n"b":"\u00e9"}  ', "utf8");
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: "POST", body: payload });
      const body = (await res.json()) as { length: number; same: boolean; hex: string };
      expect(body).toEqual({ length: payload.length, same: true, hex: payload.toString("hex") });
    } finally {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
  });
});
