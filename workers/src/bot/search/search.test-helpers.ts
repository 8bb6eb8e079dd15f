// A small bilingual catalog written for the search tests, imported into a real SQLite store.
import { testStoreCrypto } from "@kaleem/shared/testing";
import { openSqliteStore } from "@kaleem/shared/adapters";
import { type Store, type TenantStore } from "@kaleem/shared";
import { importCatalog, type CatalogFile } from "../eval/search-data.js";

type Item = CatalogFile["products"][number];
const item = (p: Partial<Item> & Pick<Item, "externalId" | "name" | "price">): Item => ({
  description: { en: "", ar: "" },
  currency: "SAR",
  attributes: {},
  stock: 10,
  tags: [],
  status: "active",
  ...p,
});

export const TEST_CATALOG: CatalogFile = {
  products: [
    item({
      externalId: "kaftan-green",
      name: { en: "Green Crepe Kaftan", ar: "قفطان كريب أخضر" },
      description: { en: "Loose everyday kaftan in soft crepe.", ar: "قفطان يومي واسع من الكريب الناعم." },
      category: "women-fashion",
      price: 180,
      attributes: { color: "green", material: "crepe", size: "54" },
      tags: ["kaftan", "قفطان"],
    }),
    item({
      externalId: "kaftan-burgundy",
      name: { en: "Burgundy Linen Kaftan", ar: "قفطان كتان عنابي" },
      category: "women-fashion",
      price: 210,
      attributes: { color: "burgundy", material: "linen", size: "56" },
      tags: ["kaftan"],
    }),
    item({
      externalId: "thobe-white",
      name: { en: "White Cotton Thobe", ar: "ثوب قطن أبيض" },
      category: "men-fashion",
      price: 199,
      attributes: { color: "white", material: "cotton" },
      tags: ["thobe", "ثوب"],
    }),
    item({
      externalId: "agal",
      name: { en: "Grey Braided Agal", ar: "عقال مجدول رمادي" },
      category: "men-fashion",
      price: 120,
      attributes: { color: "grey" },
      tags: ["agal"],
    }),
    item({
      // English only: Arabic queries must reach it through shared concepts.
      externalId: "perfume-women",
      name: { en: "Jasmine Eau de Parfum for Women 100ml", ar: "" },
      description: { en: "A soft floral scent with jasmine and musk.", ar: "" },
      category: "perfumes",
      price: 260,
      attributes: { gender: "women", volume: "100ml" },
      tags: ["perfume"],
    }),
    item({
      externalId: "perfume-men",
      name: { en: "Oud Intense Eau de Parfum for Men", ar: "عطر عود رجالي" },
      category: "perfumes",
      price: 340,
      attributes: { gender: "men" },
      tags: ["perfume", "oud"],
    }),
    item({
      externalId: "phone",
      name: { en: "Galaxy A55 256GB", ar: "سامسونج جالكسي A55" },
      description: { en: "Android smartphone with a 6.6 inch screen.", ar: "" },
      category: "electronics",
      price: 1599,
      tags: ["smartphone", "android"],
    }),
    item({
      externalId: "charger",
      name: { en: "20W USB-C Charger for iPhone", ar: "شاحن آيفون 20 واط" },
      category: "electronics",
      price: 69,
      tags: ["charger", "iphone"],
    }),
    item({
      externalId: "battery",
      name: { en: "Portable Battery 20000mAh", ar: "بطارية متنقلة 20000 ملي أمبير" },
      category: "electronics",
      price: 149,
      tags: ["powerbank"],
    }),
    item({
      externalId: "espresso-machine",
      name: { en: "Espresso Machine 15 Bar", ar: "مكينة اسبريسو 15 بار" },
      category: "electronics",
      price: 899,
      tags: ["coffee machine"],
    }),
    item({
      externalId: "capsules",
      name: { en: "Espresso Coffee Capsules", ar: "كبسولات قهوة اسبريسو" },
      description: { en: "Capsules that fit most espresso machines.", ar: "كبسولات تناسب أغلب مكائن الاسبريسو." },
      category: "coffee",
      price: 45,
      attributes: { pieces: "50" },
      tags: ["coffee", "capsules"],
    }),
    item({
      externalId: "dates",
      name: { en: "Khalas Dates 1kg", ar: "تمر خلاص 1 كيلو" },
      category: "food",
      price: 65,
      tags: ["dates", "تمر"],
    }),
    item({
      externalId: "coffee",
      name: { en: "Saudi Coffee with Cardamom 500g", ar: "قهوة سعودية بالهيل 500 جرام" },
      category: "coffee",
      price: 69,
      tags: ["saudi coffee", "gahwa"],
    }),
    item({
      externalId: "dallah",
      name: { en: "Brass Dallah", ar: "دلة نحاسية" },
      category: "home",
      price: 159,
      tags: ["dallah", "دلة"],
    }),
    item({
      externalId: "blanket",
      name: { en: "Fleece Blanket", ar: "بطانية فرو" },
      description: { en: "Thick and soft for cold nights.", ar: "ثقيلة وناعمة لليالي الباردة." },
      category: "home",
      price: 129,
      tags: ["blanket"],
    }),
    item({
      externalId: "tent",
      name: { en: "Camping Tent for 4", ar: "خيمة رحلات 4 أشخاص" },
      category: "outdoor",
      price: 299,
      tags: ["tent", "camping"],
    }),
    item({
      externalId: "rc-car",
      name: { en: "Remote Control Car", ar: "سيارة تحكم عن بعد" },
      category: "kids-toys",
      price: 179,
      attributes: { age: "6+" },
      tags: ["toy", "car"],
    }),
    item({
      externalId: "necklace",
      name: { en: "Gold-Plated Necklace", ar: "سلسال مطلي ذهب" },
      category: "jewelry",
      price: 189,
      tags: ["necklace", "jewelry"],
    }),
    item({
      externalId: "draft-kaftan",
      name: { en: "Unreleased Green Kaftan", ar: "قفطان أخضر" },
      category: "women-fashion",
      price: 150,
      attributes: { color: "green" },
      status: "draft",
    }),
  ],
};

export interface TestShop {
  store: Store;
  tenant: TenantStore;
  /** Store id → externalId, and back. */
  ext: (id: string) => string;
  idOf: (externalId: string) => string;
}

export async function openTestShop(catalog: CatalogFile = TEST_CATALOG, store?: Store): Promise<TestShop> {
  const s = store ?? (await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" }));
  const { merchant } = await s.createMerchant(
    { name: "Test shop" },
    { email: `owner-${Math.random().toString(36).slice(2)}@example.com`, name: "Owner", role: "owner", passwordHash: "x" },
  );
  const tenant = s.forMerchant(merchant.id as Parameters<Store["forMerchant"]>[0]);
  await importCatalog(tenant, catalog);
  const byId = new Map<string, string>();
  const byExt = new Map<string, string>();
  for (const p of await tenant.products.all()) {
    byId.set(p.id, p.externalId ?? p.id);
    byExt.set(p.externalId ?? p.id, p.id);
  }
  return {
    store: s,
    tenant,
    ext: (id) => byId.get(id) ?? id,
    idOf: (e) => {
      const id = byExt.get(e);
      if (id === undefined) throw new Error(`no product ${e}`);
      return id;
    },
  };
}
