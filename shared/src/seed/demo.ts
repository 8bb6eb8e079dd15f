// Seeds the demo store that a newcomer sees after `npm start`: catalog, policies, FAQ, a couple
// of orders to track, and an owner login with a generated password.
import { randomSecret } from "../ids.js";
import type { KnowledgeData } from "../contracts/domain.js";
import type { Store } from "../ports/store.js";
import { demoCategories, demoProducts } from "./demo-catalog.js";

export interface DemoInfo {
  merchantId: string;
  storeName: string;
  email: string;
  password: string;
  widgetKey: string;
}

export const DEMO_STORE_NAME = "Kaleem Demo Store";
export const DEMO_OWNER_EMAIL = "owner@demo.kaleem.dev";
/** The phone on the demo's shipped order: the storefront shows it beside "where is my order …?" so
 * the look-up (which asks for the phone on the order) can be completed without the README. */
export const DEMO_TRACKABLE_ORDER_PHONE = "+966500000001";

/** Placeholder picture URL (relative to the Kaleem host) for a demo product. */
export const demoImagePath = (sku: string): string => `/demo/img/${sku.toLowerCase()}.svg`;

const knowledge: Array<{ title: string; data: KnowledgeData }> = [
  {
    title: "Shipping",
    data: {
      kind: "shipping",
      policy: {
        zones: [
          { name: { en: "Riyadh", ar: "الرياض" }, areas: ["Riyadh", "الرياض"], fee: 25, freeAbove: 300, minDays: 1, maxDays: 2 },
          { name: { en: "Jeddah, Makkah, Dammam and Khobar", ar: "جدة ومكة والدمام والخبر" }, areas: ["Jeddah", "Makkah", "Mecca", "Dammam", "Khobar", "جدة", "مكة", "الدمام", "الخبر"], fee: 30, freeAbove: 300, minDays: 2, maxDays: 4 },
          { name: { en: "Rest of Saudi Arabia", ar: "باقي مناطق المملكة" }, areas: ["Saudi Arabia", "KSA", "السعودية", "المملكة"], fee: 35, freeAbove: 400, minDays: 3, maxDays: 6 },
          { name: { en: "GCC countries", ar: "دول الخليج" }, areas: ["UAE", "Kuwait", "Bahrain", "Qatar", "Oman", "الإمارات", "الكويت", "البحرين", "قطر", "عمان"], fee: 60, freeAbove: null, minDays: 5, maxDays: 8 },
        ],
        notes: { en: "Orders placed before 2 pm ship the same day.", ar: "الطلبات قبل الساعة ٢ ظهراً تُشحن في نفس اليوم." },
      },
    },
  },
  {
    title: "Returns and refunds",
    data: {
      kind: "returns",
      policy: {
        windowDays: 14,
        conditions: [
          { en: "unused and in the original packaging", ar: "غير مستخدم وبتغليفه الأصلي" },
          { en: "with the invoice or order number", ar: "مع الفاتورة أو رقم الطلب" },
        ],
        refundMethod: { en: "to the original payment method", ar: "إلى وسيلة الدفع الأصلية" },
        refundDays: 7,
        cancellationFee: 0,
        nonReturnable: [
          { en: "opened perfumes and oud oils", ar: "العطور ودهن العود المفتوحة" },
          { en: "food items such as dates and coffee", ar: "المواد الغذائية مثل التمور والقهوة" },
        ],
      },
    },
  },
  {
    title: "Payment methods",
    data: {
      kind: "payment",
      policy: {
        methods: [
          { code: "mada", name: { en: "mada", ar: "مدى" }, fee: null },
          { code: "card", name: { en: "Visa and Mastercard", ar: "فيزا وماستركارد" }, fee: null },
          { code: "applepay", name: { en: "Apple Pay", ar: "أبل باي" }, fee: null },
          { code: "stcpay", name: { en: "STC Pay", ar: "STC Pay" }, fee: null },
          { code: "tabby", name: { en: "Tabby (4 interest-free payments)", ar: "تابي (٤ دفعات بدون فوائد)" }, fee: null },
          { code: "cod", name: { en: "Cash on delivery", ar: "الدفع عند الاستلام" }, fee: 15 },
        ],
        cashOnDelivery: true,
      },
    },
  },
  {
    title: "Opening hours",
    data: {
      kind: "faq",
      faq: {
        question: { en: "What are your working hours? When is customer service open?", ar: "ما هي أوقات الدوام؟ متى تفتح خدمة العملاء؟" },
        answer: {
          en: "Customer service is available Saturday to Thursday, 9 am to 11 pm (Riyadh time). The bot answers any time.",
          ar: "خدمة العملاء متاحة من السبت إلى الخميس، من ٩ صباحاً حتى ١١ مساءً بتوقيت الرياض. والمساعد الآلي يرد في أي وقت.",
        },
      },
    },
  },
  {
    title: "Gift wrapping",
    data: {
      kind: "faq",
      faq: {
        question: { en: "Do you offer gift wrapping? Can I add a gift card?", ar: "هل يوجد تغليف هدايا؟ أقدر أضيف بطاقة إهداء؟" },
        answer: {
          en: "Yes, gift wrapping is free. Write your gift card message in the order notes and we print it for you.",
          ar: "نعم، تغليف الهدايا مجاني. اكتب نص بطاقة الإهداء في ملاحظات الطلب ونطبعها لك.",
        },
      },
    },
  },
  {
    title: "Contact details",
    data: {
      kind: "contact",
      contact: {
        phone: "920000000",
        whatsapp: "+966 55 000 0000",
        email: "care@demo.kaleem.example",
        address: { en: "", ar: "" },
        hours: { en: "Saturday to Thursday, 9 am to 11 pm (Riyadh time)", ar: "من السبت إلى الخميس، من ٩ صباحاً حتى ١١ مساءً بتوقيت الرياض" },
      },
    },
  },
  {
    title: "Store pickup",
    data: {
      kind: "faq",
      faq: {
        question: { en: "Do you have a physical store? Can I pick up my order?", ar: "عندكم فرع أو محل؟ أقدر أستلم الطلب بنفسي؟" },
        answer: {
          en: "We are online only for now, so every order is delivered by our courier partners.",
          ar: "حالياً متجرنا إلكتروني فقط، وجميع الطلبات تُوصَّل عن طريق شركات الشحن.",
        },
      },
    },
  },
];

