// Row 7's workload: a generated bilingual catalog, queries generated from the same vocabulary (never
// taken from an evaluation set), and recall@10 against an exhaustive ranking.
import type { NewProduct, ProductSearchHit } from "@kaleem/shared";

export const KINDS = [
  ["abaya", "عباية"], ["perfume", "عطر"], ["dates", "تمر"], ["coffee", "قهوة"], ["thobe", "ثوب"], ["charger", "شاحن"], ["earphones", "سماعات"], ["bakhoor", "بخور"], ["scarf", "وشاح"], ["watch", "ساعة"],
] as const;
export const COLOURS = [["black", "أسود"], ["navy", "كحلي"], ["white", "أبيض"], ["gold", "ذهبي"], ["red", "أحمر"]] as const;

const SYLLABLES = ["ka", "ra", "mi", "zo", "lu", "ne", "ta", "vi", "so", "de", "ba", "ri", "mo", "na", "fe", "li"];
/** Up to 2,000 made-up brand names ("Karami"): a catalog's vocabulary is more than its kinds and colours. */
export const BRANDS = 2_000;
export function brand(j: number): string {
  const w = SYLLABLES[j % 16]! + SYLLABLES[(j >> 4) % 16]! + SYLLABLES[(j >> 8) % 16]!;
  return w[0]!.toUpperCase() + w.slice(1);
}

/** Product `i` of the generated catalog: kind, colour and brand cycle, the number makes each name unique. */
export function generatedProduct(i: number): NewProduct {
  const [en, ar] = KINDS[i % KINDS.length]!;
  const [cen, car] = COLOURS[Math.floor(i / KINDS.length) % COLOURS.length]!;
  const b = brand(i % BRANDS);
  return { name: { en: `${b} ${cen} ${en} ${i}`, ar: `${ar} ${car} ${i}` }, description: { en: `A ${cen} ${en} by ${b} for every day`, ar: `${ar} ${car} للاستخدام اليومي` }, price: 20 + (i % 480), tags: [en] };
}

/** A small deterministic generator, so every run asks the same queries. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/**
 * Queries built from the catalog's own words: each kind in English and Arabic, with a colour, with
 * a price bound, with one letter dropped (typo), a brand with a kind and a brand misspelt, a
 * product's full name, a request phrased as a sentence, and two products the store does not sell.
 */
export function generatedQueries(size: number): string[] {
  const rnd = lcg(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: string[] = [];
  KINDS.forEach(([en, ar], k) => {
    const [cen, car] = COLOURS[(k * 3) % COLOURS.length]!;
    out.push(en, ar, `${cen} ${en}`, `${ar} ${car}`);
    if (en.length >= 6) out.push(en.slice(0, en.length >> 1) + en.slice((en.length >> 1) + 1));
  });
  for (let j = 0; j < 3; j++) {
    const [en, ar] = pick(KINDS);
    const bound = 50 + Math.floor(rnd() * 8) * 50;
    out.push(`${en} under ${bound}`, `${ar} أقل من ${bound} ريال`);
  }
  for (let j = 0; j < 2; j++) {
    const b = brand(Math.floor(rnd() * Math.min(size, BRANDS))).toLowerCase();
    const [en] = pick(KINDS);
    out.push(`${b} ${en}`, b.slice(0, 3) + b.slice(4));
  }
  for (let j = 0; j < 5; j++) {
    const i = Math.floor(rnd() * size);
    const p = generatedProduct(i);
    out.push(j % 2 === 0 ? p.name.en : p.name.ar);
  }
  const [en1] = pick(KINDS);
  const [cen1] = pick(COLOURS);
  const [, ar2] = pick(KINDS);
  out.push(`do you have a ${cen1} ${en1} for my brother`, `ابي ${ar2} هدية`, "laptop", "حذاء رياضي");
  return out;
}

/**
 * Share of the exhaustive top 10 the index returned in its top 10. Ties count: a returned product
 * scoring exactly what the exhaustive 10th scores is as right as the one the exhaustive order
 * happened to list. Null when the exhaustive ranking is empty (nothing to recall).
 */
export function recallAt10(index: readonly ProductSearchHit[], truth: readonly ProductSearchHit[]): number | null {
  const top = truth.slice(0, 10);
  if (top.length === 0) return null;
  const cut = top[top.length - 1]!.score;
  const truthScore = new Map(truth.map((h) => [h.product.id, h.score]));
  const wanted = new Set(top.map((h) => h.product.id));
  let found = 0;
  for (const h of index.slice(0, 10)) {
    const s = truthScore.get(h.product.id);
    if (wanted.has(h.product.id) || (s !== undefined && s >= cut)) found++;
  }
  return Math.min(1, found / top.length);
}
