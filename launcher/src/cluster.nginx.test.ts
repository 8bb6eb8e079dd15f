// The cluster behind its edge: Debian's nginx running the shipped nginx/nginx.conf in front of two
// hub processes, a rest and a workers process, over a spawned redis-server. Clients reach the
// product only through nginx (TLS, websocket and long-polling); the shopper's hub is SIGKILLed
// mid-answer: the shopper and the agent who were on it reconnect through nginx and end with the
// stored text, no gap, nothing twice; the agent on the other hub never notices.
// Without nginx this fails (startEdge throws); it never skips.
import { openSqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import type { ManagerOptions, Socket, SocketOptions } from "socket.io-client";
import { asMerchantId, hashPassword, LOAD_BALANCING_QUERY, randomSecret, seedDemoStore, type DemoInfo, type Message, type MessageDelta, type ResumeResult, type Store } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer, testStoreCrypto } from "@kaleem/shared/testing";
import { edgeRequest, startEdge, type Edge } from "./nginx.test-helpers.js";
import { killRole, repoRoot, spawnRole, stopRole, type RoleProcess } from "./processes.test-helpers.js";
import { Recorder, SHOP_ORIGIN, StreamAssembler, connected, inboxClient, ok, openConversation, until, widgetClient } from "./realtime.test-helpers.js";

let redis: RedisServer;
let dataDir: string;
let store: Store;
let demo: DemoInfo;
let edge: Edge;
let hubs: RoleProcess[] = [];
let rest: RoleProcess;
let workers: RoleProcess;
const procs: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-edge-"));
  // The processes' key: the test reads the same sealed details from the shared file.
  const encryptionKey = randomSecret(40);
  store = await openSqliteStore({ crypto: testStoreCrypto(encryptionKey), file: path.join(dataDir, "kaleem.db") });
  demo = await seedDemoStore(store, { origins: [SHOP_ORIGIN], hashPassword: (p) => hashPassword(p) });
  const env = {
    JWT_ACCESS_SECRET: randomSecret(40),
    JWT_REFRESH_SECRET: randomSecret(40),
    VISITOR_TOKEN_SECRET: randomSecret(40),
    ENCRYPTION_KEY: encryptionKey,
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix("edge"),
    KALEEM_DATA_DIR: dataDir,
    // One host: every role shares this SQLite file (the cluster's store would be MongoDB).
    KALEEM_SINGLE_HOST: "true",
    KALEEM_SEED_DEMO: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    // nginx is the one proxy in front: its X-Forwarded-For entry is the client's address.
    TRUST_PROXY_HOPS: "1",
  };
  const started = await Promise.all([
    spawnRole("hub-1", env, { KALEEM_ROLE: "hub" }),
    spawnRole("hub-2", env, { KALEEM_ROLE: "hub" }),
    spawnRole("rest", env, { KALEEM_ROLE: "rest" }),
    // Slow pacing so the answer is still streaming when its hub dies.
    spawnRole("workers", env, { KALEEM_ROLE: "workers", BOT_STREAM_DELAY_MS: "150" }),
  ]);
  procs.push(...started);
  [hubs, rest, workers] = [started.slice(0, 2), started[2]!, started[3]!];
  edge = await startEdge({ hubs: hubs.map((h) => h.url), rest: [rest.url] });
}, 120_000);