/** Creates the demo merchant and its data. The store must not already hold the demo owner. */
export async function seedDemoStore(
  store: Store,
  opts: { origins: string[]; hashPassword: (password: string) => Promise<string> },
): Promise<DemoInfo> {
  const password = randomSecret(12);
  const { merchant } = await store.createMerchant(
    {
      name: DEMO_STORE_NAME,
      currency: "SAR",
      defaultLocale: "en",
      widget: { allowedOrigins: opts.origins, languages: ["en", "ar"] },
    },
    { email: DEMO_OWNER_EMAIL, name: "Demo Owner", role: "owner", passwordHash: await opts.hashPassword(password) },
  );
  const tenant = store.forMerchant(merchant.id as Parameters<Store["forMerchant"]>[0]);

  const categoryIds = new Map<string, string>();
  for (const [slug, name] of Object.entries(demoCategories)) {
    const category = await tenant.categories.ensure({ slug, name });
    categoryIds.set(slug, category.id);
  }
  const bySku = new Map<string, string>();
  for (const p of demoProducts) {
    const product = await tenant.products.create({
      externalId: p.sku,
      name: { en: p.en[0], ar: p.ar[0] },
      description: { en: p.en[1], ar: p.ar[1] },
      categoryId: categoryIds.get(p.category) ?? null,
      price: p.price,
      currency: "SAR",
      attributes: p.attributes,
      stock: p.stock,
      tags: p.tags,
      imageUrl: demoImagePath(p.sku),
      url: null,
      status: "active",
    });
    bySku.set(p.sku, product.id);
  }
  for (const item of knowledge) await tenant.knowledge.create(item);

  // Two orders so "where is my order?" can be tried (verify with the phone number).
  const item = (sku: string, quantity: number) => {
    const p = demoProducts.find((d) => d.sku === sku);
    if (!p) throw new Error(`demo product ${sku} missing`);
    return { productId: bySku.get(sku) ?? "", name: p.en[0], price: p.price, quantity };
  };
  const first = await tenant.orders.create({
    items: [item("AB-100", 1), item("PF-303", 2)],
    currency: "SAR",
    status: "shipped",
    paymentMethod: "mada",
    contact: { name: "Sara Alqahtani", phone: DEMO_TRACKABLE_ORDER_PHONE, email: "sara@example.com" },
    shippingAddress: "Riyadh, Al Olaya",
  });
  await tenant.orders.create({
    items: [item("CF-500", 2)],
    currency: "SAR",
    status: "pending",
    paymentMethod: "cod",
    contact: { name: "Fahad Alharbi", phone: "+966500000002" },
    shippingAddress: "Jeddah, Al Rawdah",
  });
  void first;

  return { merchantId: merchant.id, storeName: merchant.name, email: DEMO_OWNER_EMAIL, password, widgetKey: merchant.widget.key };
}
