// How the widget looks where the dashboard must show the same thing (the widget-settings preview):
// the theme colour rule and readable text on it, and the header line under the store name while the
// bot answers. The widget (webchat-widget/src/theme.ts, i18n.ts) and the dashboard both use these.
export const DEFAULT_COLOR = "#0f766e";

export function safeColor(value: string | null | undefined): string {
  return value && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value.trim()) ? value.trim() : DEFAULT_COLOR;
}

function channels(hex: string): [number, number, number] {
  let h = hex.slice(1);
  if (h.length === 3) h = h.replace(/./g, (c) => c + c);
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG 2.x relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on the theme colour. */
export function textOn(color: string): "#000000" | "#ffffff" {
  const c = safeColor(color);
  return contrastRatio(c, "#ffffff") >= contrastRatio(c, "#000000") ? "#ffffff" : "#000000";
}

/** The header's second line while the bot answers (under the store's name), in each widget language. */
export const WIDGET_BOT_SUBTITLE: Readonly<Record<"en" | "ar", string>> = { en: "We reply instantly", ar: "نرد عليك فوراً" };
