// Outgoing webhook endpoints over REST: the secret shown once, internal targets refused when saved,
// the test event written to the outbox, the delivery log, owners/admins only, one store's own.
import { asMerchantId, COMMERCE_SYNC_JOB, SecretBox, type CommerceWebhooks } from "@kaleem/shared";
import { MemoryJobQueue } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

const INTERNAL = ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5678/webhook", "http://localhost/hook", "http://10.1.2.3/n8n", "http://[::1]/x"];

let t: TestRest;
let owner: Session;
let other: Session;
let agentToken: string;
beforeAll(async () => {
  t = await startTestRest();
  owner = await t.signup("Hooks");
  other = await t.signup("Other");
  const email = `agent-${Date.now()}@example.com`;
  await t.request("POST", "/api/v1/team", { token: owner.token, body: { email, name: "Agent", role: "agent", password: "agent-password-1" } });
  agentToken = (await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-1" } })).body.accessToken;
});
afterAll(async () => t?.close());

const api = (method: string, path: string, body?: unknown, token = owner.token) => t.request(method, `/api/v1${path}`, { token, ...(body !== undefined && { body }) });

describe("outgoing webhook endpoints", () => {
  let id = "";
  let secret = "";

  it("creates an endpoint with its event types; the signing secret is in that answer only, sealed at rest", async () => {
    const res = await api("POST", "/webhook-endpoints", { url: "https://hooks.example.com/kaleem", events: ["order.created", "lead.captured"], description: "Zapier" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: "https://hooks.example.com/kaleem", events: ["order.created", "lead.captured"], description: "Zapier", status: "active" });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    ({ id, secret } = res.body as { id: string; secret: string });
    const list = await api("GET", "/webhook-endpoints");
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
    expect(list.text).not.toContain(secret);
    const sealed = await t.store.forMerchant(asMerchantId(owner.merchantId)).webhookEndpoints.getSecret(id);
    expect(sealed).not.toContain(secret);
    expect(JSON.parse(new SecretBox(t.config.secrets.encryptionKey).open(sealed!))).toEqual({ secret });
  });

  it("refuses internal targets when saved or changed (SSRF), and bad bodies with clear errors", async () => {
    for (const url of INTERNAL) {
      const res = await api("POST", "/webhook-endpoints", { url, events: ["message.created"] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.details[0].path).toBe("url");
      expect((await api("PATCH", `/webhook-endpoints/${id}`, { url })).status, url).toBe(400);
    }
    expect((await api("GET", "/webhook-endpoints")).body.items[0].url).toBe("https://hooks.example.com/kaleem");
    for (const [body, path] of [
      [{ url: "ftp://hooks.example.com/x", events: ["order.created"] }, "url"],
      [{ url: "https://hooks.example.com/x", events: [] }, "events"],
      [{ url: "https://hooks.example.com/x", events: ["order.shipped"] }, "events.0"],
    ] as const) {
      const res = await api("POST", "/webhook-endpoints", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });

  it("changes events and status, rotates the secret, queues a test event in the outbox", async () => {
    const patched = await api("PATCH", `/webhook-endpoints/${id}`, { events: ["handoff.requested"], status: "disabled" });
    expect(patched.body).toMatchObject({ events: ["handoff.requested"], status: "disabled" });
    const rotated = await api("POST", `/webhook-endpoints/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const test = await api("POST", `/webhook-endpoints/${id}/test`, {});
    expect(test.status).toBe(202);
    const pending = await t.store.forMerchant(asMerchantId(owner.merchantId)).outbox.listPending(10);
    expect(pending.map((r) => r.payload)).toContainEqual(expect.objectContaining({ eventId: test.body.eventId, type: "handoff.requested", endpointId: id, test: true }));
    expect((await api("GET", `/webhook-deliveries?endpointId=${id}`)).body).toEqual({ items: [], nextCursor: null });
  });

  it("is for owners and admins of the store only", async () => {
    for (const [method, path, body] of [
      ["GET", "/webhook-endpoints"],
      ["POST", "/webhook-endpoints", { url: "https://x.example.com", events: ["order.created"] }],
      ["GET", "/webhook-deliveries"],
      ["POST", `/webhook-endpoints/${id}/test`, {}],
    ] as const) {
      expect((await api(method, path, body, agentToken)).status, `${method} ${path}`).toBe(403);
    }
    expect((await api("PATCH", `/webhook-endpoints/${id}`, { status: "active" }, other.token)).status).toBe(404);
    expect((await api("POST", `/webhook-endpoints/${id}/test`, {}, other.token)).status).toBe(404);
    expect((await api("GET", "/webhook-endpoints", undefined, other.token)).body.items).toEqual([]);
    expect((await api("DELETE", `/webhook-endpoints/${id}`)).status).toBe(204);
    expect((await api("DELETE", `/webhook-endpoints/${id}`)).status).toBe(404);
  });
});

describe("commerce import requests", () => {
  it("queue a sync job only for an enabled connection with an API token", async () => {
    const queue = new MemoryJobQueue();
    const r = await startTestRest({}, { queue });
    try {
      const s = await r.signup("Sync");
      const call = (method: string, path: string, body?: unknown) => r.request(method, `/api/v1${path}`, { token: s.token, ...(body !== undefined && { body }) });
      const bare = await call("POST", "/commerce-connections", { platform: "salla", config: { merchantId: "55", webhookSecret: "w-1" } });
      expect((await call("POST", `/commerce-connections/${bare.body.id}/sync`, { mode: "import" })).status).toBe(409);
      await call("PATCH", `/commerce-connections/${bare.body.id}`, { config: { accessToken: "salla-api-token" } });
      const ok = await call("POST", `/commerce-connections/${bare.body.id}/sync`, { mode: "import" });
      expect(ok.status).toBe(202);
      expect(ok.text).not.toContain("salla-api-token");
      expect(await queue.depth(COMMERCE_SYNC_JOB)).toBe(1);
      await call("PATCH", `/commerce-connections/${bare.body.id}`, { status: "disabled" });
      expect((await call("POST", `/commerce-connections/${bare.body.id}/sync`, { mode: "reconcile" })).status).toBe(409);
      expect((await call("POST", `/commerce-connections/${bare.body.id}/sync`, { mode: "everything" })).status).toBe(400);
    } finally {
      await r.close();
    }
  });
});

describe("commerce webhook route", () => {
  it("stores what the port accepts once per event id, refuses what it refuses, 404s unknown or other-platform connections", async () => {
    const queue = new MemoryJobQueue();
    const seen: string[] = [];
    const commerceWebhooks: CommerceWebhooks = {
      read: ({ rawBody, connection }) => {
        seen.push(connection.id);
        const body = JSON.parse(rawBody.toString("utf8")) as { key: string; ok: boolean };
        return body.ok
          ? { ok: true, event: { platform: connection.platform, topic: "products/delete", dedupeKey: body.key, changes: [{ kind: "product.delete", externalId: "1" }] } }
          : { ok: false, status: 401, reason: "signature_mismatch" };
      },
    };
    const r = await startTestRest({}, { queue, commerceWebhooks });
    try {
      const s = await r.signup("Ingest");
      const conn = await r.request("POST", "/api/v1/commerce-connections", { token: s.token, body: { platform: "shopify", config: { shopDomain: "a.myshopify.com", webhookSecret: "w" } } });
      const post = (path: string, body: unknown) => fetch(`${r.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect((await post(`/webhooks/shopify/${conn.body.id}`, { key: "k1", ok: true })).status).toBe(200);
      expect((await post(`/webhooks/shopify/${conn.body.id}`, { key: "k1", ok: true })).status).toBe(200);
      expect(await queue.depth("commerce-inbound")).toBe(1);
      const refused = await post(`/webhooks/shopify/${conn.body.id}`, { key: "k2", ok: false });
      expect(refused.status).toBe(401);
      expect((await refused.json()) as unknown).toEqual({ error: { code: "invalid_signature", message: "signature_mismatch" } });
      expect((await post(`/webhooks/zid/${conn.body.id}`, { key: "k3", ok: true })).status).toBe(404);
      expect((await post(`/webhooks/shopify/01nope`, { key: "k3", ok: true })).status).toBe(404);
      expect(await queue.depth("commerce-inbound")).toBe(1);
      // A disabled connection's events are recorded and not processed.
      await r.request("PATCH", `/api/v1/commerce-connections/${conn.body.id}`, { token: s.token, body: { status: "disabled" } });
      expect((await post(`/webhooks/shopify/${conn.body.id}`, { key: "k4", ok: true })).status).toBe(200);
      expect(await queue.depth("commerce-inbound")).toBe(1);
      const view = await r.request("GET", `/api/v1/commerce-connections/${conn.body.id}`, { token: s.token });
      expect(view.body.lastEventAt).not.toBeNull();
    } finally {
      await r.close();
    }
  });
});
