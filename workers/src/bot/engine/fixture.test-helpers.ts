// A realistic test store (Saudi fashion & fragrance shop) on the real SQLite adapter, with
// policies, FAQs and orders, plus helpers to talk to the engine like the hub would.
import { testStoreCrypto } from "@kaleem/shared/testing";
import { embeddedSearch } from "../search/embedded-search.js";
import { openSqliteStore, MemoryRateLimiter } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  asMerchantId,
  knowledgeDataSchema,
  seedDemoStore,
  type BotEvent,
  type BotEngine,
  type BotSettings,
  type Locale,
  type Message,
  type MessagePart,
  type NewProduct,
  type Order,
  type Product,
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import { toWesternDigits } from "../nlp/normalize.js";
import { createIntentClassifier } from "../intents/classifier.js";
import { createBotEngine } from "./engine.js";

export interface TestShop {
  store: Store;
  t: TenantStore;
  products: Record<string, Product>;
  orders: Record<string, Order>;
  close(): Promise<void>;
}

type P = NewProduct & { key: string; category: string };

const IMG = "https://shop.example.sa/img";
export const CATALOG: P[] = [
  { key: "abayaBlack", category: "abayas", name: { en: "Black Crepe Abaya", ar: "عباية كريب سوداء" }, description: { en: "Classic black crepe abaya with a relaxed fit and hidden snap buttons. Lightweight for everyday wear.", ar: "عباية كريب سوداء كلاسيكية بقصة مريحة وأزرار مخفية. خفيفة للاستخدام اليومي." }, price: 189, stock: 14, attributes: { color: "black", sizes: "S, M, L, XL", material: "crepe" }, tags: ["abaya", "everyday", "عباية"] },
  { key: "abayaBeige", category: "abayas", name: { en: "Beige Linen Abaya", ar: "عباية كتان بيج" }, description: { en: "Breathable linen abaya in soft beige, perfect for summer outings.", ar: "عباية كتان بلون بيج ناعم، مثالية لطلعات الصيف." }, price: 235, stock: 6, attributes: { color: "beige", sizes: "M, L", material: "linen" }, tags: ["abaya", "summer", "عباية"] },
  { key: "abayaEmbroidered", category: "abayas", name: { en: "Embroidered Navy Abaya", ar: "عباية كحلية مطرزة" }, description: { en: "Navy abaya with hand embroidery on the sleeves, made for special occasions.", ar: "عباية كحلية بتطريز يدوي على الأكمام، للمناسبات الخاصة." }, price: 420, stock: 3, attributes: { color: "navy", sizes: "S, M, L", material: "nida" }, tags: ["abaya", "occasion", "عباية"] },
  { key: "abayaWhite", category: "abayas", name: { en: "White Summer Abaya", ar: "عباية صيفية بيضاء" }, description: { en: "Light white abaya for hot days.", ar: "عباية بيضاء خفيفة للأيام الحارة." }, price: 199, stock: 0, attributes: { color: "white", sizes: "M, L", material: "cotton" }, tags: ["abaya", "summer", "عباية"] },
  { key: "thobe", category: "thobes", name: { en: "Classic White Thobe", ar: "ثوب أبيض كلاسيكي" }, description: { en: "Premium cotton-blend thobe with a Saudi collar.", ar: "ثوب قطني فاخر بياقة سعودية." }, price: 159, stock: 25, attributes: { color: "white", sizes: "52, 54, 56, 58, 60", material: "cotton blend" }, tags: ["thobe", "men", "ثوب"] },
  { key: "shemagh", category: "thobes", name: { en: "Red Shemagh", ar: "شماغ أحمر" }, description: { en: "Traditional red and white shemagh, soft cotton.", ar: "شماغ أحمر تقليدي من القطن الناعم." }, price: 95, stock: 40, attributes: { color: "red", material: "cotton" }, tags: ["shemagh", "men", "شماغ"] },
  { key: "oud", category: "perfumes", name: { en: "Royal Oud Perfume 100ml", ar: "عطر العود الملكي ١٠٠ مل" }, description: { en: "Rich oud with rose and amber notes. Long lasting.", ar: "عود فاخر بنفحات الورد والعنبر. ثبات عالي." }, price: 349, stock: 9, attributes: { volume: "100ml", family: "oud" }, tags: ["perfume", "oud", "عطر", "عود"] },
  { key: "musk", category: "perfumes", name: { en: "White Musk Perfume 50ml", ar: "عطر المسك الأبيض ٥٠ مل" }, description: { en: "Clean white musk, light and fresh for daily use.", ar: "مسك أبيض ناعم ومنعش للاستخدام اليومي." }, price: 129, stock: 18, attributes: { volume: "50ml", family: "musk" }, tags: ["perfume", "musk", "عطر", "مسك"] },
  { key: "bakhoor", category: "perfumes", name: { en: "Bakhoor Gift Box", ar: "صندوق بخور هدية" }, description: { en: "Assorted bakhoor in an elegant gift box.", ar: "تشكيلة بخور في صندوق هدية أنيق." }, price: 115, stock: 12, attributes: { pieces: "12" }, tags: ["bakhoor", "gift", "بخور", "هدية"] },
  { key: "hijab", category: "accessories", name: { en: "Black Chiffon Hijab", ar: "طرحة شيفون سوداء" }, description: { en: "Soft chiffon hijab that pairs with any abaya.", ar: "طرحة شيفون ناعمة تناسب كل العبايات." }, price: 45, stock: 60, attributes: { color: "black", material: "chiffon" }, tags: ["hijab", "طرحة"] },
  { key: "bag", category: "accessories", name: { en: "Brown Leather Handbag", ar: "حقيبة يد جلد بني" }, description: { en: "Genuine leather handbag with gold hardware.", ar: "حقيبة يد من الجلد الطبيعي بإكسسوارات ذهبية." }, price: 310, stock: 5, attributes: { color: "brown", material: "leather" }, tags: ["bag", "handbag", "شنطة", "حقيبة"] },
  { key: "sandals", category: "accessories", name: { en: "Gold Sandals", ar: "صندل ذهبي" }, description: { en: "Comfortable flat sandals in gold.", ar: "صندل مريح بدون كعب باللون الذهبي." }, price: 139, stock: 7, attributes: { color: "gold", sizes: "37, 38, 39, 40" }, tags: ["sandals", "shoes", "صندل"] },
  { key: "draft", category: "abayas", name: { en: "Secret Draft Abaya", ar: "عباية مسودة" }, description: { en: "Not for sale.", ar: "ليست للبيع." }, price: 999, stock: 1, attributes: {}, tags: ["abaya"], status: "draft" },
];

