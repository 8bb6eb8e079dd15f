import { describe, expect, it } from "vitest";
import { testStoreCrypto } from "@kaleem/shared/testing";
import { openSqliteStore } from "../adapters/sqlite/index.js";
import { asMerchantId } from "../ports/store.js";
import { seedDemoStore } from "../seed/demo.js";
import { isProductImageUrl, productImagePath } from "./images.js";

describe("the product image URL rule", () => {
  it("takes absolute http(s) URLs and paths on this installation's media only", () => {
    for (const ok of ["https://cdn.shopify.com/s/files/1/a.jpg?v=2", "http://127.0.0.1:8080/x.png", "/demo/img/ab-100.svg", productImagePath("01abc", "01def.webp")]) {
      expect(isProductImageUrl(ok), ok).toBe(true);
    }
    for (const bad of ["", "a.png", "demo/img/a.svg", "/demo/img/../x", "/images/m/../../x.png", "/images/m/a/b.png", "//cdn.example/a.png", "/media/m/a.png", "data:image/png;base64,AAAA", "javascript:alert(1)", "https://u:p@x.example/a.png", `https://x.example/${"a".repeat(2100)}`]) {
      expect(isProductImageUrl(bad), bad).toBe(false);
    }
  });

  it("is what the demo seed stores, so seeded products can be saved from the editor as they are", async () => {
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
    try {
      const info = await seedDemoStore(store, { origins: [], hashPassword: async () => "x" });
      const products = await store.forMerchant(asMerchantId(info.merchantId)).products.all();
      expect(products.length).toBeGreaterThan(10);
      for (const p of products) expect(p.imageUrl !== null && isProductImageUrl(p.imageUrl), String(p.imageUrl)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
