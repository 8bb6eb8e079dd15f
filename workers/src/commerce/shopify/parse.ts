// Shopify webhook bodies and Admin REST API objects (the same Product and Order resources) into
// normalized changes. Ids are read from the lossless parse: digits, never rounded numbers.
import type { CommerceChange, Order, SyncedOrder, SyncedProduct } from "@kaleem/shared";
import { arrayAt, bilingual, httpUrlOrNull, idOf, integer, isObject, money, objectAt, plainText, text, isoTime, type Json } from "../common/json.js";
import { addressLine, fromVariants, fullName, orderUpsert, productUpsert, requireId, tagList, UnreadablePayload, type VariantInput } from "../common/normalize.js";

export function shopifyProduct(p: Json, shopDomain: string | null): SyncedProduct {
  const externalId = requireId(p.id, "the product");
  const optionNames = arrayAt(p, "options")
    .filter(isObject)
    .sort((a, b) => (integer(a.position) ?? 0) - (integer(b.position) ?? 0))
    .map((o) => text(o.name));
  const variants: VariantInput[] = arrayAt(p, "variants")
    .filter(isObject)
    .map((v) => ({
      externalId: requireId(v.id, "a variant"),
      title: text(v.title),
      price: money(v.price),
      // Not tracked by Shopify (no inventory management): no limit Kaleem knows of.
      stock: v.inventory_management === null ? null : integer(v.inventory_quantity),
      sku: text(v.sku) || null,
      options: [v.option1, v.option2, v.option3]
        .map((value, i): [string, string] => [optionNames[i] ?? (optionNames.length === 0 && i === 0 ? "Variant" : ""), text(value)])
        .filter(([name, value]) => name !== "" && value !== "" && value !== "Default Title"),
    }));
  const built = fromVariants(variants, null, null);
  const vendor = text(p.vendor);
  const image = objectAt(p, "image") ?? (arrayAt(p, "images").find(isObject) as Json | undefined) ?? null;
  const handle = text(p.handle);
  const status = text(p.status);
  return {
    externalId,
    name: bilingual(text(p.title)),
    description: bilingual(plainText(p.body_html)),
    price: built.price,
    stock: built.stock,
    attributes: { ...built.attributes, ...(vendor ? { Brand: vendor } : {}) },
    tags: tagList(p.tags),
    imageUrl: image ? httpUrlOrNull(image.src) : null,
    url: handle && shopDomain ? `https://${shopDomain}/products/${encodeURIComponent(handle)}` : null,
    category: text(p.product_type) || null,
    // Shopify's statuses are Kaleem's: active, draft, archived; an unpublished product is a draft to shoppers.
    status: status === "draft" || status === "archived" ? status : p.published_at === null && status !== "active" ? "draft" : "active",
    variants: built.variants,
    updatedAt: isoTime(p.updated_at),
  };
}

/** Shopify's financial/fulfilment statuses → Kaleem's five. */
export function shopifyOrderStatus(o: Json): { status: Order["status"]; platformStatus: string } {
  const financial = text(o.financial_status);
  const fulfillment = text(o.fulfillment_status);
  const platformStatus = [financial, fulfillment].filter(Boolean).join("/") || "open";
  if (o.cancelled_at !== null && o.cancelled_at !== undefined && text(o.cancelled_at) !== "") return { status: "cancelled", platformStatus: `cancelled${financial ? `/${financial}` : ""}` };
  const delivered = arrayAt(o, "fulfillments").some((f) => isObject(f) && text(f.shipment_status) === "delivered");
  if (delivered) return { status: "delivered", platformStatus };
  if (fulfillment === "fulfilled" || fulfillment === "partial") return { status: "shipped", platformStatus };
  if (financial === "paid" || financial === "partially_paid" || financial === "authorized" || o.confirmed === true) return { status: "confirmed", platformStatus };
  return { status: "pending", platformStatus };
}

export function shopifyOrder(o: Json): SyncedOrder {
  const externalId = requireId(o.id, "the order");
  const number = idOf(o.order_number) ?? (text(o.name).replace(/^#/, "") || null);
  if (number === null) throw new UnreadablePayload("the order has no number");
  const customer = objectAt(o, "customer");
  const shipping = objectAt(o, "shipping_address");
  const billing = objectAt(o, "billing_address");
  const email = text(o.email) || text(o.contact_email) || text(customer?.email);
  const phone = text(o.phone) || text(customer?.phone) || text(shipping?.phone) || text(billing?.phone);
  const name = fullName(customer?.first_name, customer?.last_name) || text(shipping?.name);
  const currency = text(o.currency) || "USD";
  const shippingFee = money(objectAt(objectAt(o, "total_shipping_price_set"), "shop_money")?.amount) ?? arrayAt(o, "shipping_lines").filter(isObject).reduce((sum, l) => sum + (money(l.price) ?? 0), 0);
  const { status, platformStatus } = shopifyOrderStatus(o);
  return {
    externalId,
    number,
    status,
    platformStatus,
    items: arrayAt(o, "line_items")
      .filter(isObject)
      .map((li) => ({ productExternalId: idOf(li.product_id), name: text(li.name) || text(li.title) || "Item", price: money(li.price) ?? 0, quantity: Math.max(1, integer(li.quantity) ?? 1) })),
    subtotal: money(o.subtotal_price) ?? money(o.total_line_items_price) ?? 0,
    deliveryFee: Math.round(shippingFee * 100) / 100,
    total: money(o.total_price) ?? 0,
    currency: currency.toUpperCase(),
    paymentMethod: arrayAt(o, "payment_gateway_names").map(text).filter(Boolean).join(", ") || null,
    contact: { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
    shippingAddress: shipping ? addressLine(shipping.address1, shipping.address2, shipping.city, shipping.province, shipping.zip, shipping.country) : null,
    createdAt: isoTime(o.created_at),
    updatedAt: isoTime(o.updated_at),
  };
}

/** Webhook topics Kaleem acts on; every other topic is recorded as ignored. */
export function shopifyChanges(topic: string, body: unknown, shopDomain: string | null): CommerceChange[] {
  if (!isObject(body)) throw new UnreadablePayload("the body is not a JSON object");
  switch (topic) {
    case "products/create":
    case "products/update":
      return [productUpsert(shopifyProduct(body, shopDomain))];
    case "products/delete":
      return [{ kind: "product.delete", externalId: requireId(body.id, "the product") }];
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled":
    case "orders/fulfilled":
    case "orders/partially_fulfilled":
    case "orders/edited":
      // orders/edited carries an order_edit, not the order: reconciliation brings the order itself.
      if (topic === "orders/edited") return [{ kind: "ignored", topic }];
      return [orderUpsert(shopifyOrder(body))];
    default:
      return [{ kind: "ignored", topic: topic || "unknown" }];
  }
}
