// Zid's Product and Order objects (the REST schemas its webhooks carry) into normalized changes.
// Names are `{ar, en}`. Zid's webhook bodies name no event; the event is told by the subscription
// (`?event=` on the target URL) or by the body's shape.
import type { CommerceChange, Order, SyncedOrder, SyncedProduct } from "@kaleem/shared";
import { arrayAt, httpUrlOrNull, idOf, integer, isObject, localizedOf, money, objectAt, plainText, text, isoTime, type Json } from "../common/json.js";
import { addressLine, fromVariants, orderUpsert, productUpsert, requireId, tagList, UnreadablePayload, type VariantInput } from "../common/normalize.js";

/** The attribute values of a Zid product or variant as [name, value] pairs. */
function attributePairs(p: Json): Array<[string, string]> {
  return arrayAt(p, "attributes")
    .filter(isObject)
    .map((a): [string, string] => {
      const value = localizedOf(a.value);
      return [text(a.name), value.ar || value.en];
    })
    .filter(([n, v]) => n !== "" && v !== "");
}

export function zidProduct(p: Json): SyncedProduct {
  const externalId = requireId(p.id, "the product");
  const stockOf = (x: Json): number | null => (x.is_infinite === true ? null : integer(x.quantity));
  const variants: VariantInput[] = arrayAt(p, "variants")
    .filter(isObject)
    .map((v) => {
      const name = localizedOf(v.name);
      return { externalId: requireId(v.id, "a variant"), title: name.ar || name.en, price: money(v.sale_price) ?? money(v.price), stock: stockOf(v), sku: text(v.sku) || null, options: attributePairs(v) };
    });
  const built = fromVariants(variants, money(p.sale_price) ?? money(p.price), stockOf(p));
  const own = Object.fromEntries(attributePairs(p));
  const category = (arrayAt(p, "categories").find(isObject) as Json | undefined) ?? null;
  const categoryName = category ? localizedOf(category.name) : null;
  const image = objectAt((arrayAt(p, "images").find(isObject) as Json | undefined) ?? null, "image");
  const short = localizedOf(p.short_description);
  const sku = text(p.sku);
  return {
    externalId,
    name: localizedOf(p.name),
    description: { en: plainText(short.en || localizedOf(p.description).en), ar: plainText(short.ar || localizedOf(p.description).ar) },
    price: built.price,
    ...(text(p.currency) ? { currency: text(p.currency).toUpperCase() } : {}),
    stock: built.stock,
    attributes: { ...own, ...built.attributes, ...(sku ? { SKU: sku } : {}) },
    tags: tagList(arrayAt(p, "keywords").map(text)),
    imageUrl: image ? (httpUrlOrNull(image.full_size) ?? httpUrlOrNull(image.large) ?? httpUrlOrNull(image.medium)) : null,
    url: httpUrlOrNull(p.html_url),
    category: categoryName ? categoryName.en || categoryName.ar || null : null,
    status: p.is_draft === true || p.is_published === false ? "draft" : "active",
    variants: built.variants,
    updatedAt: isoTime(p.updated_at),
  };
}

const ZID_STATUS: Record<string, Order["status"]> = {
  new: "pending",
  preparing: "confirmed",
  ready: "confirmed",
  indelivery: "shipped",
  delivered: "delivered",
  cancelled: "cancelled",
  reversed: "cancelled",
  reverse_in_progress: "cancelled",
};

export function zidOrder(o: Json): SyncedOrder {
  const externalId = requireId(o.id, "the order");
  const statusCode = text(objectAt(o, "order_status")?.code) || text(o.order_status);
  const customer = objectAt(o, "customer");
  const mobile = text(customer?.mobile);
  const phone = mobile && /^\d{11,15}$/.test(mobile) ? `+${mobile}` : mobile;
  const invoice = arrayAt(objectAt(o, "payment"), "invoice").filter(isObject);
  const line = (code: string) => money(invoice.find((i) => i.code === code)?.value);
  const total = money(o.order_total) ?? line("total") ?? 0;
  const address = objectAt(objectAt(o, "shipping"), "address");
  const currency = text(o.currency_code) || text(objectAt(objectAt(o, "currency"), "order_currency")?.code) || "SAR";
  return {
    externalId,
    number: externalId,
    status: ZID_STATUS[statusCode.toLowerCase()] ?? "pending",
    platformStatus: statusCode || "unknown",
    items: arrayAt(o, "products")
      .filter(isObject)
      .map((p) => ({ productExternalId: idOf(p.id), name: text(p.name) || "Item", price: money(p.price) ?? 0, quantity: Math.max(1, integer(p.quantity) ?? 1) })),
    subtotal: line("sub_totals_after_vat") ?? line("sub_totals_before_vat") ?? total,
    deliveryFee: line("shipping") ?? money(o.delivery_fee) ?? 0,
    total,
    currency: currency.toUpperCase(),
    paymentMethod: text(objectAt(objectAt(o, "payment"), "method")?.name) || null,
    contact: { ...(text(customer?.name) ? { name: text(customer?.name) } : {}), ...(phone ? { phone } : {}), ...(text(customer?.email) ? { email: text(customer?.email) } : {}) },
    shippingAddress: address ? addressLine(address.street, address.district, objectAt(address, "city")?.name, objectAt(address, "country")?.name) : null,
    createdAt: isoTime(o.created_at),
    updatedAt: isoTime(o.updated_at),
  };
}

const ZID_PRODUCT_EVENTS = new Set(["product.create", "product.update", "product.publish"]);
const ZID_ORDER_EVENTS = new Set(["order.create", "order.status.update", "order.payment_status.update"]);

/** Which event a Zid body is: the subscription's name when known, else read from its shape. */
export function zidEventOf(body: Json, named: string | null): string {
  if (named) return named;
  if (typeof body.event === "string") return body.event;
  if (isObject(body.order_status) || body.order_total !== undefined) return "order.status.update";
  if (body.name !== undefined && (body.price !== undefined || body.sku !== undefined)) return "product.update";
  return "unknown";
}

export function zidChanges(event: string, body: unknown): CommerceChange[] {
  if (!isObject(body)) throw new UnreadablePayload("the body is not a JSON object");
  // The REST answers wrap the object ({status, order}); webhook bodies may too.
  const inner = objectAt(body, "order") ?? objectAt(body, "product") ?? objectAt(body, "data") ?? body;
  if (ZID_PRODUCT_EVENTS.has(event)) return [productUpsert(zidProduct(inner))];
  if (event === "product.delete") return [{ kind: "product.delete", externalId: requireId(inner.id, "the product") }];
  if (ZID_ORDER_EVENTS.has(event)) return [orderUpsert(zidOrder(inner))];
  return [{ kind: "ignored", topic: event }];
}
