// Hybrid product search. Per merchant: a BM25F index over catalog text (both languages) and a
// vector partition, built lazily from the store and kept in step through productsChanged().
// A query is split into hard constraints (filters) and words to rank; lexical and vector
// scores are fused and a coverage threshold keeps out-of-catalog queries from returning noise.
import { KnowledgeIndex } from "../engine/knowledge-index.js";
import { TopK } from "@kaleem/shared";
import type {
  CatalogEvents,
  Embedder,
  Logger,
  Product,
  ProductSearch,
  ProductSearchHit,
  SearchMetrics,
  TenantStore,
  VectorIndex,
} from "@kaleem/shared";
import { AUDIENCE_PREFIX, COLOUR_PREFIX, MATERIAL_PREFIX, NEED_PREFIX, analyze, indexTerms, lexiconWords, needServes, searchWords, stopNorms, toToken, type Token } from "./analyze.js";
import { parseQuery, productFacts, violation, type ProductFacts, type QueryConstraints } from "./constraints.js";
import { arabiziWordToArabic, looksLikeArabizi } from "../nlp/arabizi.js";
import { arabiziMatches, fuzzyMatches, isTerm } from "./fuzzy.js";
import { HashedEmbedder } from "./hashed-embedder.js";
import { LexicalIndex, type FieldTerms, type QueryUnit } from "./lexical-index.js";
import { categoryTextOf, embeddingText } from "./vector-indexer.js";

export interface SearchOptions {
  /** Share of the fused score that comes from vector similarity (0..1). */
  vectorWeight: number;
  /**
   * Cosine similarity a product needs to be returned on vector similarity alone (no lexical
   * match). The built-in embedding is lexical in nature, so by default only external
   * embedders may add such results.
   */
  vectorOnlyMinScore: number;
  /** Minimum coverage of the query for a result, by number of content units (1, 2, 3, 4+). */
  coverageThresholds: readonly [number, number, number, number];
  /** Results below this share of the best result's score are dropped. */
  relativeCutoff: number;
  /** Vector neighbours fetched per query. */
  vectorCandidates: number;
  /** Fused score is multiplied by coverage^power: products missing query words drop. */
  coveragePower: number;
  /** Factor for children's products when the query does not ask for children. */
  kidsPenalty: number;
  /** Extra share for products whose head noun the query names. */
  headBoost: number;
  /** Factor for products explicitly made for the audience (or age) the query names. */
  audienceBoost: number;
}

export const DEFAULT_SEARCH_OPTIONS: SearchOptions = {
  vectorWeight: 0.2,
  vectorOnlyMinScore: 0.5,
  coverageThresholds: [0.7, 0.6, 0.5, 0.4],
  relativeCutoff: 0.15,
  vectorCandidates: 50,
  coveragePower: 1.5,
  kidsPenalty: 0.8,
  headBoost: 0.5,
  audienceBoost: 1.25,
};

export interface CatalogSearchDeps {
  /** The built-in HashedEmbedder or an OpenAI-compatible one (chosen by the composition root). */
  embedder: Embedder;
  /** Where the vectors live: in process (embedded) or Qdrant (cluster). */
  vectors: VectorIndex;
  /**
   * Who writes the vectors. "search" (embedded): this object, as it builds its lexical index.
   * "index-job" (a shared index such as Qdrant): the catalog-index job, once for every process;
   * this object only reads them, and asks `requestReindex` when the index lacks the catalog.
   */
  vectorWriter?: "search" | "index-job";
  /** A full re-index of the merchant's vectors (the catalog-index job, through the outbox). */
  requestReindex?: (merchantId: string) => void;
  /** Say when the vector index fails and searches go on by words alone. */
  logger?: Logger;
  metrics?: SearchMetrics;
  /**
   * After a vector call failed, searches skip vectors for this long before one tries again, so
   * a Qdrant that does not answer (rather than refusing at once) costs one timeout, not one per search.
   */
  vectorRetryMs?: number;
  /** The clock for `vectorRetryMs` (tests). */
  now?: () => number;
  options?: Partial<SearchOptions>;
  /**
   * Score every product instead of the index's candidates: lexical scores with no posting lists,
   * vector similarity of every product rather than the nearest `vectorCandidates`. Same scoring,
   * no shortcuts, and slow: the ground truth the benchmark measures recall@10 against.
   */
  exhaustive?: boolean;
}

export interface DetailedSearchResult {
  items: ProductSearchHit[];
  constraints: QueryConstraints;
  /** The words that were ranked after constraints and filler were taken out. */
  rankedText: string;
}

interface Entry {
  product: Product;
  facts: ProductFacts;
}

