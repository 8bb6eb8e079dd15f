// One process of the end-to-end benchmarks (scripts/bench/e2e.ts forks it): a server (Kaleem
// embedded, or the bare baseline of the same measure) or a load generator. Servers report their
// own CPU time (process.cpuUsage) and memory when asked, so the figures are the server's alone.
// Everything listens on 127.0.0.1 and every loop is bounded in count.
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { WebSocketServer, WebSocket } from "ws";
import { asMerchantId, CHANNEL_INBOUND_JOB, INBOX_NAMESPACE, integrationSecrets, loadConfig, storeCrypto, WIDGET_NAMESPACE, type BotEngine, type BotEvent, type Config, type Store } from "@kaleem/shared";
import { MemoryJobQueue, openSqliteStore } from "@kaleem/shared/adapters";

type Msg = Record<string, unknown> & { type: string };
const send = (m: Msg) => process.send!(m);
const now = () => performance.timeOrigin + performance.now();
const role = process.argv[2]!;
const options = JSON.parse(process.argv[3] ?? "{}") as Record<string, unknown>;

const TOKENS = Number(options.tokens ?? 40);
const TOKEN_GAP_MS = Number(options.tokenGapMs ?? 25);

/** ~40 tokens/s; each token carries the moment it was produced, so clients measure hub-added latency. */
class PacedBot implements BotEngine {
  async *reply(_input: unknown, signal: AbortSignal): AsyncIterable<BotEvent> {
    yield { type: "intent", intent: "other", confidence: 1 };
    for (let i = 0; i < TOKENS && !signal.aborted; i++) {
      yield { type: "delta", text: `${now().toFixed(3)} ` };
      if (TOKEN_GAP_MS > 0) await new Promise((r) => setTimeout(r, TOKEN_GAP_MS));
    }
  }
}

function serverReport() {
  const cpu = process.cpuUsage();
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  // cpuUsage counts every thread of the process; the event loop's active time is the main
  // (socket) thread's alone.
  return { cpuMs: (cpu.user + cpu.system) / 1000, mainBusyMs: performance.eventLoopUtilization().active, heap: mem.heapUsed, rss: mem.rss };
}

const LIFTED = {
  WIDGET_CONNECTS_PER_MINUTE_PER_IP: "10000000",
  WIDGET_CONNECTS_PER_MINUTE_PER_STORE: "10000000",
  WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP: "10000000",
  WIDGET_CONVERSATIONS_PER_MINUTE_PER_STORE: "10000000",
  WIDGET_MESSAGES_PER_MINUTE_PER_IP: "10000000",
  WIDGET_MESSAGES_PER_MINUTE_PER_STORE: "10000000",
  SOCKET_EVENTS_PER_10S: "100000",
  RATE_LIMIT_PER_MINUTE: "10000000",
  AUTH_RATE_LIMIT_PER_MINUTE: "100000",
  BOT_MAX_CONCURRENT_PER_STORE: "8",
  BOT_MAX_PENDING_PER_STORE: "100000",
};

