// Catalog search and catalog change notifications. REST calls `search` for the agents' product
// search and `productsChanged` after catalog writes; the search helper implements both (embedded
// index or Qdrant) and keeps its index in step.
import type { Product } from "../contracts/domain.js";
import type { TenantStore } from "./store.js";

export interface ProductSearchHit {
  product: Product;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

export interface ProductSearch {
  /** Hits carry the products as stored now (current price and stock), not as they were indexed. */
  search(store: TenantStore, query: string, limit: number): Promise<{ items: ProductSearchHit[] }>;
}

export interface CatalogEvents {
  /** Products were created/updated (`productIds`) or deleted (`removed`) for this merchant. */
  productsChanged(merchantId: string, productIds: string[], removed: string[]): void;
  /**
   * A knowledge item (policy, FAQ, contact details) of this merchant was written or removed: the
   * bot's knowledge index drops that merchant and reads the items again on its next turn.
   */
  knowledgeChanged(merchantId: string): void;
}
