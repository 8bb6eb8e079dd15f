// Outgoing webhook jobs against a real local receiver: fan-out to subscribed endpoints only, once
// per event and endpoint; the SSRF guard at send time (a URL saved when it was public, or a name
// that now resolves to this machine) refuses the request and records why.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { asMerchantId, guardedFetch, integrationSecrets, loadConfig, UnrecoverableError, type JobQueue, type Store, type TenantStore, storeCrypto } from "@kaleem/shared";
import { MemoryJobQueue, openSqliteStore } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookDeliverHandler, createWebhookDispatchHandler } from "./outgoing-webhooks.js";

const config = loadConfig({ KALEEM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "kaleem-hooks-")), LOG_LEVEL: "silent" });
let store: Store;
let tenant: TenantStore;
let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  store = await openSqliteStore({ crypto: storeCrypto(config), file: path.join(config.dataDir, "kaleem.db") });
  const { merchant } = await store.createMerchant({ name: "Hooks" }, { email: `hooks-${Date.now()}@example.com`, name: "O", role: "owner", passwordHash: "x" });
  tenant = store.forMerchant(asMerchantId(merchant.id));
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await store?.close();
});

const seal = () => integrationSecrets(config).seal({ secret: "whsec_test" });
const dispatchJob = (eventId: string) => ({ id: "d", name: "webhook-dispatch", attempt: 1, data: { merchantId: tenant.merchantId, outboxId: `o-${eventId}`, eventId, type: "order.created" as const, createdAt: new Date().toISOString(), data: { orderId: "1" } } });

describe("outgoing webhook jobs", () => {
  it("fan out to active endpoints subscribed to the type, once per event and endpoint", async () => {
    const queued: string[] = [];
    const queue = { add: async (_name: string, data: { deliveryId: string }) => (queued.push(data.deliveryId), { id: data.deliveryId }) } as unknown as JobQueue;
    const subscribed = await tenant.webhookEndpoints.create({ url: "https://a.example.com/h", events: ["order.created"], secretCiphertext: seal() });
    await tenant.webhookEndpoints.create({ url: "https://b.example.com/h", events: ["lead.captured"], secretCiphertext: seal() });
    const off = await tenant.webhookEndpoints.create({ url: "https://c.example.com/h", events: ["order.created"], secretCiphertext: seal() });
    await tenant.webhookEndpoints.update(off.id, { status: "disabled" });
    const dispatch = createWebhookDispatchHandler({ config, store, queue, fetch: guardedFetch(config.outbound) });
    await dispatch(dispatchJob("ev-fan"));
    await dispatch(dispatchJob("ev-fan"));
    const deliveries = (await tenant.webhookDeliveries.list()).items.filter((d) => d.eventId === "ev-fan");
    expect(deliveries.map((d) => d.endpointId)).toEqual([subscribed.id]);
    expect(queued).toEqual([deliveries[0]!.id, deliveries[0]!.id]);
    expect(JSON.parse(deliveries[0]!.body)).toMatchObject({ id: "ev-fan", type: "order.created", merchantId: tenant.merchantId, test: false, data: { orderId: "1" } });
  });

  it("refuses at send time a loopback URL, and a public-looking name that resolves to this machine", async () => {
    const queue = new MemoryJobQueue();
    try {
      for (const [url, fetcher] of [
        [`http://127.0.0.1:${port}/direct`, guardedFetch(config.outbound)],
        [`http://hooks.rebound.example:${port}/rebound`, guardedFetch(config.outbound, async () => [{ address: "127.0.0.1", family: 4 }])],
      ] as const) {
        const endpoint = await tenant.webhookEndpoints.create({ url, events: ["message.created"], secretCiphertext: seal() });
        const { delivery } = await tenant.webhookDeliveries.recordOnce({ endpointId: endpoint.id, eventId: `ev-${url}`, eventType: "message.created", body: "{}", test: false });
        const deliver = createWebhookDeliverHandler({ config, store, queue, fetch: fetcher });
        await expect(deliver({ id: "w", name: "webhook-deliver", attempt: 1, data: { merchantId: tenant.merchantId, deliveryId: delivery.id } })).rejects.toBeInstanceOf(UnrecoverableError);
        const after = await tenant.webhookDeliveries.get(delivery.id);
        expect(after).toMatchObject({ status: "failed", attempts: 1, lastStatus: null });
        expect(after?.lastError).toMatch(/^refused: /);
      }
      expect(hits).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it("delivers to the same receiver once the operator allows private networks", async () => {
    const open = loadConfig({ KALEEM_DATA_DIR: config.dataDir, LOG_LEVEL: "silent", OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", ENCRYPTION_KEY: config.secrets.encryptionKey });
    const endpoint = await tenant.webhookEndpoints.create({ url: `http://127.0.0.1:${port}/allowed`, events: ["message.created"], secretCiphertext: integrationSecrets(open).seal({ secret: "whsec_test" }) });
    const { delivery } = await tenant.webhookDeliveries.recordOnce({ endpointId: endpoint.id, eventId: "ev-allowed", eventType: "message.created", body: "{}", test: false });
    const deliver = createWebhookDeliverHandler({ config: open, store, queue: new MemoryJobQueue(), fetch: guardedFetch(open.outbound) });
    await deliver({ id: "w", name: "webhook-deliver", attempt: 1, data: { merchantId: tenant.merchantId, deliveryId: delivery.id } });
    expect(hits).toEqual(["/allowed"]);
    expect(await tenant.webhookDeliveries.get(delivery.id)).toMatchObject({ status: "delivered", lastStatus: 200, attempts: 1 });
  });
});