async function kaleemServer(): Promise<void> {
  const { startKaleem } = await import("@kaleem/launcher");
  const dataDir = String(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const coalesce = options.coalesceMs === undefined ? {} : { BOT_STREAM_COALESCE_MS: String(options.coalesceMs) };
  const threads = options.engineThreads === undefined ? {} : { BOT_ENGINE_THREADS: String(options.engineThreads) };
  const ingestEnv = options.ingest === true ? INGEST_LIFTED : {};
  if (options.ingest === true) holdChannelJobs();
  const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0", ...LIFTED, ...threads, ...coalesce, ...ingestEnv });
  const started = performance.now();
  const k = await startKaleem(config, { ...(options.bot === "paced" ? { bot: new PacedBot() } : {}), printCredentials: false, seedDemo: true });
  const readyMs = performance.now() - started;
  const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as { email: string; password: string; widgetKey: string; merchantId?: string };
  const merchantId = (await k.store.lookup.merchantByWidgetKey(demo.widgetKey))!;
  const rows = Number(options.rows ?? 0);
  if (rows > 0) {
    const tenant = k.store.forMerchant(asMerchantId(merchantId));
    const have = await tenant.products.count();
    for (let i = have; i < rows; i++) {
      await tenant.products.create({ name: { en: `Bench product ${i}`, ar: `منتج ${i}` }, description: { en: "A generated product", ar: "منتج مولد" }, price: 10 + (i % 500), tags: ["bench"], attributes: { size: "M" } });
      await tenant.conversations.create({ channel: "webchat", visitorId: `bench-${i}` });
    }
  }
  const ingest = options.ingest === true ? await ingestChannels(k, merchantId) : undefined;
  send({ type: "ready", url: k.url, ...demo, merchantId, dbFile: path.join(dataDir, "kaleem.db"), readyMs, uptimeMs: process.uptime() * 1000, ingest });
  process.on("message", (m: Msg) => {
    if (m.type === "report") send({ type: "report", ...serverReport() });
    if (m.type === "depth") void k.queue.depth(CHANNEL_INBOUND_JOB).then((depth) => send({ type: "depth", depth }));
    if (m.type === "stop") void k.close().then(() => process.exit(0));
  });
}

/** The value of an unlabelled counter in a Prometheus text rendering (0 when absent). */
const counterIn = (body: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(body)?.[1] ?? 0);

/**
 * The cross-node row: one role process of a cluster (KALEEM_ROLE hub, workers or rest over
 * REDIS_URL, in options.env) on the shared SQLite file; the paced bot answers in the workers
 * process, the REST process seeds the demo store. Its report adds the emits Redis did not take.
 */
async function kaleemNode(): Promise<void> {
  const { startKaleem } = await import("@kaleem/launcher");
  const dataDir = String(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const env = options.env as Parameters<typeof loadConfig>[1];
  const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0", ...LIFTED, ...env });
  const k = await startKaleem(config, { ...(config.role === "workers" ? { bot: new PacedBot() } : {}), printCredentials: false, seedDemo: config.role === "rest" });
  const demoFile = path.join(dataDir, "demo.json");
  const demo = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, "utf8")) as Record<string, unknown>) : {};
  send({ type: "ready", url: k.url, ...demo });
  process.on("message", (m: Msg) => {
    if (m.type === "report")
      void k.metrics.render().then(({ body }) => send({ type: "report", ...serverReport(), emitFailures: counterIn(body, "kaleem_socket_emit_failures_total") }));
    if (m.type === "stop") void k.close().then(() => process.exit(0));
  });
}