const CATEGORIES: Record<string, { en: string; ar: string }> = {
  abayas: { en: "Abayas", ar: "عبايات" },
  thobes: { en: "Thobes & Shemagh", ar: "ثياب وشماغ" },
  perfumes: { en: "Perfumes", ar: "عطور" },
  accessories: { en: "Accessories", ar: "إكسسوارات" },
};

export const KNOWLEDGE = [
  {
    title: "Shipping",
    data: {
      kind: "shipping",
      policy: {
        zones: [
          { name: { en: "Riyadh", ar: "الرياض" }, areas: ["Riyadh", "الرياض"], fee: 15, freeAbove: 300, minDays: 1, maxDays: 2 },
          { name: { en: "Jeddah & Makkah", ar: "جدة ومكة" }, areas: ["Jeddah", "Makkah", "Mecca", "جدة", "مكة"], fee: 25, freeAbove: 400, minDays: 2, maxDays: 4 },
          { name: { en: "Rest of Saudi Arabia", ar: "باقي مناطق المملكة" }, areas: ["Dammam", "Khobar", "Abha", "Tabuk", "الدمام", "الخبر", "أبها", "تبوك"], fee: 30, freeAbove: null, minDays: 3, maxDays: 6 },
        ],
        notes: { en: "Orders placed before 2 pm ship the same day.", ar: "الطلبات قبل الساعة 2 الظهر تُشحن بنفس اليوم." },
      },
    },
  },
  {
    title: "Returns",
    data: {
      kind: "returns",
      policy: {
        windowDays: 14,
        conditions: [
          { en: "the item is unused", ar: "المنتج غير مستخدم" },
          { en: "the tags are still attached", ar: "البطاقات موجودة عليه" },
          { en: "you have the receipt", ar: "معك الفاتورة" },
        ],
        refundMethod: { en: "your original payment method", ar: "نفس طريقة الدفع" },
        refundDays: 7,
        cancellationFee: 20,
        nonReturnable: [
          { en: "opened perfumes", ar: "العطور المفتوحة" },
          { en: "bakhoor", ar: "البخور" },
        ],
      },
    },
  },
  {
    title: "Payment",
    data: {
      kind: "payment",
      policy: {
        methods: [
          { code: "mada", name: { en: "mada", ar: "مدى" }, fee: null },
          { code: "card", name: { en: "Visa / Mastercard", ar: "فيزا / ماستركارد" }, fee: null },
          { code: "applepay", name: { en: "Apple Pay", ar: "Apple Pay" }, fee: null },
          { code: "tabby", name: { en: "Tabby (4 interest-free payments)", ar: "تابي (تقسيط على 4 دفعات بدون فوائد)" }, fee: null },
          { code: "cod", name: { en: "cash on delivery", ar: "الدفع عند الاستلام" }, fee: 10 },
        ],
        cashOnDelivery: true,
      },
    },
  },
  { title: "Store location", data: { kind: "faq", faq: { question: { en: "Do you have a physical store or showroom?", ar: "هل عندكم محل أو معرض؟" }, answer: { en: "Yes! Our showroom is in Al Olaya, Riyadh, open Saturday to Thursday from 4 pm to 11 pm.", ar: "إيه نعم! معرضنا في العليا بالرياض، مفتوح من السبت إلى الخميس من 4 العصر إلى 11 الليل." } } } },
  { title: "Gift wrapping", data: { kind: "faq", faq: { question: { en: "Do you offer gift wrapping?", ar: "هل يوجد تغليف هدايا؟" }, answer: { en: "Yes, we gift-wrap any order on request for 10 SAR — just mention it in the order notes.", ar: "إيه، نغلف أي طلب كهدية برسوم 10 ريال، اكتبها بملاحظات الطلب." } } } },
  { title: "Size guide", data: { kind: "faq", faq: { question: { en: "How do I choose my abaya size?", ar: "كيف أختار مقاس العباية؟" }, answer: { en: "Measure from your shoulder to your ankle: S fits 52–54 inches, M fits 55–56, L fits 57–58 and XL fits 59–60.", ar: "قيسي من الكتف إلى الكاحل: S يناسب 52–54 إنش، M يناسب 55–56، L يناسب 57–58، وXL يناسب 59–60." } } } },
  { title: "Exchange", data: { kind: "faq", faq: { question: { en: "Can I exchange an item for another size?", ar: "أقدر أبدل المقاس؟" }, answer: { en: "Yes, size exchanges are free within the return window as long as the item is unused.", ar: "أكيد، تبديل المقاس مجاني خلال فترة الإرجاع بشرط المنتج غير مستخدم." } } } },
  { title: "Perfume authenticity", data: { kind: "faq", faq: { question: { en: "Are your perfumes original?", ar: "هل العطور أصلية؟" }, answer: { en: "All our perfumes are 100% original and made by our own perfumers in Riyadh.", ar: "كل عطورنا أصلية 100% ومن صنع عطارينا في الرياض." } } } },
];

