// Bad-input fuzz of the webhook parsers: whatever JSON (or not-JSON) a provider endpoint receives
// after its signature check, the parser never throws and every event it returns is a valid
// normalized event. Property-based (fast-check), with provider-shaped and arbitrary inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inboundEventSchema, type ParsedWebhook } from "@kaleem/shared";
import { parseJsonBody } from "./common/inbound.js";
import { parseInstagramWebhook, parseMessengerWebhook } from "./meta-messaging/parse.js";
import { parseTelegramUpdate } from "./telegram/parse.js";
import { parseWhatsAppWebhook } from "./whatsapp/parse.js";

const RUNS = 250;
const parsers: Array<[string, (json: unknown) => ParsedWebhook]> = [
  ["telegram", (j) => parseTelegramUpdate(j)],
  ["whatsapp", (j) => parseWhatsAppWebhook(j)],
  ["messenger", (j) => parseMessengerWebhook(j)],
  ["instagram", (j) => parseInstagramWebhook(j)],
];

/** Values that look like provider payloads with every leaf possibly wrong. */
const leaf = fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.string({ minLength: 5000, maxLength: 20_000 }));
const wrong = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 4 }));
const telegramLike = fc.record({
  update_id: wrong,
  message: fc.option(fc.record({ message_id: wrong, date: wrong, text: wrong, chat: fc.record({ id: wrong, type: wrong }), from: fc.record({ id: wrong, first_name: wrong }), photo: wrong, location: wrong }), { nil: undefined }),
  callback_query: fc.option(fc.record({ id: wrong, data: wrong, from: fc.record({ id: wrong }) }), { nil: undefined }),
});
const metaLike = fc.record({
  object: fc.oneof(fc.constant("whatsapp_business_account"), fc.constant("page"), fc.constant("instagram"), wrong),
  entry: fc.oneof(
    wrong,
    fc.array(
      fc.record({
        id: wrong,
        changes: fc.oneof(wrong, fc.array(fc.record({ field: fc.oneof(fc.constant("messages"), wrong), value: fc.record({ metadata: fc.record({ phone_number_id: wrong }), contacts: wrong, messages: fc.oneof(wrong, fc.array(fc.record({ from: wrong, id: wrong, type: fc.oneof(fc.constantFrom("text", "image", "interactive", "location", "button"), wrong), text: wrong, image: wrong, interactive: wrong }), { maxLength: 3 })), statuses: wrong }) }), { maxLength: 3 })),
        messaging: fc.oneof(wrong, fc.array(fc.record({ sender: fc.record({ id: wrong }), recipient: wrong, timestamp: wrong, message: fc.record({ mid: wrong, text: wrong, quick_reply: wrong, attachments: wrong, is_echo: wrong }), postback: wrong, delivery: wrong, read: wrong }), { maxLength: 3 })),
      }),
      { maxLength: 3 },
    ),
  ),
});

function checkParsed(result: ParsedWebhook): void {
  expect(Array.isArray(result.accountIds)).toBe(true);
  for (const id of result.accountIds) expect(typeof id).toBe("string");
  for (const event of result.events) expect(inboundEventSchema.safeParse(event).success).toBe(true);
}

describe("webhook parsers under random input", () => {
  for (const [name, parse] of parsers) {
    it(`${name}: never throws and returns only valid normalized events, for arbitrary JSON`, () => {
      fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (json) => checkParsed(parse(json))), { numRuns: RUNS });
    });
    it(`${name}: the same for provider-shaped payloads with wrong leaves`, () => {
      fc.assert(fc.property(name === "telegram" ? telegramLike : metaLike, (json) => checkParsed(parse(json))), { numRuns: RUNS });
    });
  }

  it("the body reader turns any bytes (invalid UTF-8 included) into JSON or null, never a throw", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const value = parseJsonBody(Buffer.from(bytes));
        for (const [, parse] of parsers) checkParsed(parse(value));
      }),
      { numRuns: RUNS },
    );
  });
});