/** Bare Socket.IO: sockets join the rooms they name; "stream" emits paced tokens to a room; "ask" answers with fixed words. */
async function bareServer(): Promise<void> {
  const server = http.createServer();
  const ioServer = new Server(server, { serveClient: false });
  const nsp = ioServer.of("/bare");
  const words = String(options.answer ?? "").split(/(?<= )/);
  nsp.on("connection", (s) => {
    s.on("join", (room: string, cb: () => void) => {
      void s.join(room);
      cb();
    });
    s.on("stream", async (room: string, cb: () => void) => {
      cb();
      for (let i = 0; i < TOKENS; i++) {
        nsp.to(room).emit("message:delta", { conversationId: room, messageId: "m", offset: i, text: `${now().toFixed(3)} ` });
        if (TOKEN_GAP_MS > 0) await new Promise((r) => setTimeout(r, TOKEN_GAP_MS));
      }
      nsp.to(room).emit("message:done", { message: { id: "m", role: "bot" } });
    });
    s.on("ask", (room: string, cb: (r: unknown) => void) => {
      cb({ ok: true });
      let offset = 0;
      for (const w of words) {
        nsp.to(room).emit("message:delta", { conversationId: room, messageId: "m", offset, text: w });
        offset += w.length;
      }
      nsp.to(room).emit("message:done", { message: { id: "m", role: "bot" } });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  send({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.on("message", (m: Msg) => {
    if (m.type === "report") send({ type: "report", ...serverReport() });
    if (m.type === "stop") process.exit(0);
  });
}

/** Raw `ws`: accepts and holds connections (the density baseline below Socket.IO). */
async function wsServer(): Promise<void> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (c) => c.on("message", () => undefined));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  send({ type: "ready", url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.on("message", (m: Msg) => {
    if (m.type === "report") send({ type: "report", ...serverReport() });
    if (m.type === "stop") process.exit(0);
  });
}

/** node:http + the same store query as the REST route + JSON.stringify (the REST list baseline). */
async function bareHttp(): Promise<void> {
  // The server's own data dir config: the same keys open the same sealed details.
  const crypto = storeCrypto(loadConfig({}, { KALEEM_DATA_DIR: path.dirname(String(options.dbFile)), LOG_LEVEL: "silent" }));
  const store = await openSqliteStore({ crypto, file: String(options.dbFile) });
  const tenant = store.forMerchant(asMerchantId(String(options.merchantId)));
  const server = http.createServer((req, res) => {
    const list = req.url?.startsWith("/conversations") ? tenant.conversations.list({}, { limit: 50 }) : tenant.products.list({}, { limit: 50 });
    void list.then((page) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(page));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  send({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.on("message", (m: Msg) => {
    if (m.type === "report") send({ type: "report", ...serverReport() });
    if (m.type === "stop") void store.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- webhook ingest (row 6)

/** Row 6's server: the provider webhook limit per source address lifted (the load comes from one address). */
const INGEST_LIFTED = { WEBHOOK_RATE_LIMIT_PER_MINUTE: "10000000" };

/**
 * Row 6 measures ingest (verify, store, queue) alone: the workers' channel-inbound processor is
 * never registered in this process, so every queued job stays queued (and is counted afterwards)
 * instead of running customer lookups and bot answers in the middle of the measure.
 */
function holdChannelJobs(): void {
  const register = MemoryJobQueue.prototype.process;
  MemoryJobQueue.prototype.process = function (this: MemoryJobQueue, ...args: Parameters<typeof register>) {
    if (args[0] === CHANNEL_INBOUND_JOB) return;
    register.apply(this, args);
  } as typeof register;
}

export interface IngestChannels {
  telegram: { id: string; secretToken: string };
  whatsapp: { id: string; appSecret: string; phoneNumberId: string };
}

/** A Telegram and a WhatsApp channel of the demo store, written as the connect route writes them (as attacks.webhooks.test.ts does). */
async function ingestChannels(k: { store: Store; config: Config }, merchantId: string): Promise<IngestChannels> {
  const tenant = k.store.forMerchant(asMerchantId(merchantId));
  const box = integrationSecrets(k.config);
  // Sends would go nowhere: no job runs here, and loopback is refused by the outbound guard anyway.
  const apiBaseUrl = "http://127.0.0.1:9";
  const secretToken = "bench-telegram-secret-token";
  const tg = await tenant.channels.create({ type: "telegram", name: "Bench Telegram", publicConfig: { apiBaseUrl }, secretsCiphertext: box.seal({ botToken: "123456789:AAEbenchTokenForTheIngestBenchmark", secretToken }) });
  const phoneNumberId = "105550006666";
  const appSecret = "bench-whatsapp-app-secret";
  const wa = await tenant.channels.create({
    type: "whatsapp",
    name: "Bench WhatsApp",
    publicConfig: { phoneNumberId, verifyToken: "bench-verify-token", apiBaseUrl },
    secretsCiphertext: box.seal({ accessToken: "EAAG-bench-access-token", appSecret }),
  });
  return { telegram: { id: tg.id, secretToken }, whatsapp: { id: wa.id, appSecret, phoneNumberId } };
}

/** Row 6's baseline: node:http that reads the body, parses the JSON and answers 200 (counting what it parsed). */
async function bareWebhook(): Promise<void> {
  let parsed = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
      parsed++;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  send({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.on("message", (m: Msg) => {
    if (m.type === "report") send({ type: "report", ...serverReport(), parsed });
    if (m.type === "stop") process.exit(0);
  });
}

/**
 * Row 6's load: `concurrency` keep-alive connections POST `requests` webhooks per "run",
 * alternately a Telegram update and a WhatsApp message, each a distinct event (its own update_id /
 * wamid), signed as the provider signs. Building and signing a body happens before its clock starts.
 */
async function loadWebhooks(url: string, concurrency: number, channels: IngestChannels | null) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let seq = 0;
  const next = (): { pathname: string; body: string; headers: Record<string, string> } => {
    seq++;
    const at = Math.floor(Date.now() / 1000);
    const user = 700_000_000 + (seq % 5_000);
    if (seq % 2 === 1) {
      const body = JSON.stringify({
        update_id: 800_000_000 + seq,
        message: { message_id: seq, from: { id: user, is_bot: false, first_name: "Salem", language_code: "ar" }, chat: { id: user, first_name: "Salem", type: "private" }, date: at, text: `Do you ship to Riyadh? #${seq}` },
      });
      return { pathname: `/webhooks/telegram/${channels?.telegram.id ?? "tg"}`, body, headers: { "x-telegram-bot-api-secret-token": channels?.telegram.secretToken ?? "" } };
    }
    const phone = `9665${String(user).slice(-8)}`;
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "5467539754836534",
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "966112345678", phone_number_id: channels?.whatsapp.phoneNumberId ?? "1" },
                contacts: [{ profile: { name: "Noura" }, wa_id: phone }],
                messages: [{ from: phone, id: `wamid.BENCH${seq}`, timestamp: String(at), type: "text", text: { body: `How much is the black abaya? #${seq}` } }],
              },
              field: "messages",
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac("sha256", channels?.whatsapp.appSecret ?? "bare").update(body).digest("hex")}`;
    return { pathname: `/webhooks/meta/${channels?.whatsapp.id ?? "wa"}`, body, headers: { "x-hub-signature-256": signature } };
  };
  const post = (d: ReturnType<typeof next>) =>
    new Promise<{ ms: number; status: number }>((resolve, reject) => {
      const started = performance.now();
      const req = http.request(`${url}${d.pathname}`, { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(d.body)), ...d.headers } }, (res) => {
        res.resume();
        res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
      });
      req.on("error", reject);
      req.end(d.body);
    });
  send({ type: "ready" });
  process.on("message", async (m: Msg) => {
    if (m.type !== "run") return;
    const requests = Number(m.requests);
    const lat: number[] = [];
    const statuses: Record<string, number> = {};
    let accepted = 0;
    let started = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started < requests) {
          started++;
          const r = await post(next());
          lat.push(r.ms);
          if (r.status === 200) accepted++;
          else statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    send({ type: "result", ms: performance.now() - start, sent: requests, accepted, refused: statuses, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99) });
  });
}

// ---------------------------------------------------------------- load generators

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
function ack<T>(s: Socket, event: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    s.emit(event, ...args, (r: { ok?: boolean; data?: T; error?: { message: string } } | undefined) =>
      r && r.ok === false ? reject(new Error(r.error?.message)) : resolve((r?.data ?? r) as T),
    ),
  );
}
const client = (url: string, extra: Record<string, unknown> = {}) => io(url, { transports: ["websocket"], forceNew: true, reconnection: false, ...extra });

interface Target {
  kind: "kaleem" | "bare";
  url: string;
  /** Cross-node: the agents' hub (their Origin too: same host), the REST process that logs in, the shopper's Origin, one the demo store allows (default: url). */
  agentUrl?: string;
  restUrl?: string;
  origin?: string;
  widgetKey?: string;
  email?: string;
  password?: string;
}

async function token(t: Target): Promise<string> {
  const res = await fetch(`${t.restUrl ?? t.url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: t.email, password: t.password }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}
const shopperOf = (t: Target) =>
  client(t.url + WIDGET_NAMESPACE, { query: { widgetKey: t.widgetKey }, auth: { widgetKey: t.widgetKey }, extraHeaders: { Origin: t.origin ?? t.url } });

/**
 * A world of `n` conversations, each with a shopper socket and `agents` watching sockets shared by
 * all conversations. `ask(i, text)` starts an answer in conversation i.
 */
async function world(t: Target, n: number, agents: number) {
  const shoppers: Socket[] = [];
  const rooms: string[] = [];
  const agentSockets: Socket[] = [];
  if (t.kind === "kaleem") {
    const access = await token(t);
    // A first question starts each conversation (opening creates none); their answers run together.
    const answered: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const s = shopperOf(t);
      await connected(s);
      await ack(s, "conversation:open", { locale: "en" });
      answered.push(new Promise<void>((r) => s.once("message:done", () => r())));
      const first = await ack<{ message: { conversationId: string } }>(s, "message:send", { clientMessageId: `w${i}-${Date.now()}`, text: "hello" });
      shoppers.push(s);
      rooms.push(first.message.conversationId);
    }
    await Promise.all(answered);
    for (let a = 0; a < agents; a++) {
      const s = client((t.agentUrl ?? t.url) + INBOX_NAMESPACE, { auth: { token: access }, extraHeaders: { Origin: t.agentUrl ?? t.url } });
      await connected(s);
      for (const id of rooms) await ack(s, "conversation:watch", { conversationId: id });
      agentSockets.push(s);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = client(`${t.url}/bare`);
      await connected(s);
      await ack(s, "join", `c${i}`);
      shoppers.push(s);
      rooms.push(`c${i}`);
    }
    for (let a = 0; a < agents; a++) {
      const s = client(`${t.url}/bare`);
      await connected(s);
      for (const id of rooms) await ack(s, "join", id);
      agentSockets.push(s);
    }
  }
  let seq = 0;
  return {
    shoppers,
    agentSockets,
    all: [...shoppers, ...agentSockets],
    ask(i: number, text: string, event = "ask"): Promise<unknown> {
      const s = shoppers[i]!;
      if (t.kind === "kaleem") return ack(s, "message:send", { conversationId: rooms[i], clientMessageId: `a${i}-${seq++}-${Date.now()}`, text });
      return ack(s, event, rooms[i]);
    },
    close() {
      for (const s of [...shoppers, ...agentSockets]) s.disconnect();
    },
  };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Row 1 + 2: paced streams to 1 shopper + the watching agents; deliveries counted, latency from the token's own stamp. */
async function loadFanout(t: Target, n: number, agents: number, concurrency: number) {
  const w = await world(t, n, agents);
  send({ type: "ready" });
  process.on("message", async (m: Msg) => {
    if (m.type !== "run") return;
    let deliveries = 0;
    let tokens = 0;
    const lat: number[] = [];
    // A coalesced delta carries several tokens ("<stamp> <stamp> "): each counts, with its own latency.
    const onDelta = (d: { text: string }) => {
      deliveries++;
      const at = now();
      for (const piece of d.text.split(" ")) {
        const stamp = Number.parseFloat(piece);
        if (!Number.isFinite(stamp)) continue;
        tokens++;
        if (lat.length < 200_000) lat.push(at - stamp);
      }
    };
    for (const s of w.all) s.on("message:delta", onDelta);
    const done = w.all.map((s) => {
      // A shopper sees its own answer end; an agent watches every conversation.
      let left = w.shoppers.includes(s) ? 1 : n;
      return new Promise<void>((resolve) => {
        const on = (p: { message: { role: string } }) => {
          if (p.message.role !== "bot") return;
          if (--left <= 0) {
            s.off("message:done", on);
            resolve();
          }
        };
        s.on("message:done", on);
      });
    });
    const start = performance.now();
    if (t.kind === "bare" && concurrency < n) {
      // As many streams at once as Kaleem's job queue runs (BOT_CONCURRENCY): the next one starts
      // when one has ended, so both servers carry the same number of concurrent answers.
      let next = 0;
      const lane = async () => {
        while (next < n) {
          const i = next++;
          const s = w.shoppers[i]!;
          const ended = new Promise<void>((resolve) => s.once("message:done", () => resolve()));
          await w.ask(i, "stream please", "stream");
          await ended;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
    } else await Promise.all(w.shoppers.map((_, i) => w.ask(i, "stream please", "stream")));
    await Promise.all(done);
    const ms = performance.now() - start;
    for (const s of w.all) s.off("message:delta", onDelta);
    send({ type: "result", deliveries, tokens, ms, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99) });
  });
}

/** Row 3: `c` shoppers ask at once; time from send to the first delta at the client. */
async function loadTtfr(t: Target, c: number, rounds: number) {
  const w = await world(t, c, 0);
  send({ type: "ready" });
  process.on("message", async (m: Msg) => {
    if (m.type !== "run") return;
    const firsts: number[] = [];
    let answers = 0;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      await Promise.all(
        w.shoppers.map(async (s, i) => {
          const first = new Promise<number>((resolve) => s.once("message:delta", () => resolve(performance.now())));
          const done = new Promise<void>((resolve) => {
            const on = (p: { message: { role: string } }) => {
              if (p.message.role !== "bot") return;
              s.off("message:done", on);
              resolve();
            };
            s.on("message:done", on);
          });
          const sent = performance.now();
          await w.ask(i, "how much is shipping to riyadh?");
          firsts.push((await first) - sent);
          await done;
          answers++;
        }),
      );
    }
    send({ type: "result", answers, ms: performance.now() - start, p50: quantile(firsts, 0.5), p99: quantile(firsts, 0.99) });
  });
}

/** Row 4: opens `batch` idle sockets per "run" (widget: connect + conversation:open; bare: connect; ws: open). */
async function loadConnect(t: Target & { flavour: "kaleem" | "socketio" | "ws" }, batch: number) {
  const held: Array<{ close(): void }> = [];
  send({ type: "ready" });
  process.on("message", async (m: Msg) => {
    if (m.type === "close") {
      for (const h of held) h.close();
      held.length = 0;
      send({ type: "closed" });
      return;
    }
    if (m.type !== "run") return;
    const start = performance.now();
    const PARALLEL = 50;
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < batch) {
          next++;
          if (t.flavour === "ws") {
            const c = new WebSocket(t.url);
            await new Promise<void>((resolve, reject) => {
              c.once("open", () => resolve());
              c.once("error", reject);
            });
            held.push({ close: () => c.close() });
          } else if (t.flavour === "socketio") {
            const s = client(`${t.url}/bare`);
            await connected(s);
            held.push({ close: () => s.disconnect() });
          } else {
            const s = shopperOf(t);
            await connected(s);
            await ack(s, "conversation:open", { locale: "en" });
            held.push({ close: () => s.disconnect() });
          }
        }
      }),
    );
    send({ type: "result", ms: performance.now() - start, count: batch });
  });
}

/** Row 8: `concurrency` keep-alive connections issue `requests` GETs of `pathname`. */
async function loadHttp(url: string, bearer: string | null, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = (pathname: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = http.get(`${url}${pathname}`, { agent, headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode} for ${pathname}`))));
      });
      req.on("error", reject);
    });
  send({ type: "ready" });
  process.on("message", async (m: Msg) => {
    if (m.type !== "run") return;
    const requests = Number(m.requests);
    const pathname = String(m.path);
    const lat: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          lat.push(await get(pathname));
        }
      }),
    );
    send({ type: "result", ms: performance.now() - start, count: requests, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), p99: quantile(lat, 0.99) });
  });
}

const target = options.target as Target & { flavour: "kaleem" | "socketio" | "ws" };
switch (role) {
  case "kaleem-server":
    await kaleemServer();
    break;
  case "kaleem-node":
    await kaleemNode();
    break;
  case "bare-server":
    await bareServer();
    break;
  case "ws-server":
    await wsServer();
    break;
  case "bare-http":
    await bareHttp();
    break;
  case "load-fanout":
    await loadFanout(target, Number(options.n), Number(options.agents), Number(options.concurrency ?? Infinity));
    break;
  case "load-ttfr":
    await loadTtfr(target, Number(options.c), Number(options.rounds));
    break;
  case "load-connect":
    await loadConnect(target, Number(options.batch));
    break;
  case "load-http":
    await loadHttp(String(options.url), (options.bearer as string | null) ?? null, Number(options.concurrency));
    break;
  case "bare-webhook":
    await bareWebhook();
    break;
  case "load-webhooks":
    await loadWebhooks(String(options.url), Number(options.concurrency), (options.channels as IngestChannels | null) ?? null);
    break;
  default:
    throw new Error(`unknown role ${role}`);
}
