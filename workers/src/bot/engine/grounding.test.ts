// Proof that the bot never invents a figure: hundreds of varied questions in English and Arabic,
// and every number in every answer (text and parts) must come from the store's data, from what
// the shopper typed, or be a cart sum of store prices the test recomputes.
import { MemoryRateLimiter } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotEngine, MessagePart } from "@kaleem/shared";
import { createIntentClassifier } from "../intents/classifier.js";
import { extractNumbers } from "../llm/guard.js";
import { isArabic } from "../nlp/normalize.js";
import { embeddedSearch } from "../search/embedded-search.js";
import { createBotEngine } from "./engine.js";
import { Chat, KNOWLEDGE, openTestShop, storeNumbers, type TestShop } from "./fixture.test-helpers.js";

const key = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

const EN_ITEMS = ["crepe abaya", "abayas", "perfume", "oud perfume", "white thobe", "shemagh in red", "hijab", "leather handbag", "gold sandals", "musk", "bakhoor", "summer abaya", "navy abaya", "a gift", "laptop", "iphone case", "dates", "kids shoes"];
const AR_ITEMS = ["عباية كريب", "عبايات", "عطر", "عطر عود", "ثوب ابيض", "شماغ", "طرحة", "شنطة جلد", "صندل ذهبي", "مسك", "بخور", "عباية صيفية", "عباية مطرزة", "هدية", "لابتوب", "جوال", "تمر", "جزمة اطفال"];
const EN_SEARCH = ["do you have {x}?", "show me {x}", "{x} under 250 SAR", "I'm looking for {x}", "how much is {x}?"];
const AR_SEARCH = ["عندكم {x}؟", "ابي {x}", "{x} أقل من ٢٥٠ ريال", "أدور {x}", "بكم {x}؟"];
const CITIES_EN = ["Riyadh", "Jeddah", "Makkah", "Dammam", "Abha", "Kuwait"];
const CITIES_AR = ["الرياض", "جدة", "مكة", "الدمام", "أبها", "الكويت"];
const SHIP_EN = ["how much is shipping to {c}?", "how long does delivery to {c} take?", "do you deliver to {c}?"];
const SHIP_AR = ["كم سعر التوصيل إلى {c}؟", "كم يوم يوصل الطلب {c}؟", "توصلون {c}؟"];
const POLICY_EN = [
  "what is your return policy?", "can I return an opened perfume?", "how long do refunds take?", "what's the cancellation fee?", "can I get my money back?",
  "what payment methods do you accept?", "do you accept mada?", "can I pay cash on delivery?", "do you have tabby?", "is there a fee for cash on delivery?",
  "how much is shipping?", "what are your delivery options?", "is shipping free?", "do you have a physical store?", "do you offer gift wrapping?",
  "how do I choose my abaya size?", "can I exchange for another size?", "are your perfumes original?", "do you have any discounts?", "what's your phone number?",
  "how do I reset my password?", "I want an invoice for my order", "subscribe me to the newsletter", "your service is great, thanks!", "I want to cancel my order",
  "hi", "hello there", "good morning", "asdf qwer", "talk to a human",
];
const POLICY_AR = [
  "وش سياسة الإرجاع؟", "أقدر أرجع عطر مفتوح؟", "متى يرجع المبلغ؟", "كم رسوم إلغاء الطلب؟", "ابي استرجع فلوسي",
  "وش طرق الدفع؟", "تقبلون مدى؟", "فيه دفع عند الاستلام؟", "عندكم تابي؟", "كم رسوم الدفع عند الاستلام؟",
  "كم الشحن؟", "وش خيارات التوصيل؟", "الشحن مجاني؟", "عندكم محل؟", "فيه تغليف هدايا؟",
  "كيف أختار مقاس العباية؟", "أقدر أبدل المقاس؟", "العطور أصلية؟", "عندكم خصومات؟", "وش رقمكم؟",
  "نسيت كلمة المرور", "ابي فاتورة طلبي", "ابي اشترك في النشرة", "خدمتكم ممتازة شكراً", "ابي الغي طلبي",
  "السلام عليكم", "هلا", "صباح الخير", "كلام مو مفهوم ابد", "ابي اكلم موظف",
];

