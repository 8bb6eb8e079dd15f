// The conversation's cart and checkout. Lines keep only product id and quantity; names and prices
// are read from the catalog whenever the cart is shown, so a figure is never stale or invented.
import type { MessagePart, Order, OrderItem, Product } from "@kaleem/shared";
import { canonicalJson, InsufficientStockError, sha256Hex } from "@kaleem/shared";
import { answer, type Answer } from "./answer.js";
import { formatMoney, localized, pick } from "./lang.js";
import { codFee, paymentPolicyOf, shippingPolicyOf, zoneLine, zoneMentioned } from "./policies.js";
import { productCard, productSearchAnswer, shortName } from "./products.js";
import type { CartLine, Lang } from "./state.js";
import { productsById, type Turn } from "./turn.js";
import { bestMatches, contentWords, descriptorTokens, isNo, isYes, ORDINAL_WORDS, parseOrdinal, parsePhone, parseQuantity } from "./words.js";

/** How long a bot checkout's idempotency key is kept. */
const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

interface PricedLine {
  product: Product;
  quantity: number;
}

async function pricedCart(turn: Turn): Promise<PricedLine[]> {
  const products = await productsById(turn.store, turn.state.cart.map((l) => l.productId));
  const byId = new Map(products.map((p) => [p.id, p]));
  const lines: PricedLine[] = [];
  for (const line of turn.state.cart) {
    const product = byId.get(line.productId);
    if (product) lines.push({ product, quantity: line.quantity });
  }
  // Products that left the catalog leave the cart too.
  turn.state.cart = lines.map((l) => ({ productId: l.product.id, quantity: l.quantity }));
  return lines;
}

function orderItems(lines: PricedLine[], lang: Lang): OrderItem[] {
  return lines.map((l) => ({ productId: l.product.id, name: localized(l.product.name, lang), price: l.product.price, quantity: l.quantity }));
}

function total(items: OrderItem[]): number {
  return Math.round(items.reduce((s, i) => s + i.price * i.quantity, 0) * 100) / 100;
}

function cartPart(items: OrderItem[], currency: string): MessagePart {
  return { type: "cart", items, total: total(items), currency };
}

function cartLines(items: OrderItem[], currency: string, lang: Lang): string[] {
  return items.map((i) => `• ${i.quantity} × ${i.name} — ${formatMoney(i.price * i.quantity, currency, lang)}`);
}

const cartReplies = (lang: Lang): MessagePart => ({
  type: "quick_replies",
  replies: [
    { label: pick(lang, "Checkout", "إتمام الطلب"), payload: "checkout" },
    { label: pick(lang, "Keep shopping", "أكمل التسوق"), payload: "intent:product_search" },
  ],
});

async function addProduct(turn: Turn, product: Product, quantity: number): Promise<Answer> {
  const lang = turn.lang;
  const name = localized(product.name, lang);
  if (product.status !== "active" || product.stock <= 0) {
    return answer(pick(lang, `Sorry, ${name} is out of stock right now.`, `للأسف ${name} نفدت كميته حالياً.`), [
      productCard(product, lang),
      { type: "quick_replies", replies: [{ label: pick(lang, "More like this", "أبي شي مشابه"), payload: `more:${product.id}` }] },
    ]);
  }
  const existing = turn.state.cart.find((l) => l.productId === product.id);
  const wanted = (existing?.quantity ?? 0) + quantity;
  if (wanted > product.stock) {
    return answer(
      pick(
        lang,
        `Sorry, we only have ${product.stock} of ${name} in stock${existing ? ` and ${existing.quantity} are already in your cart` : ""}.`,
        `للأسف المتوفر من ${name} ${product.stock} فقط${existing ? ` وعندك ${existing.quantity} في السلة` : ""}.`,
      ),
      [productCard(product, lang)],
    );
  }
  if (existing) existing.quantity = wanted;
  else turn.state.cart.push({ productId: product.id, quantity });
  const items = orderItems(await pricedCart(turn), lang);
  const currency = product.currency;
  const text = [
    pick(lang, `Added ${quantity} × ${name} to your cart ✅`, `أبشر، أضفت ${quantity} × ${name} للسلة ✅`),
    ...cartLines(items, currency, lang),
    pick(lang, `Total: ${formatMoney(total(items), currency, lang)}`, `المجموع: ${formatMoney(total(items), currency, lang)}`),
  ].join("\n");
  return answer(text, [cartPart(items, currency), cartReplies(lang)]);
}

export async function addByPayload(turn: Turn, productId: string, quantity: number): Promise<Answer> {
  const product = await turn.store.products.get(productId);
  if (!product) return productSearchAnswer(turn, "");
  return addProduct(turn, product, quantity);
}

