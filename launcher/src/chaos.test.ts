// Chaos with real processes: a hub, a workers and a REST process over a spawned redis-server (with
// an append-only file, as production runs it) and one SQLite file. The workers process is
// SIGKILLed in the middle of an answer; Redis is stopped for five seconds and started again; every
// process is sent SIGTERM with answers in flight. What is checked each time is what the shopper
// and the store end up with: one answer per question, nothing acknowledged and then lost, nothing
// left half-written.
// (The outbound channel send killed mid-job is in channels.cluster.test.ts; a hub SIGKILLed
// mid-stream in cluster.test.ts; a store that fails its writes in store-faults.test.ts.)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "@kaleem/shared/adapters";
import { asMerchantId, hashPassword, randomSecret, seedDemoStore, type Ack, type DemoInfo, type Message, type MessageDelta } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer, testStoreCrypto } from "@kaleem/shared/testing";
import { killRole, spawnRole, stopRole, type RoleProcess } from "./processes.test-helpers.js";
import { Recorder, SHOP_ORIGIN, StreamAssembler, call, connected, login, ok, until, widgetClient } from "./realtime.test-helpers.js";

let redis: RedisServer;
let redisDir: string;
let dataDir: string;
let store: SqliteStore;
let demo: DemoInfo;
let env: Record<string, string>;
/** The processes' key: the test opens the same database and reads the same sealed details. */
const encryptionKey = randomSecret(40);
const procs: RoleProcess[] = [];
/**
 * `npm run test:chaos` repeats each fault (KALEEM_CHAOS_ROUNDS, e.g. 4): more kills in a row, more
 * answers in flight at SIGTERM. `npm test` runs one round.
 */
const ROUNDS = Math.max(1, Math.min(10, Number(process.env.KALEEM_CHAOS_ROUNDS ?? "1") || 1));

async function start(name: string, role: "hub" | "workers" | "rest", extra: Record<string, string> = {}): Promise<RoleProcess> {
  const proc = await spawnRole(name, env, { KALEEM_ROLE: role, ...extra });
  procs.push(proc);
  return proc;
}
const tenant = () => store.forMerchant(asMerchantId(demo.merchantId));
/** Every message of the conversation after the shopper's message `seq`, as stored. */
const after = async (conversationId: string, seq: number): Promise<Message[]> => tenant().messages.listAfter(conversationId, seq, 100);

beforeAll(async () => {
  redisDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-chaos-redis-"));
  redis = await startRedisServer({ persistDir: redisDir });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-chaos-"));
  store = await openSqliteStore({ crypto: testStoreCrypto(encryptionKey), file: path.join(dataDir, "kaleem.db") });
  demo = await seedDemoStore(store, { origins: [SHOP_ORIGIN], hashPassword: (p) => hashPassword(p) });
  env = {
    JWT_ACCESS_SECRET: randomSecret(40),
    JWT_REFRESH_SECRET: randomSecret(40),
    VISITOR_TOKEN_SECRET: randomSecret(40),
    ENCRYPTION_KEY: encryptionKey,
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix("chaos"),
    KALEEM_DATA_DIR: dataDir,
    // One host: every role shares this SQLite file.
    KALEEM_SINGLE_HOST: "true",
    KALEEM_SEED_DEMO: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    // Slow answers, so each fault lands mid-stream.
    BOT_STREAM_DELAY_MS: "60",
    // A job of a killed workers process runs again after about two seconds; a stream whose
    // producer died is ended after about as long.
    QUEUE_STALL_MS: "2000",
    STREAM_LEASE_MS: "2000",
  };
});

afterAll(async () => {
  if (process.env.CHAOS_DEBUG) for (const p of procs) console.log(`--- ${p.name} exit=${p.child.exitCode} signal=${p.child.signalCode}\n${p.output.join("").slice(-3000)}`);
  try {
    await Promise.allSettled(procs.map(stopRole));
    await store?.close();
  } finally {
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  }
});

