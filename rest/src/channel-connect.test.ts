// Connecting a channel asks the provider first (the ChannelConnector port, here a scripted double
// that records what it was asked): a refusal is 422 with the provider's reason, an unreachable
// provider 502, and in both cases nothing is stored; a double submit never makes two channels.
import { asMerchantId, type ChannelConnectOutcome, type ChannelConnector } from "@kaleem/shared";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

const PUBLIC_URL = "https://hub.example.com";
type ConnectInput = Parameters<ChannelConnector["connect"]>[0];

/** Answers with the next scripted outcome (success by default), optionally held until released. */
class ScriptedConnector implements ChannelConnector {
  calls: ConnectInput[] = [];
  next: ChannelConnectOutcome[] = [];
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = null;
  }
  async connect(input: ConnectInput): Promise<ChannelConnectOutcome> {
    this.calls.push(input);
    if (this.gate) await this.gate;
    return this.next.shift() ?? { ok: true, account: { accountId: "acct", details: { verifiedName: "Dates House", botUsername: "dates_bot" } } };
  }
}

const connector = new ScriptedConnector();
let t: TestRest;
let owner: Session;

const TG = { botToken: "555000111:AAE-connect-test-token", secretToken: "connect_secret-1" };
const WA = { phoneNumberId: "7700001111", accessToken: "EAAG-connect-wa", appSecret: "connect-app-secret", verifyToken: "connect-verify-1" };
const create = (body: unknown, headers?: Record<string, string>) => t.request("POST", "/api/v1/channels", { token: owner.token, body, ...(headers && { headers }) });
const channels = async () => (await t.request("GET", "/api/v1/channels", { token: owner.token })).body.items as Array<{ id: string; name: string; config: Record<string, string>; status: string }>;

beforeAll(async () => {
  t = await startTestRest({ PUBLIC_URL }, { channelConnector: connector });
});
afterAll(async () => t?.close());
beforeEach(async () => {
  owner = await t.signup("Connect");
  connector.calls = [];
  connector.next = [];
});

