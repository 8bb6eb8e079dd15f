// The read cache with real processes: redis-server, a REST process and a hub process sharing one
// SQLite file. The hub reads the store's widget settings through its L1 and the shared Redis L2 on
// every widget handshake; a settings change made through REST (another process) reaches the hub's
// next handshakes through the invalidation broadcast. The TTLs are set far beyond the test, so
// nothing but the invalidation can make the hub see the change.
import { openSqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, randomSecret, type Store } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer, testStoreCrypto } from "@kaleem/shared/testing";
import { spawnRole, stopRole, type RoleProcess } from "./processes.test-helpers.js";
import { closeAllClients, refusalOf, until, widgetClient } from "./realtime.test-helpers.js";

let redis: RedisServer;
let dataDir: string;
let store: Store;
let rest: RoleProcess;
let hub: RoleProcess;
const procs: RoleProcess[] = [];
const email = `owner-${Date.now()}@cache.example`;
const password = "a long and unguessable passphrase";
let widgetKey: string;

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-cache-cluster-"));
  const encryptionKey = randomSecret(40);
  store = await openSqliteStore({ crypto: testStoreCrypto(encryptionKey), file: path.join(dataDir, "kaleem.db") });
  const { merchant } = await store.createMerchant(
    { name: "Cached shop", widget: { allowedOrigins: ["https://shop.example"], allowApps: false } },
    { email, name: "Owner", role: "owner", passwordHash: await hashPassword(password) },
  );
  widgetKey = merchant.widget.key;
  const env = {
    JWT_ACCESS_SECRET: randomSecret(40),
    JWT_REFRESH_SECRET: randomSecret(40),
    VISITOR_TOKEN_SECRET: randomSecret(40),
    ENCRYPTION_KEY: encryptionKey,
    KALEEM_SINGLE_HOST: "true",
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix("cache"),
    KALEEM_DATA_DIR: dataDir,
    KALEEM_SEED_DEMO: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    CACHE_L1_TTL_MS: "3600000",
    CACHE_L2_TTL_MS: "3600000",
  };
  const started = await Promise.allSettled([spawnRole("rest", env, { KALEEM_ROLE: "rest" }), spawnRole("hub", env, { KALEEM_ROLE: "hub" })]);
  for (const s of started) if (s.status === "fulfilled") procs.push(s.value);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  [rest, hub] = procs as [RoleProcess, RoleProcess];
}, 180_000);

afterEach(() => closeAllClients());
afterAll(async () => {
  try {
    await Promise.allSettled(procs.map(stopRole));
    await store?.close();
  } finally {
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});

/** "connected", or the refusal's code. */
function handshake(origin: string): Promise<string> {
  const socket: Socket = widgetClient(hub.url, widgetKey, { origin });
  return new Promise((resolve) => {
    socket.once("connect", () => {
      resolve("connected");
      socket.disconnect();
    });
    socket.once("connect_error", (err: Error) => resolve(refusalOf(err).code ?? err.message));
  });
}

async function metric(proc: RoleProcess, name: string, layer: string): Promise<number> {
  const text = await (await fetch(`${proc.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(`layer="${layer}"`) && l.includes(`cache="merchant-profile"`));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("read cache across processes", () => {
  it("serves the hub's handshakes from its cache, and a REST settings change is in the hub's next handshakes", async () => {
    expect(await handshake("https://shop.example")).toBe("connected");
    expect(await handshake("https://shop.example")).toBe("connected");
    expect(await metric(hub, "kaleem_cache_hits_total", "l1")).toBeGreaterThanOrEqual(1);
    expect(await handshake("https://new.example")).toBe("origin_not_allowed");

    const login = await fetch(`${rest.url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const patched = await fetch(`${rest.url}/api/v1/settings/widget`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ allowedOrigins: ["https://new.example"] }),
    });
    expect(patched.status).toBe(200);

    // Pub/sub is asynchronous: the hub hears of the write moments after REST answered.
    await until(async () => (await handshake("https://shop.example")) === "origin_not_allowed", "the hub refuses the removed origin", 10_000);
    expect(await handshake("https://new.example")).toBe("connected");
    // REST's own read goes through the same cache and sees the write at once.
    const read = await fetch(`${rest.url}/api/v1/settings/widget`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(((await read.json()) as { allowedOrigins: string[] }).allowedOrigins).toEqual(["https://new.example"]);
  });
});
