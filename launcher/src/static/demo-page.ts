// The demo storefront at GET / in embedded mode: the demo catalog with the widget embedded,
// so a newcomer can chat with the bot right after `npm start`.
import type { Category, Product } from "@kaleem/shared";
import { escapeHtml } from "./html.js";

export interface DemoPageInput {
  storeName: string;
  widgetKey: string;
  products: Product[];
  categories: Category[];
  /** An order the look-up can find, with the phone that proves it (the bot asks for it). */
  exampleOrder: { number: string; phone: string } | null;
}

const sar = (n: number) => `${n.toLocaleString("en-US", { maximumFractionDigits: 2 })} SAR`;

function orderTip(order: DemoPageInput["exampleOrder"]): string {
  if (!order) return "";
  // The bot asks for the phone on the order before it says anything about it.
  return `“where is my order ${escapeHtml(order.number)}?” (the phone on it: <span dir="ltr" class="phone">${escapeHtml(order.phone)}</span>), `;
}

export function renderDemoStorefront(input: DemoPageInput): string {
  const byCategory = new Map<string, Product[]>();
  for (const p of input.products) {
    const key = p.categoryId ?? "";
    byCategory.set(key, [...(byCategory.get(key) ?? []), p]);
  }
  const sections = [...byCategory.entries()]
    .map(([categoryId, products]) => {
      const category = input.categories.find((c) => c.id === categoryId);
      const title = category ? `${escapeHtml(category.name.en)} · <span lang="ar">${escapeHtml(category.name.ar)}</span>` : "More";
      const cards = products
        .map(
          (p) => `<article class="card">
  ${p.imageUrl ? `<img src="${escapeHtml(p.imageUrl)}" alt="" loading="lazy">` : ""}
  <h3>${escapeHtml(p.name.en)}</h3>
  <p class="ar" lang="ar" dir="rtl">${escapeHtml(p.name.ar)}</p>
  <p class="price">${sar(p.price)}${p.stock <= 0 ? ' <span class="oos">out of stock</span>' : ""}</p>
</article>`,
        )
        .join("\n");
      return `<section><h2>${title}</h2><div class="grid">${cards}</div></section>`;
    })
    .join("\n");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.storeName)} — Kaleem demo</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Tahoma, sans-serif; background: #f8fafc; color: #0f172a; }
  header { background: #0f766e; color: #fff; padding: 28px 24px; }
  header h1 { margin: 0 0 6px; font-size: 26px; }
  header p { margin: 0; opacity: .9; }
  header a { color: #fff; }
  main { max-width: 1100px; margin: 0 auto; padding: 8px 20px 120px; }
  h2 { font-size: 18px; margin: 28px 0 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 14px; }
  .card { background: #fff; border-radius: 12px; padding: 12px; box-shadow: 0 1px 3px rgba(15,23,42,.08); }
  .card img { width: 100%; aspect-ratio: 1; border-radius: 8px; display: block; }
  .card h3 { font-size: 14px; margin: 10px 0 2px; }
  .card .ar { margin: 0; font-size: 13px; color: #475569; }
  .price { font-weight: 600; margin: 6px 0 0; }
  .oos { color: #b91c1c; font-weight: 400; font-size: 12px; }
  .tip { background: #ecfeff; border: 1px solid #a5f3fc; border-radius: 10px; padding: 12px 16px; margin-top: 20px; }
</style>
</head>
<body>
<header>
  <h1>${escapeHtml(input.storeName)}</h1>
  <p>A demo store for Kaleem. Open the chat bubble and ask the bot — in English or Arabic. Agents answer from the <a href="/dashboard/">dashboard</a>.</p>
</header>
<main>
  <div class="tip">Try: “do you have black abayas under 300?”, “how much is shipping to Jeddah?”, “<span lang="ar">عندكم قهوة سعودية بالهيل؟</span>”, ${orderTip(input.exampleOrder)}“I want to talk to a person”.</div>
  ${sections}
</main>
<script src="/widget.js" data-widget-key="${escapeHtml(input.widgetKey)}" async></script>
</body>
</html>`;
}

/** Shown at / when there is no demo store (seeding turned off). */
export function renderLandingPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kaleem</title></head>
<body style="font-family:system-ui,sans-serif;max-width:640px;margin:60px auto;padding:0 20px">
<h1>Kaleem</h1><p>The conversation hub is running.</p>
<ul><li><a href="/dashboard/">Dashboard</a></li><li><a href="/api/v1/openapi.json">REST API (OpenAPI)</a></li><li><a href="/healthz">Health</a></li></ul>
</body></html>`;
}
