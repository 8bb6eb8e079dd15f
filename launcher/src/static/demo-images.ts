// Placeholder product pictures for the demo store, drawn as SVG so the demo needs no downloads.
import { escapeHtml } from "./html.js";

// Colours and a category word per SKU prefix. Text, not emoji: many servers and headless browsers
// have no emoji font and would draw empty boxes.
const palette: Record<string, [string, string, string]> = {
  ab: ["#1f2937", "#4b5563", "Abaya"],
  mw: ["#0f766e", "#14b8a6", "Men"],
  pf: ["#7c2d12", "#c2410c", "Oud"],
  dt: ["#78350f", "#d97706", "Dates"],
  cf: ["#3f2a1e", "#8b5e34", "Coffee"],
  el: ["#1e3a8a", "#3b82f6", "Tech"],
  hm: ["#365314", "#65a30d", "Home"],
  bt: ["#831843", "#db2777", "Beauty"],
};

/** SVG for a demo SKU like "ab-100"; null when the key is not a demo SKU. */
export function demoProductSvg(key: string): string | null {
  const m = /^([a-z]{2})-(\d{3})$/.exec(key);
  if (!m) return null;
  const [from, to, word] = palette[m[1] ?? ""] ?? ["#334155", "#64748b", "Shop"];
  const label = escapeHtml(key.toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="320" height="320" rx="24" fill="url(#g)"/>
<circle cx="160" cy="140" r="78" fill="#fff" opacity=".14"/>
<text x="160" y="168" font-size="76" font-weight="700" fill="#fff" font-family="system-ui,sans-serif" text-anchor="middle">${escapeHtml(word.charAt(0))}</text>
<text x="160" y="246" font-size="30" fill="#fff" font-family="system-ui,sans-serif" text-anchor="middle">${escapeHtml(word)}</text>
<text x="160" y="294" font-size="20" fill="#fff" font-family="system-ui,sans-serif" text-anchor="middle" opacity=".85">${label}</text>
</svg>`;
}
