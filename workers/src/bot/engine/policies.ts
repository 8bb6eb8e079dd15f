// Deterministic answers from the merchant's structured policies: each sentence is assembled from
// the policy's own fields, so figures can only be the store's.
import type { KnowledgeItem, PaymentPolicy, ReturnsPolicy, ShippingPolicy } from "@kaleem/shared";
import { normalizeText } from "../nlp/normalize.js";
import { analyze } from "../search/analyze.js";
import { formatDays, formatMoney, joinList, localized, pick } from "./lang.js";
import type { Lang } from "./state.js";
import type { Place } from "./places.js";
import { containsAny, withoutAttachedAnd } from "./words.js";

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

export type Zone = ShippingPolicy["zones"][number];

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

const FREE_WORDS = ["free", "for free", "free shipping", "free delivery", "مجاني", "مجانا", "مجانيه", "ببلاش", "majani", "majjani"];
/** "Do you deliver to …?" (a yes/no question), not "how long does it take to arrive in …". */
const DELIVER_QUESTION = ["do you deliver", "do you ship", "can you deliver", "can you ship", "do you send", "توصلون", "تشحنون", "ترسلون", "twasloon", "tosloon", "tesh7noon"];
const REST_ZONE = /rest of|other (cities|regions|areas)|all other|remaining|elsewhere|باقي|بقيه|بقية|جميع المدن|كل المدن|سائر/i;

/** The zone for a place the shopper named: listed by name or area, or a "rest of the kingdom" zone. */
export function zoneForPlace(policy: ShippingPolicy, place: Place): Zone | null {
  const named = zoneMentioned(policy, `${place.en} ${place.ar}`);
  if (named) return named;
  if (!place.saudi) return null;
  return policy.zones.find((z) => REST_ZONE.test(`${z.name.en} ${z.name.ar}`)) ?? null;
}

export interface ShippingQuestion {
  /** The place asked about (named now or kept from the last answer). */
  place: Place | null;
  /** An order amount the shopper gave ("if I spend 600"). */
  amount: number | null;
}

/**
 * A delivery answer that answers the question asked: whether the store delivers to a place (yes
 * or no first), whether an amount ships free, or fee and days for a zone; the notes follow.
 */
