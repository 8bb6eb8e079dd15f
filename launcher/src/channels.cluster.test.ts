// Messaging channels in cluster mode with real processes: redis-server, a REST, a workers and a
// hub process (BullMQ, the Redis emitter), a local WhatsApp Cloud API server. A customer's
// message is answered through the queue; an agent's reply from the inbox is delivered; the
// workers process dies in the middle of a send and the customer still gets exactly one message;
// Redis goes away during ingest and the provider's retry after it returns is processed once.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "@kaleem/shared/adapters";
import { asMerchantId, hashPassword, randomSecret, type Message } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer, testStoreCrypto } from "@kaleem/shared/testing";
import { startFakeWhatsApp, type FakeWhatsApp } from "@kaleem/workers/channels/testing";
import { killRole, spawnRole, stopRole, type RoleProcess } from "./processes.test-helpers.js";
import { connected, inboxClient, login, ok, until } from "./realtime.test-helpers.js";

const WA = { phoneNumberId: "105550002222", accessToken: "EAAG-cluster-access-token", appSecret: "cluster-app-secret", verifyToken: "cluster-verify" };
const OWNER = { email: "owner@cluster-shop.example", password: "cluster-owner-password-1" };

let redis: RedisServer;
let dataDir: string;
let store: SqliteStore;
let merchantId: string;
let wa: FakeWhatsApp;
let env: Record<string, string>;
/** The processes' key: the test opens the same database and reads the same sealed details. */
const encryptionKey = randomSecret(40);
let rest: RoleProcess;
let workers: RoleProcess;
let hub: RoleProcess;
let owner: string;
let channelId: string;
const procs: RoleProcess[] = [];

const sign = (raw: string) => `sha256=${createHmac("sha256", WA.appSecret).update(raw).digest("hex")}`;
let counter = 0;
function inbound(from: string, text: string): string {
  counter += 1;
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "WABA", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550002222", phone_number_id: WA.phoneNumberId }, contacts: [{ profile: { name: "Reem" }, wa_id: from }], messages: [{ from, id: `wamid.CLUSTER${counter}-${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }] } }] }],
  });
}
const post = (raw: string) => fetch(`${rest.url}/webhooks/meta/${channelId}`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": sign(raw) }, body: raw });
const sentTo = (to: string) => wa.accepted("messages").filter((e) => (e.body as { to?: string }).to === to);
const tenant = () => store.forMerchant(asMerchantId(merchantId));
async function messagesOf(from: string): Promise<Message[]> {
  const customer = await tenant().customers.findByExternalId("whatsapp", from);
  const conversation = customer ? await tenant().conversations.findOpenByCustomer(customer.id, "whatsapp") : null;
  return conversation ? tenant().messages.listAfter(conversation.id, 0, 200) : [];
}
async function start(name: string, role: "rest" | "workers" | "hub"): Promise<RoleProcess> {
  const proc = await spawnRole(name, env, { KALEEM_ROLE: role });
  procs.push(proc);
  return proc;
}

beforeAll(async () => {
  redis = await startRedisServer();
  wa = await startFakeWhatsApp({ phoneNumberId: WA.phoneNumberId, accessToken: WA.accessToken });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-channels-cluster-"));
  store = await openSqliteStore({ crypto: testStoreCrypto(encryptionKey), file: path.join(dataDir, "kaleem.db") });
  const created = await store.createMerchant({ name: "Cluster Shop" }, { email: OWNER.email, name: "Owner", role: "owner", passwordHash: await hashPassword(OWNER.password) });
  merchantId = created.merchant.id;
  env = {
    JWT_ACCESS_SECRET: randomSecret(40),
    JWT_REFRESH_SECRET: randomSecret(40),
    VISITOR_TOKEN_SECRET: randomSecret(40),
    ENCRYPTION_KEY: encryptionKey,
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix("channels-cluster"),
    KALEEM_DATA_DIR: dataDir,
    // One host: the roles share this SQLite file.
    KALEEM_SINGLE_HOST: "true",
    KALEEM_SEED_DEMO: "false",
    HOST: "127.0.0.1",
    // "kaleem started" (info) tells spawnRole the process is up.
    LOG_LEVEL: "info",
    BOT_STREAM_DELAY_MS: "0",
    // The provider is a local test server.
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true",
    // A job of a killed workers process runs again after about two seconds.
    QUEUE_STALL_MS: "2000",
  };
  [rest, workers, hub] = await Promise.all([start("rest", "rest"), start("workers", "workers"), start("hub", "hub")]);
  owner = await login(rest.url, OWNER.email, OWNER.password);
  const res = await fetch(`${rest.url}/api/v1/channels`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
    body: JSON.stringify({ type: "whatsapp", name: "WhatsApp", config: { ...WA, apiBaseUrl: wa.apiBaseUrl } }),
  });
  expect(res.status).toBe(201);
  channelId = ((await res.json()) as { id: string }).id;
});

