import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILT_IN_TELEGRAM_SPEC, describedLimit, exactlyOneExcept, loadTelegramSpec, telegramSpecPath, validateTelegramCall } from "./telegram-spec.js";

const havePublished = existsSync(telegramSpecPath);

describe.skipIf(!havePublished)(havePublished ? `the built-in Telegram subset agrees with ${telegramSpecPath}` : `Telegram spec cross-check: skipped, ${telegramSpecPath} is absent`, () => {
  const published = loadTelegramSpec();

  it("is read from the published file", () => {
    expect(published.source).toBe(telegramSpecPath);
  });

  it("names every built-in field with the published types and required flag, and the same stated limits", () => {
    const pairs: Array<[string, typeof BUILT_IN_TELEGRAM_SPEC.methods[string]["fields"], typeof BUILT_IN_TELEGRAM_SPEC.methods[string]["fields"]]> = [
      ...Object.values(BUILT_IN_TELEGRAM_SPEC.methods).map((m) => [m.name, m.fields, published.methods[m.name]?.fields] as [string, typeof m.fields, typeof m.fields]),
      ...Object.values(BUILT_IN_TELEGRAM_SPEC.types).map((t) => [t.name, t.fields, published.types[t.name]?.fields] as [string, typeof t.fields, typeof t.fields]),
    ];
    for (const [name, mine, theirs] of pairs) {
      expect(published.methods[name] ?? published.types[name], name).toBeDefined();
      for (const field of mine ?? []) {
        const real = theirs?.find((x) => x.name === field.name);
        expect(real, `${name}.${field.name}`).toBeDefined();
        expect(real!.types, `${name}.${field.name} types`).toEqual(field.types);
        expect(real!.required, `${name}.${field.name} required`).toBe(field.required);
        expect(describedLimit(real!.description), `${name}.${field.name} limit`).toEqual(describedLimit(field.description));
      }
      // Required fields the built-in subset would not know about would make it accept bad calls.
      for (const real of theirs ?? []) if (real.required) expect(mine?.some((x) => x.name === real.name), `${name}.${real.name} (required)`).toBe(true);
    }
    expect(exactlyOneExcept(published.types.InlineKeyboardButton!)).toContain("text");
  });
});

for (const spec of havePublished ? [BUILT_IN_TELEGRAM_SPEC, loadTelegramSpec()] : [BUILT_IN_TELEGRAM_SPEC]) {
  describe(`validateTelegramCall (${spec.source})`, () => {
    const keyboard = { inline_keyboard: [[{ text: "Add", callback_data: "add:p1" }], [{ text: "View", url: "https://shop.example/p1" }]] };

    it("accepts well-formed calls", () => {
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 42, text: "hi", reply_markup: keyboard, reply_parameters: { message_id: 7, allow_sending_without_reply: true } })).toEqual([]);
      expect(validateTelegramCall(spec, "answerCallbackQuery", { callback_query_id: "q" })).toEqual([]);
      expect(validateTelegramCall(spec, "setWebhook", { url: "https://k.example/webhooks/telegram/c1", secret_token: "s3cr3t", allowed_updates: ["message"] })).toEqual([]);
      expect(validateTelegramCall(spec, "getMe", undefined)).toEqual([]);
    });

    it("refuses missing, unknown and mistyped parameters", () => {
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 42 })).toEqual(["sendMessage.text is required"]);
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 42, text: "hi", txet: "x" })).toEqual(["sendMessage.txet is not a parameter"]);
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 4.5, text: "hi" })).toEqual(["sendMessage.chat_id must be one of Integer or String"]);
      expect(validateTelegramCall(spec, "sendPhoto", { chat_id: 1, photo: { upload: true } })).not.toEqual([]);
      expect(validateTelegramCall(spec, "sendMesage", {})).toEqual(["sendMesage is not a Bot API method"]);
    });

    it("enforces the stated limits: text 1-4096 characters, callback_data 1-64 bytes", () => {
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 1, text: "" })).toEqual(["sendMessage.text must be 1-4096 characters (is 0)"]);
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 1, text: "x".repeat(4097) })).toEqual(["sendMessage.text must be 1-4096 characters (is 4097)"]);
      const tooLong = { inline_keyboard: [[{ text: "A", callback_data: "ب".repeat(33) }]] };
      expect(validateTelegramCall(spec, "sendMessage", { chat_id: 1, text: "x", reply_markup: tooLong })).toEqual([
        "sendMessage.reply_markup must be one of InlineKeyboardMarkup or ReplyKeyboardMarkup or ReplyKeyboardRemove or ForceReply; as InlineKeyboardMarkup: sendMessage.reply_markup.inline_keyboard[0][0].callback_data must be 1-64 bytes (is 66)",
      ]);
      expect(validateTelegramCall(spec, "editMessageText", { chat_id: 1, message_id: 2, text: "x", reply_markup: tooLong })).toEqual([
        "editMessageText.reply_markup.inline_keyboard[0][0].callback_data must be 1-64 bytes (is 66)",
      ]);
    });

    it("needs exactly one action per inline button", () => {
      const both = { inline_keyboard: [[{ text: "A", callback_data: "a", url: "https://x.example" }]] };
      const none = { inline_keyboard: [[{ text: "A" }]] };
      for (const markup of [both, none]) {
        const problems = validateTelegramCall(spec, "editMessageText", { chat_id: 1, message_id: 2, text: "x", reply_markup: markup });
        expect(problems.join("\n")).toMatch(/needs exactly one of its fields other than text/);
      }
    });
  });
}
