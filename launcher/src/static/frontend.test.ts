import { testStoreCrypto } from "@kaleem/shared/testing";
import { openSqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, createLogger, hashPassword, seedDemoStore, type Store } from "@kaleem/shared";
import { createFrontendHandler } from "./frontend.js";
import { resolveInside } from "./files.js";

let server: http.Server;
let base: string;
let store: Store;
let demo: Awaited<ReturnType<typeof seedDemoStore>>;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-frontend-"));
  store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "kaleem.db") });
  demo = await seedDemoStore(store, { origins: [], hashPassword });
  writeFileSync(path.join(dir, "demo.json"), JSON.stringify(demo));
  const widgetDist = path.join(dir, "widget");
  const dashboardDist = path.join(dir, "dash");
  mkdirSync(path.join(dashboardDist, "assets"), { recursive: true });
  mkdirSync(widgetDist, { recursive: true });
  writeFileSync(path.join(widgetDist, "widget.js"), "/*loader*/");
  writeFileSync(path.join(widgetDist, "chat.js"), "/*chat*/");
  writeFileSync(path.join(dashboardDist, "index.html"), "<!doctype html><title>dash</title>");
  writeFileSync(path.join(dashboardDist, "assets", "app.js"), "/*app*/");
  writeFileSync(path.join(dir, "secret.txt"), "nope");
  const handler = createFrontendHandler({ store, dataDir: dir, logger: createLogger({ level: "silent" }), widgetDist, dashboardDist });
  server = http.createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
});

describe("frontend handler", () => {
  it("serves the demo storefront with the catalog and the widget tag", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Kaleem Demo Store");
    expect(html).toContain("Midnight Crepe Abaya");
    expect(html).toContain("عباية كريب ميدنايت");
    expect(html).toMatch(/<script src="\/widget.js" data-widget-key="wk_[^"]+" async><\/script>/);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    // The order look-up example names an order the seed placed and the phone that proves it.
    const tip = /where is my order (\d+)\?” \(the phone on it: <span dir="ltr" class="phone">([^<]+)<\/span>\)/.exec(html);
    expect(tip).not.toBeNull();
    const [order] = (await store.forMerchant(asMerchantId(demo.merchantId)).orders.listByNumber(tip![1]!));
    expect(order?.contact.phone).toBe(tip![2]);
  });
  it("serves the widget bundles and demo pictures", async () => {
    expect(await (await fetch(`${base}/widget.js`)).text()).toBe("/*loader*/");
    expect(await (await fetch(`${base}/widget/chat.js`)).text()).toBe("/*chat*/");
    const img = await fetch(`${base}/demo/img/ab-100.svg`);
    expect(img.headers.get("content-type")).toBe("image/svg+xml");
    expect(await img.text()).toContain("<svg");
    expect((await fetch(`${base}/demo/img/zz.svg`)).status).toBe(404);
  });
  it("serves the dashboard with an SPA fallback but 404 for missing assets", async () => {
    expect((await fetch(`${base}/dashboard`, { redirect: "manual" })).status).toBe(301);
    expect(await (await fetch(`${base}/dashboard/`)).text()).toContain("<title>dash</title>");
    expect(await (await fetch(`${base}/dashboard/inbox/123`)).text()).toContain("<title>dash</title>");
    expect(await (await fetch(`${base}/dashboard/assets/app.js`)).text()).toBe("/*app*/");
    expect((await fetch(`${base}/dashboard/assets/missing.js`)).status).toBe(404);
  });
  it("never serves files outside the build directories", async () => {
    expect(resolveInside("/srv/dist", "../secret.txt")).toBe("/srv/dist/secret.txt");
    expect(resolveInside("/srv/dist", "%2e%2e/%2e%2e/etc/passwd")).toBe("/srv/dist/etc/passwd");
    expect(resolveInside("/srv/dist", "%E0%A4%A")).toBeNull();
    const res = await fetch(`${base}/widget/..%2f..%2fsecret.txt`);
    expect(res.status).toBe(404);
  });
});

describe("demo storefront rendering", () => {
  it("escapes every store-controlled string", async () => {
    const { renderDemoStorefront } = await import("./demo-page.js");
    const evil = `<img src=x onerror=alert(1)>"'`;
    const now = new Date().toISOString();
    const html = renderDemoStorefront({
      storeName: evil,
      widgetKey: `k"><script>alert(1)</script>`,
      exampleOrder: { number: evil, phone: evil },
      categories: [{ id: "c1", merchantId: "m", slug: "s", name: { en: evil, ar: evil }, createdAt: now }],
      products: [
        {
          id: "p1", merchantId: "m", source: null, externalId: null, name: { en: evil, ar: evil }, description: { en: "", ar: "" }, categoryId: "c1",
          price: 10, currency: "SAR", attributes: {}, stock: 1, tags: [], imageUrl: `x" onerror="alert(1)`, url: null, status: "active", createdAt: now, updatedAt: now,
        },
      ],
    });
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain(`" onerror="`);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;");
  });
});
