import { asMerchantId, SecretBox, UnrecoverableError } from "@kaleem/shared";
import { waitFor } from "@kaleem/shared/testing";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

const PUBLIC_URL = "https://shop-hub.example.com";
let t: TestRest;
let owner: Session;
let agentToken: string;

// Distinct, greppable secret values.
const TG = { botToken: "123456789:AAE-tg-bot-token-SECRET-aaa", secretToken: "tg_secret_TOKEN-bbb" };
const WA = { phoneNumberId: "1122334455667", accessToken: "EAAG-wa-access-SECRET-ccc", appSecret: "wa-app-SECRET-ddd", verifyToken: "wa-verify-me-123" };
const FB = { pageId: "998877", accessToken: "EAAG-fb-access-SECRET-eee", appSecret: "fb-app-SECRET-fff" };

beforeAll(async () => {
  // Some channels here point apiBaseUrl at a local test double (127.0.0.1): the operator allows that.
  t = await startTestRest({ PUBLIC_URL, OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true" });
  owner = await t.signup("Channels");
  const email = `agent-${Date.now()}@example.com`;
  const invited = await t.request("POST", "/api/v1/team", {
    token: owner.token,
    body: { email, name: "Agent", role: "agent", password: "agent-password-1" },
  });
  expect(invited.status).toBe(201);
  const login = await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-1" } });
  agentToken = login.body.accessToken;
});
afterAll(async () => t?.close());

/** Every byte the store has written: the database and its WAL. */
function databaseBytes(): string {
  return readdirSync(t.dataDir)
    .filter((f) => f.startsWith("kaleem.db"))
    .map((f) => readFileSync(path.join(t.dataDir, f)).toString("latin1"))
    .join("\n");
}

async function openSecrets(channelId: string): Promise<Record<string, string>> {
  const sealed = await t.store.forMerchant(asMerchantId(owner.merchantId)).channels.getSecrets(channelId);
  expect(sealed).not.toBeNull();
  return JSON.parse(new SecretBox(t.config.secrets.encryptionKey).open(sealed!)) as Record<string, string>;
}

describe("channels API", () => {
  it("connects a Telegram bot: webhook URL, public config only, secrets sealed", async () => {
    const res = await t.request("POST", "/api/v1/channels", {
      token: owner.token,
      body: { type: "telegram", name: "Shop bot", config: { ...TG, apiBaseUrl: "http://127.0.0.1:9/tg/" } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      type: "telegram",
      name: "Shop bot",
      webhookUrl: `${PUBLIC_URL}/webhooks/telegram/${res.body.id}`,
      status: "active",
      lastEventAt: null,
      lastError: null,
      breakerOpenUntil: null,
      // The bot's id (the token's public part) marks the account: one store connects it once.
      config: { apiBaseUrl: "http://127.0.0.1:9/tg", botId: "123456789" },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.text).not.toContain(TG.botToken);
    expect(res.text).not.toContain(TG.secretToken);
    expect(await openSecrets(res.body.id)).toEqual(TG);
    // Tenancy lookup for the webhook side.
    expect(await t.store.lookup.channel(res.body.id)).toEqual({ merchantId: owner.merchantId, type: "telegram" });
  });

  it("connects WhatsApp and Messenger; the verify token is shown, generated when not given", async () => {
    const wa = await t.request("POST", "/api/v1/channels", { token: owner.token, body: { type: "whatsapp", name: "WA", config: WA } });
    expect(wa.status).toBe(201);
    expect(wa.body).toMatchObject({
      type: "whatsapp",
      verifyToken: WA.verifyToken,
      config: { phoneNumberId: WA.phoneNumberId },
      webhookUrl: `${PUBLIC_URL}/webhooks/meta/${wa.body.id}`,
    });
    expect(Object.keys(wa.body.config)).toEqual(["phoneNumberId"]);
    expect(await openSecrets(wa.body.id)).toEqual({ accessToken: WA.accessToken, appSecret: WA.appSecret });

    const fb = await t.request("POST", "/api/v1/channels", { token: owner.token, body: { type: "messenger", name: "FB", config: FB } });
    expect(fb.status).toBe(201);
    expect(fb.body.verifyToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(fb.body.config).toEqual({ pageId: FB.pageId });
    const again = await t.request("GET", `/api/v1/channels/${fb.body.id}`, { token: owner.token });
    expect(again.body.verifyToken).toBe(fb.body.verifyToken);

    const ig = await t.request("POST", "/api/v1/channels", {
      token: owner.token,
      body: { type: "instagram", name: "IG", config: { ...FB, pageId: "1234" } },
    });
    expect(ig.status).toBe(201);
    expect(ig.body.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/meta/${ig.body.id}`);
  });

  it("validates the config of each type with clear errors", async () => {
    const bad: Array<[unknown, string]> = [
      [{ type: "telegram", name: "x", config: { secretToken: "ok" } }, "config.botToken"],
      [{ type: "telegram", name: "x", config: { ...TG, botToken: "not a token" } }, "config.botToken"],
      [{ type: "telegram", name: "x", config: { ...TG, secretToken: "has space" } }, "config.secretToken"],
      [{ type: "telegram", name: "x", config: { ...TG, apiBaseUrl: "ftp://files.example.com" } }, "config.apiBaseUrl"],
      [{ type: "telegram", name: "x", config: { ...TG, apiBaseUrl: "javascript:alert(1)" } }, "config.apiBaseUrl"],
      [{ type: "telegram", name: "x", config: { ...TG, unknownField: "1" } }, "config"],
      [{ type: "whatsapp", name: "x", config: { ...WA, appSecret: undefined } }, "config.appSecret"],
      [{ type: "whatsapp", name: "x", config: { ...WA, verifyToken: "short" } }, "config.verifyToken"],
      [{ type: "messenger", name: "x", config: { ...FB, pageId: "" } }, "config.pageId"],
      [{ type: "sms", name: "x", config: {} }, "type"],
      [{ type: "telegram", name: " ", config: TG }, "name"],
    ];
    for (const [body, path] of bad) {
      const res = await t.request("POST", "/api/v1/channels", { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
  });

  it("PATCH renames, replaces only the secrets given, clears optional fields with null, and validates against the type", async () => {
    const created = await t.request("POST", "/api/v1/channels", {
      token: owner.token,
      body: { type: "whatsapp", name: "Old", config: { ...WA, phoneNumberId: "2233445566", apiBaseUrl: "https://graph.example.com" } },
    });
    const id = created.body.id;
    const renamed = await t.request("PATCH", `/api/v1/channels/${id}`, {
      token: owner.token,
      body: { name: "New", config: { accessToken: "EAAG-rotated-SECRET-ggg", apiBaseUrl: null } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "New", verifyToken: WA.verifyToken, config: { phoneNumberId: "2233445566" } });
    expect(renamed.body.config.apiBaseUrl).toBeUndefined();
    expect(renamed.text).not.toContain("rotated-SECRET");
    expect(await openSecrets(id)).toEqual({ accessToken: "EAAG-rotated-SECRET-ggg", appSecret: WA.appSecret });

    const disabled = await t.request("PATCH", `/api/v1/channels/${id}`, { token: owner.token, body: { status: "disabled" } });
    expect(disabled.body.status).toBe("disabled");

    // A field of another type, or an invalid value, is rejected with its config path.
    for (const config of [{ botToken: TG.botToken }, { phoneNumberId: "bad id!" }, { verifyToken: null }]) {
      const res = await t.request("PATCH", `/api/v1/channels/${id}`, { token: owner.token, body: { config } });
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect(res.body.error.details[0].path).toMatch(/^config/);
    }
    expect((await t.request("PATCH", `/api/v1/channels/${id}`, { token: owner.token, body: { status: "error" } })).status).toBe(400);
    expect(await openSecrets(id)).toEqual({ accessToken: "EAAG-rotated-SECRET-ggg", appSecret: WA.appSecret });
  });

  it("lists and deletes; audit rows name the action, never a secret", async () => {
    const created = await t.request("POST", "/api/v1/channels", { token: owner.token, body: { type: "telegram", name: "Doomed", config: { ...TG, botToken: "223456789:AAE-doomed-bot" } } });
    const id = created.body.id;
    await t.request("PATCH", `/api/v1/channels/${id}`, { token: owner.token, body: { config: { botToken: "42:rotated-bot-SECRET" } } });
    const list = await t.request("GET", "/api/v1/channels", { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(list.body.items.every((c: { webhookUrl: string }) => c.webhookUrl.startsWith(`${PUBLIC_URL}/webhooks/`))).toBe(true);

    expect((await t.request("DELETE", `/api/v1/channels/${id}`, { token: owner.token })).status).toBe(204);
    expect((await t.request("GET", `/api/v1/channels/${id}`, { token: owner.token })).status).toBe(404);
    expect((await t.request("DELETE", `/api/v1/channels/${id}`, { token: owner.token })).status).toBe(404);
    expect(await t.store.lookup.channel(id)).toBeNull();

    const audit = await t.request("GET", "/api/v1/audit?limit=100", { token: owner.token });
    const rows = audit.body.items.filter((a: { target: string }) => a.target === id);
    expect(rows.map((a: { action: string }) => a.action).sort()).toEqual(["channel.create", "channel.delete", "channel.update"]);
    expect(rows.find((a: { action: string }) => a.action === "channel.update").data).toEqual({ type: "telegram", configFields: ["botToken"] });
    expect(JSON.stringify(audit.body)).not.toContain("SECRET");
  });

  it("never returns or stores a secret in clear text", async () => {
    const everything = JSON.stringify([
      (await t.request("GET", "/api/v1/channels", { token: owner.token })).body,
      (await t.request("GET", "/api/v1/audit?limit=100", { token: owner.token })).body,
    ]);
    const bytes = databaseBytes();
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [TG.botToken, TG.secretToken, WA.accessToken, WA.appSecret, FB.accessToken, FB.appSecret, "EAAG-rotated-SECRET-ggg", "42:rotated-bot-SECRET"]) {
      expect(everything).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
    // Sanity: public values are in the file, so the search above would find a plain-text secret.
    expect(bytes).toContain(WA.phoneNumberId);
  });

  it("keeps channels (config, verify tokens) to owners and admins: agents can neither read nor change them", async () => {
    const created = await t.request("POST", "/api/v1/channels", { token: owner.token, body: { type: "telegram", name: "Agents see", config: { ...TG, botToken: "323456789:AAE-agents-see" } } });
    const id = created.body.id;
    expect((await t.request("GET", "/api/v1/channels", { token: agentToken })).status).toBe(403);
    expect((await t.request("GET", `/api/v1/channels/${id}`, { token: agentToken })).status).toBe(403);
    const writes: Array<[string, string, unknown?]> = [
      ["POST", "/api/v1/channels", { type: "telegram", name: "x", config: TG }],
      ["PATCH", `/api/v1/channels/${id}`, { name: "pwned" }],
      ["DELETE", `/api/v1/channels/${id}`],
    ];
    for (const [method, p, body] of writes) {
      const res = await t.request(method, p, { token: agentToken, ...(body !== undefined && { body }) });
      expect(res.status, `${method} ${p}`).toBe(403);
    }
    expect((await t.request("GET", `/api/v1/channels/${id}`, { token: owner.token })).body.name).toBe("Agents see");
  });

  it("keeps merchants apart: another store gets 404 and an empty list", async () => {
    const other = await t.signup("Other");
    const created = await t.request("POST", "/api/v1/channels", { token: owner.token, body: { type: "whatsapp", name: "Mine", config: { ...WA, phoneNumberId: "3344556677" } } });
    const id = created.body.id;
    for (const [method, body] of [["GET"], ["PATCH", { name: "stolen", config: { accessToken: "x-stolen" } }], ["DELETE"]] as const) {
      const res = await t.request(method, `/api/v1/channels/${id}`, { token: other.token, ...(body !== undefined && { body }) });
      expect(res.status, method).toBe(404);
    }
    expect((await t.request("GET", "/api/v1/channels", { token: other.token })).body.items).toEqual([]);
    expect((await t.request("GET", `/api/v1/channels/${id}`, { token: owner.token })).body.name).toBe("Mine");
    expect(await openSecrets(id)).toEqual({ accessToken: WA.accessToken, appSecret: WA.appSecret });
  });

  it("lists one channel's failed deliveries: each dead letter names its conversation and channel", async () => {
    const shop = await t.signup("Dead letters");
    const tenant = t.store.forMerchant(asMerchantId(shop.merchantId));
    const tg = await t.request("POST", "/api/v1/channels", { token: shop.token, body: { type: "telegram", name: "Bot", config: TG } });
    const wa = await t.request("POST", "/api/v1/channels", { token: shop.token, body: { type: "whatsapp", name: "WA", config: WA } });
    const onTelegram = await tenant.conversations.create({ channel: "telegram", channelId: tg.body.id });
    const onWhatsApp = await tenant.conversations.create({ channel: "whatsapp", channelId: wa.body.id });
    t.queue.process("channel-deliver", async () => {
      throw new UnrecoverableError("provider refused");
    });
    for (const [i, conversation] of [onTelegram, onWhatsApp, onTelegram].entries()) {
      await t.queue.add("channel-deliver", { merchantId: shop.merchantId, outboxId: `o-${i}`, messageId: `m-${i}`, conversationId: conversation.id, byHuman: true }, { attempts: 1 });
    }
    await waitFor(async () => (await t.queue.deadLetters("channel-deliver", { merchantId: shop.merchantId })).length === 3, "three dead letters");
    const forTelegram = await t.request("GET", `/api/v1/dead-letters?channelId=${tg.body.id}`, { token: shop.token });
    expect(forTelegram.status).toBe(200);
    expect(forTelegram.body.items.map((l: { data: { messageId: string } }) => l.data.messageId).sort()).toEqual(["m-0", "m-2"]);
    expect(forTelegram.body.items.every((l: { conversationId: string; channelId: string }) => l.conversationId === onTelegram.id && l.channelId === tg.body.id)).toBe(true);
    const forWhatsApp = await t.request("GET", `/api/v1/dead-letters?channelId=${wa.body.id}`, { token: shop.token });
    expect(forWhatsApp.body.items).toMatchObject([{ job: "channel-deliver", conversationId: onWhatsApp.id, channelId: wa.body.id, error: expect.stringContaining("provider refused") }]);
    // Another store's channel id finds nothing here, and agents cannot list them at all.
    expect((await t.request("GET", `/api/v1/dead-letters?channelId=${tg.body.id}`, { token: owner.token })).body.items).toEqual([]);
    expect((await t.request("GET", `/api/v1/dead-letters?channelId=${tg.body.id}`, { token: agentToken })).status).toBe(403);
  });

  it("requires authentication", async () => {
    expect((await t.request("GET", "/api/v1/channels")).status).toBe(401);
  });
});
