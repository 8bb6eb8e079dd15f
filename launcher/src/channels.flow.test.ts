// Messaging channels end to end in the embedded product: connecting checks the credentials with the
// provider, provider webhooks in (signed as the provider signs), the inbox and the bot, and every
// send out through a local provider server that checks each request the way the provider would
// (../shared/specs when present); failed deliveries become dead letters the owner retries.
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type BotEngine, type BotEvent, type Conversation, type Message, type UploadTicket } from "@kaleem/shared";
import { testJpeg, testPdf } from "@kaleem/shared/testing";
import { startFakeTelegram, startFakeWhatsApp, type FakeTelegram, type FakeWhatsApp } from "@kaleem/workers/channels/testing";
import { closeAllClients, connected, createMerchant, inboxClient, login, mustNotBeLogged, nextEvent, ok, startTestKaleem, until, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

/** Offers a button, answers a tapped one, and otherwise says one sentence. */
class ChannelBot implements BotEngine {
  async *reply(input: Parameters<BotEngine["reply"]>[0]): AsyncIterable<BotEvent> {
    const text = [...input.history].reverse().find((m) => m.role === "shopper")?.text ?? "";
    yield { type: "intent", intent: "product_search", confidence: 0.9 };
    if (text === "add:p-77") {
      yield { type: "delta", text: "Added the black abaya to your cart." };
      return;
    }
    if (text.startsWith("buttons")) {
      yield { type: "delta", text: "We have a black abaya for 250 SAR." };
      yield { type: "part", part: { type: "quick_replies", replies: [{ label: "Add to cart", payload: "add:p-77" }, { label: "Talk to a person", payload: "human" }] } };
      return;
    }
    yield { type: "delta", text: "Hello " };
    yield { type: "delta", text: "from the bot." };
  }
}

const PUBLIC_URL = "https://kaleem-flow.example";
const BOT_TOKEN = "123456789:AAEtestTokenForTheFakeTelegramServer1";
const TG_SECRET = "tg-secret-token_for-tests";
const WA = { phoneNumberId: "105550001111", accessToken: "EAAG-test-access-token-wa", appSecret: "wa-app-secret-for-tests", verifyToken: "verify-me-please" };
// Provider credentials pass through every layer here (connect, webhooks, sends, failures): none may reach a log line.
mustNotBeLogged(BOT_TOKEN, TG_SECRET, WA.accessToken, WA.appSecret, WA.verifyToken, "966500000101");

let t: TestKaleem;
let shop: TestMerchant;
let owner: string;
let tg: FakeTelegram;
let wa: FakeWhatsApp;
let tgChannel: string;
let waChannel: string;

async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.k.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

function postWebhook(path: string, raw: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${t.k.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: raw });
}

const metaSignature = (raw: string | Buffer, secret = WA.appSecret) => `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;

let updateId = 5000;
function telegramText(chatId: number, text: string): string {
  updateId += 1;
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), text, chat: { id: chatId, type: "private", first_name: "Salem" }, from: { id: chatId, is_bot: false, first_name: "Salem", language_code: "en" } },
  });
}

let wamid = 0;
function whatsAppText(from: string, text: string, phoneNumberId = WA.phoneNumberId): string {
  wamid += 1;
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA-1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001111", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: "Noura" }, wa_id: from }],
              messages: [{ from, id: `wamid.TEST${wamid}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

const tenant = () => t.k.store.forMerchant(asMerchantId(shop.merchantId));
async function conversationOf(externalId: string, channel: "telegram" | "whatsapp"): Promise<Conversation> {
  const customer = await tenant().customers.findByExternalId(channel, externalId);
  const conversation = customer ? await tenant().conversations.findOpenByCustomer(customer.id, channel) : null;
  if (!conversation) throw new Error(`no conversation for ${channel} customer ${externalId}`);
  return conversation;
}
const messagesOf = async (conversationId: string): Promise<Message[]> => tenant().messages.listAfter(conversationId, 0, 500);
const sentTexts = () => tg.accepted("sendMessage").map((e) => (e.body as { text?: string }).text ?? "");

