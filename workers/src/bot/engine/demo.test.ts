// The answers shown in ../EXAMPLES.md, on the store `npm start` seeds: a regression guard for
// how the demo reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotEngine, Store, TenantStore } from "@kaleem/shared";
import { Chat, openDemoBot } from "./fixture.test-helpers.js";
import { productFacts } from "../search/constraints.js";

let store: Store;
let t: TenantStore;
let engine: BotEngine;
beforeAll(async () => {
  ({ store, t, engine } = await openDemoBot());
});
afterAll(async () => {
  await store.close();
});

async function conversation(...messages: string[]): Promise<string[]> {
  const chat = await Chat.open(engine, t);
  const out: string[] = [];
  for (const m of messages) out.push((await chat.say(m)).text);
  return out;
}

describe("demo store answers", () => {
  it("English", async () => {
    const [list = "", added] = await conversation("Which abayas do you sell?", "add the second one");
    const second = [...list.matchAll(/• (.+?) —/g)][1]![1]!;
    expect(added).toContain(`Added 1 × ${second} to your cart`);
    expect((await conversation("How long does delivery take to Jeddah?"))[0]).toContain("2–4 business days and costs 30 SAR");
    expect((await conversation("Do you accept Apple Pay?"))[0]).toMatch(/^Yes, we accept Apple Pay\./);
    const order = await conversation("Where is my order?", "1001", "+966500000001");
    expect(order[2]).toContain("Order #1001 is shipped");
    expect((await conversation("do you have a store in Riyadh?"))[0]).toContain("online only");
  });

  it("a gift with who it is for and a budget finds products within it, none made for someone else", async () => {
    const cases: Array<{ ask: string; max: number; notFor: "men" | "women" }> = [
      { ask: "ودي هدية لزوجتي ما تتعدى ٢٥٠", max: 250, notFor: "men" },
      { ask: "أبي هدية لأخوي لا تتجاوز 300 ريال", max: 300, notFor: "women" },
      { ask: "need a present for my sister, no more than 180", max: 180, notFor: "men" },
      { ask: "gift for my husband under 350 please", max: 350, notFor: "women" },
    ];
    for (const c of cases) {
      const chat = await Chat.open(engine, t);
      const answer = await chat.say(c.ask);
      const cards = answer.parts.filter((p) => p.type === "product_card");
      expect(cards.length, c.ask).toBeGreaterThan(0);
      for (const card of cards) {
        expect(card.price, `${c.ask}: ${card.name}`).toBeLessThanOrEqual(c.max);
        const product = (await t.products.get(card.productId))!;
        const category = product.categoryId ? await t.categories.get(product.categoryId) : null;
        const facts = productFacts(product, category ? `${category.name.en} ${category.name.ar}` : "");
        const onlyForOther = facts.audiences !== null && facts.audiences.has(c.notFor) && facts.audiences.size === 1;
        expect(onlyForOther, `${c.ask}: ${card.name}`).toBe(false);
      }
    }
  });

  it("a follow-up that only adds a constraint narrows the last search", async () => {
    const chat = await Chat.open(engine, t);
    await chat.say("do you have perfume?");
    const narrowed = await chat.say("what about something under 100 riyals?");
    const cards = narrowed.parts.filter((p) => p.type === "product_card");
    expect(cards.length).toBeGreaterThan(0);
    const perfumes = (await t.categories.getBySlug("perfumes"))!;
    for (const card of cards) {
      expect(card.type === "product_card" && card.price).toBeLessThanOrEqual(100);
      // Still about scents (perfumes, or oud for the home) — not the store's cheapest things at large.
      const product = await t.products.get(card.type === "product_card" ? card.productId : "");
      expect(product!.categoryId === perfumes.id || product!.tags.includes("oud")).toBe(true);
    }
    expect(cards.some((c) => c.type === "product_card" && c.name === "White Musk Body Mist")).toBe(true);
    const ar = await Chat.open(engine, t);
    await ar.say("عندكم عطور؟");
    const arCards = (await ar.say("طيب في شي أرخص من ١٠٠ ريال؟")).parts.filter((p) => p.type === "product_card");
    expect(arCards.length).toBeGreaterThan(0);
    for (const card of arCards) expect(card.type === "product_card" && card.price).toBeLessThanOrEqual(100);
    expect(arCards.some((c) => c.type === "product_card" && c.name === "معطر جسم مسك أبيض")).toBe(true);
    // About one product: "it" in another size is that product or nothing, never the cheapest items in the store.
    const thobe = await Chat.open(engine, t);
    await thobe.say("how much is the white thobe?");
    const size = await thobe.say("do you have it in size 60?");
    expect(size.parts.filter((p) => p.type === "product_card")).toEqual([]);
    expect(size.text).toMatch(/^Sorry, White Summer Thobe doesn't come in size 60\./);
    expect(size.text).toContain("It comes in: 56.");
    // A new topic starts over.
    const coffee = await chat.say("do you have saudi coffee?");
    expect(coffee.text).toContain("Saudi Coffee with Cardamom");
  });

  it("words the catalog never heard of that only say what it is for do not sink the search", async () => {
    const [ar] = await conversation("ابي عباية سوداء للدوام");
    expect(ar).toContain("عباية كريب ميدنايت");
    const [en] = await conversation("I need an abaya for work");
    expect(en).toContain("Midnight Crepe Abaya");
    // Still no products for what the store does not sell.
    const chat = await Chat.open(engine, t);
    const tyres = await chat.say("do you have truck tyres?");
    expect(tyres.parts.filter((p) => p.type === "product_card")).toEqual([]);
  });

  it("adds 'the first one' written with alef maqsura or hamza", async () => {
    for (const first of ["ضيف الاولى", "ضيف الأولى"]) {
      const [list = "", added] = await conversation("ابغى عباية", first);
      const firstName = /• (.+?) —/.exec(list)?.[1] ?? "";
      expect(added).toContain(`أضفت 1 × ${firstName}`);
    }
  });

  it("Arabic", async () => {
    const [list, added] = await conversation("وش العبايات اللي عندكم؟", "ضيف الثانية");
    expect(list).toContain("ر.س");
    expect(added).toMatch(/^أبشر، أضفت 1 ×/);
    expect((await conversation("كم يوم يوصل الطلب لجدة؟"))[0]).toContain("خلال 2–4 أيام عمل، والرسوم 30 ر.س");
    expect((await conversation("تقبلون تابي؟"))[0]).toMatch(/^إيه نعم، متاح تابي/);
    const order = await conversation("وين طلبي؟", "1001", "+966500000001");
    expect(order[2]).toContain("المنتجات: 1 × عباية كريب ميدنايت");
    expect((await conversation("يعطيك العافية"))[0]).toMatch(/^العفو/);
  });
});
