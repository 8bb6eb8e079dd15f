// The catalog-index job: brings the shared vector index (Qdrant) in step with catalog changes
// relayed from the outbox. Running it twice has one effect (upsert and remove by id), so a retry
// after Qdrant or the embedder failed is safe; their outages are retried with backoff.
import type { CatalogIndexJob, Job, Logger, SearchMetrics } from "@kaleem/shared";
import type { CatalogVectorIndexer } from "../bot/search/vector-indexer.js";

export interface CatalogIndexDeps {
  indexer: CatalogVectorIndexer;
  metrics?: SearchMetrics;
  logger?: Logger;
}

export function createCatalogIndexHandler(deps: CatalogIndexDeps): (job: Job<CatalogIndexJob>) => Promise<void> {
  return async (job) => {
    const { merchantId, productIds, removed, all } = job.data;
    const result = all ? await deps.indexer.reindexAll(merchantId) : await deps.indexer.apply(merchantId, productIds, removed);
    deps.metrics?.indexed.inc({ op: "upsert" }, result.upserted);
    deps.metrics?.indexed.inc({ op: "remove" }, result.removed);
    deps.logger?.debug({ merchantId, all, ...result }, "catalog vectors indexed");
  };
}
