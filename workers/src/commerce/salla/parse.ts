// Salla webhook envelopes ({event, merchant, created_at, data}) and Admin API v2 objects into
// normalized changes. `merchant` is the store id at the top of the envelope: it must be the
// connection's. Names are one string in the store's language; the script decides its side.
import type { CommerceChange, Order, SyncedOrder, SyncedProduct } from "@kaleem/shared";
import { arrayAt, bilingual, httpUrlOrNull, idOf, integer, isObject, money, objectAt, plainText, text, isoTime, type Json } from "../common/json.js";
import { addressLine, fromVariants, fullName, orderUpsert, productUpsert, requireId, tagList, UnreadablePayload, type VariantInput } from "../common/normalize.js";

export function sallaProduct(p: Json): SyncedProduct {
  const externalId = requireId(p.id, "the product");
  const currency = text(objectAt(p, "price")?.currency) || undefined;
  const optionValueNames = new Map<string, [string, string]>();
  for (const option of arrayAt(p, "options").filter(isObject)) {
    for (const value of arrayAt(option, "values").filter(isObject)) {
      const id = idOf(value.id);
      if (id) optionValueNames.set(id, [text(option.name), text(value.name)]);
    }
  }
  const variants: VariantInput[] = arrayAt(p, "skus")
    .filter(isObject)
    .map((sku) => {
      const options = arrayAt(sku, "related_option_values")
        .map((id) => optionValueNames.get(idOf(id) ?? ""))
        .filter((o): o is [string, string] => o !== undefined);
      return {
        externalId: requireId(sku.id, "a SKU"),
        title: options.map(([, v]) => v).join(" / "),
        price: money(sku.sale_price) ?? money(sku.price),
        stock: sku.unlimited_quantity === true ? null : integer(sku.stock_quantity),
        sku: text(sku.sku) || null,
        options,
      };
    });
  const unlimited = p.unlimited_quantity === true;
  const built = fromVariants(variants, money(p.sale_price) ?? money(p.price), unlimited ? null : integer(p.quantity));
  const status = text(p.status);
  const image = text(p.main_image) || text((arrayAt(p, "images").find(isObject) as Json | undefined)?.url);
  const brand = text(objectAt(p, "brand")?.name);
  const sku = text(p.sku);
  return {
    externalId,
    name: bilingual(text(p.name)),
    description: bilingual(plainText(p.description)),
    price: built.price,
    ...(currency ? { currency: currency.toUpperCase() } : {}),
    stock: built.stock,
    attributes: { ...built.attributes, ...(brand ? { Brand: brand } : {}), ...(sku ? { SKU: sku } : {}) },
    tags: tagList(arrayAt(p, "tags").map((t) => (isObject(t) ? text(t.name) : text(t)))),
    imageUrl: httpUrlOrNull(image),
    url: httpUrlOrNull(objectAt(p, "urls")?.customer) ?? httpUrlOrNull(p.url),
    category: text((arrayAt(p, "categories").find(isObject) as Json | undefined)?.name) || null,
    // sale: on sale; out: sold out (still shown); hidden: not for shoppers.
    status: status === "hidden" || status === "deleted" ? "draft" : "active",
    variants: built.variants,
    updatedAt: isoTime(p.updated_at),
  };
}

const SALLA_STATUS: Record<string, Order["status"]> = {
  payment_pending: "pending",
  under_review: "pending",
  in_progress: "confirmed",
  shipped: "shipped",
  delivering: "shipped",
  delivered: "delivered",
  completed: "delivered",
  canceled: "cancelled",
  cancelled: "cancelled",
  refunded: "cancelled",
  restored: "cancelled",
  restoring: "cancelled",
};

export function sallaOrder(o: Json): SyncedOrder {
  const externalId = requireId(o.id, "the order");
  const number = idOf(o.reference_id) ?? externalId;
  const status = objectAt(o, "status");
  const slug = text(objectAt(status, "customized")?.slug) || text(status?.slug) || text(o.status);
  const amounts = objectAt(o, "amounts");
  const customer = objectAt(o, "customer");
  const mobile = text(customer?.mobile);
  const code = text(customer?.mobile_code);
  const phone = mobile ? (code && !mobile.startsWith("+") ? `${code.startsWith("+") ? code : `+${code}`}${mobile}` : mobile) : "";
  const name = fullName(customer?.first_name, customer?.last_name) || text(customer?.name);
  const email = text(customer?.email);
  const address = objectAt(objectAt(o, "shipping"), "address") ?? objectAt(objectAt(o, "shipping"), "pickup_address");
  const total = money(amounts?.total) ?? money(o.total) ?? 0;
  return {
    externalId,
    number,
    status: SALLA_STATUS[slug] ?? "pending",
    platformStatus: slug || "unknown",
    items: arrayAt(o, "items")
      .filter(isObject)
      .map((item) => ({
        productExternalId: idOf(objectAt(item, "product")?.id) ?? idOf(item.product_id),
        name: text(item.name) || "Item",
        price: money(objectAt(item, "amounts")?.price_without_tax) ?? money(item.price) ?? 0,
        quantity: Math.max(1, integer(item.quantity) ?? 1),
      })),
    subtotal: money(amounts?.sub_total) ?? total,
    deliveryFee: money(amounts?.shipping_cost) ?? 0,
    total,
    currency: (text(objectAt(amounts, "total")?.currency) || text(o.currency) || "SAR").toUpperCase(),
    paymentMethod: text(o.payment_method) || null,
    contact: { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
    shippingAddress: address ? addressLine(address.shipping_address, address.street_number, address.block, address.city, address.country) : null,
    createdAt: isoTime(objectAt(o, "date")) ?? isoTime(o.created_at),
    updatedAt: isoTime(o.updated_at),
  };
}

export function sallaChanges(event: string, data: unknown): CommerceChange[] {
  switch (event) {
    case "product.created":
    case "product.updated":
    case "product.available":
    case "product.quantity.low":
      if (!isObject(data)) throw new UnreadablePayload("data is not an object");
      return [productUpsert(sallaProduct(data))];
    case "product.deleted":
      if (!isObject(data)) throw new UnreadablePayload("data is not an object");
      return [{ kind: "product.delete", externalId: requireId(data.id, "the product") }];
    case "order.created":
    case "order.updated":
    case "order.status.updated":
    case "order.cancelled":
    case "order.refunded":
    case "order.shipment.created": {
      // Some order events wrap the order beside what changed.
      const order = isObject(data) ? (objectAt(data, "order") ?? data) : null;
      if (!order) throw new UnreadablePayload("data is not an object");
      return [orderUpsert(sallaOrder(order))];
    }
    default:
      return [{ kind: "ignored", topic: event || "unknown" }];
  }
}

