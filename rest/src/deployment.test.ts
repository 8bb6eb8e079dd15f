// Behaviour that depends on how the process is deployed: production headers, proxies, raw bodies.
import { MemoryRateLimiter, MemoryTokenBlacklist, openSqliteStore } from "@kaleem/shared/adapters";
import { createLogger, loadConfig, Metrics, TokenService } from "@kaleem/shared";
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
    const store = await openSqliteStore({ file: path.join(dir, "db.sqlite") });
    const config = loadConfig({
      NODE_ENV: "production",
      KALEEM_DATA_DIR: dir,
      JWT_ACCESS_SECRET: "a".repeat(40),
      JWT_REFRESH_SECRET: "b".repeat(40),
      VISITOR_TOKEN_SECRET: "c".repeat(40),
      ENCRYPTION_KEY: "d".repeat(40),
    });
    const blacklist = new MemoryTokenBlacklist();
    const rest = createRestApp({
      config,
      store,
      logger: createLogger({ level: "silent" }),
      metrics: new Metrics({ defaultMetrics: false }),
      blacklist,
      tokens: new TokenService(config, blacklist),
      rateLimiter: new MemoryRateLimiter(),
      realtime: { sessionRevoked() {}, userRemoved() {}, widgetKeyRotated() {}, conversationChanged() {} },
      catalogEvents: { productsChanged() {} },
      productSearch: { search: async () => ({ items: [] }) },
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
  it("uses X-Forwarded-For for per-IP limits and audit only when trustProxy is set", async () => {
    for (const trustProxy of [true, false]) {
      const t = await startTestRest({ AUTH_RATE_LIMIT_PER_MINUTE: "2" }, { trustProxy });
      try {
        const from = (ip: string) => ({ "x-forwarded-for": ip });
        const signup = await t.request("POST", "/api/v1/auth/signup", {
          body: { storeName: "Proxy", email: `proxy-${trustProxy}@example.com`, password: "long-enough-pw" },
          headers: from("203.0.113.7"),
        });
        expect(signup.status).toBe(201);
        const second = await t.request("POST", "/api/v1/auth/login", {
          body: { email: `proxy-${trustProxy}@example.com`, password: "long-enough-pw" },
          headers: from("198.51.100.9"),
        });
        expect(second.status).toBe(200);
        const third = await t.request("POST", "/api/v1/auth/login", {
          body: { email: `proxy-${trustProxy}@example.com`, password: "long-enough-pw" },
          headers: from("203.0.113.7"),
        });
        // Trusted: two addresses, two buckets. Untrusted: one socket address, the third call is over.
        expect(third.status).toBe(trustProxy ? 200 : 429);
        const audit = await t.request("GET", "/api/v1/audit", { token: signup.body.accessToken });
        const signupRow = audit.body.items.find((a: { action: string }) => a.action === "auth.signup");
        expect(signupRow.ip === "203.0.113.7").toBe(trustProxy);
      } finally {
        await t.close();
      }
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
