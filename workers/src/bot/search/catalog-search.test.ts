import { MemoryVectorIndex } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogSearch } from "./catalog-search.js";
import { embeddedSearch } from "./embedded-search.js";
import { openTestShop, type TestShop } from "./search.test-helpers.js";

let shop: TestShop;
let search: CatalogSearch;

beforeAll(async () => {
  shop = await openTestShop();
  search = embeddedSearch();
});
afterAll(async () => {
  await shop.store.close();
});

async function find(query: string, limit = 10): Promise<string[]> {
  const { items } = await search.search(shop.tenant, query, limit);
  return items.map((i) => shop.ext(i.product.id));
}

describe("CatalogSearch", () => {
  it("finds products by name in English and Arabic, best first, with scores", async () => {
    const { items } = await search.search(shop.tenant, "red shemagh", 5);
    expect(shop.ext(items[0]?.product.id ?? "")).toBe("shemagh-red");
    expect(items[0]?.score).toBeGreaterThan(0);
    for (let i = 1; i < items.length; i++) expect(items[i]?.score).toBeLessThanOrEqual(items[i - 1]?.score ?? 0);
    expect((await find("شماغ احمر"))[0]).toBe("shemagh-red");
  });

  it("folds Arabic spelling variants: taa marbuta, diacritics, alef forms, the article and plurals", async () => {
    for (const q of ["عبايه", "عَبَايَة", "العبايات", "عباءة"]) expect(await find(q), q).toContain("abaya-black");
    expect((await find("التمور"))[0]).toBe("dates");
    expect((await find("تمر سكرى"))[0]).toBe("dates");
  });

  it("never returns inactive products", async () => {
    expect(await find("black abaya")).not.toContain("draft-abaya");
    expect(await find("unreleased")).toEqual([]);
  });

  it("filters by price with Arabic-Indic or Western digits", async () => {
    const arabic = await find("عطر أقل من ٣٠٠ ريال");
    expect(arabic).toContain("perfume-women");
    expect(arabic).not.toContain("perfume-men");
    expect(await find("perfume under 300")).toEqual(["perfume-women"]);
    const range = await find("perfume between 300 and 400 SAR");
    expect(range).toEqual(["perfume-men"]);
    expect(await find("عطر فوق ٣٠٠")).toEqual(["perfume-men"]);
  });

  it("filters by colour, including Arabic feminine forms and Arabizi", async () => {
    expect(await find("navy abaya")).toEqual(["abaya-navy"]);
    expect(await find("عباية سوداء")).toEqual(["abaya-black"]);
    expect(await find("عباية سودا")).toEqual(["abaya-black"]);
    expect(await find("3abaya sawda")).toEqual(["abaya-black"]);
    expect(await find("عباية كحلي")).toEqual(["abaya-navy"]);
    expect(await find("red abaya")).toEqual([]);
  });

  it("filters by material, size and audience", async () => {
    expect(await find("linen abaya")).toEqual(["abaya-navy"]);
    expect(await find("abaya size 54")).toEqual(["abaya-black"]);
    const men = await find("عطر رجالي");
    expect(men).toContain("perfume-men");
    expect(men).not.toContain("perfume-women");
    expect(await find("perfume for my wife")).toEqual(["perfume-women"]);
  });

  it("tolerates typos", async () => {
    expect((await find("abya"))[0]).toMatch(/^abaya-/);
    expect((await find("perfum for women"))[0]).toBe("perfume-women");
    expect((await find("powerbank"))[0]).toBe("powerbank");
    expect((await find("shemag"))[0]).toBe("shemagh-red");
  });

  it("understands common Arabizi", async () => {
    expect((await find("gahwa"))[0]).toBe("coffee");
    expect((await find("shmagh a7mar"))[0]).toBe("shemagh-red");
    expect((await find("tamr sukkari"))[0]).toBe("dates");
  });

  it("matches synonyms across languages", async () => {
    expect((await find("جوال"))[0]).toBe("phone");
    expect((await find("mobile"))[0]).toBe("phone");
    expect(await find("عطر نسائي")).toEqual(["perfume-women"]);
    expect((await find("fragrance"))).toEqual(expect.arrayContaining(["perfume-women", "perfume-men"]));
    expect((await find("خيمة"))[0]).toBe("tent");
    expect((await find("قهوة عربية"))[0]).toBe("coffee");
  });

  it("returns nothing above the threshold for things the store does not sell", async () => {
    for (const q of ["car tyres", "ثلاجة", "iphone 99", "iphone 16 pro max", "laptop", "كنب", "غسالة", "do you sell washing machines"]) {
      expect(await find(q), q).toEqual([]);
    }
  });

  it("strips conversational filler and keeps the constraints", async () => {
    expect(await find("Salam! my son is 8 and loves cars, what toys do you have under 200 riyals?")).toEqual(["rc-car"]);
    expect(await find("ابي عطر لزوجي والميزانية حدود ٤٠٠ ريال")).toEqual(["perfume-men"]);
    expect(await find("hi, I'm looking for a gift for my wife who likes perfume")).toContain("perfume-women");
  });

  it("unknown words that only say what a product is for do not sink it; unknown products stay unfound", async () => {
    expect(await find("black abaya for the office")).toContain("abaya-black");
    expect(await find("عباية سوداء للدوام")).toContain("abaya-black");
    // The unknown word is the thing itself: no relaxation.
    expect(await find("car tyres")).toEqual([]);
    expect(await find("tyres for my car")).toEqual([]);
  });

  it("answers a constraint-only query with what satisfies it, cheapest first", async () => {
    const under = await find("under 70 riyals");
    expect(under.length).toBeGreaterThan(0);
    expect(under).toEqual(expect.arrayContaining(["dates", "charger", "coffee"]));
    expect(under).not.toContain("tent");
  });

  it("respects the limit", async () => {
    expect((await find("abaya", 1)).length).toBe(1);
    expect(await find("abaya", 0)).toEqual([]);
  });
});

