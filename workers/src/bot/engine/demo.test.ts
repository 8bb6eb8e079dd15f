// The answers shown in ../EXAMPLES.md, on the store `npm start` seeds: a regression guard for
// how the demo reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, openSqliteStore, seedDemoStore, type BotEngine, type Store, type TenantStore } from "@kaleem/shared";
import { createIntentClassifier } from "../intents/classifier.js";
import { CatalogSearch } from "../search/catalog-search.js";
import { createBotEngine } from "./engine.js";
import { Chat } from "./fixture.test-helpers.js";

let store: Store;
let t: TenantStore;
let engine: BotEngine;
beforeAll(async () => {
  store = await openSqliteStore({ file: ":memory:" });
  const info = await seedDemoStore(store, { origins: [], hashPassword: async () => "x" });
  t = store.forMerchant(asMerchantId(info.merchantId));
  engine = createBotEngine({ classifier: createIntentClassifier(), search: new CatalogSearch() });
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
    const [list, added] = await conversation("Do you have black abayas?", "add the second one");
    expect(list).toContain("Midnight Crepe Abaya — 199 SAR");
    expect(added).toContain("Added 1 × Midnight Crepe Abaya to your cart");
    expect((await conversation("How long does delivery take to Jeddah?"))[0]).toContain("2–4 business days and costs 30 SAR");
    expect((await conversation("Do you accept Apple Pay?"))[0]).toMatch(/^Yes, we accept Apple Pay\./);
    const order = await conversation("Where is my order?", "1001", "+966500000001");
    expect(order[2]).toContain("Order #1001 is shipped");
    expect((await conversation("do you have a store in Riyadh?"))[0]).toContain("online only");
  });

  it("Arabic", async () => {
    const [list, added] = await conversation("عندكم عبايات سوداء؟", "ضيف الثانية");
    expect(list).toContain("ر.س");
    expect(added).toMatch(/^أبشر، أضفت 1 ×/);
    expect((await conversation("كم يوم يوصل الطلب لجدة؟"))[0]).toContain("خلال 2–4 أيام عمل، والرسوم 30 ر.س");
    expect((await conversation("تقبلون تابي؟"))[0]).toMatch(/^إيه نعم، متاح تابي/);
    const order = await conversation("وين طلبي؟", "1001", "+966500000001");
    expect(order[2]).toContain("المنتجات: 1 × عباية كريب ميدنايت");
    expect((await conversation("يعطيك العافية"))[0]).toMatch(/^العفو/);
  });
});
