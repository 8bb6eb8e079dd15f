// What each number in a shopper's message is: a price or budget, a quantity, a size, an order
// number, a phone number, an age or a number of days. Numbers are read with the words around
// them and the conversation so far, before anything acts on them: "is delivery free if I
// spend 600?" holds a price, not an order number; "do you have it in 42?" after a thobe is a size.
import { normalizeText } from "../nlp/normalize.js";

export type NumberKind = "price" | "quantity" | "size" | "order" | "phone" | "age" | "days" | "unknown";

export interface TypedNumber {
  value: number;
  kind: NumberKind;
}

export interface NumberContext {
  /** The bot asked for an order number and none came yet. */
  awaitingOrderNumber?: boolean;
  /** The product being discussed comes in sizes (a bare "42?" is then a size). */
  sizesInView?: boolean;
}

const CURRENCY = new Set(["sar", "sr", "rs", "riyal", "riyals", "rial", "rials", "ryal", "ريال", "ريالات", "رس", "ر"]);
const PRICE_BEFORE = new Set([
  "under", "below", "over", "above", "than", "spend", "spending", "spent", "worth", "total", "totals", "budget", "around", "about",
  "upto", "max", "costs", "cost", "for", "اقل", "تحت", "فوق", "اكثر", "بحدود", "حدود", "اصرف", "صرفت", "ميزانيتي", "ميزانيه", "بسعر",
  "بقيمه", "قيمه", "بـ", "ب", "مجموع", "المجموع", "يتعدى", "تعدى", "يتجاوز", "تجاوز", "فوق ال",
]);
/** "order of 600", "my order is 600": the size of an order, not its number. */
const ORDER_AMOUNT_LINKS = new Set(["is", "of", "over", "above", "worth", "total", "totals", "بـ", "ب", "بقيمه", "فوق", "يتعدى"]);
const ORDER_WORDS = new Set(["order", "orders", "طلب", "طلبي", "الطلب", "طلبيه", "اوردر", "الاوردر", "talab", "talabi", "6alab", "6alabi", "purchase"]);
const ORDER_LABELS = new Set(["number", "no", "num", "#", "رقم", "رقمه", "nr"]);
const SIZE_WORDS = new Set(["size", "sz", "sizes", "مقاس", "مقاسه", "مقاسها", "مقاسي", "سايز", "نمره", "ma8as", "maqas"]);
const QUANTITY_AFTER = new Set(["x", "pcs", "pc", "pieces", "piece", "pack", "packs", "units", "boxes", "حبه", "حبات", "قطعه", "قطع", "علب", "علبه", "حبة"]);
const QUANTITY_BEFORE = new Set(["add", "put", "want", "need", "take", "x", "ضيف", "اضف", "حط", "ابي", "ابغى", "ابغي", "عطني", "deef", "7ot", "abi", "abgha"]);
const DAY_WORDS: Record<string, number> = {
  day: 1, days: 1, يوم: 1, ايام: 1, أيام: 1, week: 7, weeks: 7, اسبوع: 7, اسابيع: 7, أسبوع: 7, اسبوعين: 14, month: 30, months: 30, شهر: 30,
};
const PEOPLE = new Set(["people", "persons", "person", "pax", "اشخاص", "شخص", "افراد", "نفر"]);
const AGE_WORDS = new Set(["years", "year", "yrs", "yo", "سنه", "سنوات", "سنين", "سنة"]);

/** Tokens with numbers kept whole ("0551234567", "#1001") and digits folded to Western. */
function tokens(text: string): string[] {
  return normalizeText(text.replace(/#/g, " # ").replace(/(\d)\s*[-–]\s*(\d)/g, "$1 - $2"))
    .split(" ")
    .filter((t) => t !== "")
    .flatMap((t) => (/^[\u0621-\u064A]+\d/.test(t) ? (t.match(/[\u0621-\u064A]+|\d+(?:\.\d+)?/g) ?? [t]) : [t]));
}

function isPhone(digits: string): boolean {
  return /^(?:00966|966|\+966)?0?5\d{8}$/.test(digits) || (digits.length >= 10 && digits.length <= 15);
}

/** Every number in the message with what it stands for, in order. */
export function typeNumbers(text: string, context: NumberContext = {}): TypedNumber[] {
  // A phone written with spaces or dashes ("055 123 4567", "+966 55 123 4567") is one number.
  const joined = text.replace(/(\+?\d[\d\s-]{7,18}\d)/g, (m) => (m.replace(/\D/g, "").length >= 9 ? m.replace(/[\s-]/g, "") : m));
  const words = tokens(joined);
  const out: TypedNumber[] = [];
  words.forEach((w, i) => {
    if (!/^\d+(?:\.\d+)?$/.test(w)) return;
    const value = Number(w);
    const prev = words[i - 1] ?? "";
    const prev2 = words[i - 2] ?? "";
    const next = words[i + 1] ?? "";
    let kind: NumberKind = "unknown";
    if (!w.includes(".") && w.length >= 9 && isPhone(w)) kind = "phone";
    else if (CURRENCY.has(next) || CURRENCY.has(prev) || (PRICE_BEFORE.has(prev) && !ORDER_WORDS.has(prev2) && !PEOPLE.has(next))) kind = "price";
    else if (ORDER_AMOUNT_LINKS.has(prev) && ORDER_WORDS.has(prev2)) kind = "price";
    else if (DAY_WORDS[next] !== undefined) kind = "days";
    else if (AGE_WORDS.has(next) || prev === "عمره" || prev === "عمرها" || prev === "aged") kind = "age";
    else if (SIZE_WORDS.has(prev) || SIZE_WORDS.has(prev2)) kind = "size";
    else if (QUANTITY_AFTER.has(next) || QUANTITY_AFTER.has(words[i + 2] ?? "") || QUANTITY_BEFORE.has(prev)) kind = value > 0 && value <= 999 ? "quantity" : "unknown";
    else if (/^\d{3,8}$/.test(w) && (ORDER_WORDS.has(prev) || ORDER_LABELS.has(prev) || (ORDER_LABELS.has(prev) && ORDER_WORDS.has(prev2)) || ORDER_WORDS.has(prev2))) kind = "order";
    else if (context.sizesInView && value >= 1 && value <= 70 && Number.isInteger(value)) kind = "size";
    else if (context.awaitingOrderNumber && /^\d{3,8}$/.test(w)) kind = "order";
    const days = DAY_WORDS[next];
    out.push({ value: kind === "days" && days !== undefined ? value * days : value, kind });
  });
  return out;
}

export function firstOfKind(numbers: readonly TypedNumber[], kind: NumberKind): number | null {
  return numbers.find((n) => n.kind === kind)?.value ?? null;
}
