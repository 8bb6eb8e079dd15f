// The one way a price reads, wherever it is shown: the bot's text, product cards, the cart and
// order cards in the widget, channel messages, and the dashboard. English "420 SAR", "19.50 SAR";
// Arabic "420 ر.س" with the digit style the merchant chose (Western or Arabic-Indic, "٤٢٠ ر.س"),
// so one answer never mixes two styles (Intl's currency formats would give "SAR 420" and
// "٤٢٠٫٠٠ ر.س." beside the bot's "420 SAR").

export type PriceLang = "en" | "ar";
export type DigitStyle = "western" | "arabic";

const ARABIC_INDIC = ["٠", "١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩"];

/** 189 → "189", 189.5 → "189.50"; no grouping, so figures read the same as the merchant typed them. */
export function formatAmount(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}

/** Digits in the given style (the decimal point stays a point, as the bot's text has always had it). */
export function withDigits(text: string, digits: DigitStyle): string {
  return digits === "arabic" ? text.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)]!) : text;
}

/** The currency as it follows the amount: "SAR" in English, "ر.س" in Arabic; other codes as they are. */
export function currencyLabel(currency: string, lang: PriceLang): string {
  const code = currency || "SAR";
  return lang === "ar" && code === "SAR" ? "ر.س" : code;
}

export function formatPrice(amount: number, currency: string, lang: PriceLang, digits: DigitStyle = "western"): string {
  const text = `${formatAmount(amount)} ${currencyLabel(currency, lang)}`;
  // Digit styles apply to Arabic only: English always reads Western digits.
  return lang === "ar" ? withDigits(text, digits) : text;
}
