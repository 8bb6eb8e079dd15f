import { asMerchantId, SecretBox } from "@kaleem/shared";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

const PUBLIC_URL = "https://hub.example.org";
let t: TestRest;
let owner: Session;
let agentToken: string;

const SHOPIFY = { shopDomain: "Demo-Store.myshopify.com", webhookSecret: "shpss_SECRET-shopify-111" };
const SALLA = { merchantId: "1234509876", webhookSecret: "salla-SECRET-222" };
const ZID = { storeId: "77001", username: "zid-hook-user", password: "zid-SECRET-pass-333" };

beforeAll(async () => {
  t = await startTestRest({ PUBLIC_URL });
  owner = await t.signup("Commerce");
  const email = `agent-${Date.now()}@example.com`;
  await t.request("POST", "/api/v1/team", { token: owner.token, body: { email, name: "Agent", role: "agent", password: "agent-password-1" } });
  agentToken = (await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-1" } })).body.accessToken;
});
afterAll(async () => t?.close());

async function openSecrets(merchantId: string, id: string): Promise<Record<string, string>> {
  const sealed = await t.store.forMerchant(asMerchantId(merchantId)).commerceConnections.getSecrets(id);
  expect(sealed).not.toBeNull();
  return JSON.parse(new SecretBox(t.config.secrets.encryptionKey).open(sealed!)) as Record<string, string>;
}

describe("commerce connections API", () => {
  const ids: Record<string, string> = {};

  it("connects Shopify, Salla and Zid with their webhook URLs; secrets sealed and never returned", async () => {
    for (const [platform, config] of [
      ["shopify", SHOPIFY],
      ["salla", SALLA],
      ["zid", ZID],
    ] as const) {
      const res = await t.request("POST", "/api/v1/commerce-connections", { token: owner.token, body: { platform, config } });
      expect(res.status, platform).toBe(201);
      ids[platform] = res.body.id;
      expect(res.body).toEqual({
        id: expect.any(String),
        platform,
        webhookUrl: `${PUBLIC_URL}/webhooks/${platform}/${res.body.id}`,
        config: expect.any(Object),
        status: "active",
        lastEventAt: null,
        lastError: null,
        sync: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await t.store.lookup.commerceConnection(res.body.id)).toEqual({ merchantId: owner.merchantId, platform });
    }
    const list = await t.request("GET", "/api/v1/commerce-connections", { token: owner.token });
    const byPlatform = Object.fromEntries(list.body.items.map((c: { platform: string; config: unknown }) => [c.platform, c.config]));
    expect(byPlatform).toEqual({
      shopify: { shopDomain: "demo-store.myshopify.com" },
      salla: { merchantId: SALLA.merchantId },
      zid: { storeId: ZID.storeId, username: ZID.username },
    });
    expect(await openSecrets(owner.merchantId, ids.shopify!)).toEqual({ webhookSecret: SHOPIFY.webhookSecret });
    expect(await openSecrets(owner.merchantId, ids.zid!)).toEqual({ password: ZID.password });

    const text = list.text + (await t.request("GET", "/api/v1/audit?limit=100", { token: owner.token })).text;
    const bytes = readdirSync(t.dataDir)
      .filter((f) => f.startsWith("kaleem.db"))
      .map((f) => readFileSync(path.join(t.dataDir, f)).toString("latin1"))
      .join("\n");
    expect(bytes).toContain(ZID.username);
    for (const secret of [SHOPIFY.webhookSecret, SALLA.webhookSecret, ZID.password]) {
      expect(text).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
  });

  it("allows one connection per platform (409)", async () => {
    const res = await t.request("POST", "/api/v1/commerce-connections", { token: owner.token, body: { platform: "shopify", config: SHOPIFY } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
  });

  it("validates each platform's config", async () => {
    const bad: Array<[unknown, string]> = [
      [{ platform: "shopify", config: { shopDomain: "not a host", webhookSecret: "s" } }, "config.shopDomain"],
      [{ platform: "shopify", config: { shopDomain: "a.myshopify.com" } }, "config.webhookSecret"],
      [{ platform: "salla", config: { ...SALLA, apiBaseUrl: "file:///etc/passwd" } }, "config.apiBaseUrl"],
      [{ platform: "zid", config: { storeId: "1", username: "u" } }, "config.password"],
      [{ platform: "zid", config: { ...ZID, webhookSecret: "extra" } }, "config"],
      [{ platform: "woocommerce", config: {} }, "platform"],
    ];
    for (const [body, p] of bad) {
      const res = await t.request("POST", "/api/v1/commerce-connections", { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(p);
    }
  });

  it("PATCH replaces given secrets, keeps the others, and audits field names only", async () => {
    const id = ids.zid!;
    const res = await t.request("PATCH", `/api/v1/commerce-connections/${id}`, {
      token: owner.token,
      body: { config: { username: "new-user", apiBaseUrl: "https://api.zid.example/v1/" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.config).toEqual({ storeId: ZID.storeId, username: "new-user", apiBaseUrl: "https://api.zid.example/v1" });
    expect(await openSecrets(owner.merchantId, id)).toEqual({ password: ZID.password });

    const rotated = await t.request("PATCH", `/api/v1/commerce-connections/${id}`, {
      token: owner.token,
      body: { config: { password: "zid-SECRET-rotated-444" }, status: "disabled" },
    });
    expect(rotated.body.status).toBe("disabled");
    expect(rotated.text).not.toContain("rotated-444");
    expect(await openSecrets(owner.merchantId, id)).toEqual({ password: "zid-SECRET-rotated-444" });

    const bad = await t.request("PATCH", `/api/v1/commerce-connections/${id}`, { token: owner.token, body: { config: { webhookSecret: "x" } } });
    expect(bad.status).toBe(400);

    const audit = await t.request("GET", "/api/v1/audit?limit=100", { token: owner.token });
    const updates = audit.body.items.filter((a: { action: string; target: string }) => a.action === "commerce.update" && a.target === id);
    expect(updates.map((a: { data: unknown }) => a.data)).toEqual([
      { platform: "zid", status: "disabled", configFields: ["password"] },
      { platform: "zid", configFields: ["apiBaseUrl", "username"] },
    ]);
    expect(audit.text).not.toContain("rotated-444");
  });

  it("DELETE frees the platform for a new connection", async () => {
    expect((await t.request("DELETE", `/api/v1/commerce-connections/${ids.salla}`, { token: owner.token })).status).toBe(204);
    expect((await t.request("GET", `/api/v1/commerce-connections/${ids.salla}`, { token: owner.token })).status).toBe(404);
    expect(await t.store.lookup.commerceConnection(ids.salla!)).toBeNull();
    const again = await t.request("POST", "/api/v1/commerce-connections", { token: owner.token, body: { platform: "salla", config: SALLA } });
    expect(again.status).toBe(201);
    ids.salla = again.body.id;
  });

  it("is for owners and admins only", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/api/v1/commerce-connections"],
      ["GET", `/api/v1/commerce-connections/${ids.shopify}`],
      ["POST", "/api/v1/commerce-connections", { platform: "zid", config: ZID }],
      ["PATCH", `/api/v1/commerce-connections/${ids.shopify}`, { status: "disabled" }],
      ["DELETE", `/api/v1/commerce-connections/${ids.shopify}`],
    ];
    for (const [method, p, body] of routes) {
      const res = await t.request(method, p, { token: agentToken, ...(body !== undefined && { body }) });
      expect(res.status, `${method} ${p}`).toBe(403);
    }
    expect((await t.request("GET", `/api/v1/commerce-connections/${ids.shopify}`, { token: owner.token })).body.status).toBe("active");
  });

  it("keeps merchants apart (404) and lets each connect the same platform", async () => {
    const other = await t.signup("Other");
    for (const [method, body] of [["GET"], ["PATCH", { config: { webhookSecret: "stolen-secret" } }], ["DELETE"]] as const) {
      const res = await t.request(method, `/api/v1/commerce-connections/${ids.shopify}`, { token: other.token, ...(body !== undefined && { body }) });
      expect(res.status, method).toBe(404);
    }
    expect((await t.request("GET", "/api/v1/commerce-connections", { token: other.token })).body.items).toEqual([]);
    const own = await t.request("POST", "/api/v1/commerce-connections", { token: other.token, body: { platform: "shopify", config: SHOPIFY } });
    expect(own.status).toBe(201);
    expect(await openSecrets(owner.merchantId, ids.shopify!)).toEqual({ webhookSecret: SHOPIFY.webhookSecret });
  });
});
