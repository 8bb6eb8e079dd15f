// What an embedder sees for a product, and the writer of the shared vector index: the
// catalog-index job (cluster with Qdrant) embeds products once here instead of every search
// process embedding the whole catalog for itself. CatalogSearch uses the same text for its
// in-process vectors, so both modes rank alike.
import { asMerchantId, type Embedder, type Product, type Store, type TenantStore, type VectorIndex } from "@kaleem/shared";

export const SEPARATOR = " ، ";

/** Text an embedder sees for a product: name twice (it matters most), then the rest. */
export function embeddingText(product: Product, categoryText: string): string {
  return [
    product.name.en,
    product.name.ar,
    product.name.en,
    product.name.ar,
    product.tags.join(SEPARATOR),
    categoryText,
    Object.values(product.attributes).join(SEPARATOR),
    product.description.en,
    product.description.ar,
  ].join(SEPARATOR);
}

/** Slug, English and Arabic name of a category, as one text (empty for none or a deleted one). */
export async function categoryTextOf(store: TenantStore, categoryId: string | null, cache: Map<string, string>): Promise<string> {
  if (categoryId === null) return "";
  const cached = cache.get(categoryId);
  if (cached !== undefined) return cached;
  const c = await store.categories.get(categoryId);
  const text = c ? [c.slug.replace(/[-_]+/g, " "), c.name.en, c.name.ar].filter(Boolean).join(SEPARATOR) : "";
  cache.set(categoryId, text);
  return text;
}

/** Products embedded per embeddings call and upserted per index request. */
const BATCH = 128;

export interface IndexerResult {
  upserted: number;
  removed: number;
}

export class CatalogVectorIndexer {
  constructor(private readonly deps: { store: Store; embedder: Embedder; vectors: VectorIndex }) {}

  /** Active products among `productIds` are (re-)embedded; inactive, missing and `removed` ones leave the index. */
  async apply(merchantId: string, productIds: readonly string[], removed: readonly string[]): Promise<IndexerResult> {
    const tenant = this.deps.store.forMerchant(asMerchantId(merchantId));
    const gone = [...removed];
    const active: Product[] = [];
    for (const id of productIds) {
      const p = await tenant.products.get(id);
      if (p && p.status === "active") active.push(p);
      else gone.push(id);
    }
    if (gone.length > 0) await this.deps.vectors.remove(merchantId, gone);
    await this.upsert(tenant, active);
    return { upserted: active.length, removed: gone.length };
  }

  /**
   * The merchant's whole catalog, from scratch. Cleared first so products deleted while no job
   * ran leave too; searches meanwhile rank by words (and by whatever vectors are back already).
   */
  async reindexAll(merchantId: string): Promise<IndexerResult> {
    const tenant = this.deps.store.forMerchant(asMerchantId(merchantId));
    const active = (await tenant.products.all()).filter((p) => p.status === "active");
    await this.deps.vectors.clear(merchantId);
    await this.upsert(tenant, active);
    return { upserted: active.length, removed: 0 };
  }

  private async upsert(tenant: TenantStore, products: readonly Product[]): Promise<void> {
    const categories = new Map<string, string>();
    for (let i = 0; i < products.length; i += BATCH) {
      const batch = products.slice(i, i + BATCH);
      const texts: string[] = [];
      for (const p of batch) texts.push(embeddingText(p, await categoryTextOf(tenant, p.categoryId, categories)));
      const vectors = await this.deps.embedder.embed(texts);
      await this.deps.vectors.upsert(
        tenant.merchantId,
        batch.map((p, k) => ({ id: p.id, vector: vectors[k] ?? new Float32Array(this.deps.embedder.dimensions), payload: { externalId: p.externalId } })),
      );
    }
  }
}
