// Deterministic answers from the merchant's structured policies: each sentence is assembled from
// the policy's own fields, so figures can only be the store's.
import type { KnowledgeItem, PaymentPolicy, ReturnsPolicy, ShippingPolicy } from "@kaleem/shared";
import { normalizeText } from "../nlp/normalize.js";
import { formatDays, formatMoney, joinList, localized, pick } from "./lang.js";
import type { Lang } from "./state.js";
import { containsAny } from "./words.js";

export function shippingPolicyOf(items: KnowledgeItem[]): ShippingPolicy | null {
  for (const item of items) if (item.data.kind === "shipping") return item.data.policy;
  return null;
}
export function returnsPolicyOf(items: KnowledgeItem[]): ReturnsPolicy | null {
  for (const item of items) if (item.data.kind === "returns") return item.data.policy;
  return null;
}
export function paymentPolicyOf(items: KnowledgeItem[]): PaymentPolicy | null {
  for (const item of items) if (item.data.kind === "payment") return item.data.policy;
  return null;
}

type Zone = ShippingPolicy["zones"][number];

/** The zone whose name or areas the message mentions. */
export function zoneMentioned(policy: ShippingPolicy, message: string): Zone | null {
  const text = ` ${normalizeText(message)} `;
  for (const zone of policy.zones) {
    const names = [...zone.areas, zone.name.en, zone.name.ar].map(normalizeText).filter((n) => n.length > 1);
    // Arabic attaches prepositions to the city ("للرياض", "بجدة"), so also try those forms.
    if (names.some((n) => text.includes(` ${n} `) || ["ل", "لل", "ب", "بال", "وال"].some((p) => text.includes(` ${p}${n.replace(/^ال/, "")} `))))
      return zone;
  }
  return null;
}

export function zoneLine(zone: Zone, currency: string, lang: Lang): string {
  const name = localized(zone.name, lang);
  const fee = zone.fee === 0 ? pick(lang, "free", "مجاني") : formatMoney(zone.fee, currency, lang);
  const days = formatDays(zone.minDays, zone.maxDays, lang);
  const free =
    zone.freeAbove !== null && zone.fee > 0
      ? pick(lang, `, free on orders over ${formatMoney(zone.freeAbove, currency, lang)}`, `، ومجاني للطلبات فوق ${formatMoney(zone.freeAbove, currency, lang)}`)
      : "";
  return lang === "en" ? `${name}: ${fee}, ${days}${free}` : `${name}: ${fee}، خلال ${days}${free}`;
}

export function shippingAnswer(policy: ShippingPolicy, currency: string, lang: Lang, message: string): string {
  const zone = zoneMentioned(policy, message);
  const notes = policy.notes ? localized(policy.notes, lang) : "";
  if (zone) {
    const name = localized(zone.name, lang);
    const fee = zone.fee === 0 ? pick(lang, "free", "مجاني") : formatMoney(zone.fee, currency, lang);
    const days = formatDays(zone.minDays, zone.maxDays, lang);
    const free =
      zone.freeAbove !== null && zone.fee > 0
        ? pick(lang, ` Orders over ${formatMoney(zone.freeAbove, currency, lang)} ship free.`, ` والطلبات فوق ${formatMoney(zone.freeAbove, currency, lang)} شحنها مجاني.`)
        : "";
    return pick(
      lang,
      `Delivery to ${name} takes ${days} and costs ${fee}.${free}`,
      `التوصيل إلى ${name} خلال ${days}، والرسوم ${fee}.${free}`,
    ) + (notes ? `\n${notes}` : "");
  }
  const lines = policy.zones.map((z) => `• ${zoneLine(z, currency, lang)}`);
  const intro = pick(lang, "Here are our delivery options:", "هذي خيارات التوصيل عندنا:");
  return [intro, ...lines, ...(notes ? [notes] : [])].join("\n");
}

const CANCEL_WORDS = ["cancel", "cancellation", "الغاء", "الغي", "كنسل", "ألغي"];
const REFUND_WORDS = ["refund", "money back", "استرداد", "استرجاع المبلغ", "فلوسي", "المبلغ", "ترجع الفلوس"];

