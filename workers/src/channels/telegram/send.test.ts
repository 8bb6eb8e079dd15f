import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MessagePart } from "@kaleem/shared";
import { productCard } from "../common/parts.test-helpers.js";
import { ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable } from "../common/errors.js";
import { choicePayloads, isPayloadToken, resolveProviderPayload } from "../common/payload-token.js";
import { describeRequest } from "../common/request.js";
import { sendProviderRequest, sendProviderRequests } from "../deliver.js";
import { FakeTelegram, startFakeTelegram } from "../testing/fake-telegram.js";
import { loadTelegramSpec } from "../testing/telegram-spec.js";
import { buildTelegramAnswerCallbackQuery, buildTelegramEditText, buildTelegramSend } from "./send.js";

const botToken = "7000000001:AAH-kaleem_test_token_0123456789abcdef";
let fake: FakeTelegram;
let config: { botToken: string; apiBaseUrl: string };

beforeAll(async () => {
  fake = await startFakeTelegram({ botToken });
  config = { botToken, apiBaseUrl: fake.apiBaseUrl };
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const card = productCard;

describe(`Telegram sends, checked by the local Bot API against ${loadTelegramSpec().source}`, () => {
  it("a plain answer is one sendMessage that Telegram accepts, and gives the message id", async () => {
    const [req] = buildTelegramSend(config, "904411223", { text: "Hello! How can I help?", parts: [], locale: "en" });
    expect(describeRequest(req!)).not.toContain(botToken.split(":")[1]);
    const result = await sendProviderRequest(req!);
    expect(result.providerMessageId).toBe("1");
    expect(fake.rejected()).toEqual([]);
    expect(fake.accepted("sendMessage")[0]?.body).toEqual({ chat_id: 904411223, text: "Hello! How can I help?" });
  });

  it("quick replies and links become an inline keyboard on the last piece; long payloads travel as tokens", async () => {
    const longPayload = `add:${"x".repeat(64)}:2`;
    const parts: MessagePart[] = [
      { type: "quick_replies", replies: [{ label: "Talk to a person", payload: "human" }, { label: "Two of the big box", payload: longPayload }] },
      { type: "link", url: "https://shop.example/checkout", label: "Checkout" },
    ];
    const text = `${"Our dates are picked in Qassim and packed on the day they ship. ".repeat(80)}Anything else?`;
    const requests = buildTelegramSend(config, "904411223", { text, parts, locale: "en" });
    expect(requests.length).toBe(2);
    const results = await sendProviderRequests(requests);
    expect(fake.rejected()).toEqual([]);
    expect(results.map((r) => r.providerMessageId)).toEqual([expect.any(String), expect.any(String)]);
    const [first, last] = fake.accepted("sendMessage").map((e) => e.body as Record<string, unknown>);
    expect(first?.reply_markup).toBeUndefined();
    expect(String(first?.text).endsWith(".")).toBe(true);
    const keyboard = (last?.reply_markup as { inline_keyboard: Array<Array<Record<string, string>>> }).inline_keyboard;
    expect(keyboard[0]).toEqual([{ text: "Talk to a person", callback_data: "human" }]);
    const token = keyboard[1]?.[0]?.callback_data ?? "";
    expect(isPayloadToken(token)).toBe(true);
    expect(resolveProviderPayload(token, choicePayloads(parts))).toBe(longPayload);
    expect(keyboard[2]).toEqual([{ text: "Checkout", url: "https://shop.example/checkout" }]);
  });

  it("product cards are photos with add-to-cart and view buttons; without an image, a text line", async () => {
    const parts = [card("p1"), card("p2", { imageUrl: null, inStock: false })];
    const requests = buildTelegramSend(config, "904411223", { text: "Two boxes we have:", parts, locale: "ar" });
    await sendProviderRequests(requests);
    expect(fake.rejected()).toEqual([]);
    expect(fake.accepted().map((e) => e.operation)).toEqual(["sendMessage", "sendPhoto", "sendMessage"]);
    const photo = fake.accepted("sendPhoto")[0]?.body as Record<string, unknown>;
    expect(photo).toMatchObject({ photo: "https://cdn.shop.example/p1.jpg", caption: "Sukkari dates box p1 — 45 ر.س" });
    expect(photo.reply_markup).toEqual({ inline_keyboard: [[{ text: "أضف للسلة", callback_data: "add:p1" }], [{ text: "عرض", url: "https://shop.example/p/p1" }]] });
    const soldOut = fake.accepted("sendMessage")[1]?.body as Record<string, unknown>;
    expect(soldOut.text).toBe("Sukkari dates box p2 — 45 ر.س (غير متوفر)");
    expect(soldOut.reply_markup).toEqual({ inline_keyboard: [[{ text: "عرض", url: "https://shop.example/p/p2" }]] });
  });

  it("buttons with no text still get a message to sit on, and a reply quotes the shopper's message", async () => {
    const [req] = buildTelegramSend(config, "904411223", { text: "", parts: [{ type: "quick_replies", replies: [{ label: "Yes", payload: "confirm_order" }] }], locale: "en" }, { replyToMessageId: "12" });
    await sendProviderRequest(req!);
    expect(fake.rejected()).toEqual([]);
    expect(fake.accepted()[0]?.body).toMatchObject({ text: "Choose an option:", reply_parameters: { message_id: 12, allow_sending_without_reply: true } });
  });

  it("answerCallbackQuery and a growing answer by editMessageText (an unchanged edit is not_modified)", async () => {
    await sendProviderRequest(buildTelegramAnswerCallbackQuery(config, "5512873390012345678", "Added ✅"));
    const sent = await sendProviderRequest(buildTelegramSend(config, "555", { text: "Let me check", parts: [], locale: "en" })[0]!);
    await sendProviderRequest(buildTelegramEditText(config, "555", sent.providerMessageId!, "Let me check… we have it in stock."));
    const again = sendProviderRequest(buildTelegramEditText(config, "555", sent.providerMessageId!, "Let me check… we have it in stock."));
    await expect(again).rejects.toMatchObject({ kind: "not_modified" });
    expect(fake.rejected()).toEqual([]);
    expect(fake.sentMessages().find((m) => m.chatId === "555")?.text).toBe("Let me check… we have it in stock.");
  });
});

describe("Telegram failures steer the job", () => {
  const send = (timeoutMs = 10_000) => sendProviderRequest(buildTelegramSend(config, "1", { text: "hi", parts: [], locale: "en" })[0]!, { timeoutMs });

  it("429 with retry_after → rate limited by that many seconds (the queue's RetryAfterError shape)", async () => {
    fake.failNext({ kind: "rate_limited", retryAfterSeconds: 3 });
    const err = await send().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRateLimited);
    expect(err).toMatchObject({ name: "RetryAfterError", retryAfterMs: 3_000, delayMs: 3_000 });
    // The next try goes through once.
    await send();
    expect(fake.accepted("sendMessage")).toHaveLength(1);
  });

  it("5xx (JSON or an HTML page), a dropped connection and a timeout are retryable", async () => {
    fake.failNext({ kind: "server_error" });
    await expect(send()).rejects.toBeInstanceOf(ProviderRetryable);
    fake.failNext({ kind: "server_error", html: true, status: 502 });
    await expect(send()).rejects.toThrow(/failed on Telegram's side: HTTP 502/);
    fake.failNext({ kind: "hang_up" });
    await expect(send()).rejects.toBeInstanceOf(ProviderRetryable);
    fake.failNext({ kind: "slow", delayMs: 3_000 });
    await expect(send(300)).rejects.toThrow(/timed out after 300 ms/);
  });

  it("a refused token and a blocked bot are unrecoverable, with what to do", async () => {
    const wrong = { botToken: "7000000001:AAH-some_other_token_0123456789abcdef", apiBaseUrl: fake.apiBaseUrl };
    const err = await sendProviderRequest(buildTelegramSend(wrong, "1", { text: "hi", parts: [], locale: "en" })[0]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnrecoverable);
    expect(err).toMatchObject({ kind: "auth", message: expect.stringMatching(/reconnect the channel/) });
    fake.failNext({ kind: "blocked" });
    await expect(send()).rejects.toMatchObject({ kind: "blocked" });
    expect(() => buildTelegramSend({ botToken: "not-a-token" }, "1", { text: "hi", parts: [], locale: "en" })).toThrow(ProviderUnrecoverable);
  });

  it("a malformed call is refused the way Telegram refuses it", async () => {
    const req = buildTelegramSend(config, "1", { text: "hi", parts: [], locale: "en" })[0]!;
    const broken = { ...req, body: { ...(req.body as object), text: " ".repeat(3) } };
    await expect(sendProviderRequest(broken)).rejects.toMatchObject({ kind: "rejected", message: "telegram sendMessage refused: Bad Request: message text is empty" });
    expect(fake.rejected()).toHaveLength(1);
  });
});
