// The index's shortcuts (posting lists, nearest-vector candidates) must not change what it ranks:
// where the catalog is small enough that no candidate is cut, it agrees with the exhaustive scorer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogSearch } from "./catalog-search.js";
import { embeddedSearch } from "./embedded-search.js";
import { openTestShop, type TestShop } from "./search.test-helpers.js";

let shop: TestShop;
let fast: CatalogSearch;
let exhaustive: CatalogSearch;

beforeAll(async () => {
  shop = await openTestShop();
  fast = embeddedSearch();
  exhaustive = embeddedSearch({ exhaustive: true });
});
afterAll(async () => {
  await shop.store.close();
});

const QUERIES = [
  "braided agal", "عقال مجدول", "green kaftan", "قفطان", "kaftn", "perfum for women", "gahwa", "abi 3etr rjali", "عطر أقل من ٣٠٠ ريال",
  "espresso machine", "مكينة قهوة", "a present for my mum", "هدية لامي بأقل من ٢٠٠", "truck tyres", "under 70 riyals", "blue",
  "i already have a good espresso machine at home, i just need some capsules", "green kaftan for the office", "fragrance", "cheap gift",
];

describe("CatalogSearch with exhaustive: true", () => {
  it("ranks like the index on a catalog below the vector candidate count", async () => {
    for (const q of QUERIES) {
      const a = (await fast.searchDetailed(shop.tenant, q, 20)).items.map((h) => `${shop.ext(h.product.id)}:${h.score}`);
      const b = (await exhaustive.searchDetailed(shop.tenant, q, 20)).items.map((h) => `${shop.ext(h.product.id)}:${h.score}`);
      expect(a, q).toEqual(b);
    }
  });
});
