// The bot engine: classifies the shopper's last message, lets the handler for it decide an answer
// from the store's own data, then streams the answer as word-sized deltas followed by its parts.
import { ConfigError, monthKey, parseActionPayload, type MessagePart, type BotEngine, type BotEvent, type BotTurnInput, type Config, type Merchant, type Metrics, type ProductSearch, type RateLimiter, type TokenBudget } from "@kaleem/shared";
import { createChatClient, type ChatClient } from "../llm/client.js";
import { guardedPhrasing, type PhraseOutcome } from "../llm/phrase.js";
import { answer, type Answer } from "./answer.js";
import { contactAnswer, contactAsked, contactOf, replyWhenLine } from "./contact.js";
import { askedAbout, isContinuation, isShort, pointsAtOne, productKinds, refersBack, resolveReference } from "./followups.js";
import { splitGreeting } from "./greeting.js";
import { firstOfKind, typeNumbers, type TypedNumber } from "./numbers.js";
import { placeMentioned, type Place } from "./places.js";
import { dontKnow, handoff, HUMAN_REPLY, MENU } from "./replies.js";
import { addByPayload, addByText, continueCheckout, removeByText, startCheckout, viewCart } from "./cart.js";
import { buildFaqIndex, searchFaq } from "./faq.js";
import type { KnowledgeIndex, MerchantKnowledge } from "./knowledge-index.js";
import { turnStore } from "./turn-store.js";
import { formatMoney, localized, pick, pickLanguage } from "./lang.js";
import { botMetrics, type BotMetrics } from "./metrics.js";
import { continueOrderLookup, orderStatusAnswer } from "./orders.js";
import { paymentAnswer, paymentPolicyOf, returnsAnswer, returnsPolicyOf, shippingAnswer, shippingPolicyOf } from "./policies.js";
import { answerAboutProduct, moreLikeThis, productQuestionAnswer, productSearchAnswer, showPrices, SIMILAR_WORDS, subjectWords } from "./products.js";
import { loadBotState, saveBotState } from "./state.js";
import { localizeDigits } from "./lang.js";
import { paced, wordChunks } from "./stream.js";
import { productsById, type Turn } from "./turn.js";
import { normalizeText } from "../nlp/normalize.js";
import { namesProductKind } from "../search/analyze.js";
import { withMerchantExamples } from "../intents/merchant-examples.js";
import { bestMatches, containsAny, descriptorTokens, isNo, isYes, parseOrderNumber, parsePhone, startsWithAny, withoutAttachedAnd } from "./words.js";
import { tokenize } from "../nlp/normalize.js";
import { narrowingWords } from "./refine.js";

/** The classifier as the engine uses it (see ../intents). */
export interface IntentClassifierLike {
  classify(text: string): { intent: string; confidence: number };
}

export interface BotEngineDeps {
  classifier: IntentClassifierLike;
  search: ProductSearch;
  /** Each store's knowledge between turns; it must be told of knowledge writes (CatalogSearch's is). */
  knowledge?: KnowledgeIndex;
  metrics?: Metrics;
  /** Pacing and the optional LLM come from here unless given explicitly below. */
  config?: Pick<Config, "bot" | "llm">;
  streamDelayMs?: number;
  /** LLM client; defaults to one built from config.llm (none when config.llm is null). */
  chatClient?: ChatClient | null;
  /** Per-merchant monthly token counts; required when an LLM is configured. */
  tokenBudget?: TokenBudget;
  /** Below this classifier confidence the bot clarifies or hands off (merchant setting). */
  lowConfidenceThreshold?: number;
  logger?: { warn(obj: object, msg?: string): void };
  now?: () => Date;
  /**
   * Counts order look-up attempts per order number, per store and per conversation, so new
   * visitors get no fresh tries (shared by every workers process in a cluster).
   */
  attempts: RateLimiter;
}

export const DEFAULT_LOW_CONFIDENCE = 0.45;

/** Payloads of the quick replies this engine sends; their one grammar lives in the shared contracts. */
export const parsePayload = parseActionPayload;

const CHECKOUT_WORDS = ["checkout", "check out", "place order", "place my order", "pay now", "complete my order", "complete order", "confirm order", "buy now", "اتمام الطلب", "اتمام", "اكمل الطلب", "كمل الطلب", "ادفع", "ثبت الطلب", "اطلب الحين", "اشتري الحين"];
const ADD_VERBS = ["add", "put", "ضيف", "ضيفي", "اضف", "اضيف", "حط", "حطي", "ضيفلي", "ضيف لي", "ضيفه", "ضيفها", "اضفه", "اضفها", "اضيفه", "اضيفها", "حطه", "حطها", "deefa", "deefah", "7ota", "7o6ha"];
/** "order 1001", "طلب رقم ١٠٠١", "#1001". */
const ORDER_REFERENCE = /^(?:my )?(?:order|order number|order no|طلب|طلبي|الطلب|رقم الطلب|رقم طلبي|طلب رقم)? ?\d{3,8}$/;

