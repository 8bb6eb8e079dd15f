// Which language to answer in, and how figures read in each.
import { looksLikeArabizi } from "../nlp/arabizi.js";
import { isArabic, toArabicDigits, toWesternDigits } from "../nlp/normalize.js";
import type { Lang } from "./state.js";
import { formatAmount, formatPrice } from "@kaleem/shared/contracts";

/**
 * Arabic when the message is in Arabic script. A message with no letters (a phone number, a
 * quick-reply payload) keeps the conversation's language. Latin text is English, except Arabizi
 * in a conversation that is already Arabic.
 */
export function pickLanguage(text: string, previous: Lang | null, locale: Lang | null, isPayload = false): Lang {
  const sticky = previous ?? locale ?? "en";
  if (isPayload) return sticky;
  if (isArabic(text)) return "ar";
  if (!/[A-Za-z]/.test(text)) return sticky;
  // "و stc pay؟", "ابي airpods": Latin names inside an Arabic conversation stay Arabic.
  if (sticky === "ar" && /[\u0600-\u06FF]/.test(text)) return "ar";
  if (looksLikeArabizi(text) && sticky === "ar") return "ar";
  return "en";
}

export function pick(lang: Lang, en: string, ar: string): string {
  return lang === "ar" ? ar : en;
}

export { formatAmount };

/** The shared price format (Western digits here: the answer's digit style is applied to the whole text by localizeDigits). */
export function formatMoney(amount: number, currency: string, lang: Lang): string {
  return formatPrice(amount, currency, lang);
}

export function localized(text: { en: string; ar: string }, lang: Lang): string {
  const own = text[lang].trim();
  return own !== "" ? own : (lang === "ar" ? text.en : text.ar).trim();
}

/** "a, b and c" / "أ، ب و ج". */
export function joinList(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join("");
  const head = items.slice(0, -1).join(lang === "ar" ? "، " : ", ");
  return `${head}${lang === "ar" ? " و" : " and "}${items[items.length - 1]}`;
}

/** "1–2 days" / "1-2 أيام". */
export function formatDays(min: number, max: number, lang: Lang): string {
  const range = min === max ? `${max}` : `${min}–${max}`;
  if (lang === "en") return `${range} ${max === 1 ? "business day" : "business days"}`;
  return `${range} ${max >= 3 && max <= 10 ? "أيام عمل" : "يوم عمل"}`;
}

/**
 * One digit style in an Arabic answer, the merchant's choice, whatever the catalog or policy
 * text used ("١٢ مل" and "30 ر.س" would otherwise meet in one line). Links, e-mail addresses and
 * Latin words with digits (model names, "USB-C", phone numbers with "+") keep Western digits.
 */
export function localizeDigits(text: string, lang: Lang, style: "western" | "arabic"): string {
  if (lang !== "ar") return toWesternDigits(text);
  const western = toWesternDigits(text);
  if (style === "western") return western;
  return western.replace(/(https?:\/\/\S+|\S+@\S+|[A-Za-z][\w-]*\d[\w-]*|\d[\w-]*[A-Za-z][\w-]*)|(\d)/g, (whole, keep: string | undefined) =>
    keep !== undefined ? keep : toArabicDigits(whole),
  );
}
