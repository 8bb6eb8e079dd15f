// A Kaleem message (text + parts) as channels can show it, before any provider's shape: the text,
// the choices it offers (quick replies), the product cards and the links. Cart and order parts
// are not rendered again: the bot's text already lists the lines and totals they summarize. A
// handoff part is internal. Each provider then maps the plan to its native messages.
import { formatPrice, type DigitStyle, type Locale, type MessagePart, type ProductCardPart } from "@kaleem/shared";

export type OutboundLink = Extract<MessagePart, { type: "link" }>;

/** A file to send by link (the provider fetches it). */
export interface OutboundMedia {
  kind: Extract<MessagePart, { type: "attachment" }>["kind"];
  url: string;
  contentType: string;
  name: string | null;
}

export interface OutboundMessage {
  text: string;
  parts: readonly MessagePart[];
  /** Attachment key → fetchable link; attachments without one are not sent. */
  mediaUrls?: Readonly<Record<string, string>>;
  /** The conversation's language, for the labels Kaleem adds (buttons, list titles). */
  locale: Locale;
  /** The merchant's digit style for Arabic prices, as in the bot's text (Western when absent). */
  digits?: DigitStyle;
}

export interface OutboundChoice {
  label: string;
  payload: string;
}

export interface OutboundPlan {
  text: string;
  choices: OutboundChoice[];
  cards: ProductCardPart[];
  links: OutboundLink[];
  media: OutboundMedia[];
  locale: Locale;
  digits: DigitStyle;
}

const LABELS = {
  en: { addToCart: "Add to cart", view: "View", outOfStock: "Out of stock", options: "Options", products: "Products", choose: "Choose an option:", more: "More options" },
  ar: { addToCart: "أضف للسلة", view: "عرض", outOfStock: "غير متوفر", options: "الخيارات", products: "المنتجات", choose: "اختر من الخيارات:", more: "خيارات أخرى" },
} as const;
export type OutboundLabels = (typeof LABELS)["en" | "ar"];
export const labelsFor = (locale: Locale): OutboundLabels => LABELS[locale];

export function planOutbound(message: OutboundMessage): OutboundPlan {
  const choices: OutboundChoice[] = [];
  const seen = new Set<string>();
  const cards: ProductCardPart[] = [];
  const links: OutboundLink[] = [];
  const media: OutboundMedia[] = [];
  for (const part of message.parts) {
    const url = part.type === "attachment" ? message.mediaUrls?.[part.key] : undefined;
    if (part.type === "attachment" && url) media.push({ kind: part.kind, url, contentType: part.contentType, name: part.name });
    if (part.type === "quick_replies") {
      for (const r of part.replies) {
        // Two buttons with one payload would be ambiguous, and providers refuse duplicate ids.
        if (seen.has(r.payload) || r.payload === "" || r.label.trim() === "") continue;
        seen.add(r.payload);
        choices.push({ label: r.label.trim(), payload: r.payload });
      }
    } else if (part.type === "product_card") cards.push(part);
    else if (part.type === "link" && /^https?:\/\//i.test(part.url)) links.push(part);
  }
  return { text: message.text.trim(), choices, cards, links, media, locale: message.locale, digits: message.digits ?? "western" };
}

/** The text with each link the text does not already contain appended on its own line. */
export function textWithLinks(plan: OutboundPlan): string {
  const extra = plan.links.filter((l) => !plan.text.includes(l.url)).map((l) => (l.label.trim() ? `${l.label.trim()}: ${l.url}` : l.url));
  return [plan.text, ...extra].filter((s) => s !== "").join("\n");
}

/** "45 SAR", or "45 SAR (Out of stock)". */
export function cardPrice(card: ProductCardPart, locale: Locale, digits: DigitStyle = "western"): string {
  const price = formatPrice(card.price, card.currency, locale, digits);
  return card.inStock ? price : `${price} (${labelsFor(locale).outOfStock})`;
}

/** "Sukkari dates 1 kg — 45 SAR". */
export const cardLine = (card: ProductCardPart, locale: Locale, digits: DigitStyle = "western"): string => `${card.name} — ${cardPrice(card, locale, digits)}`;

export const isHttpUrl = (url: string | null): url is string => url !== null && /^https?:\/\/\S+$/i.test(url);
