// HTTP handler for what browsers load from an embedded Kaleem: the demo storefront at /, the
// widget loader and chat bundle, the dashboard SPA, and the demo product pictures.
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { asMerchantId, DEMO_TRACKABLE_ORDER_PHONE, type Logger, type Store } from "@kaleem/shared";
import { demoProductSvg } from "./demo-images.js";
import { renderDemoStorefront, renderLandingPage } from "./demo-page.js";
import { resolveInside, sendFile } from "./files.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface FrontendOptions {
  store: Store;
  dataDir: string;
  logger: Logger;
  widgetDist?: string;
  dashboardDist?: string;
}

export type FrontendHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const pageCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function sendHtml(res: ServerResponse, html: string): void {
  res.statusCode = 200;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", pageCsp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.end(html);
}

function readDemoInfo(dataDir: string): { merchantId: string; storeName: string; widgetKey: string } | null {
  const file = path.join(dataDir, "demo.json");
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as { merchantId?: unknown; storeName?: unknown; widgetKey?: unknown };
    if (typeof info.merchantId === "string" && typeof info.storeName === "string" && typeof info.widgetKey === "string") {
      return { merchantId: info.merchantId, storeName: info.storeName, widgetKey: info.widgetKey };
    }
  } catch {
    /* fall through to the landing page */
  }
  return null;
}

export function createFrontendHandler(options: FrontendOptions): FrontendHandler {
  const widgetDist = options.widgetDist ?? path.join(repoRoot, "webchat-widget", "dist");
  const dashboardDist = options.dashboardDist ?? path.join(repoRoot, "dashboard", "dist");

  async function demoPage(res: ServerResponse): Promise<void> {
    const demo = readDemoInfo(options.dataDir);
    if (!demo) return sendHtml(res, renderLandingPage());
    const tenant = options.store.forMerchant(asMerchantId(demo.merchantId));
    try {
      const merchant = await tenant.merchant.get();
      const [products, categories, trackable] = await Promise.all([
        tenant.products.all(),
        tenant.categories.list({ limit: 100 }),
        tenant.orders.list({ q: DEMO_TRACKABLE_ORDER_PHONE }, { limit: 1 }),
      ]);
      const example = trackable.items[0];
      sendHtml(
        res,
        renderDemoStorefront({
          storeName: merchant.name,
          widgetKey: merchant.widget.key,
          products: products.filter((p) => p.status === "active"),
          categories: categories.items,
          exampleOrder: example ? { number: example.number, phone: example.contact.phone ?? DEMO_TRACKABLE_ORDER_PHONE } : null,
        }),
      );
    } catch (err) {
      options.logger.warn({ err }, "demo store page unavailable");
      sendHtml(res, renderLandingPage());
    }
  }

  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = new URL(req.url ?? "/", "http://localhost");
    const p = url.pathname;

    if (p === "/" || p === "/index.html") {
      await demoPage(res);
      return true;
    }
    if (p === "/widget.js") {
      res.setHeader("Access-Control-Allow-Origin", "*");
      return sendFile(req, res, path.join(widgetDist, "widget.js"), "public, max-age=300");
    }
    if (p.startsWith("/widget/")) {
      const file = resolveInside(widgetDist, p.slice("/widget/".length));
      if (!file) return false;
      res.setHeader("Access-Control-Allow-Origin", "*");
      return sendFile(req, res, file, "public, max-age=300");
    }
    if (p.startsWith("/demo/img/") && p.endsWith(".svg")) {
      const svg = demoProductSvg(p.slice("/demo/img/".length, -".svg".length));
      if (!svg) return false;
      res.statusCode = 200;
      res.setHeader("Content-Type", "image/svg+xml");
      res.setHeader("Cache-Control", "public, max-age=86400");
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      res.end(svg);
      return true;
    }
    if (p === "/dashboard") {
      res.statusCode = 301;
      res.setHeader("Location", "/dashboard/");
      res.end();
      return true;
    }
    if (p.startsWith("/dashboard/")) {
      const rel = p.slice("/dashboard/".length);
      const file = rel === "" ? null : resolveInside(dashboardDist, rel);
      if (file && existsSync(file) && sendFile(req, res, file, rel.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache")) {
        return true;
      }
      // SPA fallback: client-side routes get index.html; missing assets are 404s.
      if (path.extname(rel) !== "" && rel !== "index.html") return false;
      const index = path.join(dashboardDist, "index.html");
      if (!existsSync(index)) {
        res.statusCode = 503;
        res.setHeader("Content-Type", "text/plain; charset=utf-8");
        res.end("The dashboard is not built yet: run `npm run build`.");
        return true;
      }
      res.setHeader("Content-Security-Policy", pageCsp);
      return sendFile(req, res, index, "no-cache");
    }
    return false;
  };
}
