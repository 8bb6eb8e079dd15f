// Chaos at the edge: 50 shoppers (200 under `npm run test:chaos`) talk to the store through the shipped
// nginx in front of two hub processes, a rest and a workers process over Redis. While their answers
// stream, one hub is SIGKILLed. Every shopper who was on it reconnects through nginx (same
// load-balancing key, same visitor token) and resumes after the last message it had; every shopper
// ends with each answer's stored text, and the gaps, repeats and lost answers are counted: all 0.
import { openSqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { asMerchantId, hashPassword, LOAD_BALANCING_QUERY, randomSecret, seedDemoStore, type DemoInfo, type Message, type ResumeResult, type Store } from "@kaleem/shared";
import { startRedisServer, testStoreCrypto, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { startEdge, type Edge } from "./nginx.test-helpers.js";
import { killRole, spawnRole, stopRole, type RoleProcess } from "./processes.test-helpers.js";
import { GENEROUS_WIDGET_LIMITS, Recorder, SHOP_ORIGIN, StreamAssembler, connected, ok, until, widgetClient } from "./realtime.test-helpers.js";

const SHOPPERS = Math.max(50, Math.min(400, 50 * Math.max(1, Number(process.env.KALEEM_CHAOS_ROUNDS ?? "1") || 1)));
const QUESTIONS = ["do you have black abayas?", "what is your returns policy?", "do you ship to Jeddah?", "any gifts under 200 SAR?", "how long does delivery take?"];

let redis: RedisServer;
let dataDir: string;
let store: Store;
let demo: DemoInfo;
let edge: Edge;
let hubs: RoleProcess[] = [];
const procs: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-hubkill-"));
  const encryptionKey = randomSecret(40);
  store = await openSqliteStore({ crypto: testStoreCrypto(encryptionKey), file: path.join(dataDir, "kaleem.db") });
  demo = await seedDemoStore(store, { origins: [SHOP_ORIGIN], hashPassword: (p) => hashPassword(p) });
  const env = {
    JWT_ACCESS_SECRET: randomSecret(40),
    JWT_REFRESH_SECRET: randomSecret(40),
    VISITOR_TOKEN_SECRET: randomSecret(40),
    ENCRYPTION_KEY: encryptionKey,
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix("hubkill"),
    KALEEM_DATA_DIR: dataDir,
    KALEEM_SINGLE_HOST: "true",
    KALEEM_SEED_DEMO: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    TRUST_PROXY_HOPS: "1",
    // Every shopper comes from one loopback address through nginx: the per-address widget limits
    // would count them as one visitor flooding (their own tests cover them).
    ...GENEROUS_WIDGET_LIMITS,
    // The store may use every bot slot, so many answers are in flight when the hub dies.
    BOT_MAX_CONCURRENT_PER_STORE: "8",
  };
  const started = await Promise.all([
    spawnRole("hub-1", env, { KALEEM_ROLE: "hub" }),
    spawnRole("hub-2", env, { KALEEM_ROLE: "hub" }),
    spawnRole("rest", env, { KALEEM_ROLE: "rest" }),
    spawnRole("workers", env, { KALEEM_ROLE: "workers", BOT_STREAM_DELAY_MS: "80" }),
  ]);
  procs.push(...started);
  hubs = started.slice(0, 2);
  edge = await startEdge({ hubs: hubs.map((h) => h.url), rest: [started[2]!.url] });
}, 120_000);

afterAll(async () => {
  try {
    await edge?.stop();
    await Promise.allSettled(procs.map(stopRole));
    await store?.close();
  } finally {
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});

interface Shopper {
  key: string;
  visitorToken: string;
  conversationId: string;
  afterSeq: number;
  sockets: Socket[];
  recorders: Recorder[];
  resumed: ResumeResult[];
}

/** Widget sockets a hub holds, from its own gauge. */
async function widgetSocketsOn(hub: RoleProcess): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const m = /kaleem_socket_connected\{[^}]*namespace="widget"[^}]*\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

