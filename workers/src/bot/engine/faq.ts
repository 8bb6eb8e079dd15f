// FAQ retrieval: BM25 over the normalized question (weighted) and answer of each FAQ item, in
// both languages. A hit must cover a good share of the message's content words, so small talk
// and out-of-scope questions find nothing rather than the nearest FAQ.
import type { Faq, KnowledgeItem } from "@kaleem/shared";
import { normalizeText, tokenize } from "../nlp/normalize.js";

const STOPWORDS = new Set(
  (
    "a an the is are am was were be been do does did can could would should will shall may might i you we they he she it me my your our " +
    "their its this that these those what which who whom whose when where why how of in on at to for from by with about as and or but if " +
    "not no yes any some there here have has had please pls hi hello thanks thank u ur im i'm get got so just also than then too very much many " +
    "هل ما ماذا متى وين فين كيف ليش لماذا كم من في على الى إلى عن مع و او أو ثم لا نعم انا أنا انت انتم احنا نحن هو هي هم هذا هذي هذه " +
    "ذلك تلك اللي الذي التي عندكم عندك عندي فيه في يا لو ممكن ابي ابغى ابغي اريد ودي شي شيء وش ايش بس كذا طيب مرحبا السلام عليكم شكرا"
  )
    .split(" ")
    // Folded like the tokens they are compared with ("إلى" → "الي").
    .map(normalizeText),
);

function stem(token: string): string {
  if (/^(وال|بال|فال|كال)/.test(token) && token.length > 5) return token.slice(3);
  if (/^(ال|لل)/.test(token) && token.length > 4) return token.slice(2);
  if (/^[a-z]+ies$/.test(token) && token.length > 4) return `${token.slice(0, -3)}y`;
  if (/^[a-z]+s$/.test(token) && token.length > 3 && !token.endsWith("ss")) return token.slice(0, -1);
  return token;
}

export function contentTokens(text: string): string[] {
  return tokenize(text)
    .filter((t) => !STOPWORDS.has(t) && t.length > 1)
    .map(stem);
}

export interface FaqHit {
  faq: Faq;
  score: number;
  /** Share of the message's content words found in the FAQ item. */
  coverage: number;
}

interface Doc {
  faq: Faq;
  tf: Map<string, number>;
  length: number;
}

const K1 = 1.2;
const B = 0.75;
const QUESTION_WEIGHT = 2;

/** The FAQ items of one store, tokenized once (see KnowledgeIndex). */
export interface FaqIndex {
  readonly docs: readonly Doc[];
  /** Average weighted document length (BM25's length normalization). */
  readonly avg: number;
}

export function buildFaqIndex(items: readonly KnowledgeItem[]): FaqIndex {
  const docs: Doc[] = [];
  for (const item of items) {
    if (item.data.kind !== "faq") continue;
    const faq = item.data.faq;
    const tf = new Map<string, number>();
    let length = 0;
    const add = (text: string, weight: number) => {
      for (const token of contentTokens(text)) {
        tf.set(token, (tf.get(token) ?? 0) + weight);
        length += weight;
      }
    };
    add(`${faq.question.en} ${faq.question.ar} ${item.title}`, QUESTION_WEIGHT);
    add(`${faq.answer.en} ${faq.answer.ar}`, 1);
    docs.push({ faq, tf, length });
  }
  return { docs, avg: docs.length === 0 ? 0 : docs.reduce((s, d) => s + d.length, 0) / docs.length };
}

/** The best FAQ for `message`, or null when none clears the threshold. */
export function searchFaq(source: FaqIndex | readonly KnowledgeItem[], message: string, minCoverage = 0.5, minMatched = 1): FaqHit | null {
  const { docs, avg } = Array.isArray(source) ? buildFaqIndex(source as readonly KnowledgeItem[]) : (source as FaqIndex);
  const query = [...new Set(contentTokens(message))];
  if (docs.length === 0 || query.length === 0) return null;
  const df = new Map<string, number>();
  for (const term of query) df.set(term, docs.filter((d) => d.tf.has(term)).length);
  let best: FaqHit | null = null;
  for (const doc of docs) {
    let score = 0;
    let matched = 0;
    for (const term of query) {
      const f = doc.tf.get(term);
      if (!f) continue;
      matched++;
      const n = df.get(term) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / avg));
    }
    const coverage = matched / query.length;
    if (matched === 0 || coverage < minCoverage) continue;
    if (matched < minMatched) continue;
    if (!best || score > best.score) best = { faq: doc.faq, score, coverage };
  }
  return best;
}
