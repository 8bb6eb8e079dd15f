// Bot hot paths against naive baselines in the same run: product search (hybrid BM25F + vectors
// + constraints) vs plain token overlap over the same catalog, and intent classification vs a
// keyword lookup. The baselines are what the smart versions must beat on quality; here we
// measure what the quality costs in time.
import { openSqliteStore } from "@kaleem/shared/adapters";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asMerchantId, randomSecret, storeCrypto, hashPassword, seedDemoStore, type Product } from "@kaleem/shared";
import { createIntentClassifier, embeddedSearch } from "@kaleem/workers";
import { normalizeText } from "../../workers/src/bot/nlp/normalize.js";
import { compare, result, timeOps, type BenchResult } from "./harness.js";

/** A throwaway key: a benchmark's store lives for one run (the test helpers load vitest, so not them). */
const benchStoreCrypto = () => storeCrypto({ secrets: { encryptionKey: randomSecret(48) }, previousEncryptionKeys: [] });

const queries = [
  "abaya in navy", "abaya under 250", "عباية مطرزة", "دهن عود", "mabkhara", "musk for men", "dates gift box",
  "تمر للضيوف", "qahwa", "قهوة شقراء", "bluetooth earphones", "portable charger", "thobe for summer", "ghutra",
  "something for majlis guests", "عطر لأمي", "cheap bakhoor", "something under 100 riyals", "أقل من ١٠٠ ريال", "3abaya",
  "perfum", "truck tyres", "iphone 15",
];
const messages = [
  "where is my order 1001", "which abayas do you have?", "how much is shipping to jeddah", "can I pay cash on delivery",
  "I want to return my order", "talk to a human please", "وين طلبي", "كم التوصيل للرياض", "ابي اكلم موظف", "hi",
  "cancel my order", "I want to buy this", "send me the invoice", "how do I reset my password",
];

function tokenOverlapSearch(products: Product[], query: string, limit: number): Product[] {
  const q = new Set(normalizeText(query).split(" "));
  return products
    .map((p) => {
      const words = new Set(normalizeText(`${p.name.en} ${p.name.ar} ${p.description.en} ${p.description.ar} ${p.tags.join(" ")}`).split(" "));
      let score = 0;
      for (const w of q) if (words.has(w)) score++;
      return { p, score };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.p);
}

const keywords: Array<[RegExp, string]> = [
  [/order|طلب/, "order_status"], [/ship|deliver|توصيل|شحن/, "shipping"], [/return|refund|ارجاع|استرجاع/, "returns_refunds"],
  [/pay|cash|دفع/, "payment"], [/human|agent|person|موظف/, "human"], [/hi|hello|مرحبا|السلام/, "greeting"],
];
const keywordIntent = (text: string) => keywords.find(([re]) => re.test(text.toLowerCase()))?.[1] ?? "other";

export async function benchBot(rounds = 5): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-bot-"));
  try {
    const store = await openSqliteStore({ crypto: benchStoreCrypto(), file: path.join(dir, "bot.db") });
    const demo = await seedDemoStore(store, { origins: [], hashPassword });
    const tenant = store.forMerchant(asMerchantId(demo.merchantId));
    const products = await tenant.products.all();
    const search = embeddedSearch();
    await search.search(tenant, "warm up", 5);

    const searchMs = await compare(
      rounds,
      () => timeOps(queries.length * 5, async () => {
        for (let r = 0; r < 5; r++) for (const q of queries) await search.search(tenant, q, 10);
      }),
      () => timeOps(queries.length * 5, () => {
        for (let r = 0; r < 5; r++) for (const q of queries) tokenOverlapSearch(products, q, 10);
      }),
    );

    const trainStart = performance.now();
    const classifier = createIntentClassifier();
    const trainMs = performance.now() - trainStart;
    const intentMs = await compare(
      rounds,
      () => timeOps(messages.length * 50, () => {
        for (let r = 0; r < 50; r++) for (const m of messages) classifier.classify(m);
      }),
      () => timeOps(messages.length * 50, () => {
        for (let r = 0; r < 50; r++) for (const m of messages) keywordIntent(m);
      }),
    );
    await store.close();
    return [
      result(`Product search, ${products.length}-product demo catalog`, "queries", { candidate: "CatalogSearch", baseline: "token overlap" }, searchMs),
      result("Intent classification", "messages", { candidate: "TF-IDF softmax", baseline: "keyword regex" }, intentMs, `(training at start-up: ${trainMs.toFixed(0)} ms)`),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