export function returnsAnswer(policy: ReturnsPolicy, currency: string, lang: Lang, message: string): string {
  const lines: string[] = [];
  // Merchants write conditions as free phrases, so they are listed, not woven into a sentence.
  const list = (items: { en: string; ar: string }[]) => items.map((c) => localized(c, lang)).filter(Boolean).join(lang === "ar" ? "؛ " : "; ");
  const conditions = list(policy.conditions);
  const window: string[] = [];
  if (policy.windowDays > 0) {
    window.push(pick(lang, `You can return items within ${policy.windowDays} days of delivery.`, `تقدر ترجع المنتج خلال ${policy.windowDays} يوم من الاستلام.`));
    if (conditions) window.push(pick(lang, `Conditions: ${conditions}.`, `الشروط: ${conditions}.`));
  } else {
    window.push(pick(lang, "We don't accept returns.", "للأسف ما نقبل الإرجاع."));
  }
  const refund: string[] = [];
  if (policy.refundMethod || policy.refundDays !== null) {
    const method = policy.refundMethod ? localized(policy.refundMethod, lang) : "";
    const days = policy.refundDays;
    if (lang === "en") {
      refund.push(`Refunds: ${method ? `${method}, ` : ""}${days !== null ? `within ${days} days ` : ""}after we receive the item.`);
    } else {
      refund.push(`استرداد المبلغ: ${method ? `${method}، ` : ""}${days !== null ? `خلال ${days} أيام ` : ""}من استلامنا للمنتج.`);
    }
  }
  const cancel: string[] = [];
  if (policy.cancellationFee !== null) {
    cancel.push(
      policy.cancellationFee === 0
        ? pick(lang, "Cancelling an order before it ships is free.", "إلغاء الطلب قبل الشحن بدون رسوم.")
        : pick(
            lang,
            `Cancelling an order has a fee of ${formatMoney(policy.cancellationFee, currency, lang)}.`,
            `إلغاء الطلب عليه رسوم ${formatMoney(policy.cancellationFee, currency, lang)}.`,
          ),
    );
  }
  const excluded = list(policy.nonReturnable);
  const exclusions = excluded ? [pick(lang, `Not returnable: ${excluded}.`, `ما نقبل إرجاع: ${excluded}.`)] : [];
  // Lead with what was asked; the rest follows so the answer stays complete.
  if (containsAny(message, CANCEL_WORDS)) lines.push(...cancel, ...window, ...refund, ...exclusions);
  else if (containsAny(message, REFUND_WORDS)) lines.push(...refund, ...window, ...exclusions, ...cancel);
  else lines.push(...window, ...refund, ...exclusions, ...cancel);
  return lines.join(" ").replace(/ +/g, " ").trim();
}

export function paymentAnswer(policy: PaymentPolicy, currency: string, lang: Lang, message = ""): string {
  const withFee = (m: PaymentPolicy["methods"][number]) => {
    const name = localized(m.name, lang);
    return m.fee !== null && m.fee > 0 ? `${name} (+${formatMoney(m.fee, currency, lang)})` : name;
  };
  const names = policy.methods.map(withFee);
  // "Do you accept Apple Pay?" gets a yes first, then the full list.
  const asked = policy.methods.filter((m) => {
    const words = [m.code === "cod" ? "cash" : m.code, m.name.en, m.name.ar, ...(m.code === "cod" ? ["استلام", "كاش"] : [])];
    return words.some((w) => w.trim().length > 2 && containsAny(message, [w.split(/[(/]/)[0]!.trim()]));
  });
  const lines: string[] = [];
  if (asked.length > 0 && asked.length < policy.methods.length) {
    lines.push(pick(lang, `Yes, we accept ${joinList(asked.map(withFee), lang)}.`, `إيه نعم، متاح ${joinList(asked.map(withFee), lang)}.`));
    lines.push(pick(lang, `All payment methods: ${joinList(names, lang)}.`, `كل طرق الدفع: ${joinList(names, lang)}.`));
  } else {
    lines.push(pick(lang, `You can pay with ${joinList(names, lang)}.`, `طرق الدفع المتاحة: ${joinList(names, lang)}.`));
  }
  const codListed = policy.methods.some((m) => m.code === "cod");
  if (policy.cashOnDelivery && !codListed) lines.push(pick(lang, "Cash on delivery is available.", "والدفع عند الاستلام متاح."));
  if (!policy.cashOnDelivery) lines.push(pick(lang, "Cash on delivery isn't available.", "الدفع عند الاستلام غير متاح."));
  if (policy.notes) {
    const notes = localized(policy.notes, lang);
    if (notes) lines.push(notes);
  }
  return lines.join(" ");
}

/** The cash-on-delivery fee, when the payment policy names one. */
export function codFee(policy: PaymentPolicy | null): number | null {
  const cod = policy?.methods.find((m) => m.code === "cod");
  return cod?.fee ?? null;
}
