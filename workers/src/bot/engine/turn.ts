// Everything a handler needs to answer one shopper message.
import type { KnowledgeItem, Merchant, Product, ProductSearch, RateLimiter, TenantStore } from "@kaleem/shared";
import type { FaqIndex } from "./faq.js";
import type { BotState, Lang } from "./state.js";

export interface Turn {
  store: TenantStore;
  conversationId: string;
  merchant: Merchant;
  state: BotState;
  lang: Lang;
  /** The shopper's message as written. */
  text: string;
  search: ProductSearch;
  knowledge(): Promise<KnowledgeItem[]>;
  /** The store's FAQ items, tokenized (held between turns when the engine has a KnowledgeIndex). */
  faq(): Promise<FaqIndex>;
  /** Order look-up attempts across conversations (see orders.ts). */
  attempts: RateLimiter;
  /** The webchat visitor behind the conversation, when there is one. */
  visitorId: string | null;
}

/** Active products by id, in the order given; missing and inactive ones dropped. */
export async function productsById(store: TenantStore, ids: string[]): Promise<Product[]> {
  const found = await Promise.all(ids.map((id) => store.products.get(id)));
  return found.filter((p): p is Product => p !== null && p.status === "active");
}
