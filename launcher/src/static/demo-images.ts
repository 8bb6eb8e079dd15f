// Placeholder product pictures for the demo store, drawn as SVG so the demo needs no downloads.
import { escapeHtml } from "./html.js";

const palette: Record<string, [string, string, string]> = {
  ab: ["#1f2937", "#4b5563", "🧕"],
  mw: ["#0f766e", "#14b8a6", "👳"],
  pf: ["#7c2d12", "#c2410c", "🪔"],
  dt: ["#78350f", "#d97706", "🌴"],
  cf: ["#3f2a1e", "#8b5e34", "☕"],
  el: ["#1e3a8a", "#3b82f6", "🎧"],
  hm: ["#365314", "#65a30d", "🏠"],
  bt: ["#831843", "#db2777", "🌸"],
};

/** SVG for a demo SKU like "ab-100"; null when the key is not a demo SKU. */
export function demoProductSvg(key: string): string | null {
  const m = /^([a-z]{2})-(\d{3})$/.exec(key);
  if (!m) return null;
  const [from, to, icon] = palette[m[1] ?? ""] ?? ["#334155", "#64748b", "🛍️"];
  const label = escapeHtml(key.toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="320" height="320" rx="24" fill="url(#g)"/>
<text x="160" y="180" font-size="120" text-anchor="middle">${icon}</text>
<text x="160" y="280" font-size="22" fill="#fff" font-family="system-ui,sans-serif" text-anchor="middle" opacity=".85">${label}</text>
</svg>`;
}