describe("connecting a channel is checked with the provider", () => {
  it("asks with the webhook URL of the very channel it then stores, and keeps what the provider said", async () => {
    connector.next.push({ ok: true, account: { accountId: "555000111", details: { botId: "555000111", botUsername: "dates_house_bot", botName: "Dates House" } } });
    const res = await create({ type: "telegram", name: "Shop bot", config: TG });
    expect(res.status, res.text).toBe(201);
    expect(connector.calls).toEqual([{ type: "telegram", publicConfig: {}, secrets: TG, webhookUrl: `${PUBLIC_URL}/webhooks/telegram/${res.body.id}` }]);
    expect(res.body).toMatchObject({ status: "active", config: { botId: "555000111", botUsername: "dates_house_bot", botName: "Dates House" } });
  });

  it("a refusal is 422 with the provider's reason, an unreachable provider 502; nothing is stored or audited", async () => {
    connector.next.push({ ok: false, failure: "refused", reason: "telegram getMe: 401 Unauthorized" });
    const refused = await create({ type: "telegram", name: "Made up", config: TG });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "provider_refused", message: expect.stringContaining("401 Unauthorized") });
    connector.next.push({ ok: false, failure: "unreachable", reason: "whatsapp phone_number: timed out" });
    const down = await create({ type: "whatsapp", name: "WA", config: WA });
    expect(down.status).toBe(502);
    expect(down.body.error).toMatchObject({ code: "provider_unreachable", message: expect.stringContaining("timed out") });
    expect(await channels()).toEqual([]);
    const audit = await t.request("GET", "/api/v1/audit?limit=100", { token: owner.token });
    expect(audit.body.items.filter((a: { action: string }) => a.action.startsWith("channel."))).toEqual([]);
    // The refusal left the account free: once the provider agrees, it connects.
    expect((await create({ type: "telegram", name: "Real", config: TG })).status).toBe(201);
  });

  it("one store connects an account once: the same bot or number again is 409, without asking the provider", async () => {
    expect((await create({ type: "telegram", name: "Bot", config: TG })).status).toBe(201);
    expect((await create({ type: "whatsapp", name: "WA", config: WA })).status).toBe(201);
    connector.calls = [];
    const bot = await create({ type: "telegram", name: "Bot again", config: { ...TG, secretToken: "another_secret" } });
    expect(bot.status).toBe(409);
    expect(bot.body.error.message).toContain('"Bot"');
    expect((await create({ type: "whatsapp", name: "WA again", config: { ...WA, accessToken: "EAAG-other" } })).status).toBe(409);
    expect(connector.calls).toEqual([]);
    // Another account of the same provider is fine.
    expect((await create({ type: "whatsapp", name: "Second number", config: { ...WA, phoneNumberId: "7700002222" } })).status).toBe(201);
    expect((await channels()).map((c) => c.name).sort()).toEqual(["Bot", "Second number", "WA"]);
  });

  it("a double submit makes one channel: with an Idempotency-Key the second gets the first's answer; without one, the account is claimed", async () => {
    const key = { "idempotency-key": "connect-form-1" };
    connector.hold();
    const first = create({ type: "whatsapp", name: "WA", config: WA }, key);
    await until(() => connector.calls.length === 1);
    const meanwhile = await create({ type: "whatsapp", name: "WA", config: WA }, key);
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.error.code).toBe("idempotency_in_flight");
    // The same account with no key (or another key) while the first is with the provider: claimed.
    const raced = await create({ type: "whatsapp", name: "WA", config: WA });
    expect(raced.status).toBe(409);
    connector.release();
    const done = await first;
    expect(done.status).toBe(201);
    const replay = await create({ type: "whatsapp", name: "WA", config: WA }, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(done.body.id);
    expect((await create({ type: "whatsapp", name: "Other body", config: WA }, key)).status).toBe(422);
    expect(connector.calls).toHaveLength(1);
    expect((await channels()).map((c) => c.id)).toEqual([done.body.id]);
  });

  it("edited credentials are checked again; a rename, a verify token or a status change are not", async () => {
    const created = await create({ type: "whatsapp", name: "WA", config: WA });
    const id = created.body.id;
    const tenant = t.store.forMerchant(asMerchantId(owner.merchantId));
    const sealed = await tenant.channels.getSecrets(id);
    connector.calls = [];
    const patch = (body: unknown) => t.request("PATCH", `/api/v1/channels/${id}`, { token: owner.token, body });
    expect((await patch({ name: "Renamed" })).status).toBe(200);
    expect((await patch({ config: { verifyToken: "another-verify-token" } })).status).toBe(200);
    expect((await patch({ status: "disabled" })).status).toBe(200);
    expect((await patch({ status: "active" })).status).toBe(200);
    expect(connector.calls).toEqual([]);

    connector.next.push({ ok: false, failure: "refused", reason: "190 Invalid OAuth access token" });
    const refused = await patch({ config: { accessToken: "EAAG-typo" } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain("Invalid OAuth access token");
    expect(await tenant.channels.getSecrets(id)).toBe(sealed);

    // A channel the workers marked failing is active again once the provider takes the new token.
    await tenant.channels.update(id, { status: "error", lastError: "190 token expired" });
    connector.next.push({ ok: true, account: { accountId: WA.phoneNumberId, details: { verifiedName: "Dates House KSA" } } });
    const fixed = await patch({ config: { accessToken: "EAAG-fresh" } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ status: "active", lastError: null, config: { phoneNumberId: WA.phoneNumberId, verifiedName: "Dates House KSA" } });
    expect(connector.calls.map((c) => c.secrets)).toEqual([
      { accessToken: "EAAG-typo", appSecret: WA.appSecret },
      { accessToken: "EAAG-fresh", appSecret: WA.appSecret },
    ]);
    expect(connector.calls[1]?.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/meta/${id}`);
    // The provider's facts are not the merchant's to type.
    expect((await patch({ config: { verifiedName: "Forged" } })).status).toBe(400);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("condition not met");
}