export function shippingAnswer(policy: ShippingPolicy, currency: string, lang: Lang, message: string, question: ShippingQuestion = { place: null, amount: null }): { text: string; zone: Zone | null } {
  const notes = policy.notes ? localized(policy.notes, lang) : "";
  const withNotes = (text: string) => (notes ? `${text}\n${notes}` : text);
  const zone = zoneMentioned(policy, message) ?? (question.place ? zoneForPlace(policy, question.place) : null) ?? (policy.zones.length === 1 ? (policy.zones[0] ?? null) : null);
  if (!zone && question.place) {
    const where = lang === "ar" ? question.place.ar : question.place.en;
    const lines = policy.zones.map((z) => `• ${zoneLine(z, currency, lang)}`);
    return {
      text: withNotes([pick(lang, `Sorry, we don't deliver to ${where}. We deliver to:`, `للأسف ما نوصل إلى ${where}. نوصل إلى:`), ...lines].join("\n")),
      zone: null,
    };
  }
  if (zone) {
    const name = localized(zone.name, lang);
    const fee = zone.fee === 0 ? pick(lang, "free", "مجاني") : formatMoney(zone.fee, currency, lang);
    const days = formatDays(zone.minDays, zone.maxDays, lang);
    const freeAbove = zone.freeAbove !== null && zone.fee > 0 ? formatMoney(zone.freeAbove, currency, lang) : null;
    const where = question.place ? (lang === "ar" ? question.place.ar : question.place.en) : name;
    const zoneNote = normalizeText(where) === normalizeText(name) ? "" : pick(lang, ` (${name})`, ` (${name})`);
    const askedFree = containsAny(message, FREE_WORDS);
    const amount = question.amount;
    // "Is it free if I spend 600?": yes or no first, from the zone's own threshold.
    if (amount !== null && (askedFree || zone.freeAbove !== null)) {
      if (zone.fee === 0) return { text: withNotes(pick(lang, `Yes, delivery to ${where}${zoneNote} is always free.`, `إيه نعم، التوصيل إلى ${where}${zoneNote} مجاني دائماً.`)), zone };
      if (zone.freeAbove === null) {
        return { text: withNotes(pick(lang, `No, delivery to ${where}${zoneNote} costs ${fee} whatever the order total.`, `لا، التوصيل إلى ${where}${zoneNote} رسومه ${fee} مهما كان مجموع الطلب.`)), zone };
      }
      if (amount >= zone.freeAbove) {
        return { text: withNotes(pick(lang, `Yes — orders over ${freeAbove} ship free to ${where}${zoneNote}, so yours would ship free.`, `إيه نعم، الطلبات فوق ${freeAbove} توصيلها مجاني إلى ${where}${zoneNote}، فطلبك بيوصلك مجاناً.`)), zone };
      }
      return { text: withNotes(pick(lang, `No — delivery to ${where}${zoneNote} is free on orders over ${freeAbove}; below that it costs ${fee}.`, `لا، التوصيل إلى ${where}${zoneNote} مجاني للطلبات فوق ${freeAbove}، وأقل من كذا رسومه ${fee}.`)), zone };
    }
    const free = freeAbove ? pick(lang, ` Orders over ${freeAbove} ship free.`, ` والطلبات فوق ${freeAbove} شحنها مجاني.`) : "";
    const yes = question.place !== null && containsAny(message, DELIVER_QUESTION) ? pick(lang, "Yes! ", "إيه نعم! ") : "";
    return {
      text: withNotes(pick(lang, `${yes}Delivery to ${where}${zoneNote} takes ${days} and costs ${fee}.${free}`, `${yes}التوصيل إلى ${where}${zoneNote} خلال ${days}، والرسوم ${fee}.${free}`)),
      zone,
    };
  }
  const lines = policy.zones.map((z) => `• ${zoneLine(z, currency, lang)}`);
  const amount = question.amount;
  if (amount !== null) {
    // "Is it free if I spend 600?" without a city: yes or no when every zone agrees, else which.
    const free = policy.zones.filter((z) => z.fee === 0 || (z.freeAbove !== null && amount >= z.freeAbove));
    const names = (zones: Zone[]) => joinList(zones.map((z) => localized(z.name, lang)), lang);
    const head =
      free.length === policy.zones.length
        ? pick(lang, "Yes, an order of that size ships free everywhere we deliver.", "إيه نعم، طلب بهالمبلغ توصيله مجاني لكل المناطق اللي نوصلها.")
        : free.length === 0
          ? pick(lang, "No, an order of that size doesn't ship free.", "لا، طلب بهالمبلغ ما يكون توصيله مجاني.")
          : pick(lang, `It depends on the city: it ships free to ${names(free)}, but not to ${names(policy.zones.filter((z) => !free.includes(z)))}.`, `يعتمد على المدينة: التوصيل مجاني إلى ${names(free)}، وما يكون مجاني إلى ${names(policy.zones.filter((z) => !free.includes(z)))}.`);
    return { text: [head, ...lines, ...(notes ? [notes] : [])].join("\n"), zone: null };
  }
  const intro = pick(lang, "Here are our delivery options:", "هذي خيارات التوصيل عندنا:");
  return { text: [intro, ...lines, ...(notes ? [notes] : [])].join("\n"), zone: null };
}

const CANCEL_WORDS = ["cancel", "cancellation", "الغاء", "الغي", "كنسل", "ألغي"];
const REFUND_WORDS = ["refund", "money back", "استرداد", "استرجاع المبلغ", "فلوسي", "المبلغ", "ترجع الفلوس"];

const RETURN_QUESTION = ["can i return", "can i send back", "can i exchange", "is it returnable", "can it be returned", "return it", "اقدر ارجع", "اقدر ارجعه", "اقدر ارجعها", "ينفع ارجع", "يمديني ارجع", "امدى ارجع", "اقدر ابدل", "ينفع ابدل", "ارجع", "ارجعه", "ارجعها", "agdar arja3", "arja3", "a9arji3"];
/** States of an item that a merchant's exclusions often name ("opened perfumes", "used items"). */
const ITEM_STATES: Record<string, string[]> = {
  opened: ["opened", "open", "unsealed", "فتحته", "فتحتها", "فاتحه", "فاتحها", "مفتوح", "مفتوحه", "المفتوحه", "المفتوح", "انفتح", "fata7t"],
  used: ["used", "worn", "tried", "استخدمته", "استخدمتها", "مستخدم", "مستعمل", "لبسته", "لبستها", "جربته"],
};

function stateOf(text: string): Set<string> {
  const t = ` ${normalizeText(text)} `;
  return new Set(Object.entries(ITEM_STATES).filter(([, words]) => words.some((w) => t.includes(` ${normalizeText(w)} `))).map(([k]) => k));
}

/** Meaningful stems and concepts of a text, to compare a question with an exclusion. */
function subjectTerms(text: string): Set<string> {
  const { tokens, concepts } = analyze(text);
  return new Set([...tokens.filter((t) => !t.stop && !t.number && t.stem.length > 2).map((t) => t.stem), ...concepts.filter((c) => !c.id.includes(":")).map((c) => c.id)]);
}