describe(`chaos: a hub SIGKILLed under ${SHOPPERS} streaming conversations behind nginx`, () => {
  it("every shopper recovers through the other hub with each answer whole: no gap, no repeat, none lost", async () => {
    const io = (key: string) => ({ ca: edge.ca, query: { [LOAD_BALANCING_QUERY]: key } });
    const shoppers: Shopper[] = [];
    // Connect and ask in batches: the arrivals of a busy evening, not one burst.
    for (let start = 0; start < SHOPPERS; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, SHOPPERS - start) }, async (_, j) => {
          const i = start + j;
          const key = `hubkill-${i}`;
          const socket = widgetClient(edge.url, demo.widgetKey, { origin: SHOP_ORIGIN, io: io(key) });
          const recorder = new Recorder(socket);
          await connected(socket);
          const opened = await ok<{ visitorToken: string }>(socket, "conversation:open", { locale: "en" });
          const sent = await ok<{ message: Message }>(socket, "message:send", { clientMessageId: `hk-${i}`, text: QUESTIONS[i % QUESTIONS.length]! });
          return { key, visitorToken: opened.visitorToken, conversationId: sent.message.conversationId, afterSeq: sent.message.seq, sockets: [socket], recorders: [recorder], resumed: [] } satisfies Shopper;
        }),
      );
      shoppers.push(...batch);
    }
    const onHub = await Promise.all(hubs.map(widgetSocketsOn));
    expect(onHub.reduce((a, b) => a + b, 0)).toBe(SHOPPERS);
    // The hub with more shoppers dies, once several answers are mid-stream.
    const victim = onHub[0]! >= onHub[1]! ? hubs[0]! : hubs[1]!;
    await until(() => shoppers.filter((s) => s.recorders[0]!.deltas.length > 0 && s.recorders[0]!.dones.length === 0).length >= 4, "answers streaming", 60_000);
    const inFlightAtKill = shoppers.filter((s) => s.recorders[0]!.deltas.length > 0 && s.recorders[0]!.dones.length === 0).length;
    const lost = new Set<Shopper>();
    for (const s of shoppers) s.sockets[0]!.once("disconnect", () => lost.add(s));
    await killRole(victim);
    await until(() => lost.size === onHub[hubs.indexOf(victim)]!, "every shopper of the dead hub noticed", 30_000);

    // Each of them reconnects through nginx as its client library would, and resumes.
    await Promise.all(
      [...lost].map(async (s) => {
        const again = widgetClient(edge.url, demo.widgetKey, { origin: SHOP_ORIGIN, visitorToken: s.visitorToken, io: io(s.key) });
        s.recorders.push(new Recorder(again));
        s.sockets.push(again);
        await connected(again);
        s.resumed.push(await ok<ResumeResult>(again, "conversation:resume", { conversationId: s.conversationId, afterSeq: s.afterSeq }));
      }),
    );
    expect(lost.size).toBeGreaterThan(0);
    expect(await widgetSocketsOn(hubs.find((h) => h !== victim)!)).toBe(SHOPPERS);

    // Every question is answered in the store, and every shopper has seen that answer end.
    const tenant = store.forMerchant(asMerchantId(demo.merchantId));
    const answerOf = async (s: Shopper) => (await tenant.messages.listAfter(s.conversationId, s.afterSeq, 10)).find((m) => m.role === "bot" && m.status !== "streaming");
    await until(async () => (await Promise.all(shoppers.map(answerOf))).every(Boolean), "every answer stored", 120_000);
    const seenEnd = (s: Shopper, id: string) => s.recorders.some((r) => r.dones.some((m) => m.id === id)) || s.resumed.some((r) => r.messages.some((m) => m.id === id && m.status !== "streaming"));
    await until(async () => {
      for (const s of shoppers) {
        const answer = await answerOf(s);
        if (!answer || !seenEnd(s, answer.id)) return false;
      }
      return true;
    }, "every shopper saw its answer end", 60_000);

    let gaps = 0;
    let repeats = 0;
    let wrong = 0;
    for (const s of shoppers) {
      const answer = (await answerOf(s))!;
      const asm = new StreamAssembler(answer.id);
      // What the first socket got, then the resume's partial or stored answer, then the new socket.
      for (const d of s.recorders[0]!.deltasOf(answer.id)) asm.delta(d);
      for (const r of s.resumed) {
        const partial = r.streaming.find((p) => p.messageId === answer.id);
        if (partial) asm.partial(partial.text);
        const stored = r.messages.find((m) => m.id === answer.id && m.status !== "streaming");
        if (stored) {
          asm.partial(stored.text);
          asm.finish(stored);
        }
        // Nothing the shopper already had is sent again.
        if (r.messages.some((m) => m.seq <= s.afterSeq)) repeats += 1;
      }
      for (const rec of s.recorders.slice(1)) for (const d of rec.deltasOf(answer.id)) asm.delta(d);
      const dones = s.recorders.flatMap((r) => r.dones.filter((m) => m.id === answer.id));
      for (const m of dones) asm.finish(m);
      gaps += asm.gaps;
      repeats += Math.max(0, dones.length - 1);
      if (asm.text !== answer.text || asm.done?.text !== answer.text) wrong += 1;
    }
    expect({ gaps, repeats, wrong, lostAnswers: 0 }).toEqual({ gaps: 0, repeats: 0, wrong: 0, lostAnswers: 0 });
    // The kill really landed mid-stream for several of them.
    expect(inFlightAtKill).toBeGreaterThanOrEqual(4);
    for (const s of shoppers) for (const socket of s.sockets) socket.disconnect();
    // Bounded: a few seconds per 10 shoppers, plus the failover.
  }, 60_000 + SHOPPERS * 1_500);
});
