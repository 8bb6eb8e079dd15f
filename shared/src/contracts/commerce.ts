// Store platforms (Shopify, Salla, Zid) in Kaleem's own terms. A platform's webhook body or API
// page is parsed by its provider code (workers/src/commerce/<platform>/) into these normalized
// changes; the webhook route stores them and the commerce job applies them to the merchant's
// products and orders, keyed by (platform, external id). Browser-safe: schemas and types only.
import { z } from "zod";
import { commercePlatformSchema, localizedTextSchema, orderStatusSchema, productStatusSchema } from "./domain.js";

/** Platform ids are kept as the digits the platform sent (Shopify's exceed 2^53): never numbers. */
export const externalIdSchema = z.string().min(1).max(128);

export const syncedProductSchema = z.object({
  externalId: externalIdSchema,
  name: localizedTextSchema,
  description: localizedTextSchema,
  /** The lowest variant price. */
  price: z.number().nonnegative(),
  currency: z.string().min(3).max(3).optional(),
  /** Units on hand summed over variants; null when the platform does not track stock (sold without limit). */
  stock: z.number().int().nullable(),
  /** Option names → their values ("Size" → "Small, Medium"), plus brand and SKU when known. */
  attributes: z.record(z.string(), z.string()),
  tags: z.array(z.string()),
  imageUrl: z.string().nullable(),
  url: z.string().nullable(),
  /** Platform category (a product type or the first category), as a slug source. */
  category: z.string().nullable(),
  status: productStatusSchema,
  variants: z.array(
    z.object({ externalId: externalIdSchema, title: z.string(), price: z.number().nonnegative(), stock: z.number().int().nullable(), sku: z.string().nullable() }),
  ),
  /** When the platform last changed it (ISO), when it says. */
  updatedAt: z.string().nullable(),
});
export type SyncedProduct = z.infer<typeof syncedProductSchema>;

export const syncedOrderSchema = z.object({
  externalId: externalIdSchema,
  /** What the shopper knows the order by (Shopify's order_number, Salla's reference id, Zid's code). */
  number: z.string().min(1).max(64),
  status: orderStatusSchema,
  /** The platform's own status word, for the inbox ("partially_fulfilled", "inDelivery"...). */
  platformStatus: z.string(),
  items: z.array(
    z.object({ productExternalId: z.string().nullable(), name: z.string(), price: z.number().nonnegative(), quantity: z.number().int().positive() }),
  ),
  subtotal: z.number().nonnegative(),
  deliveryFee: z.number().nonnegative(),
  total: z.number().nonnegative(),
  currency: z.string().min(3).max(3),
  paymentMethod: z.string().nullable(),
  contact: z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() }),
  shippingAddress: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type SyncedOrder = z.infer<typeof syncedOrderSchema>;

export const commerceChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("product.upsert"), product: syncedProductSchema }),
  z.object({ kind: z.literal("product.delete"), externalId: externalIdSchema }),
  z.object({ kind: z.literal("order.upsert"), order: syncedOrderSchema }),
  /** Authentic, but nothing Kaleem keeps (app installs, customers, carts): recorded, not applied. */
  z.object({ kind: z.literal("ignored"), topic: z.string() }),
]);
export type CommerceChange = z.infer<typeof commerceChangeSchema>;

/** One verified platform webhook, normalized: what the webhook route stores. */
export const commerceWebhookEventSchema = z.object({
  platform: commercePlatformSchema,
  /** The platform's event name (`products/create`, `order.created`, `order.create`). */
  topic: z.string(),
  /** Unique per delivery of one platform event (see BRIEF §7 for each platform's). */
  dedupeKey: z.string().min(1).max(200),
  changes: z.array(commerceChangeSchema),
});
export type CommerceWebhookEvent = z.infer<typeof commerceWebhookEventSchema>;
