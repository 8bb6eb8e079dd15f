// The conversation's cart and checkout. Lines keep only product id and quantity; names and prices
// are read from the catalog whenever the cart is shown, so a figure is never stale or invented.
import type { MessagePart, Order, OrderItem, Product } from "@kaleem/shared";
import { canonicalJson, InsufficientStockError, orderAmounts, outgoingEvent, sha256Hex, toE164 } from "@kaleem/shared";
import { answer, type Answer } from "./answer.js";
import { formatMoney, localized, pick } from "./lang.js";
import { codFee, paymentPolicyOf, shippingPolicyOf, zoneForPlace, zoneMentioned, type Zone } from "./policies.js";
import { placeMentioned } from "./places.js";
import { addedEcho, productCard, productSearchAnswer, shortName } from "./products.js";
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
  const cap = turn.merchant.bot.maxOrderQuantity;
  if (wanted > cap) {
    return answer(
      pick(lang, `I can take up to ${cap} of one item in a chat order — for more, a team member can help.`, `أقدر أضيف لين ${cap} من نفس المنتج في طلب المحادثة، ولو تبي أكثر أحد موظفينا يساعدك.`),
      [productCard(product, lang), { type: "quick_replies", replies: [{ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" }] }],
    );
  }
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
  // Shoppers only ever see published products: a draft's id reads as unknown, name unsaid.
  const [product] = await productsById(turn.store, [productId]);
  if (!product) return unavailable(turn.lang);
  return addProduct(turn, product, quantity);
}

export function unavailable(lang: Lang): Answer {
  return answer(pick(lang, "Sorry, that product isn't available. What are you looking for?", "المعذرة، هذا المنتج غير متاح. وش تدور عليه؟"), [
    { type: "quick_replies", replies: [{ label: pick(lang, "Browse products", "أتصفح المنتجات"), payload: "intent:product_search" }] },
  ]);
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
        replies: candidates.slice(0, 4).map((p) => ({ label: shortName(p, lang), payload: quantity > 1 ? `add:${p.id}:${quantity}` : `add:${p.id}`, echo: addedEcho(p, lang) })),
      },
    ]);
  }
  if (tokens.length === 0) {
    return answer(pick(lang, "Sure! Which product would you like to add?", "أكيد! وش المنتج اللي تبي تضيفه؟"));
  }
  // Not among the cards shown: one clear match is added; otherwise results to pick from.
  const query = contentWords(turn.text).join(" ");
  const { items } = await turn.search.search(turn.store, query, 3);
  const [first, second] = items;
  if (first && first.product.status === "active" && (!second || first.score >= 1.5 * second.score)) return addProduct(turn, first.product, quantity);
  return productSearchAnswer(turn, query);
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
  const units = items.reduce((n, i) => n + i.quantity, 0);
  // Cash on delivery is unverified: very large orders are not taken by the bot at all.
  if (units > bot.maxOrderQuantity || sum > bot.maxOrderValue) {
    return answer(
      pick(
        lang,
        `That's more than I can take as one chat order (up to ${bot.maxOrderQuantity} items and ${formatMoney(bot.maxOrderValue, currency, lang)}). A team member will arrange it with you — they'll reply here.`,
        `هذا أكثر من اللي أقدر أثبته كطلب واحد من المحادثة (حتى ${bot.maxOrderQuantity} قطعة و${formatMoney(bot.maxOrderValue, currency, lang)}). بيرتبه معك أحد موظفينا هنا.`,
      ),
      [cartPart(items, currency), { type: "handoff", reason: "order_value" }],
      { handoff: "order_value" },
    );
  }
  if (await openCodOrders(turn, null) >= bot.maxOpenCodOrders) return tooManyOpenOrders(turn);
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
      checkout.phone = toE164(phone) ?? phone;
      checkout.step = "address";
      return answer(pick(lang, "And the delivery address (city, district, street)?", "وعنوان التوصيل (المدينة، الحي، الشارع)؟"), [cancel]);
    }
    case "address": {
      if (payload !== null || text.length < 4) return null;
      checkout.address = text.slice(0, 300);
      const delivery = await deliveryFor(turn, checkout.address);
      if (delivery.asks) {
        checkout.step = "city";
        return answer(pick(lang, "Which city should we deliver to?", "أي مدينة نوصل لها؟"), [cancel]);
      }
      checkout.step = "confirm";
      return confirmSummary(turn);
    }
    case "city": {
      if (payload !== null || text.length < 2) return null;
      const delivery = await deliveryFor(turn, text);
      if (delivery.asks) {
        const where = placeMentioned(text);
        return answer(
          where
            ? pick(lang, `Sorry, we don't deliver to ${where.en}. Is there another address in a city we deliver to?`, `للأسف ما نوصل إلى ${where.ar}. فيه عنوان ثاني في مدينة نوصل لها؟`)
            : pick(lang, "I couldn't find that city in our delivery areas. Which city is the address in?", "ما لقيت المدينة في مناطق التوصيل عندنا. العنوان في أي مدينة؟"),
          [cancel],
        );
      }
      checkout.city = text.slice(0, 80);
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

/**
 * Delivery for an address: the zone it names (by area, or a city of the kingdom covered by a
 * "rest of" zone) and the fee after the zone's free-shipping threshold. `asks` when the store
 * has zones but the address names none of them.
 */
async function deliveryFor(turn: Turn, where: string, subtotal?: number): Promise<{ zone: Zone | null; fee: number; asks: boolean }> {
  const policy = shippingPolicyOf(await turn.knowledge());
  if (!policy) return { zone: null, fee: 0, asks: false };
  const place = placeMentioned(where);
  const zone = zoneMentioned(policy, where) ?? (place ? zoneForPlace(policy, place) : null) ?? (policy.zones.length === 1 ? (policy.zones[0] ?? null) : null);
  if (!zone) return { zone: null, fee: 0, asks: true };
  const free = zone.fee === 0 || (subtotal !== undefined && zone.freeAbove !== null && subtotal >= zone.freeAbove);
  return { zone, fee: free ? 0 : zone.fee, asks: false };
}

/** Items, delivery, the cash-on-delivery fee and what the shopper pays, for the current checkout. */
async function checkoutAmounts(turn: Turn, items: OrderItem[]): Promise<{ zone: Zone | null; amounts: ReturnType<typeof orderAmounts> }> {
  const checkout = turn.state.checkout;
  const where = [checkout?.city, checkout?.address].filter(Boolean).join(" ");
  const subtotal = total(items);
  const delivery = await deliveryFor(turn, where, subtotal);
  const cod = codFee(paymentPolicyOf(await turn.knowledge())) ?? 0;
  return { zone: delivery.zone, amounts: orderAmounts(items, { deliveryFee: delivery.fee, codFee: cod }) };
}

async function confirmSummary(turn: Turn): Promise<Answer> {
  const lang = turn.lang;
  const lines = await pricedCart(turn);
  const currency = turn.merchant.currency;
  const items = orderItems(lines, lang);
  const checkout = turn.state.checkout;
  const { zone, amounts } = await checkoutAmounts(turn, items);
  const money = (n: number) => formatMoney(n, currency, lang);
  const text = [
    pick(lang, "Please confirm your order:", "تأكد من طلبك لو سمحت:"),
    ...cartLines(items, currency, lang),
    pick(lang, `Items total: ${money(amounts.subtotal)}`, `مجموع المنتجات: ${money(amounts.subtotal)}`),
    ...(zone
      ? [
          amounts.deliveryFee === 0
            ? pick(lang, `Delivery to ${localized(zone.name, lang)}: free`, `التوصيل إلى ${localized(zone.name, lang)}: مجاني`)
            : pick(lang, `Delivery to ${localized(zone.name, lang)}: ${money(amounts.deliveryFee)}`, `التوصيل إلى ${localized(zone.name, lang)}: ${money(amounts.deliveryFee)}`),
        ]
      : []),
    ...(amounts.codFee > 0 ? [pick(lang, `Cash on delivery fee: ${money(amounts.codFee)}`, `رسوم الدفع عند الاستلام: ${money(amounts.codFee)}`)] : []),
    pick(lang, `Total to pay on delivery: ${money(amounts.total)}`, `المبلغ المطلوب عند الاستلام: ${money(amounts.total)}`),
    pick(lang, `Name: ${checkout?.name ?? ""}`, `الاسم: ${checkout?.name ?? ""}`),
    pick(lang, `Address: ${[checkout?.address, checkout?.city].filter(Boolean).join(", ")}`, `العنوان: ${[checkout?.address, checkout?.city].filter(Boolean).join("، ")}`),
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

/** Unconfirmed cash-on-delivery orders of this visitor (any of their conversations) or this phone. */
async function openCodOrders(turn: Turn, phone: string | null): Promise<number> {
  const conversations = turn.visitorId ? (await turn.store.conversations.list({ visitorId: turn.visitorId }, { limit: 100 })).items.map((c) => c.id) : [turn.conversationId];
  const mine = new Set([turn.conversationId, ...conversations]);
  const { items } = await turn.store.orders.list({ status: "pending" }, { limit: 100 });
  return items.filter((o) => o.paymentMethod === "cod" && ((o.conversationId !== null && mine.has(o.conversationId)) || (phone !== null && o.contact.phone === phone))).length;
}

function tooManyOpenOrders(turn: Turn): Answer {
  const lang = turn.lang;
  turn.state.checkout = null;
  return answer(
    pick(
      lang,
      "You already have orders waiting for confirmation. A team member will confirm them with you before I take a new one — they'll reply here.",
      "عندك طلبات بانتظار التأكيد. بيأكدها معك أحد موظفينا قبل ما أثبت طلب جديد، وبيرد عليك هنا.",
    ),
    [{ type: "handoff", reason: "order_value" }],
    { handoff: "order_value" },
  );
}

/** The name and phone given at checkout become the conversation's customer (agents see who it is). */
async function rememberCustomer(turn: Turn, name: string | undefined, phone: string | undefined): Promise<string | null> {
  const conversation = await turn.store.conversations.get(turn.conversationId);
  if (!conversation) return null;
  const patch = { ...(name ? { name } : {}), ...(phone ? { phone } : {}) };
  if (conversation.customerId) {
    const before = await turn.store.customers.get(conversation.customerId);
    await turn.store.customers.update(conversation.customerId, patch);
    // A lead is a customer we could not reach before and can now.
    if (before && !before.phone && phone) await leadCaptured(turn, conversation.customerId, name, phone);
    return conversation.customerId;
  }
  const customer = await turn.store.customers.create({ channel: conversation.channel, externalId: conversation.visitorId, ...patch });
  await turn.store.conversations.update(conversation.id, { customerId: customer.id });
  await leadCaptured(turn, customer.id, name, phone);
  return customer.id;
}

/** The shopper left a name and phone: a lead for the merchant's automations (when one listens). */
async function leadCaptured(turn: Turn, customerId: string, name: string | undefined, phone: string | undefined): Promise<void> {
  if ((await turn.store.webhookEndpoints.listSubscribed("lead.captured")).length === 0) return;
  await turn.store.outbox.add(outgoingEvent("lead.captured", `lead-${customerId}`, { customerId, conversationId: turn.conversationId, name: name ?? null, phone: phone ?? null, source: "bot_checkout" }));
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
  const phone = checkout.phone ? (toE164(checkout.phone) ?? checkout.phone) : undefined;
  if (await openCodOrders(turn, phone ?? null) >= turn.merchant.bot.maxOpenCodOrders) return tooManyOpenOrders(turn);
  const contact = { name: checkout.name, phone, address: [checkout.address, checkout.city].filter(Boolean).join(", ") || undefined };
  const key = checkoutKey(turn.conversationId, turn.state.cart, contact);
  const items = orderItems(lines, lang);
  const { amounts } = await checkoutAmounts(turn, items);
  const begun = await turn.store.idempotency.begin(key, key, IDEMPOTENCY_TTL_SECONDS);
  let order: Order;
  if (begun.state === "replay") order = begun.response.body as Order;
  else if (begun.state === "started") {
    try {
      const customerId = await rememberCustomer(turn, checkout.name, phone);
      order = await turn.store.orders.create(
        {
          conversationId: turn.conversationId,
          customerId,
          items,
          currency: turn.merchant.currency,
          status: "pending",
          paymentMethod: "cod",
          contact: { ...(checkout.name ? { name: checkout.name } : {}), ...(phone ? { phone } : {}) },
          shippingAddress: contact.address ?? null,
          deliveryFee: amounts.deliveryFee,
          codFee: amounts.codFee,
          reserveStock: true,
        },
        { key, response: (created) => ({ status: 201, body: created }) },
        // The order and its outgoing webhook are one write: an order placed here is always announced.
        { outbox: (created) => [outgoingEvent("order.created", `order-${created.id}`, { order: created, conversationId: turn.conversationId, via: "bot" }, created.createdAt)] },
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
      `Your order #${order.number} is placed ✅ Total to pay on delivery: ${formatMoney(order.total, order.currency, lang)}. We'll contact you to confirm delivery.`,
      `تم تثبيت طلبك رقم ${order.number} ✅ المبلغ المطلوب عند الاستلام: ${formatMoney(order.total, order.currency, lang)}. بنتواصل معك لتأكيد التوصيل.`,
    ),
    [{ type: "order", orderId: order.id, number: order.number, status: order.status, total: order.total, currency: order.currency }],
  );
}