beforeAll(async () => {
  tg = await startFakeTelegram({ botToken: BOT_TOKEN });
  wa = await startFakeWhatsApp({ phoneNumberId: WA.phoneNumberId, accessToken: WA.accessToken });
  // The providers are local test servers: the operator allows private addresses for them. Telegram
  // only takes an https webhook URL, so the installation says it is reached at one (the tests post
  // the webhooks to it directly).
  t = await startTestKaleem({
    bot: new ChannelBot(),
    env: { OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", BOT_STREAM_DELAY_MS: "0", LOG_LEVEL: "silent", PUBLIC_URL: PUBLIC_URL },
  });
  shop = await createMerchant(t.k);
  owner = await login(t.k.url, shop.email, shop.password);
  const tgRes = await api<{ id: string; webhookUrl: string }>("POST", "/channels", { type: "telegram", name: "Shop bot", config: { botToken: BOT_TOKEN, secretToken: TG_SECRET, apiBaseUrl: tg.apiBaseUrl } });
  expect(tgRes.status).toBe(201);
  tgChannel = tgRes.body.id;
  const waRes = await api<{ id: string; webhookUrl: string }>("POST", "/channels", { type: "whatsapp", name: "WhatsApp", config: { ...WA, apiBaseUrl: wa.apiBaseUrl } });
  expect(waRes.status).toBe(201);
  expect(waRes.body.webhookUrl).toMatch(/\/webhooks\/meta\//);
  waChannel = waRes.body.id;
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await t?.close();
  await tg?.close();
  await wa?.close();
});

describe("Telegram", () => {
  it("a customer's message reaches the inbox live, the bot answers through sendMessage, and a bad secret stores nothing", async () => {
    const agent = inboxClient(t.k.url, owner);
    await connected(agent);
    const seen = nextEvent<{ conversation: Conversation }>(agent, "conversation:new", (p) => p.conversation.channel === "telegram");
    const res = await postWebhook(`/webhooks/telegram/${tgChannel}`, telegramText(7001, "hello there"), { "x-telegram-bot-api-secret-token": TG_SECRET });
    expect(res.status).toBe(200);
    const { conversation } = await seen;
    expect(conversation).toMatchObject({ channel: "telegram", channelId: tgChannel, customerName: "Salem" });
    await until(() => sentTexts().includes("Hello from the bot."), "the bot's answer sent to Telegram");
    expect(tg.rejected()).toEqual([]);
    expect(tg.accepted("sendMessage").at(-1)?.body).toMatchObject({ chat_id: 7001, text: "Hello from the bot." });
    // The answer records where it went.
    await until(async () => (await messagesOf(conversation.id)).some((m) => m.role === "bot" && m.channelDelivery?.state === "sent"), "delivery recorded");

    const before = (await messagesOf(conversation.id)).length;
    const forged: Array<Record<string, string>> = [{}, { "x-telegram-bot-api-secret-token": "wrong" }, { "x-telegram-bot-api-secret-token": TG_SECRET.slice(0, -1) }];
    for (const headers of forged) {
      const refused = await postWebhook(`/webhooks/telegram/${tgChannel}`, telegramText(7001, "forged"), headers);
      expect(refused.status).toBe(401);
    }
    expect((await messagesOf(conversation.id)).length).toBe(before);
    // Unknown channel ids and the other endpoint's channels are unknown.
    expect((await postWebhook(`/webhooks/telegram/nope`, telegramText(7001, "x"), { "x-telegram-bot-api-secret-token": TG_SECRET })).status).toBe(404);
    expect((await postWebhook(`/webhooks/meta/${tgChannel}`, telegramText(7001, "x"), {})).status).toBe(404);
  });

  it("the same update twice and five times at once makes one message and one answer", async () => {
    const raw = telegramText(7002, "only once please");
    const headers = { "x-telegram-bot-api-secret-token": TG_SECRET };
    expect((await postWebhook(`/webhooks/telegram/${tgChannel}`, raw, headers)).status).toBe(200);
    expect((await postWebhook(`/webhooks/telegram/${tgChannel}`, raw, headers)).status).toBe(200);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => postWebhook(`/webhooks/telegram/${tgChannel}`, raw, headers)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await until(async () => (await messagesOf((await conversationOf("7002", "telegram")).id)).some((m) => m.role === "bot" && m.status === "complete"), "answered");
    await until(() => tg.accepted("sendMessage").filter((e) => (e.body as { chat_id: number }).chat_id === 7002).length >= 1, "sent");
    // Let anything that would have been duplicated arrive, then count.
    await new Promise((r) => setTimeout(r, 400));
    const messages = await messagesOf((await conversationOf("7002", "telegram")).id);
    expect(messages.filter((m) => m.role === "shopper")).toHaveLength(1);
    expect(messages.filter((m) => m.role === "bot")).toHaveLength(1);
    expect(tg.accepted("sendMessage").filter((e) => (e.body as { chat_id: number }).chat_id === 7002)).toHaveLength(1);
  });

  it("buttons go out as an inline keyboard, and a tapped one comes back as the shopper's choice", async () => {
    const headers = { "x-telegram-bot-api-secret-token": TG_SECRET };
    await postWebhook(`/webhooks/telegram/${tgChannel}`, telegramText(7003, "buttons please"), headers);
    await until(() => tg.accepted("sendMessage").some((e) => (e.body as { chat_id: number }).chat_id === 7003), "the buttons sent");
    const sent = tg.accepted("sendMessage").find((e) => (e.body as { chat_id: number }).chat_id === 7003)!.body as {
      reply_markup: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    };
    const add = sent.reply_markup.inline_keyboard.flat().find((b) => b.text === "Add to cart");
    expect(add).toBeDefined();
    updateId += 1;
    const tap = JSON.stringify({
      update_id: updateId,
      callback_query: {
        id: "cbq-1",
        from: { id: 7003, is_bot: false, first_name: "Salem" },
        chat_instance: "ci-1",
        data: add!.callback_data,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 7003, type: "private" }, text: "We have a black abaya for 250 SAR." },
      },
    });
    expect((await postWebhook(`/webhooks/telegram/${tgChannel}`, tap, headers)).status).toBe(200);
    await until(() => sentTexts().includes("Added the black abaya to your cart."), "the choice answered");
    const conversation = await conversationOf("7003", "telegram");
    expect((await messagesOf(conversation.id)).filter((m) => m.role === "shopper").map((m) => m.text)).toEqual(["buttons please", "add:p-77"]);
    expect(tg.accepted("answerCallbackQuery").map((e) => (e.body as { callback_query_id: string }).callback_query_id)).toContain("cbq-1");
  });

  it("an agent takes over in the inbox and the reply is delivered to the chat; notes never are", async () => {
    const headers = { "x-telegram-bot-api-secret-token": TG_SECRET };
    await postWebhook(`/webhooks/telegram/${tgChannel}`, telegramText(7004, "I need a person"), headers);
    await until(async () => {
      try {
        return (await messagesOf((await conversationOf("7004", "telegram")).id)).some((m) => m.role === "bot" && m.status === "complete");
      } catch {
        return false;
      }
    }, "first answer");
    const conversation = await conversationOf("7004", "telegram");
    const agent = inboxClient(t.k.url, owner);
    await connected(agent);
    await ok(agent, "conversation:watch", { conversationId: conversation.id });
    await ok(agent, "note:add", { conversationId: conversation.id, text: "customer seems upset" });
    const updated = nextEvent<{ message: Message }>(agent, "message:updated", (p) => p.message.channelDelivery?.state === "sent");
    await ok(agent, "message:send", { conversationId: conversation.id, clientMessageId: "agent-1", text: "Hi Salem, Sara here." });
    await until(() => sentTexts().includes("Hi Salem, Sara here."), "the agent reply sent");
    expect((await updated).message.channelDelivery).toMatchObject({ channel: "telegram", state: "sent" });
    expect(sentTexts()).not.toContain("customer seems upset");
  });
});

