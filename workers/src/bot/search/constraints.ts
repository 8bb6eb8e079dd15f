// Hard requirements stated in a query (price range in SAR, colour, material, size, audience,
// age) and the matching facts of a product. A product that breaks a stated requirement is
// never returned; what remains of the query is ranked.
import type { Product } from "@kaleem/shared";
import {
  AUDIENCE_PREFIX,
  COLOUR_PREFIX,
  MATERIAL_PREFIX,
  analyze,
  searchWords,
  type Analysis,
  type ConceptHit,
} from "./analyze.js";
import { COLOUR_ALSO_MATCHES, type Audience } from "./lexicon.js";

export interface QueryConstraints {
  minPrice: number | null;
  maxPrice: number | null;
  colours: string[];
  materials: string[];
  sizes: string[];
  audience: Audience | null;
  age: number | null;
  /** The shopper asked for something cheap: a preference, not a filter. */
  cheap: boolean;
}

export interface ParsedQuery {
  constraints: QueryConstraints;
  analysis: Analysis;
  /** Token indexes spent on constraints (price phrases, size, age); not ranked. */
  consumed: Set<number>;
}

const MAX_CUES = [
  "under", "below", "less than", "lower than", "cheaper than", "up to", "upto", "max", "maximum", "at most", "within",
  "no more than", "not more than", "not over", "budget", "budget of", "budget is", "my budget is", "around", "about",
  "approximately", "for less than", "اقل من", "أقل من", "تحت", "دون", "ما يتجاوز", "لا يتجاوز", "ما يزيد عن", "لا يزيد عن",
  "ما يزيد على", "ارخص من", "أرخص من", "باقل من", "بأقل من", "بسعر اقل من", "باقل", "ب", "بسعر", "بحدود ال", "حدود", "بحدود", "في حدود", "الميزانية", "الميزانيه", "ميزانيتي", "ميزانية", "والميزانية",
  "والميزانيه", "حد اقصى", "بحد اقصى", "اقصى", "ما يتعدى", "لين",
  // The verb agrees with what is priced: "هدية ما تتعدى ٣٠٠" (feminine) as well as "شي ما يتعدى".
  "لا يتعدى", "ما تتعدى", "لا تتعدى", "ما تتجاوز", "لا تتجاوز", "ما تزيد عن", "لا تزيد عن", "ما تزيد على", "لا تزيد على",
];
const MIN_CUES = ["over", "above", "more than", "at least", "starting from", "اكثر من", "أكثر من", "فوق", "اعلى من", "أعلى من", "من فوق"];
const RANGE_FROM = ["between", "from", "بين", "من"];
const RANGE_TO = ["and", "to", "و", "الى", "إلى", "لين", "حتى", "until", "till"];
const CURRENCY = ["sar", "sr", "rs", "riyal", "riyals", "rial", "rials", "ryal", "ريال", "ريالات", "رس", "ر س"];
const NON_PRICE_UNITS = [
  "year", "years", "yr", "yrs", "month", "months", "kg", "g", "gm", "ml", "l", "cm", "mm", "m", "inch", "gb", "mah", "w",
  "pcs", "pieces", "سنه", "سنوات", "سنين", "شهر", "كيلو", "جرام", "مل", "لتر", "سم", "متر", "قطعه", "حبه", "واط",
];
const SIZE_CUES = ["size", "sz", "مقاس", "مقاسي", "مقاسه", "مقاسها", "سايز"];
const SIZE_WORDS = new Set(["xs", "s", "m", "l", "xl", "xxl", "xxxl", "small", "medium", "large", "صغير", "وسط", "كبير"]);
const AGE_UNITS = new Set(["year", "years", "yr", "yrs", "yo", "سنه", "سنوات", "سنين", "سنة"]);
const AGE_CUES = ["aged", "age", "عمره", "عمرها", "عمرهم", "عمر"];
const COMPANY_WORDS = new Set(["with", "مع", "ومع", "برفقة"].map((w) => searchWords(w)[0] ?? w));

const phrase = (p: string): string[] => searchWords(p);
const maxCues = MAX_CUES.map(phrase).sort((a, b) => b.length - a.length);
const minCues = MIN_CUES.map(phrase).sort((a, b) => b.length - a.length);
const rangeFrom = new Set(RANGE_FROM.flatMap(phrase));
const rangeTo = new Set(RANGE_TO.flatMap(phrase));
const currency = CURRENCY.map(phrase).sort((a, b) => b.length - a.length);
const nonPriceUnits = new Set(NON_PRICE_UNITS.flatMap(phrase));
const sizeCues = new Set(SIZE_CUES.flatMap(phrase));
const ageCues = new Set(AGE_CUES.flatMap(phrase));