describe("chaos: processes killed, Redis restarted, every process drained", () => {
  it("the workers process is SIGKILLed mid-answer: after stall detection the shopper has exactly one answer, ended with the text it had, and the next question is answered", async () => {
    const hub = await start("hub", "hub");
    let workers = await start("workers", "workers");
    const shopper = widgetClient(hub.url, demo.widgetKey, { origin: SHOP_ORIGIN });
    await connected(shopper);
    const rec = new Recorder(shopper);
    await ok(shopper, "conversation:open", { locale: "en" });
    let conversationId: string | null = null;
    let firstSeq = 0;
    const answered = new Set<string>();
    for (let round = 1; round <= ROUNDS; round += 1) {
      const sent: { message: Message } = await ok<{ message: Message }>(shopper, "message:send", { conversationId, clientMessageId: `chaos-kill-${round}`, text: "do you have black abayas?" });
      const current: string = sent.message.conversationId;
      conversationId = current;
      if (round === 1) firstSeq = sent.message.seq;
      await until(() => rec.deltas.some((d) => !answered.has(d.messageId)), `round ${round}: the answer streaming`);
      const messageId = rec.deltas.find((d) => !answered.has(d.messageId))!.messageId;
      answered.add(messageId);
      await until(() => rec.deltasOf(messageId).length >= 2, `round ${round}: two pieces of the answer`);

      await killRole(workers);
      workers = await start(`workers-${round + 1}`, "workers");

      await until(() => rec.dones.some((m) => m.id === messageId), `round ${round}: the interrupted answer ended`, 30_000);
      const answers = (await after(current, sent.message.seq)).filter((m) => m.role === "bot");
      // One answer, not a second run of the engine after the first one's stream.
      expect(answers.map((m) => m.id)).toEqual([messageId]);
      expect(answers[0]!.status).toBe("stopped");
      const asm = new StreamAssembler(messageId);
      for (const d of rec.deltasOf(messageId)) asm.delta(d);
      expect(asm.gaps).toBe(0);
      // What the shopper saw is what is stored, and the one final event says the same.
      expect(answers[0]!.text.startsWith(asm.text)).toBe(true);
      expect(rec.dones.filter((m) => m.id === messageId)).toHaveLength(1);
      expect(rec.dones.find((m) => m.id === messageId)!.text).toBe(answers[0]!.text);
    }

    // The last workers process answers the next question in full.
    const next = await ok<{ message: Message }>(shopper, "message:send", { conversationId, clientMessageId: "chaos-kill-next", text: "and in blue?" });
    await until(async () => (await after(conversationId!, next.message.seq)).some((m) => m.role === "bot" && m.status === "complete"), "the next answer", 30_000);
    const bots = (await after(conversationId!, firstSeq)).filter((m) => m.role === "bot");
    expect(bots).toHaveLength(ROUNDS + 1);
    shopper.disconnect();
  }, 180_000);

  it("Redis stops for five seconds: every send is accepted or refused with a retryable error, each is answered once the client retries after it returns, and hub, workers and REST reconnect by themselves", async () => {
    const [hub, rest] = await Promise.all([start("hub-r", "hub"), start("rest-r", "rest")]);
    // The workers process of the previous case (if it ran) is still up; start one if not.
    if (!procs.some((p) => p.name.startsWith("workers") && p.child.exitCode === null && p.child.signalCode === null)) await start("workers-r", "workers");
    const token = await login(rest.url, demo.email, demo.password);
    const shopper = widgetClient(hub.url, demo.widgetKey, { origin: SHOP_ORIGIN });
    await connected(shopper);
    await ok(shopper, "conversation:open", { locale: "en" });
    const first = await ok<{ message: Message }>(shopper, "message:send", { clientMessageId: "chaos-redis-0", text: "hello" });
    const conversationId = first.message.conversationId;
    await until(async () => (await after(conversationId, first.message.seq)).some((m) => m.role === "bot" && m.status === "complete"), "an answer before the outage", 30_000);

    await redis.stop();
    const outageStarted = Date.now();
    const outageEnds = outageStarted + 5_000;
    const acks: Array<{ clientMessageId: string; ack: Ack<{ message: Message }> }> = [];
    const rests: Array<{ status: number; retryAfter: string | null; name: string }> = [];
    const product = (await tenant().products.list({}, { limit: 1 })).items[0]!;
    let n = 0;
    while (Date.now() < outageEnds) {
      n += 1;
      const clientMessageId = `chaos-redis-${n}`;
      const ack = await Promise.race([
        call<{ message: Message }>(shopper, "message:send", { conversationId, clientMessageId, text: `is the ${n} in stock?` }),
        new Promise<Ack<{ message: Message }>>((r) => setTimeout(() => r({ ok: false, error: { code: "internal", message: "no ack in 10 s" } }), 10_000)),
      ]);
      acks.push({ clientMessageId, ack });
      const name = `Chaos lamp ${n}`;
      const res = await fetch(`${rest.url}/api/v1/products/${product.id}`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ name: { en: name } }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      rests.push({ status: res?.status ?? 0, retryAfter: res?.headers.get("retry-after") ?? null, name });
      await new Promise((r) => setTimeout(r, 500));
    }
    redis = await startRedisServer({ port: redis.port, persistDir: redisDir });

    expect(acks.length).toBeGreaterThanOrEqual(2);
    // Every send was answered at once, accepted or refused with a code the client retries on.
    for (const { clientMessageId, ack } of acks) {
      if (!ack.ok) expect(["unavailable", "rate_limited"], `${clientMessageId}: ${JSON.stringify(ack)}`).toContain(ack.error.code);
    }
    // The client sends each refused message again with the same id once it can (the widget does
    // this on `unavailable`); a message stored before the refusal is not stored twice.
    const refused = acks.filter((a) => !a.ack.ok).map((a) => a.clientMessageId);
    for (const clientMessageId of refused) {
      await until(async () => (await call(shopper, "message:send", { conversationId, clientMessageId, text: "again" })).ok, `${clientMessageId} accepted after the outage`, 30_000);
    }
    const asked = acks.map((a) => a.clientMessageId);
    await until(
      async () => {
        const all = await after(conversationId, 0);
        // Each question is followed by an answer (a later question's answer covers an earlier one).
        return asked.every((id) => {
          const q = all.find((m) => m.clientMessageId === id);
          return q !== undefined && all.some((m) => m.role === "bot" && m.seq > q.seq && m.status !== "streaming");
        });
      },
      "an answer after every message sent during the outage",
      60_000,
    );
    const all = await after(conversationId, 0);
    for (const id of asked) expect(all.filter((m) => m.clientMessageId === id), `${id} stored once`).toHaveLength(1);
    // REST answered each request with success, or 503 and when to retry; a success is in the store.
    for (const r of rests) {
      expect([200, 503], JSON.stringify(r)).toContain(r.status);
      if (r.status === 503) expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    const lastOk = rests.filter((r) => r.status === 200).at(-1);
    if (lastOk) expect((await tenant().products.get(product.id))!.name.en).toBe(lastOk.name);

    // After the outage the same sockets and processes work without a restart.
    const later = await ok<{ message: Message }>(shopper, "message:send", { conversationId, clientMessageId: "chaos-redis-after", text: "thanks, and your returns policy?" });
    await until(async () => (await after(conversationId, later.message.seq)).some((m) => m.role === "bot" && m.status === "complete"), "an answer after the outage", 60_000);
    await until(async () => (await fetch(`${rest.url}/api/v1/products/${product.id}`, { headers: { Authorization: `Bearer ${token}` } })).status === 200, "REST after the outage");
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    shopper.disconnect();
  }, 180_000);

  it("SIGTERM to every process with answers in flight: each exits cleanly, and no message is left streaming", async () => {
    const hub = await start("hub-t", "hub");
    if (!procs.some((p) => p.name.startsWith("workers") && p.child.exitCode === null && p.child.signalCode === null)) await start("workers-t", "workers");
    const shoppers = await Promise.all(
      Array.from({ length: 5 * ROUNDS }, async (_, i) => {
        const socket = widgetClient(hub.url, demo.widgetKey, { origin: SHOP_ORIGIN });
        await connected(socket);
        const rec = new Recorder(socket);
        await ok(socket, "conversation:open", { locale: "en" });
        const sent = await ok<{ message: Message }>(socket, "message:send", { clientMessageId: `chaos-term-${i}`, text: "do you have black abayas?" });
        return { socket, rec, sent };
      }),
    );
    await until(() => shoppers.every((s) => s.rec.deltas.length >= 1), "every answer streaming", 30_000);

    const live = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const exits = await Promise.all(
      live.map(
        (p) =>
          new Promise<{ name: string; code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
            p.child.once("exit", (code, signal) => resolve({ name: p.name, code, signal }));
            p.child.kill("SIGTERM");
          }),
      ),
    );
    for (const e of exits) expect(e, `${e.name} exit`).toEqual({ name: e.name, code: 0, signal: null });
    // Nothing half-written: every answer of the drained processes is complete or stopped.
    expect(await tenant().messages.listStreaming()).toEqual([]);
    for (const { sent } of shoppers) {
      const answers = (await after(sent.message.conversationId, sent.message.seq)).filter((m) => m.role === "bot");
      expect(answers.length).toBeLessThanOrEqual(1);
      for (const a of answers) expect(["complete", "stopped"]).toContain(a.status);
      // What each shopper saw of its answer is a prefix of what is stored.
      const seen = shoppers.find((s) => s.sent === sent)!.rec;
      const id = seen.deltas.find((d: MessageDelta) => d.conversationId === sent.message.conversationId)?.messageId;
      if (id && answers[0]) {
        const asm = new StreamAssembler(id);
        for (const d of seen.deltasOf(id)) asm.delta(d);
        expect(answers[0].text.startsWith(asm.text)).toBe(true);
      }
    }
    for (const s of shoppers) s.socket.disconnect();
  }, 180_000);
});