/** "add 2 of the black one": resolves the product among those just shown, else by search. */
export async function addByText(turn: Turn): Promise<Answer> {
  const lang = turn.lang;
  const quantity = parseQuantity(turn.text) ?? 1;
  const tokens = descriptorTokens(turn.text);
  const focus = turn.state.focus;
  const ids = focus && !turn.state.lastShown.includes(focus) ? [focus, ...turn.state.lastShown] : turn.state.lastShown;
  const shown = await productsById(turn.store, ids);
  const ordinal = parseOrdinal(turn.text);
  const listed = await productsById(turn.store, turn.state.lastShown);
  const byPosition = ordinal === null ? undefined : ordinal === -1 ? listed.at(-1) : listed[ordinal];
  if (byPosition) return addProduct(turn, byPosition, quantity);
  const matches = bestMatches(tokens.filter((t) => !ORDINAL_WORDS.has(t)), shown);
  if (matches.length === 1 && matches[0]) return addProduct(turn, matches[0], quantity);
  if (tokens.every((t) => ORDINAL_WORDS.has(t))) {
    const target = shown.find((p) => p.id === focus) ?? (shown.length === 1 ? shown[0] : undefined);
    if (target) return addProduct(turn, target, quantity);
  }
  const candidates = matches.length > 1 ? matches : tokens.length === 0 ? shown : [];
  if (candidates.length > 1) {
    return answer(pick(lang, "Which one would you like to add?", "أي واحد تبي أضيف؟"), [
      {
        type: "quick_replies",
        replies: candidates.slice(0, 4).map((p) => ({ label: shortName(p, lang), payload: quantity > 1 ? `add:${p.id}:${quantity}` : `add:${p.id}` })),
      },
    ]);
  }
  if (tokens.length === 0) {
    return answer(pick(lang, "Sure! Which product would you like to add?", "أكيد! وش المنتج اللي تبي تضيفه؟"));
  }
  // Not among the cards shown: show search results to pick from rather than guess.
  return productSearchAnswer(turn, contentWords(turn.text).join(" "));
}

export async function removeByText(turn: Turn, productId?: string): Promise<Answer> {
  const lang = turn.lang;
  const lines = await pricedCart(turn);
  let target: Product | undefined;
  if (productId) target = lines.find((l) => l.product.id === productId)?.product;
  else {
    const matches = bestMatches(descriptorTokens(turn.text), lines.map((l) => l.product));
    if (matches.length === 1) target = matches[0];
    else if (lines.length === 1) target = lines[0]?.product;
  }
  if (!target) {
    if (lines.length === 0) return viewCart(turn);
    return answer(pick(lang, "Which item should I remove?", "أي منتج أشيل من السلة؟"), [
      { type: "quick_replies", replies: lines.map((l) => ({ label: shortName(l.product, lang), payload: `remove:${l.product.id}` })) },
    ]);
  }
  const removed = target;
  turn.state.cart = turn.state.cart.filter((l) => l.productId !== removed.id);
  const rest = await viewCart(turn);
  return { ...rest, text: `${pick(lang, `Removed ${localized(removed.name, lang)} from your cart.`, `شلت ${localized(removed.name, lang)} من السلة.`)}\n${rest.text}` };
}

