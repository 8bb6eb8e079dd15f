// A store's own page on another origin that embeds the widget with one script tag, the way a
// merchant's site does (the demo storefront at / is on the Kaleem origin itself).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StorePage {
  /** Origin of the store page, e.g. http://localhost:PORT (a different origin from Kaleem's 127.0.0.1). */
  url: string;
  close(): Promise<void>;
}

const escapeAttr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export async function startStorePage(options: { kaleemUrl: string; widgetKey: string; attrs?: Record<string, string>; css?: string }): Promise<StorePage> {
  const attrs = Object.entries({ "data-widget-key": options.widgetKey, ...options.attrs })
    .map(([k, v]) => `${k}="${escapeAttr(v)}"`)
    .join(" ");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Another store</title><style>body{font-family:Georgia,serif;margin:40px}${options.css ?? ""}</style></head>
<body><h1>Another store</h1><p>This page lives on its own origin and embeds Kaleem with one tag.</p>
<script src="${escapeAttr(options.kaleemUrl)}/widget.js" ${attrs} async></script></body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url === "/" || req.url?.startsWith("/?")) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