/** Unmistakable topic words: a follow-up that names another topic leaves the last one. */
const TOPICS: { intent: "shipping" | "returns_refunds" | "payment"; words: string[] }[] = [
  { intent: "shipping", words: ["shipping", "ship", "delivery", "deliver", "courier", "arrive", "توصيل", "التوصيل", "الشحن", "شحن", "توصلون", "يوصل", "توصل", "يوصلني", "tawseel", "sha7n", "twasloon", "shipping cost"] },
  { intent: "returns_refunds", words: ["return", "returns", "refund", "exchange", "send back", "ارجاع", "الارجاع", "استرجاع", "ارجع", "ارجعه", "ارجعها", "استبدال", "ابدل", "استرداد", "arja3", "estirja3"] },
  { intent: "payment", words: ["payment", "pay", "mada", "tabby", "tamara", "apple pay", "cash on delivery", "installments", "الدفع", "دفع", "مدى", "تابي", "تمارا", "ادفع", "تقسيط", "daf3", "adfa3"] },
];
/** "how long", "how many days", "how much", "كم يوم", "كم رسومه", "متى": the cost or time of what was just discussed. */
const HOW_MUCH_OR_LONG = ["how long", "how many days", "how much", "how soon", "when", "what does it cost", "fee", "cost", "كم يوم", "كم رسوم", "كم رسومه", "كم الرسوم", "كم سعره", "كم ياخذ", "متى", "كم مده", "kam yoom", "mata", "kam"];
const asksHowMuchOrLong = (text: string) => containsAny(text, HOW_MUCH_OR_LONG);
const topicNamed = (text: string) => TOPICS.find((t) => containsAny(withoutAttachedAnd(text), t.words))?.intent ?? null;

const WHICH_WORDS = ["which", "which one", "اي واحد", "ايهم", "أيهم", "اي وحده", "ayhum", "ay wa7ed"];
const CHEAPER_WORDS = ["cheaper", "cheapest", "less expensive", "ارخص", "أرخص", "الارخص", "ar5as"];
const THANKS_WORDS = ["thanks", "thank you", "thx", "shukran", "شكرا", "مشكور", "مشكورين", "يعطيك العافيه", "تسلم", "جزاك الله خير"];

const CART_WORDS = ["cart", "basket", "my cart", "سله", "سلتي", "السله"];
const REMOVE_WORDS = ["remove", "delete", "take out", "احذف", "شيل", "امسح", "طلع"];
/** Durations named without a number ("after a week", "بعد اسبوعين"). */
const DURATIONS: Array<[string, number]> = [["a week", 7], ["one week", 7], ["two weeks", 14], ["a month", 30], ["اسبوع", 7], ["أسبوع", 7], ["اسبوعين", 14], ["أسبوعين", 14], ["شهر", 30], ["يومين", 2], ["ثلاث ايام", 3]];
function daysAsked(text: string, numbers: readonly TypedNumber[]): number | null {
  const typed = firstOfKind(numbers, "days");
  if (typed !== null) return typed;
  return DURATIONS.find(([w]) => containsAny(text, [w]))?.[1] ?? null;
}

/** The texts of a part in the answer's digit style (names, labels); figures stay numbers. */
function partDigits(part: MessagePart, digits: (t: string) => string): MessagePart {
  switch (part.type) {
    case "product_card":
      return { ...part, name: digits(part.name) };
    case "cart":
      return { ...part, items: part.items.map((i) => ({ ...i, name: digits(i.name) })) };
    case "quick_replies":
      return { ...part, replies: part.replies.map((r) => ({ ...r, label: digits(r.label), ...(r.echo !== undefined ? { echo: digits(r.echo) } : {}) })) };
    default:
      return part;
  }
}

interface Decision {
  intent: string;
  confidence: number;
  answer: Answer;
}

