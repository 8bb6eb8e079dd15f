// A shopper's photo or file reaches the built-in bot as an attachment part it cannot look at: it
// says so instead of answering as if it had seen the picture, says a person will look, offers
// one, and hands off when the shopper takes that offer.
import { MemoryRateLimiter } from "@kaleem/shared/adapters";
import { Metrics, type BotEngine, type BotEvent, type MessagePart } from "@kaleem/shared";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIntentClassifier, type IntentClassifier } from "../intents/classifier.js";
import { embeddedSearch } from "../search/embedded-search.js";
import { createBotEngine } from "./engine.js";
import { Chat, exchangeOf, openTestShop, type Exchange, type TestShop } from "./fixture.test-helpers.js";

let classifier: IntentClassifier;
let shop: TestShop;
let engine: BotEngine;
beforeAll(() => {
  classifier = createIntentClassifier();
});
beforeEach(async () => {
  await shop?.close();
  shop = await openTestShop();
  engine = createBotEngine({ attempts: new MemoryRateLimiter(), classifier, search: embeddedSearch(), metrics: new Metrics({ defaultMetrics: false }) });
});
afterAll(async () => {
  await shop?.close();
});

const photo: MessagePart = { type: "attachment", kind: "image", key: "attachments/abc", contentType: "image/jpeg", size: 1234, name: "dress.jpg", width: 800, height: 600 };
const pdf: MessagePart = { type: "attachment", kind: "document", key: "attachments/def", contentType: "application/pdf", size: 999, name: "invoice.pdf" };

/** The shopper sends `text` with `parts` (what the hub stores for a message with uploads). */
async function send(chat: Chat, text: string, parts: MessagePart[], locale: "en" | "ar" | null = null): Promise<Exchange> {
  (chat as unknown as { push(role: string, text: string, parts: MessagePart[]): void }).push("shopper", text, parts);
  const events: BotEvent[] = [];
  for await (const e of engine.reply({ store: shop.t, conversationId: chat.conversationId, history: chat.history.slice(-20), locale }, new AbortController().signal)) events.push(e);
  const out = exchangeOf(events);
  (chat as unknown as { push(role: string, text: string, parts: MessagePart[]): void }).push("bot", out.text, out.parts);
  return out;
}
const personOffered = (parts: MessagePart[]) => parts.some((p) => p.type === "quick_replies" && p.replies.some((r) => r.payload === "human"));

describe("attachments and the bot", () => {
  it("a photo alone gets an answer that says the bot cannot see it and a person will, with a 'talk to a person' choice; no product guessed", async () => {
    const chat = await Chat.open(engine, shop.t);
    const r = await send(chat, "", [photo]);
    expect(r.text).toMatch(/can't see pictures/);
    expect(r.text).toMatch(/person from our team will look/);
    expect(personOffered(r.parts)).toBe(true);
    expect(r.parts.some((p) => p.type === "product_card")).toBe(false);
    expect(r.handoff).toBeNull();
  });

  it("a photo with a question is answered from the words, led by a line that the photo was not seen", async () => {
    const chat = await Chat.open(engine, shop.t);
    const r = await send(chat, "do you have this abaya in navy?", [photo]);
    expect(r.text.startsWith("I can't see photos, so this answer is from your message only")).toBe(true);
    // The rest is the ordinary answer to the words (a navy abaya exists in the test catalog).
    expect(r.text.split("\n\n").slice(1).join(" ").length).toBeGreaterThan(0);
    expect(personOffered(r.parts)).toBe(true);
    expect(r.handoff).toBeNull();
    // No phrasing that claims to have looked at the picture.
    expect(r.text).not.toMatch(/in (your|the) (photo|picture|image) (I|we) see|looks like/i);
  });

  it("hands off when the shopper then asks for a person (the offered choice)", async () => {
    const chat = await Chat.open(engine, shop.t);
    await send(chat, "", [photo]);
    const r = await chat.say("human");
    expect(r.handoff).not.toBeNull();
  });

  it("a document is 'a file I can't open'; Arabic shoppers get Arabic", async () => {
    const chat = await Chat.open(engine, shop.t);
    expect((await send(chat, "", [pdf])).text).toMatch(/can't open attachments/);
    const ar = await Chat.open(engine, shop.t, "ar");
    const r = await send(ar, "", [photo], "ar");
    expect(r.text).toMatch(/ما أقدر أشوف الصور/);
    expect(r.parts.some((p) => p.type === "quick_replies" && p.replies.some((x) => x.label === "أكلم موظف"))).toBe(true);
  });
});
