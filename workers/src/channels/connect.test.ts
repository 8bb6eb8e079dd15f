// The ChannelConnector side of the gateway against the local provider servers: what each provider
// is asked on connect, what Kaleem keeps from the answer, and which failures are the provider's
// "no" (refused) and which mean it could not be asked (unreachable).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChannelGateway } from "./gateway.js";
import { startFakeMetaMessaging, startFakeTelegram, startFakeWhatsApp, type FakeMetaMessaging, type FakeTelegram, type FakeWhatsApp } from "./testing/index.js";

const BOT_TOKEN = "7100000003:AAH-gateway_connect_token_0123456789";
const WA = { phoneNumberId: "300111222333", accessToken: "EAAG-gateway-wa-token" };
const PAGE = { pageId: "445566", accessToken: "EAAG-gateway-page-token" };
const WEBHOOK = "https://kaleem.example/webhooks/telegram/ch_connect";

let tg: FakeTelegram;
let wa: FakeWhatsApp;
let fb: FakeMetaMessaging;
let ig: FakeMetaMessaging;
const gateway = createChannelGateway({ fetch: (input, init) => fetch(input, init), timeoutMs: 2_000 });

beforeAll(async () => {
  tg = await startFakeTelegram({ botToken: BOT_TOKEN, bot: { id: 7100000003, username: "dates_house_bot", firstName: "Dates House" } });
  wa = await startFakeWhatsApp({ ...WA, verifiedName: "Dates House" });
  fb = await startFakeMetaMessaging({ platform: "messenger", accountId: PAGE.pageId, accessToken: PAGE.accessToken, name: "Dates House Page" });
  ig = await startFakeMetaMessaging({ platform: "instagram", accountId: PAGE.pageId, accessToken: PAGE.accessToken, name: "dates.house" });
});
afterAll(async () => {
  await Promise.all([tg?.close(), wa?.close(), fb?.close(), ig?.close()]);
});
beforeEach(() => {
  for (const fake of [tg, wa, fb, ig]) fake.reset();
});

describe("connecting a channel through the gateway", () => {
  it("Telegram: getMe, then setWebhook with the channel's URL and secret; the bot's names are kept", async () => {
    const outcome = await gateway.connect({ type: "telegram", publicConfig: { apiBaseUrl: tg.apiBaseUrl }, secrets: { botToken: BOT_TOKEN, secretToken: "tg_secret-1" }, webhookUrl: WEBHOOK });
    expect(outcome).toEqual({ ok: true, account: { accountId: "7100000003", details: { botId: "7100000003", botUsername: "dates_house_bot", botName: "Dates House" } } });
    expect(tg.webhook).toMatchObject({ url: WEBHOOK, secretToken: "tg_secret-1" });
    expect(tg.rejected()).toEqual([]);
  });

  it("Telegram: a made-up token, an http webhook URL and a bad secret are refused with the provider's reason", async () => {
    const made = await gateway.connect({ type: "telegram", publicConfig: { apiBaseUrl: tg.apiBaseUrl }, secrets: { botToken: "7100000003:AAH-made_up_token_0000000000000", secretToken: "s" }, webhookUrl: WEBHOOK });
    expect(made).toMatchObject({ ok: false, failure: "refused", reason: expect.stringMatching(/unauthorized|token/i) });
    const http = await gateway.connect({ type: "telegram", publicConfig: { apiBaseUrl: tg.apiBaseUrl }, secrets: { botToken: BOT_TOKEN, secretToken: "s" }, webhookUrl: "http://kaleem.example/webhooks/telegram/x" });
    expect(http).toMatchObject({ ok: false, failure: "refused", reason: expect.stringMatching(/https:\/\/ webhook URL.*PUBLIC_URL/) });
    expect(tg.accepted("getMe")).toHaveLength(0);
    expect(tg.accepted("setWebhook")).toEqual([]);
  });

  it("a provider that errors or cannot be reached is unreachable, not a refusal", async () => {
    tg.failNext({ kind: "server_error", status: 502 }, { operation: "getMe" });
    const down = await gateway.connect({ type: "telegram", publicConfig: { apiBaseUrl: tg.apiBaseUrl }, secrets: { botToken: BOT_TOKEN, secretToken: "s" }, webhookUrl: WEBHOOK });
    expect(down).toMatchObject({ ok: false, failure: "unreachable" });
    const nowhere = await gateway.connect({ type: "whatsapp", publicConfig: { phoneNumberId: WA.phoneNumberId, apiBaseUrl: "http://127.0.0.1:9" }, secrets: { accessToken: WA.accessToken }, webhookUrl: WEBHOOK });
    expect(nowhere).toMatchObject({ ok: false, failure: "unreachable" });
  });

  it("WhatsApp: the token must open that phone number; its verified name is kept", async () => {
    const good = await gateway.connect({ type: "whatsapp", publicConfig: { phoneNumberId: WA.phoneNumberId, apiBaseUrl: wa.apiBaseUrl }, secrets: { accessToken: WA.accessToken, appSecret: "x" }, webhookUrl: WEBHOOK });
    expect(good).toEqual({ ok: true, account: { accountId: WA.phoneNumberId, details: { displayPhoneNumber: "+966 11 000 0000", verifiedName: "Dates House" } } });
    const wrongToken = await gateway.connect({ type: "whatsapp", publicConfig: { phoneNumberId: WA.phoneNumberId, apiBaseUrl: wa.apiBaseUrl }, secrets: { accessToken: "EAAG-wrong" }, webhookUrl: WEBHOOK });
    expect(wrongToken).toMatchObject({ ok: false, failure: "refused", reason: expect.stringMatching(/token/) });
    const wrongNumber = await gateway.connect({ type: "whatsapp", publicConfig: { phoneNumberId: "999", apiBaseUrl: wa.apiBaseUrl }, secrets: { accessToken: WA.accessToken }, webhookUrl: WEBHOOK });
    expect(wrongNumber).toMatchObject({ ok: false, failure: "refused" });
  });

  it("Messenger reads the Page and subscribes the app to its messaging events; Instagram reads the account", async () => {
    const page = await gateway.connect({ type: "messenger", publicConfig: { pageId: PAGE.pageId, apiBaseUrl: fb.apiBaseUrl }, secrets: { accessToken: PAGE.accessToken }, webhookUrl: WEBHOOK });
    expect(page).toEqual({ ok: true, account: { accountId: PAGE.pageId, details: { pageName: "Dates House Page" } } });
    expect(fb.subscribedFields).toEqual(expect.arrayContaining(["messages", "messaging_postbacks"]));
    const insta = await gateway.connect({ type: "instagram", publicConfig: { pageId: PAGE.pageId, apiBaseUrl: ig.apiBaseUrl }, secrets: { accessToken: PAGE.accessToken }, webhookUrl: WEBHOOK });
    expect(insta).toEqual({ ok: true, account: { accountId: PAGE.pageId, details: { username: "dates.house" } } });
    const wrong = await gateway.connect({ type: "instagram", publicConfig: { pageId: PAGE.pageId, apiBaseUrl: ig.apiBaseUrl }, secrets: { accessToken: "nope" }, webhookUrl: WEBHOOK });
    expect(wrong).toMatchObject({ ok: false, failure: "refused" });
  });
});
