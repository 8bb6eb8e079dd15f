// Cluster mode with real processes: redis-server, two hub processes, a workers and a REST process
// sharing one SQLite file. The answer is produced in the workers process and reaches the shopper
// on hub A and the agent on hub B; hub A is SIGKILLed mid-stream and the shopper resumes on B.
import { openSqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, hashPassword, randomSecret, seedDemoStore, type DemoInfo, type Message, type MessageDelta, type ResumeResult, type Store } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer, testStoreCrypto } from "@kaleem/shared/testing";
import { spawnRole as spawnProcess, stopRole, type RoleProcess } from "./processes.test-helpers.js";
import { Recorder, SHOP_ORIGIN, StreamAssembler, connectError, connected, inboxClient, login, ok, openConversation, until, visitorIdOf, widgetClient } from "./realtime.test-helpers.js";

let redis: RedisServer;
let dataDir: string;
let store: Store;
let demo: DemoInfo;
const procs: RoleProcess[] = [];
const secrets = {
  JWT_ACCESS_SECRET: randomSecret(40),
  JWT_REFRESH_SECRET: randomSecret(40),
  VISITOR_TOKEN_SECRET: randomSecret(40),
  ENCRYPTION_KEY: randomSecret(40),
};
let env: Record<string, string>;

async function spawnRole(name: string, role: "hub" | "workers" | "rest", extra: Record<string, string> = {}): Promise<RoleProcess> {
  const proc = await spawnProcess(name, env, { KALEEM_ROLE: role, ...extra });
  procs.push(proc);
  return proc;
}

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-cluster-"));
  // The test process migrates and seeds the shared database before any role starts.
  store = await openSqliteStore({ crypto: testStoreCrypto(secrets.ENCRYPTION_KEY), file: path.join(dataDir, "kaleem.db") });
  demo = await seedDemoStore(store, { origins: [SHOP_ORIGIN], hashPassword: (p) => hashPassword(p) });
  env = {
    ...secrets,
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix("cluster"),
    KALEEM_DATA_DIR: dataDir,
    // One host: the roles share this SQLite file.
    KALEEM_SINGLE_HOST: "true",
    KALEEM_SEED_DEMO: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
  };
});

