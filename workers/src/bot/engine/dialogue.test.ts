// Multi-turn behaviour on the test shop: follow-ups that keep the topic, questions about the
// products just shown, yes/no questions answered yes or no first, greetings with a question,
// contact details, and what shoppers may never see (drafts).
import { embeddedSearch } from "../search/embedded-search.js";
import { MemoryRateLimiter } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotEngine, ProductCardPart } from "@kaleem/shared";
import { createIntentClassifier, type IntentClassifier } from "../intents/classifier.js";
import { createBotEngine } from "./engine.js";
import { Chat, openTestShop, type TestShop } from "./fixture.test-helpers.js";

let classifier: IntentClassifier;
let shop: TestShop;
let engine: BotEngine;
beforeAll(() => {
  classifier = createIntentClassifier();
});
beforeEach(async () => {
  await shop?.close();
  shop = await openTestShop();
  engine = createBotEngine({ attempts: new MemoryRateLimiter(), classifier, search: embeddedSearch() });
});
afterAll(async () => {
  await shop?.close();
});

const cards = (parts: { type: string }[]) => parts.filter((p): p is ProductCardPart => p.type === "product_card");
async function talk(...messages: string[]): Promise<string[]> {
  const chat = await Chat.open(engine, shop.t);
  const out: string[] = [];
  for (const m of messages) out.push((await chat.say(m)).text);
  return out;
}