export function createBotEngine(deps: BotEngineDeps): BotEngine {
  const streamDelayMs = deps.streamDelayMs ?? deps.config?.bot.streamDelayMs ?? 0;
  const llmConfig = deps.config?.llm ?? null;
  const chat: ChatClient | null =
    deps.chatClient !== undefined ? deps.chatClient : llmConfig ? createChatClient(llmConfig) : null;
  if (chat !== null && !deps.tokenBudget) throw new ConfigError("createBotEngine: an LLM is configured but no tokenBudget was given");
  const budget = deps.tokenBudget;
  const threshold = deps.lowConfidenceThreshold ?? DEFAULT_LOW_CONFIDENCE;
  const now = deps.now ?? (() => new Date());
  const metrics: BotMetrics | null = deps.metrics ? botMetrics(deps.metrics) : null;
  const { attempts } = deps;
  // One overlay per merchant, rebuilt only when that merchant's examples change.
  const merchantClassifiers = new Map<string, { key: string; classifier: IntentClassifierLike }>();
  function classifierFor(merchant: Merchant): IntentClassifierLike {
    const examples = merchant.bot.intentExamples ?? [];
    if (examples.length === 0) return deps.classifier;
    const key = JSON.stringify(examples);
    const cached = merchantClassifiers.get(merchant.id);
    if (cached?.key === key) return cached.classifier;
    const classifier = withMerchantExamples(deps.classifier, examples);
    merchantClassifiers.set(merchant.id, { key, classifier });
    return classifier;
  }

  async function faqAnswer(turn: Turn, strong = false): Promise<Answer | null> {
    // A "strong" hit may override the intent's own handler, so one shared word is not enough.
    const hit = strong ? searchFaq(await turn.faq(), turn.text, 0.5, 2) : searchFaq(await turn.faq(), turn.text);
    if (!hit) return null;
    const text = localized(hit.faq.answer, turn.lang);
    return text ? answer(text, [], { facts: text }) : null;
  }

  /** A product answer that found nothing gives way to an FAQ that fits ("do you have a store?"). */
  async function orFaq(turn: Turn, products: Answer): Promise<Answer> {
    return products.fallback ? ((await faqAnswer(turn)) ?? products) : products;
  }

  async function policy(turn: Turn, kind: "shipping" | "returns_refunds" | "payment", numbers: readonly TypedNumber[] = typeNumbers(turn.text)): Promise<Answer> {
    const items = await turn.knowledge();
    const currency = turn.merchant.currency;
    let text: string | null = null;
    if (kind === "shipping") {
      const p = shippingPolicyOf(items);
      if (p) {
        const named = placeMentioned(turn.text);
        const kept = turn.state.place ? placeMentioned(turn.state.place) : null;
        const place: Place | null = named ?? kept;
        const answered = shippingAnswer(p, currency, turn.lang, turn.text, { place, amount: firstOfKind(numbers, "price") });
        text = answered.text;
        if (named) turn.state.place = named.en;
        else if (answered.zone) turn.state.place = turn.state.place ?? answered.zone.name.en;
      }
    } else if (kind === "returns_refunds") {
      const p = returnsPolicyOf(items);
      if (p) text = returnsAnswer(p, currency, turn.lang, turn.text, { days: daysAsked(turn.text, numbers) });
    } else {
      const p = paymentPolicyOf(items);
      if (p) text = paymentAnswer(p, currency, turn.lang, turn.text);
    }
    if (text === null) return (await faqAnswer(turn)) ?? dontKnow(turn.lang);
    turn.state.topic = kind;
    return answer(text, [], { facts: text });
  }

  async function contact(turn: Turn): Promise<Answer | null> {
    const ask = contactAsked(turn.text);
    if (!ask) return null;
    const details = contactOf(await turn.knowledge());
    const text = details ? contactAnswer(details, ask, turn.lang) : null;
    if (text) {
      turn.state.topic = "contact";
      return answer(text, [], { facts: text });
    }
    // Hours or an address may be written as an FAQ instead: ask it in the words FAQs use.
    const asFaq = ask === "hours" ? `${turn.text} opening hours working hours customer service اوقات الدوام خدمة العملاء` : ask === "address" ? `${turn.text} location showroom store shop موقع محل معرض` : turn.text;
    return faqAnswer({ ...turn, text: asFaq });
  }

  async function purchase(turn: Turn): Promise<Answer> {
    if (containsAny(turn.text, REMOVE_WORDS) && turn.state.cart.length > 0) return removeByText(turn);
    if (containsAny(turn.text, CHECKOUT_WORDS)) return startCheckout(turn);
    if (containsAny(turn.text, CART_WORDS) && !startsWithAny(turn.text, ADD_VERBS)) return viewCart(turn);
    return addByText(turn);
  }

  async function byIntent(turn: Turn, intent: string, fromMenu: boolean, numbers: readonly TypedNumber[] = typeNumbers(turn.text)): Promise<Answer> {
    const lang = turn.lang;
    // A specific FAQ beats a generic handler for the topics FAQs usually cover.
    if (!fromMenu && ["product_search", "product_question", "shipping", "returns_refunds", "payment", "account", "invoice", "newsletter", "feedback", "other"].includes(intent)) {
      const strong = await faqAnswer(turn, true);
      if (strong) return strong;
    }
    switch (intent) {
      case "greeting": {
        if (containsAny(turn.text, THANKS_WORDS)) {
          return answer(pick(lang, "You're welcome! Anything else I can help with?", "العفو، حياك الله! فيه شي ثاني أقدر أساعدك فيه؟"), [MENU(lang, false)]);
        }
        const greeting = localized(turn.merchant.widget.greeting, lang);
        return answer(
          `${greeting}\n${pick(lang, "I can help you find products, track your order, or answer questions about delivery, returns and payment.", "أقدر أساعدك تلقى المنتج اللي تبيه، أو تتبع طلبك، أو أجاوبك عن التوصيل والإرجاع والدفع.")}`,
          [MENU(lang, false)],
        );
      }
      case "human":
        return handoff(lang, "requested");
      case "product_search":
        if (fromMenu) return answer(pick(lang, "What are you looking for? Tell me the product, colour, size or budget.", "وش تدور عليه؟ قول لي المنتج أو اللون أو المقاس أو الميزانية."));
        return orFaq(turn, await productSearchAnswer(turn));
      case "product_question":
        return orFaq(turn, await productQuestionAnswer(turn));
      case "shipping":
      case "returns_refunds":
      case "payment":
        return policy(turn, intent, numbers);
      case "order_status":
        return orderStatusAnswer(turn);
      case "order_change": {
        const returns = returnsPolicyOf(await turn.knowledge());
        const fee = returns?.cancellationFee ?? null;
        const feeText =
          fee === null
            ? ""
            : fee === 0
              ? pick(lang, " Cancelling before shipping is free.", " والإلغاء قبل الشحن بدون رسوم.")
              : pick(lang, ` Note: cancelling an order has a fee of ${formatMoney(fee, turn.merchant.currency, lang)}.`, ` للعلم، إلغاء الطلب عليه رسوم ${formatMoney(fee, turn.merchant.currency, lang)}.`);
        return handoff(
          lang,
          "order_change",
          pick(lang, "Changes and cancellations are handled by our team — I'm passing your request to a team member now; they'll reply here shortly.", "تعديل الطلبات وإلغاؤها يتم عن طريق فريقنا، وبحول طلبك الحين لأحد الموظفين وبيرد عليك هنا.") + feeText,
        );
      }
      case "purchase":
        return purchase(turn);
      case "feedback":
        return answer(
          pick(lang, "Thank you for your feedback — it really helps us improve! Is there anything else I can help with?", "شكراً على رأيك، يهمنا كثير ويساعدنا نتطور! فيه شي ثاني أقدر أساعدك فيه؟"),
          [HUMAN_REPLY(lang)],
        );
      default:
        return (await faqAnswer(turn)) ?? dontKnow(lang);
    }
  }

  /**
   * A message that only makes sense with the conversation so far: a delivery question about
   * another place or amount, "and after 5 days?", "وتابي؟", a question about a product just shown
   * ("بكم هذي؟", "size 44?", "the second one"), or a constraint on the last search ("cheaper").
   */
  async function inContext(turn: Turn, numbers: readonly TypedNumber[], classified: { intent: string; confidence: number }): Promise<Decision | null> {
    const state = turn.state;
    const done = (intent: string, a: Answer): Decision => ({ intent, confidence: 1, answer: a });
    const named = topicNamed(turn.text);
    // Kinds of product the message names; "كم وزنه؟" asks about a weight, it names no dumbbells.
    const kinds = productKinds(subjectWords(turn.text).join(" "));
    const short = isShort(turn.text, 6);
    const continuing = isContinuation(turn.text);
    const place = placeMentioned(turn.text);
    const confidentElsewhere = classified.confidence >= 0.8 && !["shipping", "product_search", "product_question", "other", "greeting"].includes(classified.intent);
    const amount = firstOfKind(numbers, "price");
    // Delivery: another place ("and Hail?" — a place even where "hail" is also cardamom), an
    // amount ("free if I spend 600?"), or the topic named in a short question.
    const shippingFollowUp =
      (place !== null && (state.topic === "shipping" || named === "shipping" || (short && kinds.size === 0))) ||
      (state.topic === "shipping" && named === null && kinds.size === 0 && (continuing || amount !== null)) ||
      (named === "shipping" && kinds.size === 0 && (short || amount !== null));
    if (!confidentElsewhere && shippingFollowUp) {
      if (amount !== null) state.amount = amount;
      else if (!continuing || place === null) state.amount = null;
      return done("shipping", await policy(turn, "shipping", state.amount !== null && amount === null ? [...numbers, { value: state.amount, kind: "price" }] : numbers));
    }
    // "how many days?", "وكم رسومه؟" right after a delivery answer: still about delivery.
    if (state.topic === "shipping" && named === null && kinds.size === 0 && isShort(turn.text, 5) && asksHowMuchOrLong(turn.text) && !confidentElsewhere) {
      return done("shipping", await policy(turn, "shipping", state.amount !== null && amount === null ? [...numbers, { value: state.amount, kind: "price" }] : numbers));
    }
    if ((named === null || named === "returns_refunds") && state.topic === "returns_refunds" && (continuing || daysAsked(turn.text, numbers) !== null) && short) {
      return done("returns_refunds", await policy(turn, "returns_refunds", numbers));
    }
    if (named === "payment" && short && kinds.size === 0 && (continuing || state.topic === "payment" || classified.intent !== "payment")) {
      return done("payment", await policy(turn, "payment", numbers));
    }
    if (named !== null) return null;
    // About the products just shown.
    const shown = await productsById(turn.store, state.lastShown);
    const focus = state.focus ? ((await productsById(turn.store, [state.focus]))[0] ?? null) : null;
    if (shown.length > 0 || focus) {
      const shownKinds = new Set(shown.flatMap((p) => [...productKinds(`${p.name.en} ${p.name.ar} ${p.tags.join(" ")}`)]));
      // Words that name another product ("what about capsules for it?") start a new search;
      // words that describe one of those shown ("the black one") do not.
      const describesShown = bestMatches(descriptorTokens(turn.text), focus ? [focus, ...shown] : shown).length > 0;
      // Only words that could name a product count ("do you have it in black?" names none).
      const naming = subjectWords(turn.text);
      const top = describesShown || naming.length === 0 ? undefined : (await turn.search.search(turn.store, naming.join(" "), 3)).items[0]?.product;
      const newKind = !describesShown && ([...kinds].some((k) => !shownKinds.has(k)) || (top !== undefined && !shown.some((p) => p.id === top.id) && top.id !== focus?.id));
      const asked = askedAbout(turn.text, numbers);
      const pointing = refersBack(turn.text);
      if (!newKind && (pointing || (asked !== null && short))) {
        // A colour or size asked of a list (not of one product) narrows the search instead.
        const narrowing = narrowingWords(turn.text);
        const { product, several } = resolveReference(turn.text, shown, focus);
        if (product && !(narrowing !== null && !pointing && shown.length > 1 && !focus)) {
          return done("product_question", await answerAboutProduct(turn, product, asked));
        }
        // "بكم هذي؟" after a list: the one shown first (the best match); "how much are they?": all.
        const first = shown[0];
        if (several && first && pointsAtOne(turn.text) && narrowing === null) return done("product_question", await answerAboutProduct(turn, first, asked));
        if (several && (asked?.kind === "price" || asked?.kind === "stock" || asked === null) && narrowing === null) {
          return done("product_question", showPrices(turn, shown));
        }
        // "Which one is cheaper?" compares what was shown.
        if (several && containsAny(turn.text, WHICH_WORDS) && containsAny(turn.text, CHEAPER_WORDS)) {
          const cheapest = [...shown].sort((a, b) => a.price - b.price)[0];
          if (cheapest) return done("product_question", await answerAboutProduct(turn, cheapest, { kind: "price" }));
        }
        // "How many ml is it?" after a list: the one shown first is what "it" is.
        if (several && first && pointing && asked !== null && narrowing === null) return done("product_question", await answerAboutProduct(turn, first, asked));
      }
    }
    // A constraint on the last search ("under 100 then", "for men", "cheaper?", "أرخص").
    if (state.lastQuery !== null && narrowingWords(turn.text) !== null) {
      return done("product_search", await productSearchAnswer(turn));
    }
    return null;
  }

  async function decide(turn: Turn): Promise<Decision> {
    const payload = parsePayload(turn.text);
    const lang = turn.lang;
    if (payload) {
      const done = (intent: string, a: Answer): Decision => ({ intent, confidence: 1, answer: a });
      switch (payload.kind) {
        case "human":
          return done("human", handoff(lang, "requested"));
        case "add":
          return done("purchase", await addByPayload(turn, payload.id ?? "", payload.quantity ?? 1));
        case "remove":
          return done("purchase", await removeByText(turn, payload.id));
        case "more":
          return done("product_search", await moreLikeThis(turn, payload.id ?? ""));
        case "checkout":
          return done("purchase", await startCheckout(turn));
        case "view_cart":
          return done("purchase", await viewCart(turn));
        case "cancel_checkout":
        case "confirm_order":
          return done("purchase", (await continueCheckout(turn, payload.kind)) ?? (await viewCart(turn)));
        default:
          return done(payload.intent ?? "other", await byIntent(turn, payload.intent ?? "other", true));
      }
    }
    const offer = turn.state.offer;
    turn.state.offer = null;
    const keywords = turn.merchant.bot.handoffKeywords.filter((k) => k.trim() !== "");
    if (keywords.length > 0 && containsAny(turn.text, keywords)) {
      return { intent: "human", confidence: 1, answer: handoff(lang, "keyword") };
    }
    const inCheckout = await continueCheckout(turn, null);
    if (inCheckout) return { intent: "purchase", confidence: 1, answer: inCheckout };
    const inLookup = await continueOrderLookup(turn);
    if (inLookup) return { intent: "order_status", confidence: 1, answer: inLookup };

    if (offer === "add" && isYes(turn.text)) return { intent: "purchase", confidence: 1, answer: await addByText({ ...turn, text: "" }) };
    if (offer !== null && isNo(turn.text)) {
      return { intent: "other", confidence: 1, answer: answer(pick(lang, "No problem! Anything else I can help with?", "ولا يهمك! فيه شي ثاني أقدر أساعدك فيه؟"), [MENU(lang, true)]) };
    }
    // "hello, do you have dates?": the greeting is set aside and the question answered.
    const { greeted, rest } = splitGreeting(turn.text);
    if (greeted && tokenize(rest).length === 0) {
      return { intent: "greeting", confidence: 1, answer: await byIntent(turn, "greeting", false) };
    }
    if (greeted) turn.text = rest;

    const focus = turn.state.focus ? ((await productsById(turn.store, [turn.state.focus]))[0] ?? null) : null;
    const sizesInView = focus !== null && Object.keys(focus.attributes).some((k) => /^(size|sizes|مقاس|المقاس)$/i.test(k));
    const numbers = typeNumbers(turn.text, { awaitingOrderNumber: turn.state.awaitingOrderNumber, sizesInView });
    const classified = classifierFor(turn.merchant).classify(turn.text);

    // "add 2 of the black one" is a cart command whatever else the words resemble.
    if (startsWithAny(turn.text, ADD_VERBS) && turn.state.lastShown.length > 0) {
      return { intent: "purchase", confidence: 1, answer: await addByText(turn) };
    }
    // "3 capsule packs pls": a quantity of a named product is an order for it.
    if (numbers.some((n) => n.kind === "quantity") && (classified.intent === "purchase" || classified.intent === "product_search") && subjectWords(turn.text).length > 0) {
      return { intent: "purchase", confidence: 1, answer: await addByText(turn) };
    }
    if (containsAny(turn.text, SIMILAR_WORDS) && turn.state.lastShown.length > 0) {
      return { intent: "product_search", confidence: 1, answer: await productSearchAnswer(turn) };
    }
    const asksContact = await contact(turn);
    if (asksContact) return { intent: classified.intent === "human" ? "other" : classified.intent, confidence: 1, answer: asksContact };
    const followed = await inContext(turn, numbers, classified);
    if (followed) {
      turn.state.lowConfidenceStreak = 0;
      return followed;
    }
    // Digits alone, or "order 1001": a look-up; other bare digits (a phone number) are unclear.
    const lettersless = !/\p{L}/u.test(turn.text);
    const orderNumber = numbers.find((n) => n.kind === "order") ?? (lettersless ? numbers.find((n) => n.kind === "unknown" && n.value >= 100) : undefined);
    if ((lettersless || ORDER_REFERENCE.test(normalizeText(turn.text))) && orderNumber && parseOrderNumber(turn.text) && !parsePhone(turn.text)) {
      return { intent: "order_status", confidence: 1, answer: await orderStatusAnswer(turn) };
    }
    if ((classified.confidence < threshold || lettersless) && classified.intent !== "human") {
      const faq = await faqAnswer(turn);
      if (faq) {
        turn.state.lowConfidenceStreak = 0;
        return { ...classified, answer: faq };
      }
      const topic = topicNamed(turn.text);
      if (topic) {
        turn.state.lowConfidenceStreak = 0;
        return { ...classified, intent: topic, answer: await byIntent(turn, topic, false) };
      }
      // Unclear wording but a clear product ("عندكم عبايات؟"): search has its own threshold.
      if (/\p{L}/u.test(turn.text)) {
        const products = await productSearchAnswer(turn);
        if (!products.fallback) {
          turn.state.lowConfidenceStreak = 0;
          return { ...classified, intent: "product_search", answer: products };
        }
        // Asked for a product the store does not carry: say so and what it does carry.
        if (classified.intent === "product_search" && namesProductKind(turn.text)) {
          turn.state.lowConfidenceStreak = 0;
          return { ...classified, answer: products };
        }
      }
      turn.state.lowConfidenceStreak += 1;
      if (turn.merchant.bot.lowConfidence === "handoff" || turn.state.lowConfidenceStreak >= 2) {
        turn.state.lowConfidenceStreak = 0;
        return {
          ...classified,
          answer: handoff(
            lang,
            "low_confidence",
            pick(lang, "I want to make sure you get the right answer, so I'm bringing in a team member — they'll reply here shortly.", "عشان تاخذ الجواب الصحيح، بحولك على أحد موظفينا وبيرد عليك هنا بأقرب وقت."),
          ),
        };
      }
      return {
        ...classified,
        answer: answer(pick(lang, "Sorry, I didn't quite catch that. What can I help you with?", "المعذرة، ما فهمت عليك تماماً. وش أقدر أساعدك فيه؟"), [MENU(lang, true)]),
      };
    }
    turn.state.lowConfidenceStreak = 0;
    return { ...classified, answer: await byIntent(turn, classified.intent, false, numbers) };
  }

  /**
   * While the shopper waits for a person and nobody is online, the bot answers what the store's
   * data answers (or only says when someone will reply), as the merchant chose; it never hands
   * off again or guesses.
   */
  async function decideWhileWaiting(turn: Turn): Promise<Decision | null> {
    const mode = turn.merchant.bot.whileWaiting;
    if (mode === "silent") return null;
    const when = async (): Promise<Decision> => ({ intent: "human", confidence: 1, answer: answer(replyWhenLine(contactOf(await turn.knowledge()), turn.lang)) });
    if (mode === "notice") return when();
    const decision = await decide(turn);
    const a = decision.answer;
    // Only what the store's data answers; anything a person must handle waits for them.
    if (a.handoff || a.fallback || decision.intent === "human" || decision.intent === "order_change") return when();
    return decision;
  }

  async function* speak(turn: Turn, a: Answer, signal: AbortSignal, onDelta: () => void): AsyncGenerator<string> {
    const llmAllowed = chat !== null && budget !== undefined && a.facts !== undefined && turn.merchant.bot.llmMonthlyTokenBudget > 0;
    if (llmAllowed) {
      const month = monthKey(now());
      const used = await budget.used(turn.merchant.id, month);
      if (used < turn.merchant.bot.llmMonthlyTokenBudget && !signal.aborted) {
        const outcome: PhraseOutcome = { status: "error", tokens: 0, problems: [] };
        let emitted = false;
        for await (const sentence of guardedPhrasing(
          chat,
          { storeName: turn.merchant.name, lang: turn.lang, question: turn.text, facts: a.facts ?? "" },
          signal,
          outcome,
        )) {
          for (const chunk of wordChunks(sentence)) {
            if (signal.aborted) break;
            onDelta();
            emitted = true;
            yield chunk;
          }
        }
        await budget.add(turn.merchant.id, month, outcome.tokens);
        metrics?.llm.inc({ outcome: outcome.status });
        if (outcome.status === "used" || outcome.status === "aborted" || signal.aborted) return;
        deps.logger?.warn({ problems: outcome.problems, error: outcome.error }, "LLM phrasing not used; falling back to built-in answer");
        // Sentences already shown were checked, so they stay; the built-in phrasing completes the answer.
        for await (const chunk of paced(emitted ? `\n\n${a.text}` : a.text, streamDelayMs, signal)) {
          onDelta();
          yield chunk;
        }
        return;
      }
      metrics?.llm.inc({ outcome: "over_budget" });
    }
    for await (const chunk of paced(a.text, streamDelayMs, signal)) {
      onDelta();
      yield chunk;
    }
  }

  return {
    async *reply(input: BotTurnInput, signal: AbortSignal): AsyncGenerator<BotEvent> {
      const started = performance.now();
      const last = [...input.history].reverse().find((m) => m.role === "shopper");
      // The bot reads words only: what a photo or file shows is for a person to look at.
      const media = last ? last.parts.filter((p) => p.type === "attachment") : [];
      if (!last || (last.text.trim() === "" && media.length === 0) || signal.aborted) return;
      const { conversationId } = input;
      // Products read once per turn (search's fresh read and the answer's cards are the same rows).
      const store = turnStore(input.store);
      const [merchant, state, conversation] = await Promise.all([store.merchant.get(), loadBotState(store, conversationId), input.conversation ?? store.conversations.get(conversationId)]);
      const text = last.text.trim();
      if (text === "") {
        // A photo or file without a question: say plainly that the bot cannot see it, that a
        // person will look, and offer one; nothing is searched or guessed from the picture.
        const lang = state.lang ?? (input.locale === "ar" ? "ar" : "en");
        const reply = mediaOnlyAnswer(lang, media);
        yield { type: "intent", intent: "other", confidence: 1, fallback: false };
        for await (const chunk of paced(reply.text, streamDelayMs, signal)) {
          if (signal.aborted) return;
          yield { type: "delta", text: chunk };
        }
        for (const part of reply.parts) yield { type: "part", part };
        return;
      }
      const inFlow = state.checkout !== null || state.verifying !== null || state.awaitingOrderNumber;
      const isPayload = parsePayload(text) !== null;
      const lang = pickLanguage(text, state.lang, input.locale, isPayload || (inFlow && !/[A-Za-z]{3,}\s+[A-Za-z]{3,}/.test(text)));
      state.lang = lang;
      // Held between turns when the engine was given a KnowledgeIndex (kept current by knowledge
      // writes); without one, read once for this turn.
      let knowledge: Promise<MerchantKnowledge> | null = null;
      const known = () => (knowledge ??= deps.knowledge ? deps.knowledge.get(store) : store.knowledge.all().then((items) => ({ items, faq: buildFaqIndex(items) })));
      const turn: Turn = {
        store,
        conversationId,
        merchant,
        state,
        lang,
        text,
        search: deps.search,
        knowledge: async () => (await known()).items,
        faq: async () => (await known()).faq,
        attempts,
        visitorId: conversation?.visitorId ?? null,
      };
      const waiting = conversation?.status === "waiting_human";
      const decision = waiting ? await decideWhileWaiting(turn) : await decide(turn);
      // The decision's effects (cart, verification) happened; keep them even if the stream stops.
      await saveBotState(store, conversationId, turn.state);
      if (!decision) return;
      // One digit style in everything the answer shows, its cards and buttons included.
      const digits = (t: string) => localizeDigits(t, lang, merchant.bot.arabicDigits);
      // With a photo or file alongside the words, the answer says first that it comes from the
      // words alone (and keeps the built-in phrasing: no LLM gets to describe an unseen picture).
      const answered = media.length > 0 && !decision.answer.handoff ? withMediaNotice(decision.answer, lang, media) : decision.answer;
      const a = { ...answered, text: digits(answered.text), parts: answered.parts.map((p) => partDigits(p, digits)) };
      metrics?.answers.inc({ intent: decision.intent });
      if (a.fallback) metrics?.fallbacks.inc();
      if (a.handoff) metrics?.handoffs.inc({ reason: a.handoff });
      if (signal.aborted) return;
      yield { type: "intent", intent: decision.intent, confidence: decision.confidence, fallback: a.fallback === true };
      let first = true;
      const onDelta = () => {
        if (first) {
          first = false;
          metrics?.firstDelay.observe((performance.now() - started) / 1000);
        }
      };
      for await (const chunk of speak(turn, a, signal, onDelta)) {
        if (signal.aborted) return;
        yield { type: "delta", text: chunk };
      }
      if (signal.aborted) return;
      for (const part of a.parts) yield { type: "part", part };
      if (a.handoff) yield { type: "handoff", reason: a.handoff };
    },
  };
}

