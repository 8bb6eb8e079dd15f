// Each store's knowledge (policies, FAQ, contact details) and its FAQ search index, kept in memory
// between turns. Reading every knowledge item and tokenizing every FAQ on each shopper message was
// a fixed cost of every answer; now a store's copy is built on its first turn and dropped when a
// knowledge write says so (CatalogEvents.knowledgeChanged: directly in one process, over Redis
// pub/sub in a cluster).
import type { KnowledgeItem, TenantStore } from "@kaleem/shared";
import { buildFaqIndex, type FaqIndex } from "./faq.js";

export interface MerchantKnowledge {
  items: KnowledgeItem[];
  faq: FaqIndex;
}

/** Stores kept at once; the least recently loaded one goes first beyond this. */
const MAX_MERCHANTS = 2_000;

export class KnowledgeIndex {
  private readonly merchants = new Map<string, Promise<MerchantKnowledge>>();

  /** The store's knowledge, read from the store only when no current copy is held. */
  get(store: TenantStore): Promise<MerchantKnowledge> {
    const id = store.merchantId;
    const held = this.merchants.get(id);
    if (held) return held;
    const loading = store.knowledge.all().then((items) => ({ items, faq: buildFaqIndex(items) }));
    this.merchants.set(id, loading);
    if (this.merchants.size > MAX_MERCHANTS) this.merchants.delete(this.merchants.keys().next().value!);
    // A failed read is not kept: the next turn tries again.
    loading.catch(() => {
      if (this.merchants.get(id) === loading) this.merchants.delete(id);
    });
    return loading;
  }

  /**
   * Drops the store's copy. A read already in flight still answers the turns waiting on it, but is
   * not kept: the entry it would fill is gone, so the next turn reads the items written now.
   */
  invalidate(merchantId: string): void {
    this.merchants.delete(merchantId);
  }
}