afterAll(async () => {
  if (process.env.EDGE_DEBUG) for (const p of procs) console.log(p.name, p.output.join("").slice(-4000));
  try {
    await edge?.stop();
    await Promise.allSettled(procs.map(stopRole));
    await store?.close();
  } finally {
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Sockets connected to a hub's namespace, from its own /metrics (the gauge the hub keeps). */
async function connectedOn(hub: RoleProcess, namespace: "widget" | "inbox"): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const m = new RegExp(`kaleem_socket_connected\\{[^}]*namespace="${namespace}"[^}]*\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

/** Which hub nginx sent this client to: the only one whose gauge counts it. */
async function hubOf(namespace: "widget" | "inbox", expected: number[]): Promise<RoleProcess> {
  let found: RoleProcess | undefined;
  await until(async () => {
    const counts = await Promise.all(hubs.map((h) => (h.child.exitCode === null && h.child.signalCode === null ? connectedOn(h, namespace) : Promise.resolve(0))));
    const idx = counts.findIndex((c, i) => c === (expected[i] ?? 0) + 1);
    found = idx >= 0 && counts.reduce((a, b) => a + b, 0) === expected.reduce((a, b) => a + b, 0) + 1 ? hubs[idx] : undefined;
    return found !== undefined;
  }, `a ${namespace} socket counted on one hub`);
  return found!;
}

const tls = () => ({ ca: edge.ca });

describe("the shipped nginx in front of two hubs, rest and workers", () => {
  it("passes nginx -t with the shipped file", () => {
    expect(edge.configTest.status).toBe(0);
    expect(edge.configTest.output).toMatch(/syntax is ok/);
    expect(readFileSync(path.join(edge.dir, "nginx.conf"), "utf8")).toBe(readFileSync(path.join(repoRoot, "nginx", "nginx.conf"), "utf8"));
  });

  it("redirects plain HTTP to HTTPS and adds the security headers", async () => {
    const plain = await fetch(`${edge.plainUrl}/dashboard/`, { redirect: "manual" });
    expect(plain.status).toBe(301);
    expect(plain.headers.get("location")).toBe("https://127.0.0.1/dashboard/");
    // What the compose health check asks, on plain HTTP.
    const alive = await fetch(`${edge.plainUrl}/nginx-healthz`, { redirect: "manual" });
    expect(alive.status).toBe(200);
    expect(await alive.text()).toBe("ok\n");
    const health = await edgeRequest(edge, "/healthz");
    expect(health.status).toBe(200);
    expect(health.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    expect(health.headers["server"]).toBe("nginx");
    // REST's /metrics is for the internal scraper: the edge does not serve it.
    expect((await edgeRequest(edge, "/metrics")).status).toBe(404);
    expect((await fetch(`${rest.url}/metrics`)).status).toBe(200);
  });

  it("compresses the dashboard's hashed assets and caches them for a year", async () => {
    const index = readFileSync(path.join(repoRoot, "dashboard", "dist", "index.html"), "utf8");
    const asset = /\/dashboard\/assets\/[^"']+\.js/.exec(index)?.[0];
    expect(asset, "a hashed script in the built dashboard").toBeDefined();
    const res = await edgeRequest(edge, asset!, { headers: { "Accept-Encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const widget = await edgeRequest(edge, "/widget.js", { headers: { "Accept-Encoding": "gzip" } });
    expect(widget.status).toBe(200);
    expect(widget.headers["content-encoding"]).toBe("gzip");
  });

  it("gives /webhooks/ its own body limit, below the API's", async () => {
    const body = "x".repeat(1_500_000);
    const hook = await edgeRequest(edge, "/webhooks/telegram/00000000-0000-0000-0000-000000000000", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(hook.status).toBe(413);
    expect(hook.headers["content-type"]).toMatch(/text\/html/); // nginx's page: the request never reached REST
    const api = await edgeRequest(edge, "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(api.status).toBe(413);
    expect(api.headers["content-type"], "REST's own limit (BODY_LIMIT_BYTES) answered").toMatch(/application\/json/);
  });

  it("passes the client's address on to REST and the hubs (X-Forwarded-For, TRUST_PROXY_HOPS=1)", async () => {
    // A client at 127.0.0.2; nginx itself reaches the roles from 127.0.0.1.
    const login = await edgeRequest(edge, "/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: demo.email, password: demo.password }),
      localAddress: "127.0.0.2",
    });
    expect(login.status).toBe(200);
    const audit = await store.forMerchant(asMerchantId(demo.merchantId)).audit.list({ limit: 20 });
    expect(audit.items.find((a) => a.action === "auth.login")?.ip).toBe("127.0.0.2");

    // ws takes localAddress from the options (Node only, so not in the browser option types).
    const from = { localAddress: "127.0.0.2" } as Partial<ManagerOptions & SocketOptions>;
    const shopper = widgetClient(edge.url, demo.widgetKey, { origin: SHOP_ORIGIN, io: { ...tls(), ...from, query: { [LOAD_BALANCING_QUERY]: "address-probe" } } });
    await connected(shopper);
    // The hub counted the connect against the shopper's address, not nginx's.
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys("*widget:connects:ip:*");
      expect(keys.some((k) => k.endsWith(":127.0.0.2"))).toBe(true);
      expect(keys.some((k) => k.endsWith(":127.0.0.1"))).toBe(false);
    } finally {
      client.disconnect();
    }
    shopper.disconnect();
    await until(async () => (await Promise.all(hubs.map((h) => connectedOn(h, "widget")))).every((n) => n === 0), "the probe socket gone");
  });

  it("lets the dashboard's own page open /inbox through nginx (its Origin matches the Host nginx passes on)", async () => {
    const login = await edgeRequest(edge, "/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: demo.email, password: demo.password }),
    });
    expect(login.status).toBe(200);
    const token = (JSON.parse(login.text) as { accessToken: string }).accessToken;
    // The edge listens on a port other than 443: the Origin carries it, and so must the Host.
    for (const transports of [["websocket"], ["polling"]]) {
      const page = inboxClient(edge.url, token, { origin: edge.url, transports, io: { ...tls(), query: { [LOAD_BALANCING_QUERY]: `dashboard-${transports[0]}` } } });
      await connected(page);
      page.disconnect();
    }
  });

  it("streams across nodes through nginx and recovers from losing the shopper's hub mid-answer", async () => {
    const login = await edgeRequest(edge, "/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: demo.email, password: demo.password }),
    });
    expect(login.status).toBe(200);
    const token = (JSON.parse(login.text) as { accessToken: string }).accessToken;

    // The agent long-polls (every request of the session must reach the same hub).
    const agentKey = "agent-tab-1";
    const agent = inboxClient(edge.url, token, { transports: ["polling"], io: { ...tls(), query: { [LOAD_BALANCING_QUERY]: agentKey } } });
    await connected(agent);
    const agentHub = await hubOf("inbox", [0, 0]);
    const aRec = new Recorder(agent);

    // The shopper on a websocket, on the other hub: keys spread clients over hubs; try keys until
    // one lands there (the hash is fixed per key, so this is a search, not a retry).
    let shopper: Socket | undefined;
    let shopperKey = "";
    let shopperHub: RoleProcess | undefined;
    for (let i = 0; i < 40 && !shopperHub; i++) {
      shopperKey = `shopper-tab-${i}`;
      const s = widgetClient(edge.url, demo.widgetKey, { origin: SHOP_ORIGIN, io: { ...tls(), query: { [LOAD_BALANCING_QUERY]: shopperKey } } });
      await connected(s);
      const at = await hubOf("widget", [0, 0]);
      if (at !== agentHub) {
        shopper = s;
        shopperHub = at;
      } else {
        s.disconnect();
        await until(async () => (await connectedOn(at, "widget")) === 0, "the probe socket gone");
      }
    }
    expect(shopperHub, "some key lands on the hub the agent is not on").toBeDefined();
    expect(shopperHub).not.toBe(agentHub);
    const sRec = new Recorder(shopper!);
    const open = await openConversation(store, shopper!, demo.merchantId, { locale: "en" });
    await ok(agent, "conversation:watch", { conversationId: open.conversationId });

    // A second agent on a websocket, on the shopper's hub (the one that will die).
    let watcher: Socket | undefined;
    let watcherKey = "";
    for (let i = 0; i < 40 && !watcher; i++) {
      watcherKey = `agent-tab-2-${i}`;
      const w = inboxClient(edge.url, token, { io: { ...tls(), query: { [LOAD_BALANCING_QUERY]: watcherKey } } });
      await connected(w);
      const at = await hubOf("inbox", hubs.map((h) => (h === agentHub ? 1 : 0)));
      if (at === shopperHub) watcher = w;
      else {
        w.disconnect();
        await until(async () => (await connectedOn(at, "inbox")) === 1, "the probe socket gone");
      }
    }
    expect(watcher, "some key lands on the shopper's hub").toBeDefined();
    const wRec = new Recorder(watcher!);
    await ok(watcher!, "conversation:watch", { conversationId: open.conversationId });

    const sent = await ok<{ message: Message }>(shopper!, "message:send", { conversationId: open.conversationId, clientMessageId: "edge-1", text: "do you have black abayas?" });
    await until(() => sRec.deltas.length >= 2, "deltas through nginx on the shopper's hub");
    const messageId = sRec.deltas[0]!.messageId;
    const shopperAsm = new StreamAssembler(messageId);
    for (const d of sRec.deltasOf(messageId)) shopperAsm.delta(d);
    const lost = Promise.all([new Promise((r) => shopper!.once("disconnect", r)), new Promise((r) => watcher!.once("disconnect", r))]);

    await killRole(shopperHub!);
    await lost;
    expect(sRec.dones, "the answer was still streaming when its hub died").toHaveLength(0);

    // The shopper's client reconnects through nginx with the same key, now over long-polling: the
    // dead hub refuses connections, so nginx sends the handshake and every poll after it to the other.
    const again = widgetClient(edge.url, demo.widgetKey, {
      origin: SHOP_ORIGIN,
      visitorToken: open.visitorToken,
      transports: ["polling"],
      io: { ...tls(), query: { [LOAD_BALANCING_QUERY]: shopperKey } },
    });
    const bRec = new Recorder(again);
    await connected(again);
    await until(async () => (await connectedOn(agentHub, "widget")) === 1, "the shopper counted on the surviving hub");
    const resumed = await ok<ResumeResult>(again, "conversation:resume", { conversationId: open.conversationId, afterSeq: sent.message.seq });
    // Nothing the shopper had is sent again: only what came after their last seq.
    expect(resumed.messages.every((m) => m.seq > sent.message.seq)).toBe(true);
    const partial = resumed.streaming.find((p) => p.messageId === messageId);
    expect(partial, "resumed mid-answer: it is still streaming").toBeDefined();
    expect(partial!.text.startsWith(shopperAsm.text)).toBe(true);
    shopperAsm.partial(partial!.text);
    for (const d of bRec.deltasOf(messageId)) shopperAsm.delta(d);
    for (const m of bRec.dones) shopperAsm.finish(m);
    again.on("message:delta", (d: MessageDelta) => shopperAsm.delta(d));
    again.on("message:done", (p: { message: Message }) => shopperAsm.finish(p.message));

    // The second agent reconnects through nginx too, long-polling this time, and resumes as a watcher.
    const watcherAgain = inboxClient(edge.url, token, { transports: ["polling"], io: { ...tls(), query: { [LOAD_BALANCING_QUERY]: watcherKey } } });
    const w2Rec = new Recorder(watcherAgain);
    await connected(watcherAgain);
    await ok(watcherAgain, "conversation:watch", { conversationId: open.conversationId });
    const watcherAsm = new StreamAssembler(messageId);
    for (const d of wRec.deltasOf(messageId)) watcherAsm.delta(d);
    const watcherResumed = await ok<ResumeResult>(watcherAgain, "conversation:resume", { conversationId: open.conversationId, afterSeq: sent.message.seq });
    const watcherPartial = watcherResumed.streaming.find((p) => p.messageId === messageId);
    const watcherStored = watcherResumed.messages.find((m) => m.id === messageId && m.status !== "streaming");
    expect(watcherPartial ?? watcherStored, "the answer is in the watcher's resume").toBeDefined();
    if (watcherPartial) watcherAsm.partial(watcherPartial.text);
    if (watcherStored) watcherAsm.finish(watcherStored);
    for (const d of w2Rec.deltasOf(messageId)) watcherAsm.delta(d);
    for (const m of w2Rec.dones) watcherAsm.finish(m);
    watcherAgain.on("message:delta", (d: MessageDelta) => watcherAsm.delta(d));
    watcherAgain.on("message:done", (p: { message: Message }) => watcherAsm.finish(p.message));

    await until(() => shopperAsm.done !== null, "the shopper's final message after the failover", 60_000);
    await until(() => aRec.dones.some((m) => m.id === messageId), "the agent's final message", 60_000);
    const final = await store.forMerchant(asMerchantId(demo.merchantId)).messages.get(messageId);
    expect(final).toMatchObject({ status: "complete", seq: sent.message.seq + 1 });
    // No gap, no repeat: every delta applied at the offset the text had reached.
    expect(shopperAsm.gaps).toBe(0);
    expect(shopperAsm.text).toBe(final!.text);
    expect(shopperAsm.done!.text).toBe(final!.text);
    expect([...sRec.dones, ...bRec.dones].filter((m) => m.id === messageId), "one final message for the shopper").toHaveLength(1);
    await until(() => watcherAsm.done !== null, "the second agent's final message", 60_000);
    expect(watcherAsm.gaps).toBe(0);
    expect(watcherAsm.text).toBe(final!.text);
    expect([...wRec.dones, ...w2Rec.dones].filter((m) => m.id === messageId).length).toBeLessThanOrEqual(1);

    // The agent, long-polling on the surviving hub, saw the whole answer once, in order, from the
    // workers process through Redis.
    const agentAsm = new StreamAssembler(messageId);
    for (const d of aRec.deltasOf(messageId)) agentAsm.delta(d);
    expect(agentAsm.text).toBe(final!.text);
    expect(agentAsm.gaps + agentAsm.overlaps).toBe(0);
    expect(new Set(aRec.deltasOf(messageId).map((d) => d.offset)).size).toBe(aRec.deltasOf(messageId).length);
    expect(aRec.dones.filter((m) => m.id === messageId)).toHaveLength(1);

    // Written by the workers process, served by hubs that never ran the bot.
    const workerMetrics = await (await fetch(`${workers.url}/metrics`)).text();
    expect(workerMetrics).toMatch(/kaleem_stream_answers_total\{[^}]*outcome="complete"[^}]*\} 1/);

    // The conversation goes on through nginx on the survivor: the agent replies, the shopper gets it.
    await ok(agent, "conversation:takeover", { conversationId: open.conversationId });
    const reply = new Promise<Message>((resolve) => again.on("message:new", (p: { message: Message }) => p.message.role === "agent" && resolve(p.message)));
    await ok(agent, "message:send", { conversationId: open.conversationId, clientMessageId: "edge-agent-1", text: "Happy to help with sizes" });
    expect((await reply).text).toBe("Happy to help with sizes");
    again.disconnect();
    agent.disconnect();
    watcherAgain.disconnect();
  }, 120_000);

  it("rate-limits sign-in attempts per address at the edge", async () => {
    const statuses: Array<{ status: number; type: string }> = [];
    for (let i = 0; i < 40; i++) {
      const res = await edgeRequest(edge, "/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: "wrong password" }),
      });
      statuses.push({ status: res.status, type: String(res.headers["content-type"]) });
    }
    // nginx's 429 page (HTML), not REST's JSON: one request and a burst of 20 pass, then nothing
    // until 10/min refills.
    const fromEdge = (s: { status: number; type: string }) => s.status === 429 && s.type.includes("text/html");
    expect(statuses.some(fromEdge)).toBe(true);
    // At most one request and the burst of 20 passed first (fewer: earlier sign-ins used some).
    expect(statuses.findIndex(fromEdge)).toBeLessThanOrEqual(21);
  });
});