/** The merchant's exclusion the question is about, if the item's state fits it ("opened perfume"). */
function excludedItem(policy: ReturnsPolicy, message: string): { en: string; ar: string } | null {
  const asked = subjectTerms(message);
  const askedState = stateOf(message);
  for (const item of policy.nonReturnable) {
    const text = `${item.en} ${item.ar}`;
    const terms = subjectTerms(text);
    const shared = [...asked].some((t) => terms.has(t));
    if (!shared) continue;
    const needed = stateOf(text);
    if ([...needed].every((s) => askedState.has(s))) return item;
  }
  return null;
}

export interface ReturnsQuestion {
  /** Days since delivery the shopper asked about ("after 2 weeks" = 14). */
  days: number | null;
}

export function returnsAnswer(policy: ReturnsPolicy, currency: string, lang: Lang, message: string, question: ReturnsQuestion = { days: null }): string {
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
  // A yes/no question gets its yes or no first, then the policy that decides it.
  const excludedHit = excludedItem(policy, message);
  if (excludedHit) {
    const what = localized(excludedHit, lang);
    lines.push(pick(lang, `No, ${what} can't be returned.`, `لا، ما نقدر نقبل إرجاع ${what}.`), ...window, ...refund);
  } else if (question.days !== null && policy.windowDays > 0) {
    if (question.days > policy.windowDays) {
      lines.push(
        pick(lang, `No — returns are accepted within ${policy.windowDays} days of delivery, so after ${question.days} days it can't be returned.`, `لا، الإرجاع خلال ${policy.windowDays} يوم من الاستلام، فبعد ${question.days} يوم ما يمديك ترجعه.`),
        ...(conditions ? [pick(lang, `Conditions: ${conditions}.`, `الشروط: ${conditions}.`)] : []),
        ...exclusions,
      );
    } else {
      lines.push(pick(lang, `Yes, that's within our ${policy.windowDays}-day return window.`, `إيه نعم، هذا ضمن مدة الإرجاع (${policy.windowDays} يوم من الاستلام).`), ...window.slice(1), ...refund, ...exclusions);
    }
  } else if (policy.windowDays === 0 && containsAny(message, RETURN_QUESTION)) {
    lines.push(pick(lang, "No, we don't accept returns.", "لا، للأسف ما نقبل الإرجاع."), ...cancel);
  } else if (containsAny(message, CANCEL_WORDS)) lines.push(...cancel, ...window, ...refund, ...exclusions);
  else if (containsAny(message, REFUND_WORDS)) lines.push(...refund, ...window, ...exclusions, ...cancel);
  else if (containsAny(message, RETURN_QUESTION)) lines.push(pick(lang, "Yes!", "إيه نعم!"), ...window, ...refund, ...exclusions, ...cancel);
  else lines.push(...window, ...refund, ...exclusions, ...cancel);
  return lines.join(" ").replace(/ +/g, " ").trim();
}

/**
 * Payment methods shoppers ask about by name, in both languages and Arabizi (a general list of
 * what Saudi shoppers use), so "do you take PayPal?" can get a clear no when the store does not.
 */
const KNOWN_METHODS: Array<{ code: string; en: string; ar: string; words: string[] }> = [
  { code: "mada", en: "mada", ar: "مدى", words: ["mada", "مدى", "مدي"] },
  { code: "card", en: "credit cards", ar: "البطاقات الائتمانية", words: ["visa", "mastercard", "master card", "credit card", "debit card", "card", "فيزا", "ماستر", "ماستركارد", "بطاقه", "البطاقه", "بطاقة ائتمان"] },
  { code: "amex", en: "American Express", ar: "أمريكان إكسبريس", words: ["amex", "american express", "امريكان اكسبريس"] },
  { code: "applepay", en: "Apple Pay", ar: "أبل باي", words: ["apple pay", "applepay", "ابل باي", "أبل باي", "ابل بي"] },
  { code: "stcpay", en: "STC Pay", ar: "STC Pay", words: ["stc pay", "stcpay", "اس تي سي باي", "stc"] },
  { code: "tabby", en: "Tabby", ar: "تابي", words: ["tabby", "tabi", "تابي"] },
  { code: "tamara", en: "Tamara", ar: "تمارا", words: ["tamara", "tamarah", "تمارا"] },
  { code: "paypal", en: "PayPal", ar: "باي بال", words: ["paypal", "pay pal", "باي بال", "بايبال"] },
  { code: "googlepay", en: "Google Pay", ar: "جوجل باي", words: ["google pay", "gpay", "جوجل باي"] },
  { code: "banktransfer", en: "bank transfer", ar: "التحويل البنكي", words: ["bank transfer", "transfer", "تحويل بنكي", "تحويل", "حواله"] },
  { code: "cod", en: "cash on delivery", ar: "الدفع عند الاستلام", words: ["cash", "cash on delivery", "cod", "pay on delivery", "pay when it arrives", "كاش", "نقدا", "نقد", "عند الاستلام", "الاستلام", "استلام", "kash"] },
  { code: "installments", en: "installments", ar: "التقسيط", words: ["installments", "instalments", "installment", "pay later", "split", "تقسيط", "اقسط", "اقساط", "تقسط", "ta8seet", "taqseet"] },
  { code: "crypto", en: "crypto", ar: "العملات الرقمية", words: ["crypto", "bitcoin", "بيتكوين", "عملات رقميه"] },
];
const INSTALLMENT_CODES = new Set(["tabby", "tamara"]);
const FEE_WORDS = ["fee", "fees", "charge", "extra", "cost", "رسوم", "زياده", "عليه", "rusoom"];