function matchPhrase(words: readonly string[], i: number, options: readonly string[][]): number {
  for (const o of options) if (o.length > 0 && o.every((w, j) => words[i + j] === w)) return o.length;
  return 0;
}

const isNum = (w: string | undefined): w is string => w !== undefined && /^\d+$/.test(w);

/** Hits of `prefix` concepts that are not part of a longer phrase of another concept. */
function standaloneHits(concepts: readonly ConceptHit[], prefix: string): ConceptHit[] {
  return concepts.filter(
    (h) =>
      h.id.startsWith(prefix) &&
      !concepts.some((o) => !o.id.startsWith(prefix) && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start),
  );
}

export function parseQuery(query: string): ParsedQuery {
  const analysis = analyze(query);
  const words = analysis.tokens.map((t) => t.norm);
  const consumed = new Set<number>();
  let minPrice: number | null = null;
  let maxPrice: number | null = null;
  const sizes: string[] = [];
  let age: number | null = null;
  const spend = (from: number, to: number) => {
    for (let k = from; k < to; k++) consumed.add(k);
  };
  const currencyAt = (i: number) => matchPhrase(words, i, currency);

  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    // "between 100 and 300", "from 50 to 80", "من 50 الى 80", "100 - 300 ريال"
    if (rangeFrom.has(w) && isNum(words[i + 1]) && rangeTo.has(words[i + 2] ?? "") && isNum(words[i + 3])) {
      const a = Number(words[i + 1]);
      const b = Number(words[i + 3]);
      const end = i + 4 + currencyAt(i + 4);
      const priceish = w === "between" || w === "بين" || currencyAt(i + 4) > 0 || !nonPriceUnits.has(words[i + 4] ?? "");
      if (priceish) {
        minPrice = Math.min(a, b);
        maxPrice = Math.max(a, b);
        spend(i, end);
        i = end - 1;
        continue;
      }
    }
    const maxLen = matchPhrase(words, i, maxCues);
    const minLen = maxLen === 0 ? matchPhrase(words, i, minCues) : 0;
    const cueLen = maxLen || minLen;
    if (cueLen > 0) {
      let j = i + cueLen;
      if (words[j] === "of" || words[j] === "is") j++;
      if (isNum(words[j]) && !nonPriceUnits.has(words[j + 1] ?? "")) {
        const value = Number(words[j]);
        const end = j + 1 + currencyAt(j + 1);
        if (maxLen > 0) maxPrice = value;
        else minPrice = value;
        spend(i, end);
        i = end - 1;
        continue;
      }
    }
    // "200 riyals", "٢٠٠ ريال" with no cue: a budget.
    if (isNum(w) && currencyAt(i + 1) > 0 && !consumed.has(i)) {
      maxPrice = Number(w);
      spend(i, i + 1 + currencyAt(i + 1));
      continue;
    }
    if (sizeCues.has(w)) {
      const next = words[i + 1];
      if (next !== undefined && (isNum(next) || SIZE_WORDS.has(next))) {
        sizes.push(next);
        spend(i, i + 2);
        i++;
        continue;
      }
    }
    // "7 years old", "aged 7", "عمره 7", "my son is 7"
    if (isNum(w) && AGE_UNITS.has(words[i + 1] ?? "")) {
      age = Number(w);
      spend(i, i + 2 + (words[i + 2] === "old" ? 1 : 0));
      continue;
    }
    if (ageCues.has(w) && isNum(words[i + 1])) {
      age = Number(words[i + 1]);
      spend(i, i + 2);
      continue;
    }
    if ((w === "is" || w === "turns" || w === "turning") && isNum(words[i + 1]) && !currencyAt(i + 2) && Number(words[i + 1]) < 18) {
      age = Number(words[i + 1]);
      spend(i + 1, i + 2);
    }
  }

  const conceptIds = (prefix: string) =>
    [...new Set(standaloneHits(analysis.concepts, prefix).filter((h) => ![...range(h.start, h.end)].some((k) => consumed.has(k))).map((h) => h.id.slice(prefix.length)))];
  // "camping with the kids", "مع عيالي": company, not who the product is for.
  const company = (h: ConceptHit) => COMPANY_WORDS.has(words[h.start - 1] ?? "") || COMPANY_WORDS.has(words[h.start - 2] ?? "") && (words[h.start - 1] === "the" || words[h.start - 1] === "my");
  const audiences = [
    ...new Set(
      standaloneHits(analysis.concepts, AUDIENCE_PREFIX)
        .filter((h) => ![...range(h.start, h.end)].some((k) => consumed.has(k)) && !company(h))
        .map((h) => h.id.slice(AUDIENCE_PREFIX.length)),
    ),
  ];
  let audience: Audience | null = null;
  if (audiences.includes("kids")) audience = "kids";
  else if (audiences.includes("unisex")) audience = null;
  else if (audiences.includes("men") && !audiences.includes("women")) audience = "men";
  else if (audiences.includes("women") && !audiences.includes("men")) audience = "women";

  return {
    analysis,
    consumed,
    constraints: {
      minPrice,
      maxPrice,
      colours: conceptIds(COLOUR_PREFIX),
      materials: conceptIds(MATERIAL_PREFIX),
      sizes,
      audience,
      age,
      cheap: analysis.concepts.some((c) => c.id === "§cheap"),
    },
  };
}

