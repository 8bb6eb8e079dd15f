// Keyset pagination: rows are fetched one past the limit to learn whether another page exists,
// and the cursor holds the sort key and id of the last row returned (never an offset), so rows
// inserted between fetches cannot shift later pages.
import { JsonText, type Page } from "../contracts/api/envelopes.js";
import { decodeCursor, encodeCursor, type CursorKey } from "../cursor.js";
import { ValidationError } from "../errors.js";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type PageRequest } from "../ports/store.js";

export function clampLimit(limit: number | undefined, fallback = DEFAULT_PAGE_LIMIT, max = MAX_PAGE_LIMIT): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

/** The decoded cursor of a page request, checked against the type of the sort key. */
export function readCursor(page: PageRequest | undefined, keyType: "string" | "number" | "none"): CursorKey | null {
  if (!page?.cursor) return null;
  const cursor = decodeCursor(page.cursor);
  const ok = keyType === "none" ? cursor.k === null : typeof cursor.k === keyType;
  if (!ok) throw new ValidationError("Invalid cursor");
  return cursor;
}

export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  sortKey: (row: Row) => string | number | null,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    nextCursor: more && last ? encodeCursor({ k: sortKey(last), id: last.id }) : null,
  };
}

/**
 * The page as JSON text, from rows that carry their record's JSON (`json`): the same text as
 * `JSON.stringify(toPage(...))` would give for those records, without building them.
 */
export function toPageJson<Row extends { id: string }, T>(
  rows: Row[],
  limit: number,
  json: (row: Row) => string,
  sortKey: (row: Row) => string | number | null,
): JsonText<Page<T>> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  const nextCursor = more && last ? encodeCursor({ k: sortKey(last), id: last.id }) : null;
  return new JsonText(`{"items":[${kept.map(json).join(",")}],"nextCursor":${JSON.stringify(nextCursor)}}`);
}