class MerchantCatalog {
  readonly lexical = new LexicalIndex();
  readonly entries = new Map<string, Entry>();
  readonly categoryText = new Map<string, string>();
  readonly changed = new Set<string>();
  readonly removed = new Set<string>();
  built = false;
  /**
   * The words typo and Arabizi matching look through (index and lexicon, numbers and concept ids
   * left out, in the order they were first indexed), for the index version it was taken from.
   */
  fuzzyWords: { version: number; words: string[] } | null = null;
  /** Serializes builds and updates of this merchant's index. */
  queue: Promise<void> = Promise.resolve();
}

/** Query embeddings kept (2 KB each with the built-in 512 dimensions). */
const QUERY_VECTORS_KEPT = 500;

/** Concepts that qualify a product rather than name one. */
const MODIFIER_PREFIXES = [COLOUR_PREFIX, MATERIAL_PREFIX, AUDIENCE_PREFIX];
/** Purpose and tone words ("gift", "cheap", "luxury"): they rank, but a store may lack them. */
const SOFT_CONCEPTS = new Set(["§gift", "§cheap", "§luxury", "§comfort", "§elegant", "§light", "§longlasting"]);
/** Needs whose products depend on who receives them. */
const GIFT_NEEDS = new Set(["gift", "occasion", "eid", "newbaby"].map((n) => NEED_PREFIX + n));

const CONTAINER_WORDS = new Set(["طقم", "مجموعه", "علبه", "كرتون", "زوج", "عبوه", "بكج"].map((w) => toToken(w).stem));

/**
 * The words a product name is about. English: before "for/with/-/(", the last word that names a
 * known product concept, else the last word. Arabic: the first word (the head of the idafa).
 */
