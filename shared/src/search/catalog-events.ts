// Catalog changes → outbox → catalog-index job, for a shared vector index (Qdrant). Each process
// keeps only its lexical index in memory (told directly or over Redis pub/sub); the vectors are
// written once, by whichever workers process runs the job, instead of by every process for itself.
import { CATALOG_INDEX_BATCH, type NewOutboxEvent } from "../contracts/jobs.js";
import type { Logger } from "../logger.js";
import type { SearchMetrics } from "../metrics.js";
import type { CatalogEvents } from "../ports/search.js";
import { asMerchantId, type Store } from "../ports/store.js";

/** Re-index requests of one merchant within this window become one job (see `catalogIndexJobId`). */
export const REINDEX_SLOT_MS = 15 * 60_000;

export type CatalogChangeRow = Extract<NewOutboxEvent, { topic: "catalog.changed" }>;

/** The outbox rows for one change, at most CATALOG_INDEX_BATCH products each. */
export function catalogChangeRows(productIds: readonly string[], removed: readonly string[]): CatalogChangeRow[] {
  const rows: CatalogChangeRow[] = [];
  const changed = [...new Set(productIds)];
  const gone = [...new Set(removed)].filter((id) => !changed.includes(id));
  for (let i = 0; i < changed.length; i += CATALOG_INDEX_BATCH) {
    rows.push({ topic: "catalog.changed", payload: { productIds: changed.slice(i, i + CATALOG_INDEX_BATCH), removed: [], all: false } });
  }
  for (let i = 0; i < gone.length; i += CATALOG_INDEX_BATCH) {
    rows.push({ topic: "catalog.changed", payload: { productIds: [], removed: gone.slice(i, i + CATALOG_INDEX_BATCH), all: false } });
  }
  return rows;
}

export class OutboxCatalogEvents implements CatalogEvents {
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly metrics: SearchMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  productsChanged(merchantId: string, productIds: string[], removed: string[]): void {
    this.write(merchantId, catalogChangeRows(productIds, removed), "catalog change not queued for the vector index");
  }

  /** Knowledge holds no vectors: nothing for the index job. */
  knowledgeChanged(_merchantId: string): void {}

  /** The shared index does not hold what the catalog has: rebuild this merchant's vectors. */
  requestReindex(merchantId: string): void {
    const slot = Math.floor(this.now() / REINDEX_SLOT_MS);
    this.write(merchantId, [{ topic: "catalog.changed", payload: { productIds: [], removed: [], all: true, slot } }], "catalog re-index not queued");
  }

  /** Resolves once every row asked for so far is written (or failed): shutdown and tests. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private write(merchantId: string, rows: NewOutboxEvent[], failure: string): void {
    if (rows.length === 0) return;
    const outbox = this.store.forMerchant(asMerchantId(merchantId)).outbox;
    const run = (async () => {
      for (const row of rows) await outbox.add(row);
    })().catch((err: unknown) => {
      // The product write itself stands; the vectors stay behind until the next change or the
      // drift check of a search process asks for a re-index.
      this.metrics.indexRequestsFailed.inc();
      this.logger.warn({ err, merchantId }, failure);
    });
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }
}

/** One change, several listeners (this process's lexical index or the pub/sub, and the outbox). */
export function fanOutCatalogEvents(...targets: CatalogEvents[]): CatalogEvents {
  return {
    productsChanged(merchantId, productIds, removed) {
      for (const t of targets) t.productsChanged(merchantId, productIds, removed);
    },
    knowledgeChanged(merchantId) {
      for (const t of targets) t.knowledgeChanged(merchantId);
    },
  };
}