type MediaPart = Extract<MessagePart, { type: "attachment" }>;
const isPicture = (media: readonly MediaPart[]) => media.every((p) => p.kind === "image" || p.kind === "sticker");
const TALK_TO_PERSON = (lang: "en" | "ar"): MessagePart => ({ type: "quick_replies", replies: [{ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" }] });

/** A photo or file with no words: the bot cannot see it; a person will. */
export function mediaOnlyAnswer(lang: "en" | "ar", media: readonly MediaPart[]): Answer {
  const text = isPicture(media)
    ? pick(
        lang,
        "Thanks for the photo! I can't see pictures, so a person from our team will look at it. If you tell me in words what you're looking for (product, colour, size), I can search for it now.",
        "شكرًا على الصورة! ما أقدر أشوف الصور، فبيطالعها واحد من فريقنا. إذا كتبت لي وش تدور عليه (المنتج أو اللون أو المقاس) أقدر أبحث لك الحين.",
      )
    : pick(
        lang,
        "Thanks, I got your file. I can't open attachments, so a person from our team will look at it. Tell me in words what you need and I'll help meanwhile.",
        "شكرًا، وصلني الملف. ما أقدر أفتح المرفقات، فبيطالعه واحد من فريقنا. قول لي وش تحتاج وأساعدك في الأثناء.",
      );
  return answer(text, [TALK_TO_PERSON(lang)]);
}

/** The answer to the words, led by a line that the picture itself was not seen. */
export function withMediaNotice(a: Answer, lang: "en" | "ar", media: readonly MediaPart[]): Answer {
  const notice = isPicture(media)
    ? pick(lang, "I can't see photos, so this answer is from your message only; a person from our team can look at the picture.", "ما أقدر أشوف الصور، فهذا الرد على كلامك فقط؛ واحد من فريقنا يقدر يطالع الصورة.")
    : pick(lang, "I can't open attachments, so this answer is from your message only; a person from our team can look at the file.", "ما أقدر أفتح المرفقات، فهذا الرد على كلامك فقط؛ واحد من فريقنا يقدر يطالع الملف.");
  // One set of choices per message (clients show the first): "talk to a person" joins it.
  const person = (TALK_TO_PERSON(lang) as Extract<MessagePart, { type: "quick_replies" }>).replies[0]!;
  const hasChoices = a.parts.some((p) => p.type === "quick_replies");
  const parts: MessagePart[] = hasChoices
    ? a.parts.map((p) => (p.type === "quick_replies" && !p.replies.some((r) => r.payload === "human") ? { ...p, replies: [...p.replies, person] } : p))
    : [...a.parts, TALK_TO_PERSON(lang)];
  const { facts: _facts, ...rest } = a;
  return { ...rest, text: `${notice}\n\n${a.text}`, parts };
}