afterAll(async () => {
  try {
    await Promise.allSettled(procs.map(stopRole));
    await store?.close();
  } finally {
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});

describe("two hubs and a workers process over Redis", () => {
  it("streams across processes and survives losing the shopper's hub mid-stream", async () => {
    // Slow pacing so the answer is still streaming when hub A dies.
    const [hubA, hubB, workers, rest] = await Promise.all([
      spawnRole("hub-a", "hub"),
      spawnRole("hub-b", "hub"),
      spawnRole("workers", "workers", { BOT_STREAM_DELAY_MS: "120" }),
      spawnRole("rest", "rest"),
    ]);
    const token = await login(rest.url, demo.email, demo.password);

    const shopperA = widgetClient(hubA.url, demo.widgetKey, { origin: SHOP_ORIGIN });
    await connected(shopperA);
    const sRec = new Recorder(shopperA);
    const open = await openConversation(store, shopperA, demo.merchantId, { locale: "en" });
    const agentB = inboxClient(hubB.url, token);
    await connected(agentB);
    const aRec = new Recorder(agentB);
    const newOnB = new Promise<void>((resolve) => agentB.on("conversation:new", (p: { conversation: { id: string } }) => p.conversation.id === open.conversationId && resolve()));
    await ok(agentB, "conversation:watch", { conversationId: open.conversationId });

    const sent = await ok<{ message: Message }>(shopperA, "message:send", { conversationId: open.conversationId, clientMessageId: "cluster-1", text: "do you have black abayas?" });
    await newOnB;
    await until(() => sRec.deltas.length >= 2, "deltas on hub A");
    const messageId = sRec.deltas[0]!.messageId;
    const asm = new StreamAssembler(messageId);
    for (const d of sRec.deltasOf(messageId)) asm.delta(d);

    hubA.child.kill("SIGKILL");
    await new Promise((r) => hubA.child.once("exit", r));

    // The visitor's client reconnects to another node and resumes after the last seq it had complete.
    const shopperB = widgetClient(hubB.url, demo.widgetKey, { origin: SHOP_ORIGIN, visitorToken: open.visitorToken });
    const bRec = new Recorder(shopperB);
    await connected(shopperB);
    const resumed = await ok<ResumeResult>(shopperB, "conversation:resume", { conversationId: open.conversationId, afterSeq: sent.message.seq });
    const partial = resumed.streaming.find((p) => p.messageId === messageId);
    expect(partial, "resumed mid-stream: the answer is still streaming").toBeDefined();
    expect(partial!.text.startsWith(asm.text)).toBe(true);
    asm.partial(partial!.text);
    for (const d of bRec.deltasOf(messageId)) asm.delta(d);
    shopperB.on("message:delta", (d: MessageDelta) => asm.delta(d));
    shopperB.on("message:done", (p: { message: Message }) => asm.finish(p.message));
    for (const m of bRec.dones) asm.finish(m);

    await until(() => asm.done !== null, "final message on hub B", 60_000);
    await until(() => aRec.dones.some((m) => m.id === messageId), "agent got the final message");
    const final = await store.forMerchant(asMerchantId(demo.merchantId)).messages.get(messageId);
    expect(final).toMatchObject({ status: "complete", seq: sent.message.seq + 1 });
    expect(asm.gaps).toBe(0);
    expect(asm.text).toBe(final!.text);
    expect(asm.done!.text).toBe(final!.text);
    expect(final!.parts.some((p) => p.type === "product_card")).toBe(true);

    // The agent on hub B saw the whole stream, in order, from the workers process.
    const agentAsm = new StreamAssembler(messageId);
    for (const d of aRec.deltasOf(messageId)) agentAsm.delta(d);
    expect(agentAsm.text).toBe(final!.text);
    expect(agentAsm.gaps + agentAsm.overlaps).toBe(0);

    // Produced by the workers process, not by a hub.
    const workerMetrics = await (await fetch(`${workers.url}/metrics`)).text();
    expect(workerMetrics).toMatch(/kaleem_stream_answers_total\{[^}]*outcome="complete"[^}]*\} 1/);
    const hubMetrics = await (await fetch(`${hubB.url}/metrics`)).text();
    expect(hubMetrics).not.toMatch(/kaleem_stream_answers_total\{/);
    expect(hubMetrics).toMatch(/kaleem_socket_resumes_total\{[^}]*namespace="widget"[^}]*\} 1/);
    expect((await fetch(`${hubB.url}/readyz`)).status).toBe(200);

    // Takeover on hub B stops a stream running in the workers process.
    const sent2 = await ok<{ message: Message }>(shopperB, "message:send", { conversationId: open.conversationId, clientMessageId: "cluster-2", text: "what about abayas under 300 SAR?" });
    await until(() => bRec.deltas.some((d) => d.messageId !== messageId), "second answer streaming");
    const second = bRec.deltas.find((d) => d.messageId !== messageId)!.messageId;
    await ok(agentB, "conversation:takeover", { conversationId: open.conversationId });
    await until(() => bRec.dones.some((m) => m.id === second), "stopped answer");
    const stopped = bRec.dones.find((m) => m.id === second)!;
    expect(stopped.status).toBe("stopped");
    expect((await store.forMerchant(asMerchantId(demo.merchantId)).messages.get(second))!.text).toBe(stopped.text);
    expect(sent2.message.seq).toBeGreaterThan(sent.message.seq);

    // A catalog change made through the REST process reaches the workers' search index.
    await ok(agentB, "conversation:release", { conversationId: open.conversationId });
    const product = await store.forMerchant(asMerchantId(demo.merchantId)).products.getByExternalId("AB-100");
    const patched = await fetch(`${rest.url}/api/v1/products/${product!.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: { en: "Saffron Velvet Abaya", ar: "عباية مخمل زعفراني" } }),
    });
    expect(patched.status).toBe(200);
    const before = bRec.dones.length;
    await ok(shopperB, "message:send", { conversationId: open.conversationId, clientMessageId: "cluster-3", text: "do you have the saffron velvet abaya?" });
    await until(() => bRec.dones.length > before, "answer after the catalog change", 60_000);
    const cards = bRec.dones.at(-1)!.parts.filter((p) => p.type === "product_card");
    expect(cards.map((c) => (c.type === "product_card" ? c.name : ""))).toContain("Saffron Velvet Abaya");

    // Blocking the visitor on the REST process disconnects their socket on hub B (through the Redis
    // emitter), and the block in the store keeps their token out of every hub.
    const blockedGone = new Promise((r) => shopperB.once("disconnect", r));
    const blocked = await fetch(`${rest.url}/api/v1/visitors/${encodeURIComponent(visitorIdOf(open.visitorToken))}/block`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ reason: "abuse" }),
    });
    expect(blocked.status).toBe(200);
    await blockedGone;
    const refusal = (await connectError(widgetClient(hubB.url, demo.widgetKey, { origin: SHOP_ORIGIN, visitorToken: open.visitorToken }))) as Error & { data?: { code?: string } };
    expect(refusal.data?.code).toBe("visitor_blocked");

    // Logging out on the REST process disconnects the agent's socket on hub B, and the
    // blacklist in Redis keeps the token out of every hub.
    const revoked = new Promise((r) => agentB.once("disconnect", r));
    const res = await fetch(`${rest.url}/api/v1/auth/logout`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(204);
    await revoked;
    const err = await connectError(inboxClient(hubB.url, token));
    expect(err.message).toMatch(/revoked/);
    shopperA.disconnect();
    shopperB.disconnect();
    agentB.disconnect();
  });
});
