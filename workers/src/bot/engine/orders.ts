// Order status with a verification step. The bot asks for the phone or email on the order for
// every number, existing or not, so the answer never tells a stranger which numbers exist; only
// a match reveals the order, and a few misses lock order look-ups for the conversation.
import type { Order } from "@kaleem/shared";
import { answer, type Answer } from "./answer.js";
import { formatMoney, joinList, localized, pick } from "./lang.js";
import { MAX_VERIFICATION_ATTEMPTS, type Lang } from "./state.js";
import type { Turn } from "./turn.js";
import { samePhone } from "@kaleem/shared";
import { parseEmail, parseOrderNumber, parsePhone, sameEmail } from "./words.js";

const STATUS: Record<Order["status"], { en: string; ar: string }> = {
  pending: { en: "received and waiting for confirmation", ar: "مستلم وبانتظار التأكيد" },
  confirmed: { en: "confirmed and being prepared", ar: "مؤكد وجاري تجهيزه" },
  shipped: { en: "shipped and on its way to you", ar: "تم شحنه وهو في الطريق لك" },
  delivered: { en: "delivered", ar: "تم توصيله" },
  cancelled: { en: "cancelled", ar: "ملغي" },
};

/** Look-up attempts allowed per order number, and per store, within the cooldown window. */
export const VERIFY_LIMITS = { perOrder: 5, perStore: 100, windowSeconds: 15 * 60 } as const;

async function attemptAllowed(turn: Turn, number: string): Promise<boolean> {
  const m = turn.store.merchantId;
  const [order, store] = await Promise.all([
    turn.attempts.hit(`bot-verify:${m}:order:${number}`, VERIFY_LIMITS.perOrder, VERIFY_LIMITS.windowSeconds),
    turn.attempts.hit(`bot-verify:${m}:store`, VERIFY_LIMITS.perStore, VERIFY_LIMITS.windowSeconds),
  ]);
  return order.allowed && store.allowed;
}

const humanReply = (lang: Lang) => ({
  type: "quick_replies" as const,
  replies: [{ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" }],
});

function locked(turn: Turn): Answer {
  return answer(
    pick(
      turn.lang,
      "For your security I can't look up orders in this chat any more. A team member can help you with your order.",
      "حفاظاً على أمان بياناتك ما أقدر أبحث عن الطلبات في هذي المحادثة. أحد موظفينا يقدر يساعدك في طلبك.",
    ),
    [humanReply(turn.lang)],
  );
}

export async function describeOrder(turn: Turn, order: Order): Promise<Answer> {
  const lang = turn.lang;
  // Items keep the name they were ordered under; the catalog may know it in the shopper's language.
  const names = await Promise.all(
    order.items.map(async (i) => {
      const product = await turn.store.products.get(i.productId);
      return product ? localized(product.name, lang) : i.name;
    }),
  );
  const items = joinList(order.items.map((i, n) => `${i.quantity} × ${names[n] ?? i.name}`), lang);
  const text = pick(
    lang,
    `Order #${order.number} is ${STATUS[order.status].en}.\nItems: ${items}\nTotal: ${formatMoney(order.total, order.currency, lang)}`,
    `طلبك رقم ${order.number} ${STATUS[order.status].ar}.\nالمنتجات: ${items}\nالمجموع: ${formatMoney(order.total, order.currency, lang)}`,
  );
  return answer(
    text,
    [{ type: "order", orderId: order.id, number: order.number, status: order.status, total: order.total, currency: order.currency }],
    { facts: text },
  );
}

/** The shopper asked about an order (intent order_status, or the "track" quick reply). */
export async function orderStatusAnswer(turn: Turn): Promise<Answer> {
  if (turn.state.ordersLocked) return locked(turn);
  const number = parseOrderNumber(turn.text);
  // "where is my order?" right after ordering here (or verifying one): that order, no questions.
  const known = turn.state.verifiedOrders.at(-1);
  if (!number && known) return askVerification(turn, known);
  if (!number) {
    turn.state.awaitingOrderNumber = true;
    return answer(pick(turn.lang, "Sure! What's your order number?", "أبشر! وش رقم طلبك؟"));
  }
  return askVerification(turn, number);
}

async function askVerification(turn: Turn, number: string): Promise<Answer> {
  turn.state.awaitingOrderNumber = false;
  if (turn.state.verifiedOrders.includes(number)) {
    // Kaleem's own numbers and a store platform's may overlap: only an unambiguous number is shown without asking again.
    const orders = await turn.store.orders.listByNumber(number);
    if (orders.length === 1) return describeOrder(turn, orders[0]!);
  }
  turn.state.verifying = number;
  return answer(
    pick(
      turn.lang,
      `To protect your privacy, please send the phone number or email used on order #${number}.`,
      `حفاظاً على خصوصيتك، أرسل رقم الجوال أو الإيميل المسجل في الطلب رقم ${number}.`,
    ),
  );
}

/**
 * Continues a pending look-up: an order number after we asked for one, or the contact details
 * that prove the shopper owns the order. Null when the message is neither.
 */
export async function continueOrderLookup(turn: Turn): Promise<Answer | null> {
  if (turn.state.ordersLocked) return null;
  if (turn.state.verifying) {
    const email = parseEmail(turn.text);
    const phone = email ? null : parsePhone(turn.text);
    if (!email && !phone) {
      // Another order number instead of contact details: verify that one instead.
      const other = parseOrderNumber(turn.text);
      return other && other !== turn.state.verifying ? askVerification(turn, other) : null;
    }
    const number = turn.state.verifying;
    // Guesses are counted per order number and per store, not only per conversation: a new
    // visitor gets no fresh tries. Over the limit nothing is revealed, right details or not.
    if (!(await attemptAllowed(turn, number))) {
      turn.state.verifying = null;
      return answer(
        pick(
          turn.lang,
          `For security, order #${number} can't be looked up in chat right now. Please try again later, or a team member can help you.`,
          `حفاظاً على الأمان، ما نقدر نبحث عن الطلب رقم ${number} في المحادثة حالياً. جرّب بعد شوي، أو أحد موظفينا يساعدك.`,
        ),
        [humanReply(turn.lang)],
      );
    }
    // Orders placed here and orders synced from the store platform (by the platform's number) alike;
    // the contact details decide which one is the shopper's.
    const order =
      (await turn.store.orders.listByNumber(number)).find(
        (o) =>
          (email !== null && o.contact.email !== undefined && sameEmail(email, o.contact.email)) ||
          (phone !== null && o.contact.phone !== undefined && samePhone(phone, o.contact.phone)),
      ) ?? null;
    if (order) {
      turn.state.verifying = null;
      turn.state.failedVerifications = 0;
      if (!turn.state.verifiedOrders.includes(number)) turn.state.verifiedOrders.push(number);
      return describeOrder(turn, order);
    }
    turn.state.failedVerifications += 1;
    if (turn.state.failedVerifications >= MAX_VERIFICATION_ATTEMPTS) {
      turn.state.ordersLocked = true;
      turn.state.verifying = null;
      return locked(turn);
    }
    return answer(
      pick(
        turn.lang,
        "Sorry, those details don't match our records for that order. Please check the order number and the phone or email used on it.",
        "للأسف البيانات ما تطابق سجلاتنا لهذا الطلب. تأكد من رقم الطلب ورقم الجوال أو الإيميل المسجل فيه.",
      ),
      [humanReply(turn.lang)],
    );
  }
  if (turn.state.awaitingOrderNumber) {
    const number = parseOrderNumber(turn.text);
    if (!number || parsePhone(turn.text)) return null;
    return askVerification(turn, number);
  }
  return null;
}
