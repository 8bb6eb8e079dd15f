// Issue 14, bug 1: one rule for product image URLs (absolute http(s), or a path on this
// installation), and images uploaded from the product editor into the object store, served
// publicly at the path the upload answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PRODUCT_IMAGE_BYTES } from "@kaleem/shared";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
let other: Session;
beforeAll(async () => {
  t = await startTestRest();
  s = await t.signup("Images");
  other = await t.signup("Other images");
});
afterAll(async () => t?.close());

const api = (session: Session, method: string, path: string, body?: unknown) =>
  t.request(method, `/api/v1${path}`, { token: session.token, ...(body !== undefined && { body }) });

// A real 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

describe("product image URLs", () => {
  it("accepts absolute http(s) URLs and paths on this installation, and refuses other relative or odd URLs", async () => {
    for (const imageUrl of ["https://cdn.example.com/a.jpg", "http://shop.example.sa/img/1.png", "/demo/img/ab-100.svg", `/images/${s.merchantId}/01abc.png`]) {
      const res = await api(s, "POST", "/products", { name: { en: "Pic" }, price: 1, imageUrl });
      expect(res.status, imageUrl).toBe(201);
      expect(res.body.imageUrl).toBe(imageUrl);
    }
    for (const imageUrl of ["img/a.png", "/etc/passwd", "/images/../secret.png", "//evil.example/a.png", "ftp://x.example/a.png", "javascript:alert(1)", "https://user:pw@x.example/a.png"]) {
      const res = await api(s, "POST", "/products", { name: { en: "Pic" }, price: 1, imageUrl });
      expect(res.status, imageUrl).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("imageUrl");
    }
  });

  it("lets a product whose image is a path on this installation be edited (what the seed stores)", async () => {
    const created = await api(s, "POST", "/products", { name: { en: "Seeded" }, price: 5, imageUrl: "/demo/img/pf-303.svg" });
    const patched = await api(s, "PATCH", `/products/${created.body.id}`, { price: 6, imageUrl: created.body.imageUrl });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ price: 6, imageUrl: "/demo/img/pf-303.svg" });
  });
});

describe("product image upload", () => {
  it("stores the image in the object store and serves it publicly at the URL it answers", async () => {
    const res = await api(s, "POST", "/products/images", { contentType: "image/png", data: PNG.toString("base64") });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ size: PNG.length, contentType: "image/png" });
    expect(res.body.imageUrl).toMatch(new RegExp(`^/images/${s.merchantId}/[A-Za-z0-9]+\\.png$`));
    // Stored through the port, under the merchant's product-image prefix.
    const listed = await t.objects.forMerchant(s.merchantId as never).list("product-images/");
    expect(listed.items.map((i) => i.size)).toContain(PNG.length);

    // Anyone (a shopper's browser) can load it, without a token.
    const img = await fetch(`${t.base}${res.body.imageUrl}`);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(img.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    const again = await fetch(`${t.base}${res.body.imageUrl}`, { headers: { "if-none-match": img.headers.get("etag")! } });
    expect(again.status).toBe(304);

    // The URL it answers is one a product accepts.
    const product = await api(s, "POST", "/products", { name: { en: "Uploaded" }, price: 3, imageUrl: res.body.imageUrl });
    expect(product.status).toBe(201);
  });

  it("serves only product images: another store's space under the same file name, other media and bad names are 404", async () => {
    const res = await api(s, "POST", "/products/images", { contentType: "image/png", data: PNG.toString("base64") });
    const file = String(res.body.imageUrl).split("/").pop();
    expect((await fetch(`${t.base}/images/${other.merchantId}/${file}`)).status).toBe(404);
    await t.objects.forMerchant(s.merchantId as never).put("attachments/secret.png", PNG, { contentType: "image/png" });
    expect((await fetch(`${t.base}/images/${s.merchantId}/..%2Fattachments%2Fsecret.png`)).status).toBe(404);
    expect((await fetch(`${t.base}/images/${s.merchantId}/.hidden.png`)).status).toBe(404);
  });

  it("refuses files that are not the image type they claim, SVG, oversized files and anonymous callers", async () => {
    const html = Buffer.from("<html><script>alert(1)</script></html>").toString("base64");
    expect((await api(s, "POST", "/products/images", { contentType: "image/png", data: html })).status).toBe(400);
    expect((await api(s, "POST", "/products/images", { contentType: "image/svg+xml", data: html })).status).toBe(400);
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_PRODUCT_IMAGE_BYTES)]).toString("base64");
    const tooBig = await api(s, "POST", "/products/images", { contentType: "image/png", data: big });
    expect([400, 413]).toContain(tooBig.status);
    expect((await t.request("POST", "/api/v1/products/images", { body: { contentType: "image/png", data: PNG.toString("base64") } })).status).toBe(401);
    const stored = await t.objects.forMerchant(s.merchantId as never).list("product-images/");
    expect(stored.items.every((i) => i.size === PNG.length)).toBe(true);
  });
});