function questions(): string[][] {
  const out: string[][] = [];
  for (const t of EN_SEARCH) for (const x of EN_ITEMS) out.push([t.replace("{x}", x)]);
  for (const t of AR_SEARCH) for (const x of AR_ITEMS) out.push([t.replace("{x}", x)]);
  for (const t of SHIP_EN) for (const c of CITIES_EN) out.push([t.replace("{c}", c)]);
  for (const t of SHIP_AR) for (const c of CITIES_AR) out.push([t.replace("{c}", c)]);
  for (const q of [...POLICY_EN, ...POLICY_AR]) out.push([q]);
  // Multi-turn: questions about shown products, cart, checkout and orders.
  out.push(["show me abayas", "is the beige abaya available in large?", "add 2 of the black one", "add 3 of the navy one", "show my cart", "checkout", "Sara", "0551112233", "Jeddah, Al Rawdah", "yes"]);
  out.push(["عندكم عبايات؟", "ضيف ٢ من العباية السوداء", "ضيف ٥ من الكحلية", "اتمام الطلب", "سارة", "٠٥٥١١١٢٢٣٣", "الرياض حي الملقا", "تمام"]);
  out.push(["perfume", "more like the musk", "add 20 of the musk", "add 4 of the musk"]);
  out.push(["where is my order 1001?", "0500000000", "0551234567", "what's the status of order 1001?"]);
  out.push(["وين طلبي ١٠٠٢", "khalid@example.com", "+966507654321"]);
  out.push(["track order 4321", "0551234567", "0551234567", "0551234567", "order 1001", "0551234567"]);
  return out;
}

let shop: TestShop;
let engine: BotEngine;
beforeAll(async () => {
  shop = await openTestShop();
  engine = createBotEngine({ attempts: new MemoryRateLimiter(), classifier: createIntentClassifier(), search: embeddedSearch(), streamDelayMs: 0 });
});
afterAll(async () => {
  await shop.close();
});

/** Numbers in parts; cart/order sums are checked against store prices here, then allowed. */
/** Every sum of the fees the store's policies name (a delivery fee, the cash-on-delivery fee). */
function feeSums(): number[] {
  const fees: number[] = [];
  for (const item of KNOWLEDGE) {
    const data = item.data as { kind: string; policy?: { zones?: Array<{ fee: number }>; methods?: Array<{ fee: number | null }> } };
    for (const z of data.policy?.zones ?? []) if (z.fee > 0) fees.push(z.fee);
    for (const m of data.policy?.methods ?? []) if ((m.fee ?? 0) > 0) fees.push(m.fee ?? 0);
  }
  const sums = new Set<number>([0]);
  for (const fee of fees) for (const s of [...sums]) sums.add(s + fee);
  return [...sums];
}

function partNumbers(parts: MessagePart[], prices: Map<string, number>, allowed: Set<string>): number[] {
  const numbers: number[] = [];
  for (const part of parts) {
    if (part.type === "product_card") {
      expect(part.price).toBe(prices.get(part.productId));
      numbers.push(part.price);
    } else if (part.type === "cart") {
      let sum = 0;
      for (const item of part.items) {
        expect(item.price).toBe(prices.get(item.productId));
        sum += item.price * item.quantity;
        allowed.add(key(item.price * item.quantity));
      }
      expect(part.total).toBeCloseTo(sum, 2);
      allowed.add(key(part.total));
      // What the shopper pays: the items plus the store's own delivery and cash-on-delivery fees.
      for (const fees of feeSums()) allowed.add(key(part.total + fees));
    } else if (part.type === "order") {
      allowed.add(key(part.total));
      allowed.add(key(Number(part.number)));
    }
  }
  return numbers;
}

describe("grounding", () => {
  it("answers 200+ varied questions with no number that is not in the store's data", async () => {
    const base = new Set([...storeNumbers(shop)].map(key));
    const prices = new Map(Object.values(shop.products).map((p) => [p.id, p.price]));
    const conversations = questions();
    const asked = conversations.flat().length;
    expect(asked).toBeGreaterThanOrEqual(200);
    const problems: string[] = [];
    let answered = 0;
    for (const turns of conversations) {
      const chat = await Chat.open(engine, shop.t);
      // Sums the engine computed for carts/orders it showed earlier in this conversation.
      const derived = new Set<string>();
      for (const q of turns) {
        const r = await chat.say(q);
        answered++;
        if (r.text.trim() === "") problems.push(`empty answer to "${q}"`);
        if (isArabic(q) && !isArabic(r.text)) problems.push(`"${q}" answered in English: ${r.text}`);
        const allowed = new Set([...base, ...derived, ...extractNumbers(q).map(key)]);
        const parts = partNumbers(r.parts, prices, allowed);
        for (const n of [...extractNumbers(r.text), ...parts]) {
          if (!allowed.has(key(n))) problems.push(`"${q}" → ${n} not in store data: ${r.text}`);
        }
        for (const a of allowed) if (!base.has(a)) derived.add(a);
      }
    }
    expect(problems).toEqual([]);
    expect(answered).toBe(asked);
  });
});