export const ORDERS = [
  { key: "shipped", productKey: "abayaBlack", quantity: 2, status: "shipped" as const, contact: { name: "Noura", phone: "0551234567", email: "noura@example.com" } },
  { key: "pending", productKey: "oud", quantity: 1, status: "pending" as const, contact: { name: "Khalid", phone: "+966 50 765 4321" } },
];

export async function openTestShop(bot: Partial<BotSettings> = {}): Promise<TestShop> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bot-"));
  const store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "shop.db") });
  const { merchant } = await store.createMerchant(
    { name: "Dar Al Anaqa", currency: "SAR", bot },
    { email: `owner-${Math.random().toString(36).slice(2)}@example.com`, name: "Owner", role: "owner", passwordHash: "x" },
  );
  const t = store.forMerchant(asMerchantId(merchant.id));
  const products: Record<string, Product> = {};
  for (const { key, category, ...input } of CATALOG) {
    const cat = await t.categories.ensure({ slug: category, name: CATEGORIES[category] ?? { en: category, ar: category } });
    products[key] = await t.products.create({
      ...input,
      categoryId: cat.id,
      currency: "SAR",
      imageUrl: `${IMG}/${key}.jpg`,
      url: `https://shop.example.sa/p/${key}`,
    });
  }
  for (const item of KNOWLEDGE) await t.knowledge.create({ title: item.title, data: knowledgeDataSchema.parse(item.data) });
  const orders: Record<string, Order> = {};
  for (const o of ORDERS) {
    const p = products[o.productKey]!;
    orders[o.key] = await t.orders.create({
      items: [{ productId: p.id, name: p.name.en, price: p.price, quantity: o.quantity }],
      status: o.status,
      contact: o.contact,
      paymentMethod: "mada",
    });
  }
  return {
    store,
    t,
    products,
    orders,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every figure the shop's data contains: prices, stock, fees, days, order numbers and totals. */
export function storeNumbers(shop: TestShop): Set<number> {
  const out = new Set<number>();
  const add = (n: number) => out.add(Math.round(n * 100) / 100);
  const addText = (text: string) => {
    for (const m of toWesternDigits(text).matchAll(/\d+(?:\.\d+)?/g)) add(Number(m[0]));
  };
  const walk = (value: unknown) => {
    if (typeof value === "number") add(value);
    else if (typeof value === "string") addText(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(Object.values(shop.products));
  walk(KNOWLEDGE);
  for (const o of Object.values(shop.orders)) {
    add(Number(o.number));
    add(o.total);
    o.items.forEach(walk);
  }
  return out;
}

export interface Exchange {
  events: BotEvent[];
  text: string;
  parts: MessagePart[];
  intent: string | null;
  handoff: string | null;
}

/** A conversation with the engine, keeping the message history like the hub does. */
export class Chat {
  readonly history: Message[] = [];
  private seq = 0;
  constructor(
    private readonly engine: BotEngine,
    private readonly t: TenantStore,
    readonly conversationId: string,
    private readonly locale: Locale | null = null,
  ) {}

  static async open(engine: BotEngine, t: TenantStore, locale: Locale | null = null): Promise<Chat> {
    const conversation = await t.conversations.create({ channel: "webchat", visitorId: `v-${Math.random()}`, locale });
    return new Chat(engine, t, conversation.id, locale);
  }

  private push(role: Message["role"], text: string, parts: MessagePart[] = []): void {
    this.seq += 1;
    this.history.push({
      id: `m${this.seq}`, conversationId: this.conversationId, seq: this.seq, role, text, parts, status: "complete",
      authorId: null, authorName: null, clientMessageId: null, intent: null, createdAt: new Date().toISOString(),
    });
  }

  async say(text: string, signal: AbortSignal = new AbortController().signal): Promise<Exchange> {
    this.push("shopper", text);
    const events: BotEvent[] = [];
    for await (const e of this.engine.reply({ store: this.t, conversationId: this.conversationId, history: this.history.slice(-20), locale: this.locale }, signal)) events.push(e);
    const out = exchangeOf(events);
    this.push("bot", out.text, out.parts);
    return out;
  }
}

export function exchangeOf(events: BotEvent[]): Exchange {
  let text = "";
  const parts: MessagePart[] = [];
  let intent: string | null = null;
  let handoff: string | null = null;
  for (const e of events) {
    if (e.type === "delta") text += e.text;
    else if (e.type === "part") parts.push(e.part);
    else if (e.type === "intent") intent = e.intent;
    else handoff = e.reason;
  }
  return { events, text, parts, intent, handoff };
}

/** The store `npm start` seeds, in memory, with the built-in engine (no LLM). */
export async function openDemoBot(): Promise<{ store: Store; t: TenantStore; engine: BotEngine }> {
  const store = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
  const info = await seedDemoStore(store, { origins: [], hashPassword: async () => "x" });
  const t = store.forMerchant(asMerchantId(info.merchantId));
  return { store, t, engine: createBotEngine({ attempts: new MemoryRateLimiter(), classifier: createIntentClassifier(), search: embeddedSearch() }) };
}