function policyMethodFor(policy: PaymentPolicy, code: string): PaymentPolicy["methods"] {
  if (code === "installments") return policy.methods.filter((m) => INSTALLMENT_CODES.has(m.code) || /install|تقسيط|دفعات/i.test(`${m.name.en} ${m.name.ar}`));
  const known = KNOWN_METHODS.find((k) => k.code === code);
  return policy.methods.filter((m) => m.code === code || (known !== undefined && known.words.some((w) => w.length > 3 && containsAny(`${m.name.en} ${m.name.ar}`, [w]))));
}

export function paymentAnswer(policy: PaymentPolicy, currency: string, lang: Lang, message = ""): string {
  const withFee = (m: PaymentPolicy["methods"][number]) => {
    const name = localized(m.name, lang);
    return m.fee !== null && m.fee > 0 ? `${name} (+${formatMoney(m.fee, currency, lang)})` : name;
  };
  const names = policy.methods.map(withFee);
  const all = pick(lang, `All payment methods: ${joinList(names, lang)}.`, `كل طرق الدفع: ${joinList(names, lang)}.`);
  // "وتابي؟": the attached "and" is not part of the name.
  const bare = withoutAttachedAnd(message);
  const mentioned = KNOWN_METHODS.filter((k) => containsAny(bare, k.words));
  // Narrower names win: "apple pay" is not also a question about cards.
  const asked = mentioned.filter((k) => !mentioned.some((o) => o !== k && o.words.some((w) => k.words.some((kw) => w.includes(kw) && w !== kw))));
  const lines: string[] = [];
  const cod = policy.methods.find((m) => m.code === "cod");
  if (asked.length === 1 && asked[0]?.code === "cod" && containsAny(message, FEE_WORDS)) {
    const fee = cod?.fee ?? null;
    if (!cod && !policy.cashOnDelivery) lines.push(pick(lang, "Cash on delivery isn't available.", "الدفع عند الاستلام غير متاح."));
    else if (fee !== null && fee > 0) lines.push(pick(lang, `Yes, cash on delivery has a fee of ${formatMoney(fee, currency, lang)}.`, `إيه نعم، الدفع عند الاستلام عليه رسوم ${formatMoney(fee, currency, lang)}.`));
    else lines.push(pick(lang, "No, cash on delivery has no extra fee.", "لا، الدفع عند الاستلام بدون رسوم إضافية."));
    lines.push(all);
  } else if (asked.length > 0) {
    const offered = asked.flatMap((k) => policyMethodFor(policy, k.code));
    const missing = asked.filter((k) => policyMethodFor(policy, k.code).length === 0 && !(k.code === "cod" && policy.cashOnDelivery));
    if (offered.length > 0 && missing.length === 0) {
      lines.push(pick(lang, `Yes, we accept ${joinList([...new Set(offered)].map(withFee), lang)}.`, `إيه نعم، متاح ${joinList([...new Set(offered)].map(withFee), lang)}.`));
    } else if (missing.length > 0 && offered.length === 0) {
      const what = joinList(missing.map((k) => (lang === "ar" ? k.ar : k.en)), lang);
      lines.push(pick(lang, `No, we don't accept ${what}.`, `لا، للأسف ${what} غير متاح عندنا.`));
    } else if (offered.length > 0) {
      lines.push(pick(lang, `We accept ${joinList([...new Set(offered)].map(withFee), lang)}, but not ${joinList(missing.map((k) => k.en), lang)}.`, `متاح ${joinList([...new Set(offered)].map(withFee), lang)}، بس ${joinList(missing.map((k) => k.ar), lang)} غير متاح.`));
    }
    lines.push(all);
  } else {
    lines.push(pick(lang, `You can pay with ${joinList(names, lang)}.`, `طرق الدفع المتاحة: ${joinList(names, lang)}.`));
  }
  const codListed = policy.methods.some((m) => m.code === "cod");
  if (policy.cashOnDelivery && !codListed) lines.push(pick(lang, "Cash on delivery is available.", "والدفع عند الاستلام متاح."));
  if (!policy.cashOnDelivery && !lines.some((l) => /cash on delivery|الاستلام/i.test(l))) lines.push(pick(lang, "Cash on delivery isn't available.", "الدفع عند الاستلام غير متاح."));
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