describe("CatalogSearch index updates", () => {
  it("reflects a changed product after productsChanged, and drops removed or archived ones", async () => {
    const local = await openTestShop();
    try {
      const engine = embeddedSearch();
      const names = async (q: string) => (await engine.search(local.tenant, q, 10)).items.map((i) => local.ext(i.product.id));
      expect(await names("tent")).toEqual(["tent"]);
      expect(await names("hammock")).toEqual([]);

      const tentId = local.idOf("tent");
      await local.tenant.products.update(tentId, { name: { en: "Camping Hammock", ar: "أرجوحة رحلات" }, tags: ["hammock"] });
      engine.productsChanged(local.tenant.merchantId, [tentId], []);
      expect(await names("hammock")).toEqual(["tent"]);
      expect(await names("خيمة")).toEqual([]);

      const created = await local.tenant.products.create({ externalId: "lantern", name: { en: "Camping Lantern", ar: "كشاف رحلات" }, price: 69 });
      engine.productsChanged(local.tenant.merchantId, [created.id], []);
      expect(await names("lantern")).toEqual([created.id]);

      await local.tenant.products.update(created.id, { status: "archived" });
      engine.productsChanged(local.tenant.merchantId, [created.id], []);
      expect(await names("lantern")).toEqual([]);

      const datesId = local.idOf("dates");
      await local.tenant.products.remove(datesId);
      engine.productsChanged(local.tenant.merchantId, [], [datesId]);
      expect(await names("sukkari dates")).toEqual([]);
    } finally {
      await local.store.close();
    }
  });

  it("keeps each merchant's index and vectors separate", async () => {
    const vectors = new MemoryVectorIndex();
    const engine = embeddedSearch({ vectors });
    const a = await openTestShop();
    const b = await openTestShop(
      { products: [{ externalId: "b-tent", name: { en: "Desert Tent", ar: "خيمة بر" }, description: { en: "", ar: "" }, price: 900, currency: "SAR", attributes: {}, stock: 1, tags: [], status: "active" }] },
      a.store,
    );
    try {
      const aHits = (await engine.search(a.tenant, "tent", 10)).items;
      const bHits = (await engine.search(b.tenant, "tent", 10)).items;
      expect(aHits.map((i) => a.ext(i.product.id))).toEqual(["tent"]);
      expect(bHits.map((i) => b.ext(i.product.id))).toEqual(["b-tent"]);
      expect(aHits.every((i) => i.product.merchantId === a.tenant.merchantId)).toBe(true);
      expect(await vectors.count(a.tenant.merchantId)).toBe(13);
      expect(await vectors.count(b.tenant.merchantId)).toBe(1);
      // Only b's notification reaches b's index.
      engine.productsChanged(b.tenant.merchantId, [], [b.idOf("b-tent")]);
      expect((await engine.search(b.tenant, "tent", 10)).items).toEqual([]);
      expect((await engine.search(a.tenant, "tent", 10)).items.length).toBe(1);
      await engine.forget(a.tenant.merchantId);
      expect(await vectors.count(a.tenant.merchantId)).toBe(0);
      expect((await engine.search(a.tenant, "tent", 10)).items.length).toBe(1);
    } finally {
      await a.store.close();
    }
  });
});
