// Product answers: search results as cards with a nudge to the cart, questions about one product,
// and "more like this".
import type { MessagePart, Product, ProductCardPart } from "@kaleem/shared";
import { answer, type Answer } from "./answer.js";
import { formatMoney, joinList, localized, pick } from "./lang.js";
import type { Lang } from "./state.js";
import { productsById, type Turn } from "./turn.js";
import { narrowingWords } from "./refine.js";
import { isQuestionTerm, type Asked } from "./followups.js";
import { parseQuery, productFacts } from "../search/constraints.js";
import { analyze, COLOUR_PREFIX, MATERIAL_PREFIX } from "../search/analyze.js";
import { bestMatches, containsAny, contentWords, descriptorTokens } from "./words.js";

export const SEARCH_LIMIT = 4;

export function productCard(product: Product, lang: Lang): ProductCardPart {
  return {
    type: "product_card",
    productId: product.id,
    name: localized(product.name, lang),
    price: product.price,
    currency: product.currency,
    imageUrl: product.imageUrl,
    url: product.url,
    inStock: product.stock > 0,
  };
}

export function productLine(product: Product, lang: Lang): string {
  const name = localized(product.name, lang);
  const price = formatMoney(product.price, product.currency, lang);
  const stock = product.stock > 0 ? "" : pick(lang, " (out of stock)", " (نفدت الكمية)");
  return `• ${name} — ${price}${stock}`;
}

export function shortName(product: Product, lang: Lang): string {
  const name = localized(product.name, lang);
  return name.length > 24 ? `${name.slice(0, 23)}…` : name;
}

/** The shopper's bubble after tapping "Add": the full name, not the truncated button label. */
export function addedEcho(product: Product, lang: Lang): string {
  return pick(lang, `Added ${localized(product.name, lang)} to the cart`, `أضفت ${localized(product.name, lang)} للسلة`);
}