describe("WhatsApp Cloud API (Meta webhooks)", () => {
  it("answers the subscription handshake only with the channel's verify token", async () => {
    const good = await fetch(`${t.k.url}/webhooks/meta/${waChannel}?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=12345`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe("12345");
    const bad = await fetch(`${t.k.url}/webhooks/meta/${waChannel}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=12345`);
    expect(bad.status).toBe(403);
  });

  it("checks X-Hub-Signature-256 over the raw bytes: only the exact signature is accepted, and refused events are not stored", async () => {
    const raw = whatsAppText("966500000101", "hi from whatsapp");
    const hex = createHmac("sha256", WA.appSecret).update(raw).digest("hex");
    const base64 = createHmac("sha256", WA.appSecret).update(raw).digest("base64");
    const reserialized = JSON.stringify(JSON.parse(raw), null, 2);
    const cases: Array<[string, Record<string, string>, string]> = [
      ["missing", {}, raw],
      ["wrong secret", { "x-hub-signature-256": metaSignature(raw, "another-secret") }, raw],
      ["base64 instead of hex", { "x-hub-signature-256": `sha256=${base64}` }, raw],
      ["truncated", { "x-hub-signature-256": `sha256=${hex.slice(0, 40)}` }, raw],
      ["no prefix", { "x-hub-signature-256": hex }, raw],
      ["re-serialized body", { "x-hub-signature-256": metaSignature(raw) }, reserialized],
      ["legacy SHA-1 only", { "x-hub-signature": `sha1=${createHmac("sha1", WA.appSecret).update(raw).digest("hex")}` }, raw],
    ];
    for (const [name, headers, body] of cases) {
      expect((await postWebhook(`/webhooks/meta/${waChannel}`, body, headers)).status, name).toBe(401);
    }
    expect(await tenant().customers.findByExternalId("whatsapp", "966500000101")).toBeNull();

    // Signed correctly, but naming another business number: refused too.
    const foreign = whatsAppText("966500000101", "hi", "999999999999");
    expect((await postWebhook(`/webhooks/meta/${waChannel}`, foreign, { "x-hub-signature-256": metaSignature(foreign) })).status).toBe(403);
    expect(await tenant().customers.findByExternalId("whatsapp", "966500000101")).toBeNull();

    expect((await postWebhook(`/webhooks/meta/${waChannel}`, raw, { "x-hub-signature-256": metaSignature(raw) })).status).toBe(200);
    await until(async () => (await tenant().customers.findByExternalId("whatsapp", "966500000101")) !== null, "the customer");
    await until(() => wa.accepted("messages").some((e) => (e.body as { to?: string }).to === "966500000101"), "the answer sent on WhatsApp");
    expect(wa.rejected()).toEqual([]);
  });

  it("status callbacks move the message's delivery state and never create messages", async () => {
    const from = "966500000102";
    const raw = whatsAppText(from, "track my delivery");
    await postWebhook(`/webhooks/meta/${waChannel}`, raw, { "x-hub-signature-256": metaSignature(raw) });
    await until(() => wa.accepted("messages").some((e) => (e.body as { to?: string }).to === from), "sent");
    const conversation = await conversationOf(from, "whatsapp");
    await until(async () => (await messagesOf(conversation.id)).some((m) => m.channelDelivery?.state === "sent"), "sent recorded");
    const answer = (await messagesOf(conversation.id)).find((m) => m.role === "bot")!;
    const providerId = answer.channelDelivery!.providerMessageId!;
    const status = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "WABA-1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550001111", phone_number_id: WA.phoneNumberId }, statuses: [{ id: providerId, status: "read", timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: from }] } }] }],
    });
    const count = (await messagesOf(conversation.id)).length;
    expect((await postWebhook(`/webhooks/meta/${waChannel}`, status, { "x-hub-signature-256": metaSignature(status) })).status).toBe(200);
    await until(async () => (await tenant().messages.get(answer.id))?.channelDelivery?.state === "read", "read recorded");
    expect((await messagesOf(conversation.id)).length).toBe(count);
  });

  it("a photo is downloaded through the media API into the store, and agents read it through a short-lived link", async () => {
    const from = "966500000106";
    const bytes = Buffer.from("fake-jpeg-bytes-of-a-dress");
    wa.addMedia("media-771", bytes, "image/jpeg");
    wamid += 1;
    const raw = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "WABA-1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550001111", phone_number_id: WA.phoneNumberId }, contacts: [{ profile: { name: "Huda" }, wa_id: from }], messages: [{ from, id: `wamid.IMG${wamid}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "image", image: { id: "media-771", mime_type: "image/jpeg", caption: "do you have this in red?" } }] } }] }],
    });
    expect((await postWebhook(`/webhooks/meta/${waChannel}`, raw, { "x-hub-signature-256": metaSignature(raw) })).status).toBe(200);
    let photo: Message | undefined;
    await until(async () => {
      try {
        photo = (await messagesOf((await conversationOf(from, "whatsapp")).id)).find((m) => m.role === "shopper");
        return photo !== undefined;
      } catch {
        return false;
      }
    }, "the photo message");
    expect(photo!.text).toContain("do you have this in red?");
    const attachment = photo!.parts.find((p) => p.type === "attachment");
    expect(attachment).toMatchObject({ type: "attachment", kind: "image", contentType: "image/jpeg", size: bytes.length });
    const link = await api<{ url: string }>("GET", `/conversations/${photo!.conversationId}/attachments/link?key=${encodeURIComponent(attachment!.type === "attachment" ? attachment!.key : "")}`);
    expect(link.status).toBe(200);
    const signed = new URL(link.body.url);
    const got = await fetch(`${t.k.url}${signed.pathname}${signed.search}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("a 429 delays the send by what the provider says and it is delivered once", async () => {
    const from = "966500000103";
    wa.failNext({ kind: "rate_limited", retryAfterSeconds: 1 }, { operation: "messages" });
    const raw = whatsAppText(from, "busy hour");
    await postWebhook(`/webhooks/meta/${waChannel}`, raw, { "x-hub-signature-256": metaSignature(raw) });
    await until(() => wa.accepted("messages").some((e) => (e.body as { to?: string }).to === from), "delivered after the wait", 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(wa.accepted("messages").filter((e) => (e.body as { to?: string }).to === from)).toHaveLength(1);
  });

  it("131047 (window closed) is not retried: the message shows failed with the reason", async () => {
    const from = "966500000104";
    wa.failNext({ kind: "window_closed" }, { operation: "messages" });
    const raw = whatsAppText(from, "hello again");
    await postWebhook(`/webhooks/meta/${waChannel}`, raw, { "x-hub-signature-256": metaSignature(raw) });
    await until(async () => {
      try {
        return (await messagesOf((await conversationOf(from, "whatsapp")).id)).some((m) => m.channelDelivery?.state === "failed");
      } catch {
        return false;
      }
    }, "failed recorded");
    const failed = (await messagesOf((await conversationOf(from, "whatsapp")).id)).find((m) => m.channelDelivery?.state === "failed")!;
    expect(failed.channelDelivery?.error).toMatch(/window|131047|24 hours/i);
    await new Promise((r) => setTimeout(r, 1500));
    expect(wa.accepted("messages").filter((e) => (e.body as { to?: string }).to === from)).toHaveLength(0);
    // The inbox can tell a closed window from other failures (its composer says so).
    expect(failed.channelDelivery?.failure).toBe("window_closed");
    // It is a dead letter the owner can see, under its channel.
    const letters = await api<{ items: Array<{ job: string; data: { messageId?: string } }> }>("GET", "/dead-letters?job=channel-deliver");
    expect(letters.body.items.some((l) => l.data.messageId === failed.id)).toBe(true);
  });

  it("a failed delivery is listed under its channel; retried by the owner, it is sent once and the inbox sees it", async () => {
    const from = "966500000105";
    wa.failNext({ kind: "blocked" }, { operation: "messages" });
    const raw = whatsAppText(from, "are you open today");
    await postWebhook(`/webhooks/meta/${waChannel}`, raw, { "x-hub-signature-256": metaSignature(raw) });
    type Letter = { id: string; job: string; conversationId: string | null; channelId: string | null; data: { messageId?: string } };
    await until(async () => (await tenant().customers.findByExternalId("whatsapp", from)) !== null, "the customer");
    const conversation = await conversationOf(from, "whatsapp");
    let letter: Letter | undefined;
    await until(async () => {
      letter = (await api<{ items: Letter[] }>("GET", `/dead-letters?channelId=${waChannel}`)).body.items.find((l) => l.conversationId === conversation.id);
      return letter !== undefined;
    }, "the dead letter under the WhatsApp channel");
    expect(letter).toMatchObject({ job: "channel-deliver", channelId: waChannel });
    const messageId = letter!.data.messageId!;
    expect((await tenant().messages.get(messageId))?.channelDelivery).toMatchObject({ state: "failed", failure: "blocked" });
    // The Telegram channel's list does not have it.
    expect((await api<{ items: Letter[] }>("GET", `/dead-letters?channelId=${tgChannel}`)).body.items.some((l) => l.data.messageId === messageId)).toBe(false);

    const agent = inboxClient(t.k.url, owner);
    await connected(agent);
    await ok(agent, "conversation:watch", { conversationId: conversation.id });
    const sentAgain = nextEvent<{ message: Message }>(agent, "message:updated", (p) => p.message.id === messageId && p.message.channelDelivery?.state === "sent");
    expect((await api("POST", `/dead-letters/channel-deliver/${encodeURIComponent(letter!.id)}/retry`)).status).toBe(200);
    expect((await sentAgain).message.channelDelivery).toMatchObject({ state: "sent", error: null });
    expect(wa.accepted("messages").filter((e) => (e.body as { to?: string }).to === from)).toHaveLength(1);
    await until(async () => !(await api<{ items: Letter[] }>("GET", `/dead-letters?channelId=${waChannel}`)).body.items.some((l) => l.id === letter!.id), "the dead letter gone");
  });
});


describe("connecting a channel checks the credentials with the provider", () => {
  it("the connected bot's webhook points at its channel with its secret, and the bot's name is kept", async () => {
    const channel = await api<{ webhookUrl: string; config: Record<string, string>; status: string }>("GET", `/channels/${tgChannel}`);
    expect(channel.body.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/telegram/${tgChannel}`);
    expect(tg.webhook).toMatchObject({ url: channel.body.webhookUrl, secretToken: TG_SECRET });
    expect(channel.body).toMatchObject({ status: "active", config: { botId: "123456789", botUsername: "kaleem_test_bot" } });
    const number = await api<{ config: Record<string, string> }>("GET", `/channels/${waChannel}`);
    expect(number.body.config).toMatchObject({ phoneNumberId: WA.phoneNumberId, verifiedName: "Kaleem Test Store" });
  });

  it("a made-up token is refused with Telegram's reason, an unreachable provider is 502; nothing is stored", async () => {
    const before = (await api<{ items: unknown[] }>("GET", "/channels")).body.items.length;
    const made = await api<{ error: { code: string; message: string } }>("POST", "/channels", {
      type: "telegram",
      name: "Made up",
      config: { botToken: "987654321:AAEmadeUpTokenThatTelegramDoesNotKnow", secretToken: "whatever", apiBaseUrl: tg.apiBaseUrl },
    });
    expect(made.status).toBe(422);
    expect(made.body.error.message).toMatch(/Telegram did not accept the connection: .*Unauthorized/);
    const down = await api<{ error: { code: string } }>("POST", "/channels", {
      type: "whatsapp",
      name: "Nowhere",
      config: { ...WA, phoneNumberId: "105550009999", apiBaseUrl: "http://127.0.0.1:9" },
    });
    expect(down.status).toBe(502);
    expect(down.body.error.code).toBe("provider_unreachable");
    expect((await api<{ items: unknown[] }>("GET", "/channels")).body.items).toHaveLength(before);
    // The same bot again is refused before Telegram is asked: its webhook stays where it is.
    const calls = tg.accepted("setWebhook").length;
    const again = await api("POST", "/channels", { type: "telegram", name: "Again", config: { botToken: BOT_TOKEN, secretToken: "another-secret", apiBaseUrl: tg.apiBaseUrl } });
    expect(again.status).toBe(409);
    expect(tg.accepted("setWebhook")).toHaveLength(calls);
    expect(tg.webhook?.url).toBe(`${PUBLIC_URL}/webhooks/telegram/${tgChannel}`);
  });

  it("a double submit of the connect form makes one channel", async () => {
    const second = await startFakeTelegram({ botToken: "555666777:AAEsecondBotForTheDoubleSubmitTest" });
    try {
      const body = { type: "telegram", name: "Second bot", config: { botToken: "555666777:AAEsecondBotForTheDoubleSubmitTest", secretToken: "second-secret", apiBaseUrl: second.apiBaseUrl } };
      const key = { "idempotency-key": "connect-form-submit-1" };
      const answers = await Promise.all([api<{ id: string }>("POST", "/channels", body, key), api<{ id: string }>("POST", "/channels", body, key)]);
      expect(answers.map((a) => a.status).sort()).toEqual(answers.some((a) => a.status === 409) ? [201, 409] : [201, 201]);
      const mine = (await api<{ items: Array<{ id: string; name: string }> }>("GET", "/channels")).body.items.filter((c) => c.name === "Second bot");
      expect(mine).toHaveLength(1);
      expect(second.accepted("setWebhook")).toHaveLength(1);
      expect(second.webhook?.url).toBe(`${PUBLIC_URL}/webhooks/telegram/${mine[0]!.id}`);
    } finally {
      await second.close();
    }
  });
});

describe("order status changes leave through the outbox", () => {
  it("a confirmed order's event is relayed (marked published) for the outgoing webhooks to deliver", async () => {
    const order = await tenant().orders.create({ items: [{ productId: "p-1", name: "Dates", price: 50, quantity: 1 }] });
    const moved = await api<{ status: string }>("POST", `/orders/${order.id}/status`, { status: "confirmed" });
    expect(moved.body.status).toBe("confirmed");
    const pendingOf = async () => (await tenant().outbox.listPending(500)).filter((r) => r.topic === "order.status_changed" && (r.payload as { orderId: string }).orderId === order.id);
    await until(async () => (await pendingOf()).length === 0, "the order event relayed");
    expect((await tenant().orders.get(order.id))?.status).toBe("confirmed");
    // The relay's own handling of the topic, on a row whose id is known: published, no error kept.
    const row = await tenant().outbox.add({
      topic: "order.status_changed",
      payload: { orderId: order.id, number: order.number, from: "confirmed", to: "shipped", actorId: null, changedAt: new Date().toISOString() },
    });
    await until(async () => (await tenant().outbox.get(row.id))?.publishedAt != null, "the row published");
    expect((await tenant().outbox.get(row.id))?.lastError).toBeNull();
  });
});

describe("agents' attachments out through the providers", () => {
  /** Uploads a file for a reply as the dashboard does (REST ticket, PUT to the media handler). */
  async function uploadFor(conversationId: string, name: string, contentType: string, bytes: Buffer): Promise<string> {
    const ticket = await api<UploadTicket>("POST", `/conversations/${conversationId}/uploads`, { name, contentType, size: bytes.byteLength });
    expect(ticket.status).toBe(201);
    // The ticket names the public URL; the test reaches the same handler on the process itself.
    const target = new URL(ticket.body.url);
    expect((await fetch(`${t.k.url}${target.pathname}${target.search}`, { method: "PUT", headers: ticket.body.headers, body: new Uint8Array(bytes) })).status).toBe(200);
    return ticket.body.uploadId;
  }
  /** What the provider would fetch from a link we sent: the same bytes, through our media handler. */
  const fetchSent = async (link: string) => {
    const u = new URL(link);
    expect(u.origin).toBe(new URL(PUBLIC_URL).origin);
    return Buffer.from(await (await fetch(`${t.k.url}${u.pathname}${u.search}`)).arrayBuffer());
  };

  it("Telegram: the agent's PDF goes out with sendDocument by a link that serves the file", async () => {
    await postWebhook(`/webhooks/telegram/${tgChannel}`, telegramText(7010, "I need a person"), { "x-telegram-bot-api-secret-token": TG_SECRET });
    await until(async () => {
      try {
        return (await messagesOf((await conversationOf("7010", "telegram")).id)).some((m) => m.role === "bot" && m.status === "complete");
      } catch {
        return false;
      }
    }, "first answer");
    const conversation = await conversationOf("7010", "telegram");
    const agent = inboxClient(t.k.url, owner);
    await connected(agent);
    const uploadId = await uploadFor(conversation.id, "size-chart.pdf", "application/pdf", testPdf());
    await ok(agent, "message:send", { conversationId: conversation.id, clientMessageId: "agent-pdf-1", text: "Our size chart", attachments: [{ uploadId }] });
    await until(() => tg.accepted("sendDocument").some((e) => (e.body as { chat_id: number }).chat_id === 7010), "the document sent");
    const doc = tg.accepted("sendDocument").find((e) => (e.body as { chat_id: number }).chat_id === 7010)!.body as { document: string };
    expect((await fetchSent(doc.document)).equals(testPdf())).toBe(true);
    expect(sentTexts()).toContain("Our size chart");
    // (Other tests here provoke refusals on purpose: only the sends of this one are checked.)
    expect(tg.rejected().filter((e) => e.operation === "sendDocument" || e.operation === "sendMessage")).toEqual([]);
  });

  it("WhatsApp: the agent's photo goes out as an image message by link (metadata already stripped)", async () => {
    const from = "966500000106";
    const conversation = await conversationOf(from, "whatsapp");
    const agent = inboxClient(t.k.url, owner);
    await connected(agent);
    const uploadId = await uploadFor(conversation.id, "red-dress.jpg", "image/jpeg", testJpeg());
    await ok(agent, "message:send", { conversationId: conversation.id, clientMessageId: "agent-photo-1", text: "", attachments: [{ uploadId }] });
    await until(() => wa.accepted("messages").some((e) => (e.body as { type?: string; to?: string }).type === "image" && (e.body as { to: string }).to === from), "the image sent");
    const body = wa.accepted("messages").find((e) => (e.body as { type?: string }).type === "image")!.body as { image: { link: string } };
    const served = await fetchSent(body.image.link);
    expect(served.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(served.includes(Buffer.from("GPS-24.7136N"))).toBe(false);
    expect(wa.rejected().filter((e) => e.operation === "messages")).toEqual([]);
  });
});
