// Normalized platform changes into the merchant's catalog and orders, keyed by (platform,
// external id): a product created twice (webhook and import) is one product, a delete on the
// platform removes it, and the bot's search index hears of both (CatalogEvents).
import type { CatalogEvents, CommerceChange, CommercePlatform, OrderItem, SyncedProduct, TenantStore } from "@kaleem/shared";

/** What "sold without a stock limit" is stored as: the platform does not track it, so neither does checkout. */
export const UNTRACKED_STOCK = 1_000_000;

export interface AppliedChanges {
  products: number;
  removed: number;
  orders: number;
}

/** A category slug from a platform's category name (letters of any script, digits, "-"). */
export function categorySlug(name: string): string | null {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return slug === "" ? null : slug;
}

async function upsertProduct(tenant: TenantStore, platform: CommercePlatform, p: SyncedProduct): Promise<string> {
  const slug = p.category ? categorySlug(p.category) : null;
  const category = slug && p.category ? await tenant.categories.ensure({ slug, name: /[\u0600-\u06FF]/.test(p.category) ? { ar: p.category } : { en: p.category } }) : null;
  const { product } = await tenant.products.upsertByExternalId(p.externalId, {
    source: platform,
    name: p.name,
    description: p.description,
    price: p.price,
    ...(p.currency ? { currency: p.currency } : {}),
    stock: p.stock ?? UNTRACKED_STOCK,
    attributes: p.attributes,
    tags: p.tags,
    imageUrl: p.imageUrl,
    url: p.url,
    status: p.status,
    categoryId: category?.id ?? null,
  });
  return product.id;
}

/** Applies `changes` in order; the index is told once, at the end, about everything that changed. */
export async function applyCommerceChanges(tenant: TenantStore, platform: CommercePlatform, changes: readonly CommerceChange[], catalogEvents: CatalogEvents): Promise<AppliedChanges> {
  const changed: string[] = [];
  const removed: string[] = [];
  let orders = 0;
  try {
    for (const change of changes) {
      switch (change.kind) {
        case "product.upsert":
          changed.push(await upsertProduct(tenant, platform, change.product));
          break;
        case "product.delete": {
          const product = await tenant.products.getByExternalId(change.externalId, platform);
          if (product && (await tenant.products.remove(product.id))) removed.push(product.id);
          break;
        }
        case "order.upsert": {
          const o = change.order;
          const items: OrderItem[] = await Promise.all(
            o.items.map(async (item) => {
              const product = item.productExternalId ? await tenant.products.getByExternalId(item.productExternalId, platform) : null;
              // An item whose product Kaleem does not have keeps a platform reference (the bot shows its name).
              return { productId: product?.id ?? `${platform}:${item.productExternalId ?? "unknown"}`, name: item.name, price: item.price, quantity: item.quantity };
            }),
          );
          await tenant.orders.upsertSynced({
            source: platform,
            externalId: o.externalId,
            number: o.number,
            items,
            subtotal: o.subtotal,
            deliveryFee: o.deliveryFee,
            total: o.total,
            currency: o.currency,
            status: o.status,
            paymentMethod: o.paymentMethod,
            contact: o.contact,
            shippingAddress: o.shippingAddress,
            createdAt: o.createdAt,
          });
          orders += 1;
          break;
        }
        case "ignored":
          break;
      }
    }
  } finally {
    // Whatever was written before a failure is already stored: the index must hear of it too.
    if (changed.length > 0 || removed.length > 0) catalogEvents.productsChanged(tenant.merchantId, [...new Set(changed)], removed);
  }
  return { products: changed.length, removed: removed.length, orders };
}