/** Quick replies under product cards: add the first in-stock ones, more like the top one, a person. */
export function productQuickReplies(products: Product[], lang: Lang): MessagePart {
  const replies: Array<{ label: string; payload: string; echo?: string }> = products
    .filter((p) => p.stock > 0)
    .slice(0, 2)
    .map((p) => ({ label: pick(lang, `Add ${shortName(p, lang)}`, `أضف ${shortName(p, lang)}`), payload: `add:${p.id}`, echo: addedEcho(p, lang) }));
  const top = products[0];
  if (top) replies.push({ label: pick(lang, "More like this", "أبي شي مشابه"), payload: `more:${top.id}` });
  replies.push({ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" });
  return { type: "quick_replies", replies };
}

/** "How much are they?" about the products just shown: their prices, the list kept. */
export function showPrices(turn: Turn, shown: Product[]): Answer {
  return showProducts(turn, shown, pick(turn.lang, "Here are the prices:", "هذي الأسعار:"), pick(turn.lang, "Want me to add one to your cart?", "تبي أضيف لك واحد منها للسلة؟"));
}

function showProducts(turn: Turn, found: Product[], intro: string, outro: string): Answer {
  // What can be bought first; the search order is kept within each group.
  const products = [...found.filter((p) => p.stock > 0), ...found.filter((p) => p.stock <= 0)];
  turn.state.lastShown = products.map((p) => p.id);
  turn.state.focus = products.length === 1 ? (products[0]?.id ?? null) : null;
  turn.state.topic = "products";
  if (products.some((p) => p.stock > 0)) turn.state.offer = "add";
  const text = [intro, ...products.map((p) => productLine(p, turn.lang)), outro].join("\n");
  return answer(text, [...products.map((p) => productCard(p, turn.lang)), productQuickReplies(products, turn.lang)], { facts: text });
}

async function searchActive(turn: Turn, query: string, limit: number): Promise<Product[]> {
  const { items } = await turn.search.search(turn.store, query, limit);
  return items.map((hit) => hit.product).filter((p) => p.status === "active");
}

export async function notFound(turn: Turn): Promise<Answer> {
  const { items } = await turn.store.categories.list({ limit: 8 });
  const names = items.map((c) => localized(c.name, turn.lang)).filter(Boolean);
  const carry = names.length
    ? pick(turn.lang, ` We carry ${joinList(names, turn.lang)}.`, ` عندنا ${joinList(names, turn.lang)}.`)
    : "";
  return answer(
    pick(
      turn.lang,
      `I couldn't find a product that matches that in our store.${carry} Could you describe what you need differently, or would you like to talk to a person?`,
      `ما لقيت منتج يطابق طلبك في متجرنا.${carry} تقدر توصف طلبك بطريقة ثانية، أو تحب أحولك على موظف؟`,
    ),
    [{ type: "quick_replies", replies: [{ label: pick(turn.lang, "Talk to a person", "أكلم موظف"), payload: "human" }] }],
    { fallback: true },
  );
}

export const SIMILAR_WORDS = ["more like", "similar", "like this", "like that", "مشابه", "شبيه", "زي هذا", "زي هذي", "مثل هذا", "مثل هذي"];

export async function productSearchAnswer(turn: Turn, query: string = turn.text): Promise<Answer> {
  if (query === turn.text && containsAny(turn.text, SIMILAR_WORDS) && turn.state.lastShown.length > 0) {
    const shown = await productsById(turn.store, turn.state.lastShown);
    const matches = bestMatches(descriptorTokens(turn.text), shown);
    const base = matches.length === 1 ? matches[0] : shown.length === 1 ? shown[0] : undefined;
    if (base) return moreLikeThis(turn, base.id);
  }
  // "what about under 100?" narrows what was asked before instead of starting over.
  const narrowing = query === turn.text && turn.state.lastQuery !== null ? narrowingWords(query) : null;
  let effective = narrowing !== null ? `${turn.state.lastQuery} ${narrowing}` : query;
  // "Cheaper?" means cheaper than what was just shown, unless a price was given.
  const asked = narrowing !== null ? parseQuery(narrowing).constraints : null;
  const shownBefore = asked?.cheap && asked.maxPrice === null ? await productsById(turn.store, turn.state.lastShown) : [];
  const below = (price: number | undefined) => (price !== undefined && price > 0 ? `${effective} under ${Math.max(0, Math.ceil(price) - 1)}` : null);
  const cheapest = below(shownBefore.length > 0 ? Math.min(...shownBefore.map((p) => p.price)) : undefined);
  let products = await searchActive(turn, cheapest ?? effective, SEARCH_LIMIT);
  // Nothing below the cheapest shown: below the one shown first, then.
  const belowFirst = below(shownBefore[0]?.price);
  if (products.length === 0 && cheapest !== null && belowFirst !== null) products = await searchActive(turn, belowFirst, SEARCH_LIMIT);
  if (cheapest !== null) effective = turn.state.lastQuery ?? effective;
  if (products.length === 0 && cheapest !== null) {
    return answer(
      pick(turn.lang, "Those are already the most affordable options I have for that.", "هذي أرخص الخيارات اللي عندي لطلبك."),
      [productQuickReplies(shownBefore, turn.lang)],
    );
  }
  if (products.length === 0 && narrowing !== null && turn.state.focus) {
    const [focused] = await productsById(turn.store, [turn.state.focus]);
    if (focused) return notThatWay(turn, focused);
  }
  if (products.length === 0) return notFound(turn);
  turn.state.lastQuery = effective.slice(0, 500);
  const inStock = products.some((p) => p.stock > 0);
  return showProducts(
    turn,
    products,
    pick(turn.lang, products.length === 1 ? "Here's what I found:" : "Here are some options for you:", products.length === 1 ? "هذا اللي لقيته لك:" : "هذي بعض الخيارات لك:"),
    inStock ? pick(turn.lang, "Want me to add one to your cart?", "تبي أضيف لك واحد منها للسلة؟") : pick(turn.lang, "Want to see something similar?", "تبي أشوف لك شي مشابه؟"),
  );
}

/** "Do you have it in size 60?" when it does not come that way: say what it does come in. */
function notThatWay(turn: Turn, product: Product): Answer {
  const lang = turn.lang;
  const name = localized(product.name, lang);
  const attributes = Object.entries(product.attributes).filter(([, v]) => v.trim() !== "");
  const lines = [pick(lang, `Sorry, ${name} doesn't come like that.`, `للأسف ${name} ما يتوفر بهالمواصفات.`)];
  if (attributes.length > 0) {
    lines.push(pick(lang, "It comes in:", "المتوفر منه:"), attributes.map(([k, v]) => `• ${attributeLabel(k, lang)}: ${v}`).join("\n"));
  }
  lines.push(pick(lang, "Want to see similar products?", "تبي أشوف لك منتجات مشابهة؟"));
  const text = lines.join("\n");
  return answer(
    text,
    [
      {
        type: "quick_replies",
        replies: [
          { label: pick(lang, "More like this", "أبي شي مشابه"), payload: `more:${product.id}` },
          { label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" },
        ],
      },
    ],
    { facts: text },
  );
}

export async function moreLikeThis(turn: Turn, productId: string): Promise<Answer> {
  const [product] = await productsById(turn.store, [productId]);
  if (!product) return productSearchAnswer(turn, "");
  const category = product.categoryId ? await turn.store.categories.get(product.categoryId) : null;
  // The category finds its siblings; the full name would only find the product itself.
  const query = category ? `${category.name.en} ${category.name.ar}` : product.tags.join(" ") || localized(product.name, turn.lang);
  const exclude = new Set([product.id]);
  const found = (await searchActive(turn, query, SEARCH_LIMIT + 4)).filter((p) => !exclude.has(p.id)).slice(0, 3);
  if (found.length === 0) {
    return answer(
      pick(turn.lang, "That's the closest we have right now. Anything else I can help with?", "هذا أقرب شي عندنا حالياً. تبي أساعدك بشي ثاني؟"),
      [{ type: "quick_replies", replies: [{ label: pick(turn.lang, "Talk to a person", "أكلم موظف"), payload: "human" }] }],
    );
  }
  return showProducts(
    turn,
    found,
    pick(turn.lang, `Similar to ${localized(product.name, turn.lang)}:`, `منتجات مشابهة لـ${localized(product.name, turn.lang)}:`),
    pick(turn.lang, "Want me to add one to your cart?", "تبي أضيف لك واحد منها للسلة؟"),
  );
}

const QUESTION_WORDS = new Set(
  (
    "is are do does did can could what which how much many price cost costs available availability stock have has there size sizes large small medium " +
    "colour color colours colors material made fabric long tell about any still left there come comes " +
    "هل كم سعر بكم متوفر متوفره موجود موجوده فيه مقاس مقاسات لون الوان الوان خامه قماش عن يجي تجي باقي كبير صغير وسط"
  ).split(" "),
);

const REFERENCE_WORDS = ["it", "this", "that", "this one", "that one", "هذا", "هذي", "هذه", "ذا", "ذي", "هو", "هي"];

/** Qualities asked of products ("cheaper", "more elegant"): they describe, they never name one. */
const QUALITY_CONCEPTS = new Set(["§cheap", "§luxury", "§comfort", "§elegant", "§light", "§longlasting", "§large"]);

/** The words of a question that could name a product: question words, colours, sizes and numbers set aside. */
export function subjectWords(text: string): string[] {
  const analysis = analyze(text);
  const colourOrMaterial = new Set(
    analysis.concepts
      .filter((c) => c.id.startsWith(COLOUR_PREFIX) || c.id.startsWith(MATERIAL_PREFIX) || QUALITY_CONCEPTS.has(c.id))
      .flatMap((c) => analysis.tokens.slice(c.start, c.end).map((t) => t.norm)),
  );
  return contentWords(text).filter((t) => !QUESTION_WORDS.has(t) && !REFERENCE_WORDS.includes(t) && !colourOrMaterial.has(t) && !isQuestionTerm(t) && !/^(xs|s|m|l|xl|xxl)$/.test(t));
}

/** The product a question is about: one of those just shown, else the best search hit. */
async function productInQuestion(turn: Turn): Promise<Product | Product[] | null> {
  const shown = await productsById(turn.store, turn.state.lastShown);
  if (shown.length > 0) {
    const matches = bestMatches(descriptorTokens(turn.text), shown);
    if (matches.length === 1) return matches[0] ?? null;
    const tokens = turn.text.toLowerCase().split(/\s+/);
    const refersBack = REFERENCE_WORDS.some((w) => tokens.includes(w));
    if (refersBack && shown.length === 1) return shown[0] ?? null;
  }
  let hits = (await turn.search.search(turn.store, turn.text, SEARCH_LIMIT)).items.filter((h) => h.product.status === "active");
  if (hits.length === 0) {
    // Questions carry words no product has ("is … available in large?"): retry with the rest.
    const subject = contentWords(turn.text).filter((t) => !QUESTION_WORDS.has(t));
    if (subject.length === 0) return null;
    hits = (await turn.search.search(turn.store, subject.join(" "), SEARCH_LIMIT)).items.filter((h) => h.product.status === "active");
  }
  const [top, second] = hits;
  if (!top) return null;
  // "how much are abayas?" is about several products alike: list them rather than pick one.
  if (second && second.score >= 0.8 * top.score) return hits.map((h) => h.product);
  return top.product;
}

export async function productQuestionAnswer(turn: Turn, asked: Asked | null = null): Promise<Answer> {
  const found = await productInQuestion(turn);
  if (!found) return await notFound(turn);
  if (Array.isArray(found)) {
    return showProducts(
      turn,
      found,
      pick(turn.lang, "Here are the prices:", "هذي الأسعار:"),
      pick(turn.lang, "Want me to add one to your cart?", "تبي أضيف لك واحد منها للسلة؟"),
    );
  }
  return answerAboutProduct(turn, found, asked);
}

/** Values of the product's size attribute ("S, M, L", "54 / 56"), or null when it has none. */
function sizesOf(product: Product): string[] | null {
  const entry = Object.entries(product.attributes).find(([k]) => /^(size|sizes|مقاس|المقاس|المقاسات)$/i.test(k));
  if (!entry) return null;
  return entry[1].split(/[,/|،]|\s+-\s+|\s+/).map((v) => v.trim()).filter(Boolean);
}

function attributeEntry(product: Product, key: string): [string, string] | null {
  const wanted = key.toLowerCase();
  const entry = Object.entries(product.attributes).find(([k, v]) => v.trim() !== "" && (k.toLowerCase() === wanted || k.toLowerCase().startsWith(wanted) || ATTRIBUTE_LABELS[k.toLowerCase()]?.en.toLowerCase() === wanted));
  return entry ?? null;
}

function priceLine(product: Product, lang: Lang, currency: string): string {
  const name = localized(product.name, lang);
  return (
    pick(lang, `${name} costs ${formatMoney(product.price, currency, lang)}`, `${name} بسعر ${formatMoney(product.price, currency, lang)}`) +
    (product.stock > 0 ? pick(lang, " and it's in stock.", "، والمنتج متوفر.") : pick(lang, ", but it's out of stock right now.", "، بس الكمية نفدت حالياً."))
  );
}

/** What the shopper asked about one product: a size, a colour, an attribute, or everything. */
export async function answerAboutProduct(turn: Turn, product: Product, asked: Asked | null): Promise<Answer> {
  const lang = turn.lang;
  const name = localized(product.name, lang);
  const currency = product.currency;
  // The list stays for "the black one"; the product asked about becomes what "it" means.
  if (!turn.state.lastShown.includes(product.id)) turn.state.lastShown = [product.id];
  turn.state.focus = product.id;
  turn.state.topic = "product";
  if (!turn.state.lastQuery) turn.state.lastQuery = localized(product.name, "en") || name;
  if (product.stock > 0) turn.state.offer = "add";
  const outro = product.stock > 0 ? pick(lang, "Shall I add it to your cart?", "أضيفه لك في السلة؟") : "";
  const card = [productCard(product, lang), productQuickReplies([product], lang)];
  const done = (lines: string[]) => {
    const text = [...lines, ...(outro ? [outro] : [])].join("\n");
    return answer(text, card, { facts: text });
  };
  if (asked?.kind === "size") {
    const sizes = sizesOf(product);
    const value = asked.value.toLowerCase();
    if (sizes && sizes.some((s) => s.toLowerCase() === value)) {
      return done([pick(lang, `Yes, ${name} comes in size ${asked.value}.`, `إيه نعم، ${name} متوفر بمقاس ${asked.value}.`), priceLine(product, lang, currency)]);
    }
    if (sizes && !sizes.some((s) => /free|one size|فري/i.test(s))) {
      turn.state.offer = null;
      return answer(
        [
          pick(lang, `Sorry, ${name} doesn't come in size ${asked.value}.`, `للأسف ${name} ما يتوفر بمقاس ${asked.value}.`),
          pick(lang, `It comes in: ${sizes.join(", ")}.`, `المقاسات المتوفرة: ${sizes.join("، ")}.`),
          pick(lang, "Want to see similar products?", "تبي أشوف لك منتجات مشابهة؟"),
        ].join("\n"),
        [similarReplies(product, lang)],
      );
    }
  }
  if (asked?.kind === "colour") {
    const colours = productFacts(product, "").colours;
    if (colours?.has(asked.value)) return done([pick(lang, `Yes, ${name} is ${colourName(asked.value, lang)}.`, `إيه نعم، ${name} لونه ${colourName(asked.value, lang)}.`), priceLine(product, lang, currency)]);
    if (colours !== null) {
      // Not this one: the same kind of product in that colour, if the store has one.
      // The kind of product (its first tag, as catalogs write it), not its own name: the name
      // carries its own colour and material, which would fight the one asked for.
      const kind = product.tags[0] ?? localized(product.name, "en");
      const query = `${kind} ${colourName(asked.value, "en")}`;
      const others = (await searchActive(turn, query, SEARCH_LIMIT)).filter((p) => p.id !== product.id);
      const colourValue = attributeEntry(product, "color") ?? attributeEntry(product, "colour");
      const intro = pick(lang, `${name} comes in ${colourValue?.[1] ?? "another colour"}.`, `${name} لونه ${colourValue?.[1] ?? "مختلف"}.`);
      if (others.length > 0) {
        return showProducts(turn, others, `${intro}\n${pick(lang, `In ${colourName(asked.value, lang)} we have:`, `وبال${colourName(asked.value, lang)} عندنا:`)}`, pick(lang, "Want me to add one to your cart?", "تبي أضيف لك واحد منها للسلة؟"));
      }
      turn.state.offer = null;
      return answer(`${intro}\n${pick(lang, `I couldn't find it in ${colourName(asked.value, lang)}.`, `وما لقيته باللون ${colourName(asked.value, lang)}.`)}`, [similarReplies(product, lang)]);
    }
  }
  if (asked?.kind === "attribute") {
    const entry = attributeEntry(product, asked.key);
    if (entry) return done([`${name} — ${attributeLabel(entry[0], lang)}: ${entry[1]}`, priceLine(product, lang, currency)]);
  }
  if (asked?.kind === "price" || asked?.kind === "stock") return done([priceLine(product, lang, currency)]);
  const lines = [priceLine(product, lang, currency)];
  const attributes = Object.entries(product.attributes).filter(([, v]) => v.trim() !== "");
  if (attributes.length > 0) lines.push(attributes.map(([k, v]) => `• ${attributeLabel(k, lang)}: ${v}`).join("\n"));
  const description = localized(product.description, lang);
  if (description) lines.push(firstSentence(description));
  return done(lines);
}

function similarReplies(product: Product, lang: Lang): MessagePart {
  return {
    type: "quick_replies",
    replies: [
      { label: pick(lang, "More like this", "أبي شي مشابه"), payload: `more:${product.id}` },
      { label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" },
    ],
  };
}

const COLOUR_NAMES: Record<string, { en: string; ar: string }> = {
  black: { en: "black", ar: "أسود" }, white: { en: "white", ar: "أبيض" }, red: { en: "red", ar: "أحمر" }, blue: { en: "blue", ar: "أزرق" },
  navy: { en: "navy", ar: "كحلي" }, green: { en: "green", ar: "أخضر" }, grey: { en: "grey", ar: "رمادي" }, brown: { en: "brown", ar: "بني" },
  beige: { en: "beige", ar: "بيج" }, pink: { en: "pink", ar: "وردي" }, purple: { en: "purple", ar: "بنفسجي" }, gold: { en: "gold", ar: "ذهبي" },
  silver: { en: "silver", ar: "فضي" }, yellow: { en: "yellow", ar: "أصفر" }, orange: { en: "orange", ar: "برتقالي" }, burgundy: { en: "burgundy", ar: "عنابي" },
};
function colourName(id: string, lang: Lang): string {
  return COLOUR_NAMES[id]?.[lang] ?? id;
}

function firstSentence(text: string): string {
  const match = text.match(/^.{20,220}?[.!?؟](\s|$)/s);
  return (match ? match[0] : text.slice(0, 220)).trim();
}

const ATTRIBUTE_LABELS: Record<string, { en: string; ar: string }> = {
  color: { en: "Colour", ar: "اللون" },
  colour: { en: "Colour", ar: "اللون" },
  size: { en: "Size", ar: "المقاس" },
  sizes: { en: "Sizes", ar: "المقاسات" },
  material: { en: "Material", ar: "الخامة" },
  volume: { en: "Size", ar: "الحجم" },
  family: { en: "Scent", ar: "العائلة العطرية" },
  pieces: { en: "Pieces", ar: "عدد القطع" },
  type: { en: "Type", ar: "النوع" },
  weight: { en: "Weight", ar: "الوزن" },
  capacity: { en: "Capacity", ar: "السعة" },
  origin: { en: "Origin", ar: "المصدر" },
  audience: { en: "For", ar: "لـ" },
  style: { en: "Style", ar: "الستايل" },
  battery: { en: "Battery", ar: "البطارية" },
  power: { en: "Power", ar: "القوة" },
  scent: { en: "Scent", ar: "الرائحة" },
  roast: { en: "Roast", ar: "التحميص" },
};

function attributeLabel(key: string, lang: Lang): string {
  const known = ATTRIBUTE_LABELS[key.toLowerCase()];
  if (known) return known[lang];
  // A merchant's own attribute name, written as a label ("gift_box" → "Gift box").
  const words = key.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