describe("follow-ups keep the topic", () => {
  it("another city after a delivery answer, in English and Arabic", async () => {
    const [, hail] = await talk("what does delivery to riyadh cost?", "and tabuk?");
    expect(hail).toContain("Tabuk");
    expect(hail).toContain("30 SAR");
    const [, jeddah] = await talk("كم التوصيل للرياض؟", "وجدة؟");
    expect(jeddah).toContain("25 ر.س");
  });

  it("a place nobody delivers to gets a no first", async () => {
    const [dubai] = await talk("do you deliver to dubai?");
    expect(dubai).toMatch(/^Sorry, we don't deliver to Dubai/);
  });

  it("an amount is a price, not an order number: free delivery yes or no from the zone's threshold", async () => {
    const [yes, no] = await talk("is delivery to riyadh free if I spend 350?", "and jeddah?");
    expect(yes).toMatch(/^Yes/);
    expect(yes).not.toMatch(/order number|phone number/i);
    expect(no).toMatch(/^No/);
    expect(no).toContain("400 SAR");
    const [ar] = await talk("لو طلبت بـ٣٥٠ للرياض يصير التوصيل مجاني؟");
    expect(ar).toMatch(/^إيه نعم/);
  });

  it("returns: days asked are answered yes or no, and a follow-up keeps to returns", async () => {
    const [late, early] = await talk("can I return an abaya after 3 weeks?", "what about after 10 days?");
    expect(late).toMatch(/^No/);
    expect(late).toContain("14 days");
    expect(early).toMatch(/^Yes/);
    const [opened] = await talk("can I return a perfume I opened?");
    expect(opened).toMatch(/^No, opened perfumes can't be returned/);
    const [ar] = await talk("اقدر ارجع العطر اذا فتحته؟");
    expect(ar).toMatch(/^لا/);
    // "Sending back" is returning too, not a product search that finds nothing.
    const [sentBack] = await talk("could I still send my purchase back after 4 weeks?");
    expect(sentBack).toMatch(/^No/);
    expect(sentBack).toContain("14 days");
  });

  it("payment: a method the store lacks gets a no, one it has a yes, and 'وX؟' keeps to payment", async () => {
    const [paypal] = await talk("do you take paypal?");
    expect(paypal).toMatch(/^No, we don't accept PayPal/);
    const [, tabby, stc] = await talk("تقبلون مدى؟", "وتابي؟", "و stc pay؟");
    expect(tabby).toMatch(/^إيه نعم/);
    expect(stc).toMatch(/^لا/);
    const [fee] = await talk("is there a fee for cash on delivery?");
    expect(fee).toMatch(/^Yes, cash on delivery has a fee of 10 SAR/);
  });
});

describe("questions about the products just shown", () => {
  it("'how much is this one' / 'بكم هذي' after one product, and the ordinal in a list", async () => {
    const [, price] = await talk("do you have a leather handbag?", "how much is it?");
    expect(price).toContain("310 SAR");
    const [, ar] = await talk("عندكم شماغ؟", "بكم هذا؟");
    expect(ar).toContain("95 ر.س");
    const chat = await Chat.open(engine, shop.t);
    const list = cards((await chat.say("show me abayas")).parts);
    const second = await chat.say("how much is the second one?");
    expect(second.text).toContain(list[1]!.name);
  });

  it("a size asked of a product is answered yes or no from its sizes", async () => {
    const [, yes, no] = await talk("show me the white thobe", "do you have it in 58?", "and 62?");
    expect(yes).toMatch(/^Yes, Classic White Thobe comes in size 58/);
    expect(no).toMatch(/^Sorry, Classic White Thobe doesn't come in size 62/);
    expect(no).toContain("52, 54, 56, 58, 60");
  });

  it("a colour asked of one product offers the same kind in that colour", async () => {
    const chat = await Chat.open(engine, shop.t);
    await chat.say("do you have the beige linen abaya?");
    const black = await chat.say("do you have it in black?");
    expect(black.text).toMatch(/^Beige Linen Abaya comes in beige/);
    expect(cards(black.parts).map((c) => c.productId)).toContain(shop.products.abayaBlack!.id);
  });

  it("an attribute question answers from the product's attributes", async () => {
    const [, volume] = await talk("i want the white musk perfume", "how many ml is it?");
    expect(volume).toMatch(/^White Musk Perfume 50ml — Size: 50ml/);
  });

  it("a message naming another product starts a new search instead of asking about the last one", async () => {
    const chat = await Chat.open(engine, shop.t);
    await chat.say("show me the gold sandals");
    const next = await chat.say("what about a hijab for it?");
    expect(cards(next.parts)[0]?.productId).toBe(shop.products.hijab!.id);
  });

  it("'which one is cheaper?' compares the products shown", async () => {
    const chat = await Chat.open(engine, shop.t);
    const shown = cards((await chat.say("show me perfumes")).parts);
    const cheapest = [...shown].sort((a, b) => a.price - b.price)[0]!;
    const r = await chat.say("which one is cheaper?");
    expect(r.text).toMatch(new RegExp(`^${cheapest.name.replace(/[()]/g, ".")} costs ${cheapest.price} SAR`));
  });

  it("a short cost or time question right after a delivery answer is still about delivery", async () => {
    const [, days] = await talk("do you deliver to jeddah?", "how many days?");
    expect(days).toContain("2–4 business days");
  });

  it("cheaper means cheaper than what was shown", async () => {
    const chat = await Chat.open(engine, shop.t);
    const first = cards((await chat.say("show me perfumes")).parts);
    const cheapest = Math.min(...first.map((c) => c.price));
    const cheaper = await chat.say("anything cheaper?");
    const found = cards(cheaper.parts);
    // Nothing in the store's perfumes is cheaper than the cheapest shown: it says so.
    if (found.length === 0) expect(cheaper.text).toMatch(/most affordable/);
    for (const c of found) expect(c.price).toBeLessThan(Math.max(...first.map((x) => x.price)));
    expect(cheapest).toBeGreaterThan(0);
  });
});

describe("greetings, contact details and published products", () => {
  it("a greeting with a question answers the question", async () => {
    const chat = await Chat.open(engine, shop.t);
    const r = await chat.say("hello, do you have shemagh?");
    expect(cards(r.parts)[0]?.productId).toBe(shop.products.shemagh!.id);
    expect(r.text).not.toMatch(/I can help you find products/);
    const ar = await chat.say("السلام عليكم، كم التوصيل لجدة؟");
    expect(ar.text).toContain("25 ر.س");
  });

  it("contact questions are answered from the store's contact details instead of a handoff", async () => {
    await shop.t.knowledge.create({
      title: "Contact",
      data: { kind: "contact", contact: { phone: "920000111", whatsapp: "+966 55 000 1111", email: "hello@anaqa.example", address: { en: "", ar: "" }, hours: { en: "Sun–Thu, 9 am to 6 pm", ar: "الأحد إلى الخميس، ٩ الصبح إلى ٦ المساء" } } },
    });
    const chat = await Chat.open(engine, shop.t);
    const phone = await chat.say("what's your phone number?");
    expect(phone.handoff).toBeNull();
    expect(phone.text).toContain("920000111");
    const whatsapp = await chat.say("عندكم واتساب؟");
    expect(whatsapp.text).toContain("+966 55 000 1111");
    const hours = await chat.say("when does your team reply?");
    expect(hours.text).toContain("Sun–Thu, 9 am to 6 pm");
  });

  it("a draft's id in an add payload reveals nothing about the draft", async () => {
    const chat = await Chat.open(engine, shop.t);
    const r = await chat.say(`add:${shop.products.draft!.id}`);
    expect(r.text).not.toContain("Secret");
    expect(r.text).toMatch(/isn't available/);
    expect(r.parts.some((p) => p.type === "product_card")).toBe(false);
    const more = await chat.say(`more:${shop.products.draft!.id}`);
    expect(more.text).not.toContain("Secret");
    expect((await shop.t.conversations.getBotState(chat.conversationId)).cart).toEqual([]);
  });
});

describe("the merchant's digit style in Arabic", () => {
  it("one style per answer: Western by default, Arabic-Indic when chosen, whatever the catalog text used", async () => {
    const western = await talk("بكم عطر العود الملكي؟");
    expect(western[0]).toMatch(/349 ر\.س/);
    expect(western[0]).not.toMatch(/[٠-٩]/);
    await shop.t.merchant.update({ bot: { arabicDigits: "arabic" } });
    const indic = await talk("بكم عطر العود الملكي؟");
    expect(indic[0]).toContain("٣٤٩ ر.س");
    expect(indic[0]).not.toMatch(/[0-9]/);
    // Card names follow the answer's digits too (the catalog wrote "١٠٠ مل").
    const withCards = await Chat.open(engine, shop.t);
    const listed = cards((await withCards.say("عندكم عطور؟")).parts);
    expect(listed.some((c) => /[0-9]/.test(c.name))).toBe(false);
    await shop.t.merchant.update({ bot: { arabicDigits: "western" } });
    const western2 = cards((await withCards.say("عندكم عطور؟")).parts);
    expect(western2.some((c) => /[٠-٩]/.test(c.name))).toBe(false);
    expect(western2.some((c) => /100/.test(c.name))).toBe(true);
    // English answers keep Western digits.
    expect((await talk("how much is the royal oud perfume?"))[0]).toContain("349 SAR");
  });
});
