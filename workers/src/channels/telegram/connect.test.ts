import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderUnrecoverable } from "../common/errors.js";
import { FakeTelegram, startFakeTelegram } from "../testing/fake-telegram.js";
import { connectTelegram, TELEGRAM_ALLOWED_UPDATES } from "./connect.js";
import { downloadTelegramFile } from "./media.js";

const botToken = "7000000002:AAH-kaleem_connect_token_0123456789ab";
let fake: FakeTelegram;
let config: { botToken: string; apiBaseUrl: string };

beforeAll(async () => {
  fake = await startFakeTelegram({ botToken, bot: { id: 7000000002, username: "dates_house_bot", firstName: "Dates House" } });
  config = { botToken, apiBaseUrl: fake.apiBaseUrl };
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe("connecting a Telegram bot", () => {
  it("getMe names the bot, then setWebhook registers the URL, the secret and reactions + callback queries", async () => {
    const bot = await connectTelegram(config, { url: "https://kaleem.example/webhooks/telegram/ch_1", secretToken: "s3cr3t_Token-1" });
    expect(bot).toEqual({ id: "7000000002", username: "dates_house_bot", name: "Dates House" });
    expect(fake.rejected()).toEqual([]);
    expect(fake.webhook).toEqual({ url: "https://kaleem.example/webhooks/telegram/ch_1", secretToken: "s3cr3t_Token-1", allowedUpdates: [...TELEGRAM_ALLOWED_UPDATES] });
    expect(fake.webhook?.allowedUpdates).toEqual(expect.arrayContaining(["message_reaction", "callback_query"]));
  });

  it("a wrong token stops at getMe with an auth failure; bad webhook settings never leave Kaleem", async () => {
    const err = await connectTelegram({ ...config, botToken: "7000000002:AAH-not_the_right_token_0123456789" }, { url: "https://k.example/w", secretToken: "abc" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "auth" });
    await expect(connectTelegram(config, { url: "http://k.example/w", secretToken: "abc" })).rejects.toThrow(/https/);
    await expect(connectTelegram(config, { url: "https://k.example/w", secretToken: "not allowed!" })).rejects.toThrow(/secret_token/);
    expect(fake.accepted("setWebhook")).toEqual([]);
  });
});

describe("Telegram media", () => {
  it("getFile, then the file URL: bytes and type", async () => {
    const bytes = Buffer.from("fake-jpeg-bytes-\u00ff\u00d8");
    fake.addFile("tg-photo-large-91", bytes, "image/jpeg");
    const media = await downloadTelegramFile(config, "tg-photo-large-91");
    expect(media.bytes.equals(bytes)).toBe(true);
    expect(media.contentType).toBe("image/jpeg");
    expect(fake.accepted().map((e) => e.operation)).toEqual(["getFile", "file"]);
  });

  it("refuses more than maxBytes, before or while downloading", async () => {
    fake.addFile("big", Buffer.alloc(4096, 1), "application/pdf");
    const err = await downloadTelegramFile(config, "big", { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnrecoverable);
    expect(err).toMatchObject({ kind: "too_large" });
    await expect(downloadTelegramFile(config, "unknown-file")).rejects.toMatchObject({ kind: "rejected" });
  });
});
