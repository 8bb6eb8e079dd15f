// The pure half of the Qdrant adapter: how a (merchant, item) pair becomes a point id, which
// filter confines a request to one merchant, how items map to points and back, and how a
// collection is named after the embedding model. No I/O here, so all of it is unit-tested here.
import { createHash } from "node:crypto";
import type { VectorItem, VectorMatch } from "../../ports/vector-index.js";

/** Payload keys the adapter owns; the item's own payload lives under `data` so it cannot clobber them. */
export const MERCHANT_KEY = "merchantId";
export const ITEM_KEY = "itemId";
export const DATA_KEY = "data";

/**
 * Fixed namespace of the UUIDv5 point ids (RFC 9562 §5.5). Changing it would orphan every stored
 * point, so it is a constant, not configuration.
 */
const POINT_NAMESPACE = Buffer.from("6f1d3c0e9a5b4e7c8d2f1a0b3c4d5e6f", "hex");

/**
 * Qdrant takes only unsigned integers or UUIDs as point ids, and one collection holds every
 * merchant, so the id is a UUIDv5 of (merchant, item): the same product id in two stores is two
 * points, and an upsert replaces exactly the point it names. The JSON array keeps the pair
 * unambiguous (no separator a merchant or item id could contain).
 */
export function pointId(merchantId: string, itemId: string): string {
  const hash = createHash("sha1").update(POINT_NAMESPACE).update(JSON.stringify([merchantId, itemId])).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC variant
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Qdrant's filter for "this merchant's points only": every read and delete carries it. */
export interface MerchantFilter {
  must: [{ key: typeof MERCHANT_KEY; match: { value: string } }];
}
export function merchantFilter(merchantId: string): MerchantFilter {
  return { must: [{ key: MERCHANT_KEY, match: { value: merchantId } }] };
}

export interface QdrantPoint {
  id: string;
  vector: number[];
  payload: { [MERCHANT_KEY]: string; [ITEM_KEY]: string; [DATA_KEY]?: Record<string, unknown> };
}

/** The point stored for one item of one merchant. */
export function toPoint(merchantId: string, item: VectorItem): QdrantPoint {
  return {
    id: pointId(merchantId, item.id),
    vector: Array.from(item.vector),
    payload: { [MERCHANT_KEY]: merchantId, [ITEM_KEY]: item.id, ...(item.payload ? { [DATA_KEY]: item.payload } : {}) },
  };
}

/** What a scored point from Qdrant looks like, as far as the adapter reads it. */
export interface ScoredPointLike {
  id: string | number;
  score: number;
  payload?: Record<string, unknown> | null;
}

/**
 * Scored points → matches, by the item id kept in the payload (the point id is a hash). A point
 * of another merchant is dropped even though the filter already excludes it: isolation does not
 * rest on one request field alone.
 */
export function toMatches(merchantId: string, points: readonly ScoredPointLike[]): VectorMatch[] {
  const out: VectorMatch[] = [];
  for (const p of points) {
    const item = p.payload?.[ITEM_KEY];
    if (typeof item !== "string" || p.payload?.[MERCHANT_KEY] !== merchantId) continue;
    out.push({ id: item, score: p.score });
  }
  return out;
}

/**
 * One collection per embedding model: vectors of different models must never be compared, and a
 * model change starts an empty collection that the catalog-index job fills. Qdrant accepts
 * letters, digits, `_` and `-` safely; anything else in the model id becomes `_`, and a short hash
 * of the exact id keeps two models that fold to the same text apart.
 */
export function collectionName(prefix: string, embedderId: string): string {
  const slug = embedderId
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60);
  const tag = createHash("sha256").update(embedderId).digest("hex").slice(0, 8);
  return `${prefix}_${slug}_${tag}`;
}
