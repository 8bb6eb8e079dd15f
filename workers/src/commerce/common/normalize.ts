// What the three platforms' parsers share once a payload is read: the product built from its
// variants, a platform status mapped onto Kaleem's five, and the last check against the contract
// (anything it would refuse is reported, not stored half-right).
import { commerceChangeSchema, type CommerceChange, type SyncedOrder, type SyncedProduct } from "@kaleem/shared";
import { idOf } from "./json.js";

export interface VariantInput {
  externalId: string;
  title: string;
  price: number | null;
  stock: number | null;
  sku: string | null;
  /** Option name → this variant's value ("Size" → "Small"). */
  options: Array<[string, string]>;
}

/** Lowest variant price, stock summed over tracked variants, option values gathered per option name. */
export function fromVariants(variants: readonly VariantInput[], fallbackPrice: number | null, fallbackStock: number | null) {
  const prices = variants.map((v) => v.price).filter((p): p is number => p !== null);
  const tracked = variants.map((v) => v.stock).filter((s): s is number => s !== null);
  const options = new Map<string, Set<string>>();
  for (const v of variants) {
    for (const [name, value] of v.options) {
      if (!name || !value) continue;
      const set = options.get(name) ?? new Set<string>();
      set.add(value);
      options.set(name, set);
    }
  }
  return {
    price: prices.length > 0 ? Math.min(...prices) : (fallbackPrice ?? 0),
    stock: tracked.length > 0 ? tracked.reduce((a, b) => a + Math.max(0, b), 0) : fallbackStock,
    attributes: Object.fromEntries([...options].map(([name, values]) => [name, [...values].join(", ")])),
    variants: variants.map((v) => ({ externalId: v.externalId, title: v.title, price: v.price ?? 0, stock: v.stock, sku: v.sku })),
  };
}

/** Comma-separated tags (Shopify) or a list of words, trimmed and without empties. */
export function tagList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  return [...new Set(items.map((t) => (typeof t === "string" ? t.trim() : "")).filter((t) => t.length > 0 && t.length <= 100))].slice(0, 50);
}

export class UnreadablePayload extends Error {}

/** The platform's id of `what`, exact; a payload without one cannot make a change. */
export function requireId(value: unknown, what: string): string {
  const id = idOf(value);
  if (id === null) throw new UnreadablePayload(`${what} has no readable id`);
  return id;
}

/** The change checked against the contract; a payload that cannot make one is an error the route answers 400 to. */
export function checked(change: CommerceChange): CommerceChange {
  const parsed = commerceChangeSchema.safeParse(change);
  if (!parsed.success) throw new UnreadablePayload(`the payload does not make a valid ${change.kind}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

export const productUpsert = (product: SyncedProduct): CommerceChange => checked({ kind: "product.upsert", product });
export const orderUpsert = (order: SyncedOrder): CommerceChange => checked({ kind: "order.upsert", order });

/** A name to show: parts joined with spaces, empties dropped. */
export const fullName = (...parts: unknown[]): string =>
  parts
    .map((p) => (typeof p === "string" ? p.trim() : ""))
    .filter(Boolean)
    .join(" ");

/** An address line from its parts. */
export const addressLine = (...parts: unknown[]): string | null => {
  const line = parts
    .map((p) => (typeof p === "string" ? p.trim() : typeof p === "number" ? String(p) : ""))
    .filter(Boolean)
    .join(", ");
  return line === "" ? null : line.slice(0, 500);
};
