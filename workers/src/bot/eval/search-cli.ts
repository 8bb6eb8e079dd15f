// npm run eval:search -- --catalog <json> --queries <json> [--verbose]
// Imports the catalog into a fresh merchant of a temporary SQLite store, runs every query
// through the product search and prints per-kind metrics, timings and, as the last line,
// `ndcg@5=<x> recall@10=<x> empty_ok=<x> n=<queries>` (see search-metrics.ts for definitions).
import { randomSecret, storeCrypto } from "@kaleem/shared";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openSqliteStore } from "@kaleem/shared/adapters";
import { embeddedSearch } from "../search/embedded-search.js";
import { catalogFileSchema, importCatalog, queriesFileSchema, readJsonFile } from "./search-data.js";
import { ndcgAt, percentile, summarize, type QueryOutcome } from "./search-metrics.js";

export interface SearchEvalOptions {
  catalog: string;
  queries: string;
  verbose?: boolean;
  limit?: number;
  out?: (line: string) => void;
}

const fmt = (x: number): string => x.toFixed(4);

export async function runSearchEval(opts: SearchEvalOptions): Promise<{ lastLine: string }> {
  const out = opts.out ?? ((line: string) => console.log(line));
  const catalog = readJsonFile(opts.catalog, catalogFileSchema);
  const { queries } = readJsonFile(opts.queries, queriesFileSchema);
  const dir = mkdtempSync(path.join(tmpdir(), "kaleem-search-eval-"));
  const store = await openSqliteStore({ crypto: storeCrypto({ secrets: { encryptionKey: randomSecret(48) }, previousEncryptionKeys: [] }), file: path.join(dir, "eval.sqlite") }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  try {
    const { merchant } = await store.createMerchant(
      { name: "Search evaluation", currency: "SAR" },
      { email: `eval-${Date.now()}@example.invalid`, name: "Eval", role: "owner", passwordHash: "not-a-login" },
    );
    const tenant = store.forMerchant(merchant.id as Parameters<typeof store.forMerchant>[0]);
    const t0 = performance.now();
    const imported = await importCatalog(tenant, catalog);
    const importMs = performance.now() - t0;
    const search = embeddedSearch();
    const t1 = performance.now();
    const { products } = await search.warm(tenant);
    const buildMs = performance.now() - t1;

    const externalIdOf = new Map<string, string>();
    for (const p of await tenant.products.all()) if (p.externalId) externalIdOf.set(p.id, p.externalId);
    const outcomes: QueryOutcome[] = [];
    for (const q of queries) {
      const started = performance.now();
      const { items } = await search.search(tenant, q.q, opts.limit ?? 10);
      const ms = performance.now() - started;
      const ranked = items.map((i) => externalIdOf.get(i.product.id) ?? i.product.id);
      outcomes.push({ id: q.id, kind: q.kind, ranked, grades: q.relevant, ms });
      if (opts.verbose) {
        const n = ndcgAt(5, ranked, q.relevant);
        const shown = ranked.slice(0, 6).map((id) => `${id}${q.relevant[id] ? `(${q.relevant[id]})` : ""}`).join(" ");
        out(`${n < 1 ? "!" : " "} ${q.id} [${q.kind}] ndcg=${n.toFixed(2)} "${q.q}" → ${shown || "(nothing)"}`);
      }
    }

    out(`catalog: ${imported} products imported in ${importMs.toFixed(0)} ms; index of ${products} active products built in ${buildMs.toFixed(0)} ms`);
    const kinds = [...new Set(outcomes.map((o) => o.kind))].sort();
    out("kind               n  ndcg@5  recall@10  empty_ok");
    for (const kind of kinds) {
      const s = summarize(outcomes.filter((o) => o.kind === kind));
      const emptyOk = s.withoutRelevant > 0 ? fmt(s.emptyOk) : "   -  ";
      const recall = s.withRelevant > 0 ? fmt(s.recall10) : "   -  ";
      out(`${kind.padEnd(16)} ${String(s.n).padStart(3)}  ${fmt(s.ndcg5)}  ${recall}     ${emptyOk}`);
    }
    const times = outcomes.map((o) => o.ms);
    out(`latency per query: mean ${fmt(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length))} ms, p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms, max ${fmt(Math.max(0, ...times))} ms`);
    const s = summarize(outcomes);
    const lastLine = `ndcg@5=${fmt(s.ndcg5)} recall@10=${fmt(s.recall10)} empty_ok=${fmt(s.emptyOk)} n=${s.n}`;
    out(lastLine);
    return { lastLine };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      catalog: { type: "string" },
      queries: { type: "string" },
      verbose: { type: "boolean", short: "v", default: false },
      limit: { type: "string" },
    },
  });
  if (!values.catalog || !values.queries) {
    console.error("usage: npm run eval:search -- --catalog <catalog.json> --queries <queries.json> [--verbose] [--limit 10]");
    process.exit(2);
  }
  await runSearchEval({
    catalog: values.catalog,
    queries: values.queries,
    verbose: values.verbose,
    limit: values.limit !== undefined ? Number(values.limit) : 10,
  });
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
