// A small bilingual catalog written for the search tests, imported into a real SQLite store.
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
      externalId: "abaya-black",
      name: { en: "Black Crepe Abaya", ar: "عباية كريب سوداء" },
      description: { en: "Closed everyday abaya in soft crepe.", ar: "عباية يومية مقفلة من الكريب." },
      category: "women-fashion",
      price: 180,
      attributes: { color: "black", material: "crepe", size: "54" },
      tags: ["abaya", "عباية"],
    }),
    item({
      externalId: "abaya-navy",
      name: { en: "Navy Linen Abaya", ar: "عباية كتان كحلي" },
      category: "women-fashion",
      price: 210,
      attributes: { color: "navy", material: "linen", size: "56" },
      tags: ["abaya"],
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
      externalId: "shemagh-red",
      name: { en: "Red Shemagh", ar: "شماغ أحمر" },
      category: "men-fashion",
      price: 120,
      attributes: { color: "red" },
      tags: ["shemagh"],
    }),
    item({
      // English only: Arabic queries must reach it through shared concepts.
      externalId: "perfume-women",
      name: { en: "Rose Eau de Parfum for Women 100ml", ar: "" },
      description: { en: "A soft floral scent with rose and musk.", ar: "" },
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
      externalId: "powerbank",
      name: { en: "Power Bank 20000mAh", ar: "باور بانك 20000 ملي أمبير" },
      category: "electronics",
      price: 149,
      tags: ["power bank"],
    }),
    item({
      externalId: "dates",
      name: { en: "Sukkari Dates 1kg", ar: "تمر سكري 1 كيلو" },
      category: "food",
      price: 65,
      tags: ["dates", "تمر"],
    }),
    item({
      externalId: "coffee",
      name: { en: "Saudi Coffee with Cardamom 500g", ar: "قهوة سعودية بالهيل 500 جرام" },
      category: "coffee",
      price: 69,
      tags: ["saudi coffee", "قهوة عربية"],
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
      externalId: "draft-abaya",
      name: { en: "Unreleased Black Abaya", ar: "عباية سوداء" },
      category: "women-fashion",
      price: 150,
      attributes: { color: "black" },
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
  const s = store ?? (await openSqliteStore({ file: ":memory:" }));
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