function headWords(product: Product): string {
  const enHead = product.name.en.split(/\s+(?:for|with|by|in|of)\s+|\s[-–|]\s|[(,]/i)[0] ?? "";
  const en = analyze(enHead);
  const words = en.tokens.map((t, i) => ({ t, i })).filter(({ t }) => !t.stop && !t.number && !/\d/.test(t.norm));
  const named = words.filter(({ i }) => en.concepts.some((c) => c.start <= i && c.end > i && c.id.startsWith("§") && !c.id.includes(":")));
  const enWord = (named[named.length - 1] ?? words[words.length - 1])?.t.norm ?? "";
  // Arabic names lead with the product noun, after container words ("طقم", "علبة").
  const ar = searchWords(product.name.ar)
    .map(toToken)
    .filter((t) => !t.stop && !t.number && !CONTAINER_WORDS.has(t.stem));
  return [enWord, ar[0]?.norm ?? ""].join(" ");
}

function fieldTerms(product: Product, categoryText: string): FieldTerms {
  const many = (texts: readonly string[]) => texts.flatMap((t) => indexTerms(t));
  return {
    name: many([product.name.en, product.name.ar]),
    head: indexTerms(headWords(product)),
    tags: many(product.tags),
    attributes: many(Object.values(product.attributes).map(String)),
    category: indexTerms(categoryText),
    description: many([product.description.en, product.description.ar]),
  };
}

interface BuiltQuery {
  units: QueryUnit[];
  /** Effective number of content units (sum of importance). */
  weight: number;
  /** Words for the embedder: what remained of the query plus typo/Arabizi corrections. */
  embedText: string;
  /**
   * Token indexes of ranked words the catalog has never seen (no typo/Arabizi correction either)
   * that only say what the thing is for: inside an English "for/to/with …" phrase, or an Arabic
   * word with the ل/بال "for" prefix ("للدوام"). Never the noun the shopper wants.
   */
  unknown: number[];
}

const PREPOSITIONS = new Set(["for", "to", "with", "at", "in", "on", "from", "during", "about"]);
const ARABIC_PURPOSE_PREFIX = /^(لل|ل|بال|عال)[\u0621-\u064A]{2,}/;

/** Token indexes that describe a purpose or recipient rather than the product itself. */
function purposeWords(tokens: readonly Token[]): Set<number> {
  const out = new Set<number>();
  let inPhrase = false;
  tokens.forEach((t, i) => {
    if (/^[\u0621-\u064A]/.test(t.norm)) {
      if (ARABIC_PURPOSE_PREFIX.test(t.norm)) out.add(i);
      return;
    }
    if (PREPOSITIONS.has(t.norm)) {
      inPhrase = true;
      return;
    }
    if (inPhrase && !t.stop) out.add(i);
  });
  return out;
}

/** An Arabizi word that stands for an Arabic function word ("abi", "3ndkom", "wesh"). */
function arabiziStop(t: Token): boolean {
  if (!/^[a-z0-9']+$/.test(t.norm)) return false;
  const arabic = arabiziWordToArabic(t.norm).split(" ").filter((w) => w !== "");
  return arabic.length > 0 && arabic.every((w) => stopNorms.has(w));
}

const AT = new Set(["at", "from", "around"]);
const HOME = new Set(["home", "house", "work", "office"]);
const AT_HOME_AR = new Set(["بالبيت", "بالمنزل", "بالدوام", "بالشغل"].map((w) => toToken(w).norm));
/** "at home", "from the office", "بالبيت": where the shopper is, not what they want. */
function placeWords(tokens: readonly Token[]): Set<number> {
  const out = new Set<number>();
  tokens.forEach((t, i) => {
    if (AT_HOME_AR.has(t.norm)) out.add(i);
    if (!HOME.has(t.norm)) return;
    const before = tokens[i - 1]?.norm ?? "";
    const twoBefore = tokens[i - 2]?.norm ?? "";
    if (AT.has(before) || (["the", "my"].includes(before) && AT.has(twoBefore))) out.add(i);
  });
  return out;
}

const REQUEST_CUES = new Set(
  ["want", "need", "looking", "get", "buy", "find", "show", "have", "got", "any", "ابي", "ابغى", "ابغي", "اريد", "ودي", "محتاج", "محتاجه", "ادور", "اشتري", "عندكم", "فيه", "وريني", "abi", "abgha", "ebgha", "3ndkom"].map((w) => toToken(w).norm),
);

/**
 * In a message of six words or more, the position of the last request word that is followed by
 * something to rank; null when there is none (or nothing before it to set aside).
 */
function requestCue(tokens: readonly Token[], units: readonly QueryUnit[], unitStart: readonly number[]): number | null {
  if (tokens.filter((t) => !t.stop).length < 3 || tokens.length < 6) return null;
  for (let i = tokens.length - 1; i > 0; i--) {
    const norm = tokens[i]!.norm;
    const bare = /^و[\u0621-\u064A]{2,}/.test(norm) ? norm.slice(1) : norm;
    if (!REQUEST_CUES.has(norm) && !REQUEST_CUES.has(bare)) continue;
    const after = units.some((u, k) => (unitStart[k] ?? -1) > i && !u.modifier);
    const before = units.some((u, k) => (unitStart[k] ?? Infinity) < i && !u.modifier);
    if (after && before) return i;
    if (after) return null;
  }
  return null;
}

const HEAD_BREAKS = new Set(["for", "with", "to", "under", "below", "over", "above", "between", "in", "from", "that", "which", "without"]);
const ARABIC = /[\u0621-\u064A]/;

/**
 * The token that names what the shopper wants. Arabic puts the head first ("عطر عود رجالي"),
 * English last before any "for/with/under ..." ("oud perfume for men"). Colours, materials,
 * audiences and numbers qualify the head, they are never it.
 */
function headToken(tokens: readonly Token[], concepts: ReadonlyArray<{ id: string; start: number; end: number }>, skip: (i: number) => boolean): number | null {
  const qualifier = (i: number) =>
    tokens[i]!.number || concepts.some((c) => c.start === i && c.end === i + 1 && MODIFIER_PREFIXES.some((p) => c.id.startsWith(p)));
  const candidates = tokens.map((_, i) => i).filter((i) => !skip(i) && !qualifier(i));
  const firstArabic = candidates.find((i) => ARABIC.test(tokens[i]!.norm));
  if (firstArabic !== undefined) return firstArabic;
  let last: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    if (HEAD_BREAKS.has(tokens[i]!.norm) && last !== null) break;
    if (candidates.includes(i)) last = i;
  }
  return last;
}

export class CatalogSearch implements ProductSearch, CatalogEvents {
  private readonly embedder: Embedder;
  private readonly vectors: VectorIndex;
  private readonly options: SearchOptions;
  private readonly merchants = new Map<string, MerchantCatalog>();
  private readonly writesVectors: boolean;
  private readonly deps: CatalogSearchDeps;
  private readonly queryVectors = new Map<string, Float32Array>();
  /** The last vector call failed: logged once, said again when it answers. */
  private vectorsDown = false;
  /** While vectors are down, the time before which searches do not try them. */
  private vectorRetryAt = 0;
  /**
   * The bot's per-store knowledge (policies, FAQ index). It lives here because catalog and
   * knowledge writes arrive on the same CatalogEvents path in every process.
   */
  readonly knowledge = new KnowledgeIndex();

  constructor(deps: CatalogSearchDeps) {
    this.deps = deps;
    this.embedder = deps.embedder;
    this.vectors = deps.vectors;
    this.writesVectors = (deps.vectorWriter ?? "search") === "search";
    deps.metrics?.vectorAvailable.set(1);
    const builtIn = this.embedder instanceof HashedEmbedder;
    this.options = {
      ...DEFAULT_SEARCH_OPTIONS,
      ...(builtIn ? { vectorOnlyMinScore: 1.01 } : {}),
      ...deps.options,
    };
  }

  /**
   * ProductSearch port: best first, at most `limit`, only products above the threshold. The index
   * ranks; the products come back as the store has them now, because stock taken by orders (and
   * anything else written without a catalog event) never reaches the index.
   */
  async search(store: TenantStore, query: string, limit: number): Promise<{ items: ProductSearchHit[] }> {
    const { items } = await this.searchDetailed(store, query, limit);
    const current = await Promise.all(items.map((hit) => store.products.get(hit.product.id)));
    return {
      items: items.flatMap((hit, i) => {
        const product = current[i];
        return product && product.status === "active" ? [{ product, score: hit.score }] : [];
      }),
    };
  }

  /** CatalogEvents port: the next search of this merchant applies the changes first. */
  productsChanged(merchantId: string, productIds: string[], removed: string[]): void {
    const m = this.merchants.get(merchantId);
    if (!m) return;
    for (const id of productIds) {
      m.changed.add(id);
      m.removed.delete(id);
    }
    for (const id of removed) {
      m.removed.add(id);
      m.changed.delete(id);
    }
  }

  /** CatalogEvents port: the bot reads this merchant's knowledge again on its next turn. */
  knowledgeChanged(merchantId: string): void {
    this.knowledge.invalidate(merchantId);
  }

  /** Drops a merchant's index (it is rebuilt from the store on the next search). */
  async forget(merchantId: string): Promise<void> {
    this.merchants.delete(merchantId);
    // A shared index belongs to every process: only its job writes it.
    if (this.writesVectors) await this.vectors.clear(merchantId);
  }

  /** Builds (or brings up to date) the merchant's index now instead of on the first search. */
  async warm(store: TenantStore): Promise<{ products: number }> {
    const m = await this.ready(store);
    return { products: m.entries.size };
  }

  async searchDetailed(store: TenantStore, query: string, limit: number): Promise<DetailedSearchResult> {
    const m = await this.ready(store);
    const parsed = parseQuery(query);
    const { constraints } = parsed;
    const built = this.buildQuery(parsed.analysis.tokens, parsed.analysis.concepts, parsed.consumed, m, constraints);
    const allowed = (id: string) => {
      const e = m.entries.get(id);
      return e !== undefined && violation(e.product, e.facts, constraints) === null;
    };
    const rankedText = built.embedText;
    const cap = Math.max(0, Math.min(limit, 100));
    if (cap === 0) return { items: [], constraints, rankedText };

    if (built.units.length === 0) {
      // Only constraints ("under 100 riyals"): everything that satisfies them, cheapest first.
      if (!hasAnyConstraint(constraints)) return { items: [], constraints, rankedText };
      const items = [...m.entries.values()]
        .filter((e) => allowed(e.product.id))
        .sort((a, b) => a.product.price - b.product.price)
        .slice(0, cap)
        .map((e) => ({ product: e.product, score: 0.5 }));
      return { items, constraints, rankedText };
    }

    const strict = await this.rank(store, m, built, constraints, allowed, cap, false);
    if (strict.length > 0 || built.unknown.length === 0 || built.unknown.length >= built.units.length) {
      return { items: strict, constraints, rankedText };
    }
    // Words the catalog has never seen ("an abaya for the office", "عباية للدوام") would otherwise
    // sink every product. Without them, only products the remaining words name (head noun) count,
    // so an out-of-catalog request ("iphone 99", "truck tyres") still finds nothing.
    const relaxed = this.buildQuery(parsed.analysis.tokens, parsed.analysis.concepts, new Set([...parsed.consumed, ...built.unknown]), m, constraints);
    if (relaxed.units.length === 0) return { items: [], constraints, rankedText };
    return { items: await this.rank(store, m, relaxed, constraints, allowed, cap, true), constraints, rankedText: relaxed.embedText };
  }

  private async rank(
    store: TenantStore,
    m: MerchantCatalog,
    built: BuiltQuery,
    constraints: QueryConstraints,
    allowed: (id: string) => boolean,
    cap: number,
    requireHeadMatch: boolean,
  ): Promise<ProductSearchHit[]> {
    const exhaustive = this.deps.exhaustive === true;
    // Every indexed product has an entry, so without a constraint that can rule one out the
    // lexical side needs no per-candidate check (most queries: thousands of calls saved).
    const filter = filters(constraints) ? allowed : undefined;
    const lexical = exhaustive ? m.lexical.searchExhaustive(built.units, filter) : m.lexical.search(built.units, filter);
    const threshold = this.threshold(built.weight);
    const vectorScores = new Map<string, number>();
    if (this.options.vectorWeight > 0 && built.embedText.trim() !== "") {
      // Vectors only add to the words' ranking: when the embedder or the index fails, the search
      // goes on with the lexical scores (said in logs and metrics) rather than failing the answer.
      try {
        if (this.vectorsDown && this.clock() < this.vectorRetryAt) throw new VectorsResting();
        const qv = await this.queryVector(built.embedText);
        if (qv) {
          const k = exhaustive ? Math.max(this.options.vectorCandidates, m.entries.size) : this.options.vectorCandidates;
          for (const v of await this.vectors.query(store.merchantId, qv, k)) vectorScores.set(v.id, v.score);
        }
        this.vectorsAnswered();
      } catch (err) {
        vectorScores.clear();
        this.vectorsFailed(err, "query", store.merchantId);
      }
    }

    let maxLex = 0;
    for (const hit of lexical) if (hit.score > maxLex) maxLex = hit.score;
    // Fused scores in the lexical hits' order (then vector-only ones): the top `cap` are picked
    // from these arrays, ties in this order, as a stable sort of all of them would.
    const fusedIds: string[] = [];
    const fusedScores: number[] = [];
    const { vectorWeight, coveragePower, headBoost, kidsPenalty, audienceBoost } = this.options;
    for (const hit of lexical) {
      if (hit.gate < threshold) continue;
      if (requireHeadMatch && !hit.headMatch) continue;
      const lex = maxLex > 0 ? hit.score / maxLex : 0;
      const vec = Math.max(0, vectorScores.get(hit.id) ?? 0);
      const base = (1 - vectorWeight) * lex + vectorWeight * vec;
      let score = base * Math.min(1, hit.coverage) ** coveragePower;
      // The query names what this product is (its head noun), not just something it goes with.
      if (hit.headMatch) score *= 1 + headBoost;
      // Unless the shopper asks for children, adult products come first.
      const facts = m.entries.get(hit.id)?.facts;
      if (facts?.audiences) {
        if (constraints.audience !== "kids" && facts.audiences.has("kids") && facts.audiences.size === 1) score *= kidsPenalty;
        // Made for who was named (or for that age) beats merely not ruled out.
        if (constraints.audience !== null && facts.audiences.has(constraints.audience)) score *= audienceBoost;
      }
      if (constraints.age !== null && facts?.ageRange) score *= audienceBoost;
      fusedIds.push(hit.id);
      fusedScores.push(score);
    }
    if (!requireHeadMatch) {
      let lexicalIds: Set<string> | null = null;
      for (const [id, score] of vectorScores) {
        if (score < this.options.vectorOnlyMinScore) continue;
        lexicalIds ??= new Set(fusedIds);
        if (lexicalIds.has(id) || !allowed(id)) continue;
        lexicalIds.add(id);
        fusedIds.push(id);
        fusedScores.push(vectorWeight * score * 0.5);
      }
    }
    if (constraints.cheap) applyCheapPreference(fusedIds, fusedScores, m);

    const best = new TopK(cap);
    for (let i = 0; i < fusedScores.length; i++) best.offer(fusedScores[i]!, i);
    const ranked = best.sorted();
    const top = ranked[0]?.score ?? 0;
    const items: ProductSearchHit[] = [];
    for (const { score, seq } of ranked) {
      if (score < top * this.options.relativeCutoff) break;
      const e = m.entries.get(fusedIds[seq]!);
      if (e) items.push({ product: e.product, score: Math.round(score * 10_000) / 10_000 });
    }
    return items;
  }

  /**
   * The embedding of a query's words. Shoppers repeat the same few queries ("abaya", "عطر"), and
   * an external embedder is a network call: the last QUERY_VECTORS_KEPT are kept, least recently
   * used out first. The embedder and its model do not change for the life of this object.
   */
  private async queryVector(text: string): Promise<Float32Array | undefined> {
    const kept = this.queryVectors.get(text);
    if (kept) {
      this.queryVectors.delete(text);
      this.queryVectors.set(text, kept);
      return kept;
    }
    const [qv] = await this.embedder.embed([text]);
    if (!qv) return undefined;
    this.queryVectors.set(text, qv);
    if (this.queryVectors.size > QUERY_VECTORS_KEPT) this.queryVectors.delete(this.queryVectors.keys().next().value!);
    return qv;
  }

  private threshold(weight: number): number {
    const t = this.options.coverageThresholds;
    if (weight <= 1) return t[0];
    if (weight <= 2) return t[1];
    if (weight <= 3) return t[2];
    return t[3];
  }

  private buildQuery(
    tokens: readonly Token[],
    concepts: ReadonlyArray<{ id: string; start: number; end: number }>,
    consumed: ReadonlySet<number>,
    m: MerchantCatalog,
    constraints: QueryConstraints,
  ): BuiltQuery {
    const lexical = m.lexical;
    const units: QueryUnit[] = [];
    const embedWords: string[] = [];
    /** Token index → index of the (longest) phrase unit covering it. */
    const inPhrase = new Map<number, number>();
    const free = (h: { start: number; end: number }) => {
      for (let k = h.start; k < h.end; k++) if (consumed.has(k) || inNeed.has(k)) return false;
      return true;
    };
    const inNeed = new Set<number>();
    /** Token index where each unit starts (to tell what comes before the shopper's request). */
    const unitStart: number[] = [];
    // A described situation ("for the desert trip") becomes one unit whose alternatives are the
    // kinds of products that serve it; its words are not ranked on their own.
    const needUnits: number[] = [];
    const needHits = concepts.filter((h) => h.id.startsWith(NEED_PREFIX)).sort((x, y) => y.end - y.start - (x.end - x.start));
    for (const h of needHits) {
      if (!free(h)) continue;
      const alternatives = new Map<string, number>([[h.id, 1]]);
      for (const [concept, weight] of needServes.get(h.id) ?? []) alternatives.set(concept, weight);
      // "A gift for my daughter": what is made for her is a fair gift too, after the classics.
      if (GIFT_NEEDS.has(h.id) && constraints.audience !== null) alternatives.set(AUDIENCE_PREFIX + constraints.audience, 0.5);
      needUnits.push(units.length);
      unitStart.push(h.start);
      units.push({ alternatives, importance: 1 });
      for (let k = h.start; k < h.end; k++) inNeed.add(k);
      for (let k = h.start; k < h.end; k++) embedWords.push(tokens[k]?.norm ?? "");
    }
    for (const h of concepts) {
      if (h.end - h.start < 2 || h.id.startsWith(NEED_PREFIX) || !free(h)) continue;
      unitStart.push(h.start);
      units.push({ alternatives: new Map([[h.id, 1]]), importance: 1 });
      for (let k = h.start; k < h.end; k++) if (!inPhrase.has(k)) inPhrase.set(k, units.length - 1);
    }
    const vocabulary = () => {
      if (m.fuzzyWords?.version !== lexical.version) m.fuzzyWords = { version: lexical.version, words: [...lexical.vocabulary(), ...lexiconWords.keys()].filter(isTerm) };
      return m.fuzzyWords.words;
    };
    const arabiziQuery = looksLikeArabizi(tokens.map((t) => t.norm).join(" "));
    let vocabCache: string[] | null = null;
    const unknown: number[] = [];
    const purpose = purposeWords(tokens);
    const where = placeWords(tokens);
    const isStop = (t: Token) => t.stop || (arabiziQuery && arabiziStop(t));
    const content = tokens.filter((t, i) => !consumed.has(i) && !isStop(t) && !where.has(i) && !t.number).length;
    const head = headToken(tokens, concepts, (i) => consumed.has(i) || inNeed.has(i) || where.has(i) || isStop(tokens[i]!));
    const unitOfToken = new Map<number, number>();
    tokens.forEach((t, i) => {
      if (consumed.has(i) || inNeed.has(i) || where.has(i) || isStop(t)) return;
      const alternatives = new Map<string, number>();
      const put = (term: string, w: number) => {
        if ((alternatives.get(term) ?? 0) < w) alternatives.set(term, w);
      };
      put(t.stem, 1);
      if (t.variant !== null && lexical.has(t.variant)) put(t.variant, 0.85);
      for (const h of concepts) if (h.start === i && h.end === i + 1 && !h.id.startsWith(NEED_PREFIX)) put(h.id, 0.9);
      const known = lexical.has(t.stem) || (t.variant !== null && lexical.has(t.variant)) || alternatives.size > 1;
      // "fee dallah?", "3ndkom ...": an Arabizi function word the catalog does not know is filler.
      if (!known && !t.number && !arabiziQuery && arabiziStop(t)) return;
      const corrections: string[] = [];
      if (!known && !t.number) {
        vocabCache ??= vocabulary();
        // Arabizi without digits is hard to tell from an unknown English word ("pro", "max"):
        // it is tried at lower trust when no English spelling is near, and only on words long
        // enough that a consonant outline means something.
        const latin = /^[a-z0-9']+$/.test(t.norm);
        const english = fuzzyMatches(t.stem, vocabCache);
        const likelyArabizi = latin && (/[235679]/.test(t.norm) || arabiziQuery);
        const maybeArabizi = latin && !likelyArabizi && english.length === 0 && t.norm.length >= 5;
        const arabizi = likelyArabizi || maybeArabizi ? arabiziMatches(t.norm, vocabCache).map((g) => (likelyArabizi ? g : { ...g, weight: g.weight * 0.8 })) : [];
        for (const g of [...english, ...arabizi]) {
          const conceptIds = lexiconWords.get(g.term);
          if (lexical.has(g.term)) put(g.term, g.weight);
          for (const id of conceptIds ?? []) if (!id.startsWith(NEED_PREFIX)) put(id, g.weight * 0.95);
          corrections.push(g.term);
        }
      }
      embedWords.push(t.norm, ...corrections);
      const lexiconKnown = alternatives.size > 1 || lexiconWords.has(t.stem);
      if (!known && !t.number && alternatives.size === 1 && !inPhrase.has(i) && purpose.has(i)) unknown.push(i);
      const own = concepts.filter((h) => h.start === i && h.end === i + 1 && !h.id.startsWith(NEED_PREFIX)).map((h) => h.id);
      const modifier = t.number || (own.length > 0 && own.every((id) => MODIFIER_PREFIXES.some((p) => id.startsWith(p))));
      const soft = own.length > 0 && own.every((id) => SOFT_CONCEPTS.has(id));
      // In a long message, a word neither the catalog nor the shopping lexicon knows is most
      // likely talk around the product ("my husband keeps losing his cards"), not a product the
      // store lacks: it weighs little, and a result must then name what the shopper asked for.
      const context = (content >= 4 || (content >= 2 && needUnits.length > 0)) && !known && !lexiconKnown && !t.number && alternatives.size === 1 && !inPhrase.has(i);
      // Who it is for is a filter (and a boost for products made for them): a product that does
      // not say "for women" is not a worse match for "a gift for my mother".
      // Children's products are another kind of product, so "for my daughter" keeps its full weight.
      const audienceOnly = own.length > 0 && own.every((id) => id.startsWith(AUDIENCE_PREFIX) && id !== AUDIENCE_PREFIX + "kids");
      const importance = (t.number || soft ? 0.5 : 1) * (inPhrase.has(i) ? 0.5 : 1) * (context ? 0.25 : 1) * (audienceOnly ? 0.25 : 1);
      unitOfToken.set(i, units.length);
      unitStart.push(i);
      units.push({
        alternatives,
        importance,
        unknownImportance: t.number ? 1 : soft ? 0.2 : context ? 0.1 : importance,
        modifier: modifier || soft || context,
        partOf: inPhrase.get(i),
      });
    });
    // "I have an espresso machine, I just need capsules", "عندي مكينة وابي كبسولات": in a long
    // message, what comes before the last request ("need", "ابي", "do you have") is context.
    const cue = requestCue(tokens, units, unitStart);
    if (cue !== null) {
      units.forEach((u, i) => {
        // A situation told before the request still says what it is for ("going camping ... need").
        if ((unitStart[i] ?? 0) < cue && !u.modifier && !needUnits.includes(i)) units[i] = { ...u, importance: u.importance * 0.3, unknownImportance: 0.05, modifier: true, head: false };
      });
    }
    // A need next to product words only says what they are for; alone, it is the request.
    const named = units.some((u, i) => !needUnits.includes(i) && !u.modifier);
    for (const i of needUnits) {
      const u = units[i]!;
      if (named) units[i] = { ...u, importance: 0.5, unknownImportance: 0.2, modifier: true };
    }
    // The product the shopper names (head of the query) decides which products are "the thing
    // itself" rather than things that go with it.
    if (head !== null) {
      const phrase = inPhrase.get(head);
      for (const i of [unitOfToken.get(head), phrase]) if (i !== undefined && units[i]) units[i] = { ...units[i]!, head: true };
    }
    const weight = units.reduce((s, u) => s + u.importance, 0);
    return { units, weight, embedText: embedWords.join(" "), unknown };
  }

  private async ready(store: TenantStore): Promise<MerchantCatalog> {
    const id = store.merchantId;
    let m = this.merchants.get(id);
    if (!m) {
      m = new MerchantCatalog();
      this.merchants.set(id, m);
    }
    const catalog = m;
    if (catalog.built && catalog.changed.size === 0 && catalog.removed.size === 0) return catalog;
    const run = catalog.queue.then(() => (catalog.built ? this.applyChanges(store, catalog) : this.build(store, catalog)));
    catalog.queue = run.catch(() => undefined);
    await run;
    return catalog;
  }

  private categoryTextFor(store: TenantStore, m: MerchantCatalog, categoryId: string | null): Promise<string> {
    return categoryTextOf(store, categoryId, m.categoryText);
  }

  private clock(): number {
    return (this.deps.now ?? Date.now)();
  }

  private vectorsAnswered(): void {
    if (!this.vectorsDown) return;
    this.vectorsDown = false;
    this.deps.metrics?.vectorAvailable.set(1);
    this.deps.logger?.info("vector index answers again; searches use vectors again");
  }

  private vectorsFailed(err: unknown, operation: string, merchantId: string): void {
    this.deps.metrics?.vectorFallbacks.inc({ operation });
    this.deps.metrics?.vectorAvailable.set(0);
    if (err instanceof VectorsResting) return;
    this.vectorRetryAt = this.clock() + (this.deps.vectorRetryMs ?? 5_000);
    if (this.vectorsDown) {
      this.deps.logger?.debug({ err, merchantId, operation }, "vector index still unavailable; lexical-only search");
      return;
    }
    this.vectorsDown = true;
    this.deps.logger?.warn({ err, merchantId, operation }, "vector index unavailable; product search falls back to lexical-only");
  }

  private async build(store: TenantStore, m: MerchantCatalog): Promise<void> {
    // Changes that arrive during the build are applied afterwards; the build reads fresh rows.
    m.changed.clear();
    m.removed.clear();
    if (this.writesVectors) await this.vectors.clear(store.merchantId);
    const products = (await store.products.all()).filter((p) => p.status === "active");
    await this.index(store, m, products);
    m.built = true;
    if (!this.writesVectors) await this.checkSharedIndex(store.merchantId, products.length);
  }

  /**
   * The shared index should hold one vector per active product. When it holds another number (a
   * new embedding model's empty collection, changes lost before they reached the outbox), the
   * catalog-index job re-embeds the catalog; requests of every process in one time slot are one job.
   */
  private async checkSharedIndex(merchantId: string, active: number): Promise<void> {
    let stored: number;
    try {
      if (this.vectorsDown && this.clock() < this.vectorRetryAt) throw new VectorsResting();
      stored = await this.vectors.count(merchantId);
      this.vectorsAnswered();
    } catch (err) {
      this.vectorsFailed(err, "count", merchantId);
      return;
    }
    if (stored !== active) {
      this.deps.logger?.info({ merchantId, stored, active }, "shared vector index out of step with the catalog; re-index requested");
      this.deps.requestReindex?.(merchantId);
    }
  }

  private async applyChanges(store: TenantStore, m: MerchantCatalog): Promise<void> {
    const removed = [...m.removed];
    const changed = [...m.changed];
    m.removed.clear();
    m.changed.clear();
    const gone: string[] = [...removed];
    const fresh: Product[] = [];
    for (const id of changed) {
      const p = await store.products.get(id);
      if (p && p.status === "active") fresh.push(p);
      else gone.push(id);
    }
    for (const id of gone) {
      m.lexical.remove(id);
      m.entries.delete(id);
    }
    if (gone.length > 0 && this.writesVectors) await this.vectors.remove(store.merchantId, gone);
    await this.index(store, m, fresh);
  }

  private async index(store: TenantStore, m: MerchantCatalog, products: readonly Product[]): Promise<void> {
    const texts: string[] = [];
    for (const p of products) {
      const categoryText = await this.categoryTextFor(store, m, p.categoryId);
      m.lexical.upsert(p.id, fieldTerms(p, categoryText));
      m.entries.set(p.id, { product: p, facts: productFacts(p, categoryText) });
      if (this.writesVectors) texts.push(embeddingText(p, categoryText));
    }
    if (products.length === 0 || this.options.vectorWeight <= 0 || !this.writesVectors) return;
    const vectors = await this.embedder.embed(texts);
    await this.vectors.upsert(
      store.merchantId,
      products.map((p, i) => ({ id: p.id, vector: vectors[i] ?? new Float32Array(this.embedder.dimensions), payload: { externalId: p.externalId } })),
    );
  }
}

/** Thrown (and caught) inside a search that skips vectors while they rest after a failure. */
class VectorsResting extends Error {}

/** Whether `violation` can rule a product out under these constraints (hasAnyConstraint, and age). */
function filters(c: QueryConstraints): boolean {
  return hasAnyConstraint(c) || c.age !== null;
}

function hasAnyConstraint(c: QueryConstraints): boolean {
  return c.minPrice !== null || c.maxPrice !== null || c.colours.length > 0 || c.materials.length > 0 || c.sizes.length > 0 || c.audience !== null;
}

/** "cheap"/"رخيص": among the matches, lower prices move up (at most 30 %). */
function applyCheapPreference(ids: readonly string[], scores: number[], m: MerchantCatalog): void {
  const prices = ids.map((id) => m.entries.get(id)?.product.price ?? 0);
  let min = Infinity;
  let max = -Infinity;
  for (const p of prices) {
    if (p < min) min = p;
    if (p > max) max = p;
  }
  if (!(max > min)) return;
  ids.forEach((id, i) => {
    const price = m.entries.get(id)?.product.price ?? max;
    scores[i] = scores[i]! * (1 - 0.3 * ((price - min) / (max - min)));
  });
}