export async function viewCart(turn: Turn): Promise<Answer> {
  const lang = turn.lang;
  const lines = await pricedCart(turn);
  if (lines.length === 0) {
    return answer(pick(lang, "Your cart is empty. What are you looking for?", "سلتك فاضية. وش تدور عليه؟"), [
      { type: "quick_replies", replies: [{ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" }] },
    ]);
  }
  const currency = turn.merchant.currency;
  const items = orderItems(lines, lang);
  const text = [
    pick(lang, "Your cart:", "سلتك:"),
    ...cartLines(items, currency, lang),
    pick(lang, `Total: ${formatMoney(total(items), currency, lang)}`, `المجموع: ${formatMoney(total(items), currency, lang)}`),
  ].join("\n");
  return answer(text, [cartPart(items, currency), cartReplies(lang)]);
}

const cancelReply = (lang: Lang) => ({ label: pick(lang, "Cancel", "إلغاء"), payload: "cancel_checkout" });

export async function startCheckout(turn: Turn): Promise<Answer> {
  const lang = turn.lang;
  const lines = await pricedCart(turn);
  if (lines.length === 0) return viewCart(turn);
  const bot = turn.merchant.bot;
  const currency = turn.merchant.currency;
  const items = orderItems(lines, lang);
  if (bot.checkout === "platform") {
    if (!bot.platformCheckoutUrl) {
      return answer(
        pick(lang, "A team member will help you complete your order.", "بحولك على موظف يساعدك تكمل طلبك."),
        [{ type: "handoff", reason: "checkout" }],
        { handoff: "requested" },
      );
    }
    return answer(
      pick(lang, "You can complete your purchase securely on our store:", "تقدر تكمل طلبك بأمان من متجرنا:") + `\n${bot.platformCheckoutUrl}`,
      [cartPart(items, currency), { type: "link", url: bot.platformCheckoutUrl, label: pick(lang, "Go to checkout", "إتمام الطلب") }],
    );
  }
  const sum = total(items);
  if (bot.handoffOrderValue !== null && sum >= bot.handoffOrderValue) {
    return answer(
      pick(
        lang,
        "Thanks! A team member will confirm this order with you personally — they'll reply here shortly.",
        "شكراً لك! بيتواصل معك أحد موظفينا هنا عشان يأكد الطلب معك شخصياً.",
      ),
      [cartPart(items, currency), { type: "handoff", reason: "order_value" }],
      { handoff: "order_value" },
    );
  }
  turn.state.checkout = { step: "name" };
  const text = [
    pick(lang, "Great choice! Your order:", "اختيار موفق! طلبك:"),
    ...cartLines(items, currency, lang),
    pick(lang, `Total: ${formatMoney(sum, currency, lang)}`, `المجموع: ${formatMoney(sum, currency, lang)}`),
    pick(lang, "To place it with cash on delivery, what's your full name?", "عشان نثبت الطلب بالدفع عند الاستلام، وش اسمك الكامل؟"),
  ].join("\n");
  return answer(text, [cartPart(items, currency), { type: "quick_replies", replies: [cancelReply(lang)] }]);
}

/** The next step of a checkout in progress, or null when the message is not an answer to it. */
export async function continueCheckout(turn: Turn, payload: string | null): Promise<Answer | null> {
  const checkout = turn.state.checkout;
  if (!checkout) return null;
  const lang = turn.lang;
  const text = turn.text.trim();
  if (payload === "cancel_checkout" || (payload === null && isNo(text) && checkout.step !== "confirm")) {
    turn.state.checkout = null;
    return answer(pick(lang, "No problem, I've stopped the checkout. Your cart is still saved.", "ولا يهمك، وقفت إتمام الطلب. سلتك محفوظة."), [cartReplies(lang)]);
  }
  const cancel = { type: "quick_replies" as const, replies: [cancelReply(lang)] };
  switch (checkout.step) {
    case "name": {
      if (payload !== null || /[?؟]/.test(text) || text.split(/\s+/).length > 5 || /\d/.test(text) || text.length < 2) return null;
      checkout.name = text.slice(0, 80);
      checkout.step = "phone";
      return answer(pick(lang, `Thanks, ${checkout.name}! What's your mobile number?`, `تشرفنا يا ${checkout.name}! وش رقم جوالك؟`), [cancel]);
    }
    case "phone": {
      const phone = parsePhone(text);
      if (!phone) {
        if (payload !== null || /[?؟]/.test(text)) return null;
        return answer(pick(lang, "That doesn't look like a phone number. Please send your mobile number, e.g. 05XXXXXXXX.", "الرقم ما يبدو صحيح. أرسل رقم جوالك، مثل 05XXXXXXXX."), [cancel]);
      }
      checkout.phone = phone;
      checkout.step = "address";
      return answer(pick(lang, "And the delivery address (city, district, street)?", "وعنوان التوصيل (المدينة، الحي، الشارع)؟"), [cancel]);
    }
    case "address": {
      if (payload !== null || text.length < 4) return null;
      checkout.address = text.slice(0, 300);
      checkout.step = "confirm";
      return confirmSummary(turn);
    }
    case "confirm": {
      if (payload === "confirm_order" || (payload === null && isYes(text))) return placeOrder(turn);
      if (payload === null && isNo(text)) {
        turn.state.checkout = null;
        return answer(pick(lang, "Okay, I haven't placed the order. Your cart is still saved.", "تمام، ما ثبّت الطلب. سلتك محفوظة."), [cartReplies(lang)]);
      }
      return null;
    }
  }
}

async function confirmSummary(turn: Turn): Promise<Answer> {
  const lang = turn.lang;
  const lines = await pricedCart(turn);
  const currency = turn.merchant.currency;
  const items = orderItems(lines, lang);
  const checkout = turn.state.checkout;
  const knowledge = await turn.knowledge();
  const fee = codFee(paymentPolicyOf(knowledge));
  const shipping = shippingPolicyOf(knowledge);
  const zone = shipping && checkout?.address ? zoneMentioned(shipping, checkout.address) : null;
  const text = [
    pick(lang, "Please confirm your order:", "تأكد من طلبك لو سمحت:"),
    ...cartLines(items, currency, lang),
    pick(lang, `Items total: ${formatMoney(total(items), currency, lang)}`, `مجموع المنتجات: ${formatMoney(total(items), currency, lang)}`),
    ...(zone ? [pick(lang, `Delivery — ${zoneLine(zone, currency, lang)}`, `التوصيل — ${zoneLine(zone, currency, lang)}`)] : []),
    ...(fee
      ? [pick(lang, `Cash on delivery fee: ${formatMoney(fee, currency, lang)}`, `رسوم الدفع عند الاستلام: ${formatMoney(fee, currency, lang)}`)]
      : []),
    pick(lang, `Name: ${checkout?.name ?? ""}`, `الاسم: ${checkout?.name ?? ""}`),
    pick(lang, `Address: ${checkout?.address ?? ""}`, `العنوان: ${checkout?.address ?? ""}`),
    pick(lang, "Shall I place it?", "أثبت الطلب؟"),
  ].join("\n");
  return answer(text, [
    cartPart(items, currency),
    {
      type: "quick_replies",
      replies: [{ label: pick(lang, "Confirm order", "تأكيد الطلب"), payload: "confirm_order" }, cancelReply(lang)],
    },
  ]);
}

/** Key of one checkout: the same conversation, cart and contact always give the same key. */
export function checkoutKey(conversationId: string, cart: CartLine[], contact: { name?: string; phone?: string; address?: string }): string {
  const body = canonicalJson({ conversationId, cart: [...cart].sort((a, b) => a.productId.localeCompare(b.productId)), contact });
  return `bot-checkout:${sha256Hex(body).slice(0, 40)}`;
}

async function placeOrder(turn: Turn): Promise<Answer> {
  const lang = turn.lang;
  const checkout = turn.state.checkout;
  const lines = await pricedCart(turn);
  if (!checkout || lines.length === 0) {
    turn.state.checkout = null;
    return viewCart(turn);
  }
  for (const line of lines) {
    if (line.product.stock < line.quantity) {
      turn.state.checkout = null;
      return answer(
        pick(
          lang,
          `Sorry, ${localized(line.product.name, lang)} now has only ${line.product.stock} left. Please update your cart.`,
          `للأسف ${localized(line.product.name, lang)} باقي منه ${line.product.stock} فقط. عدّل سلتك لو سمحت.`,
        ),
        [cartReplies(lang)],
      );
    }
  }
  const contact = { name: checkout.name, phone: checkout.phone, address: checkout.address };
  const key = checkoutKey(turn.conversationId, turn.state.cart, contact);
  const begun = await turn.store.idempotency.begin(key, key, IDEMPOTENCY_TTL_SECONDS);
  let order: Order;
  if (begun.state === "replay") order = begun.response.body as Order;
  else if (begun.state === "started") {
    try {
      order = await turn.store.orders.create(
        {
          conversationId: turn.conversationId,
          items: orderItems(lines, lang),
          currency: turn.merchant.currency,
          status: "pending",
          paymentMethod: "cod",
          contact: { ...(checkout.name ? { name: checkout.name } : {}), ...(checkout.phone ? { phone: checkout.phone } : {}) },
          shippingAddress: checkout.address ?? null,
          reserveStock: true,
        },
        { key, response: (created) => ({ status: 201, body: created }) },
      );
    } catch (error) {
      await turn.store.idempotency.release(key).catch(() => undefined);
      // Someone else bought the last units between the check above and now.
      if (error instanceof InsufficientStockError) {
        turn.state.checkout = null;
        return answer(
          pick(lang, "Sorry, some items in your cart just sold out. Please check your cart again.", "للأسف بعض المنتجات في سلتك نفدت للتو. راجع سلتك مرة ثانية لو سمحت."),
          [cartReplies(lang)],
        );
      }
      throw error;
    }
  } else {
    return answer(pick(lang, "Your order is being placed, one moment please.", "جاري تثبيت طلبك، لحظات لو سمحت."));
  }
  turn.state.checkout = null;
  turn.state.cart = [];
  if (!turn.state.verifiedOrders.includes(order.number)) turn.state.verifiedOrders.push(order.number);
  return answer(
    pick(
      lang,
      `Your order #${order.number} is placed ✅ Items total: ${formatMoney(order.total, order.currency, lang)}, paid in cash on delivery. We'll contact you to confirm delivery.`,
      `تم تثبيت طلبك رقم ${order.number} ✅ مجموع المنتجات: ${formatMoney(order.total, order.currency, lang)}، والدفع عند الاستلام. بنتواصل معك لتأكيد التوصيل.`,
    ),
    [{ type: "order", orderId: order.id, number: order.number, status: order.status, total: order.total, currency: order.currency }],
  );
}