afterAll(async () => {
  try {
    await Promise.allSettled(procs.map(stopRole));
    await store?.close();
    await wa?.close();
  } finally {
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});

describe("channels across processes", () => {
  it("a customer's message is answered through the queue, and an agent's reply from the inbox is delivered", async () => {
    const from = "966511000001";
    expect((await post(inbound(from, "hello"))).status).toBe(200);
    await until(() => sentTo(from).length >= 1, "the bot's answer sent from the workers process", 30_000);
    const conversationId = (await messagesOf(from))[0]!.conversationId;
    const agent = inboxClient(hub.url, owner);
    await connected(agent);
    await ok(agent, "conversation:watch", { conversationId });
    await ok(agent, "message:send", { conversationId, clientMessageId: "cluster-agent-1", text: "Reem, an agent here: how can I help?" });
    await until(() => sentTo(from).some((e) => JSON.stringify(e.body).includes("an agent here")), "the agent's reply sent", 30_000);
    agent.disconnect();
    expect(wa.rejected()).toEqual([]);
  });

  it("the workers process is SIGKILLed during a send: the customer receives exactly one message, and the delivery is not sent blindly again", async () => {
    const from = "966511000002";
    // The provider takes its time: the send is under way when the process dies.
    wa.failNext({ kind: "slow", delayMs: 4_000 }, { operation: "messages" });
    expect((await post(inbound(from, "hi, is anyone there?"))).status).toBe(200);
    await until(async () => (await messagesOf(from)).some((m) => m.role === "bot" && m.channelDelivery?.state === "queued"), "the answer queued for delivery", 30_000);
    // The relay and the queue pick it up within a moment; the slow provider holds the call open.
    await new Promise((r) => setTimeout(r, 1_500));
    await killRole(workers);
    workers = await start("workers-2", "workers");
    // The slow call completes at the provider anyway; the restarted workers must not repeat it.
    await until(() => sentTo(from).length >= 1, "the call the dead process made", 30_000);
    await until(async () => (await messagesOf(from)).some((m) => m.role === "bot" && m.channelDelivery?.state !== "queued"), "the delivery settled", 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(sentTo(from)).toHaveLength(1);
    const answer = (await messagesOf(from)).find((m) => m.role === "bot")!;
    // Either the send was recorded before the process died, or its outcome is unknown and said so.
    expect(answer.channelDelivery?.state === "sent" || /unconfirmed/.test(answer.channelDelivery?.error ?? "")).toBe(true);
  });

  it("Redis is down during ingest: the webhook gets a 5xx, and the provider's retry after Redis returns is processed once", async () => {
    const from = "966511000003";
    const raw = inbound(from, "are you open today?");
    const port = redis.port;
    await redis.stop();
    try {
      const during = await post(raw);
      expect(during.status).toBeGreaterThanOrEqual(500);
    } finally {
      redis = await startRedisServer({ port });
    }
    // The provider retries the same event until it gets a 2xx.
    await until(async () => (await post(raw)).status === 200, "the retry accepted once Redis is back", 30_000);
    await post(raw);
    await until(() => sentTo(from).length >= 1, "answered", 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await messagesOf(from)).filter((m) => m.role === "shopper")).toHaveLength(1);
    expect(sentTo(from)).toHaveLength(1);
  });
});