function* range(a: number, b: number): Iterable<number> {
  for (let i = a; i < b; i++) yield i;
}

// ---- product facts -------------------------------------------------------------------------

export interface ProductFacts {
  colours: Set<string> | null;
  materials: Set<string> | null;
  sizes: Set<string> | null;
  audiences: Set<Audience> | null;
  ageRange: [number, number] | null;
}

function conceptsOf(text: string, prefix: string): Set<string> {
  return new Set(analyze(text).concepts.filter((c) => c.id.startsWith(prefix)).map((c) => c.id.slice(prefix.length)));
}

function attributeValues(product: Product, keys: RegExp): string[] {
  return Object.entries(product.attributes)
    .filter(([k]) => keys.test(k))
    .map(([, v]) => String(v));
}

function audiencesIn(text: string): Set<Audience> {
  const found = conceptsOf(text, AUDIENCE_PREFIX);
  const out = new Set<Audience>();
  if (found.has("kids")) out.add("kids");
  else {
    if (found.has("men") || found.has("unisex")) out.add("men");
    if (found.has("women") || found.has("unisex")) out.add("women");
  }
  return out;
}

/** What the catalog states about a product's colour, material, size, audience and age. */
export function productFacts(product: Product, categoryText: string): ProductFacts {
  const colourValues = attributeValues(product, /^(colou?r|colou?rs|لون|اللون)$/i);
  const colours = colourValues.length === 0 ? null : conceptsOf(colourValues.join(" / "), COLOUR_PREFIX);
  if (colours !== null && colourValues.some((v) => /multi/i.test(v))) colours.add("multicolor");
  if (colours !== null) {
    for (const c of [...colours]) for (const also of COLOUR_ALSO_MATCHES[c] ?? []) colours.add(also);
  }
  const materialValues = attributeValues(product, /^(material|fabric|خامه|الخامه|القماش|material_type)$/i);
  const materials = materialValues.length === 0 ? null : conceptsOf(materialValues.join(" / "), MATERIAL_PREFIX);
  const sizeValues = attributeValues(product, /^(size|sizes|مقاس|المقاس)$/i);
  const sizes = sizeValues.length === 0 || sizeValues.some((v) => /free|one size|فري/i.test(v))
    ? null
    : new Set(sizeValues.flatMap((v) => searchWords(v)));

  const explicitText = [
    ...attributeValues(product, /^(gender|audience|for|الفئه|الجنس)$/i),
    product.name.en,
    product.name.ar,
    ...product.tags,
  ].join(" | ");
  let audiences: Set<Audience> | null = audiencesIn(explicitText);
  if (audiences.size === 0) audiences = audiencesIn(categoryText);
  if (audiences.size === 0) audiences = null;

  let ageRange: [number, number] | null = null;
  const ageValue = attributeValues(product, /^(age|ages|العمر)$/i)[0];
  if (ageValue !== undefined) {
    const m = /(\d+)\s*(?:-|to|–)\s*(\d+)/.exec(ageValue);
    const plus = /(\d+)\s*\+/.exec(ageValue);
    if (m?.[1] !== undefined && m[2] !== undefined) ageRange = [Number(m[1]), Number(m[2])];
    else if (plus?.[1] !== undefined) ageRange = [Number(plus[1]), Infinity];
  }
  return { colours, materials, sizes, audiences, ageRange };
}

/** Why a product fails the constraints, or null when it satisfies them all. */
export function violation(product: Product, facts: ProductFacts, c: QueryConstraints): string | null {
  if (c.maxPrice !== null && product.price > c.maxPrice) return "price";
  if (c.minPrice !== null && product.price < c.minPrice) return "price";
  if (c.colours.length > 0 && facts.colours !== null && !c.colours.some((x) => facts.colours?.has(x))) return "colour";
  if (c.materials.length > 0 && facts.materials !== null && !c.materials.some((x) => facts.materials?.has(x))) return "material";
  if (c.sizes.length > 0 && facts.sizes !== null && !c.sizes.some((x) => facts.sizes?.has(x))) return "size";
  if (c.audience !== null && facts.audiences !== null && !facts.audiences.has(c.audience)) return "audience";
  if (c.age !== null && facts.ageRange !== null && (c.age < facts.ageRange[0] || c.age > facts.ageRange[1])) return "age";
  return null;
}
