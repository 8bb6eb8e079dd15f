// Filter and update builders: plain objects, no connection. Every tenant filter starts from
// `scoped(m)`, so merchantId is in each query by construction.
//
// The connection runs with sanitizeFilter on: any object with `$` keys in a filter is wrapped in
// `$eq` unless marked trusted. Operators written here are therefore marked with `op()`, and a
// value that arrives from a request (always a string here, by the port's types) can never turn
// into an operator. Regular expressions are built from escaped text only.
import mongoose from "mongoose";
import type { ConversationChannel } from "../../contracts/domain.js";
import type { CursorKey } from "../../cursor.js";
import type { ConversationFilter, ConversationPatch, MerchantId, OrderFilter, ProductFilter } from "../../ports/store.js";
import type { PiiVault } from "../../pii.js";
import { foldSearchText } from "../../store/defaults.js";
import { contactLookups } from "../../store/sealed-contact.js";
import type { ConversationDoc } from "./mapping.js";
import { openKeyOf } from "./mapping.js";

export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;

/** Marks an operator object written by this adapter (not by a caller) so sanitizeFilter keeps it. */
export const op = <T extends object>(value: T): T => mongoose.trusted(value);

export const scoped = (m: MerchantId, extra: Filter = {}): Filter => ({ merchantId: m, ...extra });

/** `text` as a regular expression matching it literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
export const containsRegex = (text: string): RegExp => new RegExp(escapeRegex(text));
export const prefixRegex = (text: string): RegExp => new RegExp(`^${escapeRegex(text)}`);

/**
 * Keyset condition for rows after the cursor in (`field` DESC, _id DESC) order: the same
 * `(k, id) < (afterK, afterId)` the SQLite adapter writes as a row-value comparison.
 */
export function beforeKey(field: string, cursor: CursorKey | null): Filter {
  if (!cursor) return {};
  return { $or: [{ [field]: op({ $lt: cursor.k }) }, { [field]: cursor.k, _id: op({ $lt: cursor.id }) }] };
}
/** Rows after `id` in _id order (ascending or descending). */
export function afterId(cursor: CursorKey | null, direction: 1 | -1): Filter {
  if (!cursor) return {};
  return { _id: op(direction === 1 ? { $gt: cursor.id } : { $lt: cursor.id }) };
}

/** Joins conditions that each may carry an `$or` (two `$or` keys cannot share one object). */
export function allOf(...filters: Filter[]): Filter {
  const parts = filters.filter((f) => Object.keys(f).length > 0);
  const merged: Filter = {};
  const ands: Filter[] = [];
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === "$or" || key === "$and" || key in merged) ands.push({ [key]: value });
      else merged[key] = value;
    }
  }
  return ands.length > 0 ? { ...merged, $and: ands } : merged;
}

export function productListFilter(m: MerchantId, filter: ProductFilter, cursor: CursorKey | null): Filter {
  const where: Filter = {};
  if (filter.status !== undefined) where.status = filter.status;
  if (filter.categoryId !== undefined) where.categoryId = filter.categoryId;
  const price: Record<string, number> = {};
  if (filter.minPrice !== undefined) price.$gte = filter.minPrice;
  if (filter.maxPrice !== undefined) price.$lte = filter.maxPrice;
  if (Object.keys(price).length > 0) where.price = op(price);
  // Same text and matching as SQLite's instr(search_text, q): lower-cased substring.
  const q = filter.q?.trim().toLowerCase();
  if (q) where.searchText = containsRegex(q);
  return allOf(scoped(m, where), beforeKey("createdAt", cursor));
}
export const PRODUCT_LIST_SORT: Sort = { createdAt: -1, _id: -1 };

/** The keyed hashes a searched text would be stored under as an email and as a phone (every key, current first). */
export interface ContactHashes {
  emailHashes: string[];
  phoneHashes: string[];
}
function contactHashes(pii: PiiVault, text: string): ContactHashes {
  return { emailHashes: contactLookups(pii, "email", text), phoneHashes: contactLookups(pii, "phone", text) };
}

/**
 * What a conversation search matches (see ConversationFilter.q), or null without a query: a name
 * or the preview by a folded part, an email or a phone whole (they are sealed; by keyed hash).
 */
export function conversationSearch(pii: PiiVault, q: string | undefined): ({ folded: RegExp; idPrefix: RegExp } & ContactHashes) | null {
  const text = q?.trim();
  if (!text) return null;
  const folded = foldSearchText(text);
  return { folded: containsRegex(folded), idPrefix: prefixRegex(folded), ...contactHashes(pii, text) };
}

/** The customers a conversation search reaches: by a part of the name, by the whole email or phone. */
export function customerSearchFilter(m: MerchantId, search: { folded: RegExp } & ContactHashes): Filter {
  return scoped(m, { $or: [{ nameFolded: search.folded }, { emailHash: op({ $in: search.emailHashes }) }, { phoneHash: op({ $in: search.phoneHashes }) }] });
}

export function conversationListFilter(
  m: MerchantId,
  filter: ConversationFilter,
  cursor: CursorKey | null,
  search: { folded: RegExp; idPrefix: RegExp; customerIds: readonly string[] } | null,
): Filter {
  const where: Filter = {};
  if (filter.status !== undefined) where.status = filter.status;
  if (filter.assigneeId !== undefined) where.assigneeId = filter.assigneeId;
  if (filter.channel !== undefined) where.channel = filter.channel;
  if (filter.visitorId !== undefined) where.visitorId = filter.visitorId;
  if (filter.customerId !== undefined) where.customerId = filter.customerId;
  const text: Filter = search
    ? {
        $or: [
          { previewFolded: search.folded },
          { _id: search.idPrefix },
          ...(search.customerIds.length > 0 ? [{ customerId: op({ $in: [...search.customerIds] }) }] : []),
        ],
      }
    : {};
  return allOf(scoped(m, where), text, beforeKey("activityAt", cursor));
}
export const CONVERSATION_LIST_SORT: Sort = { activityAt: -1, _id: -1 };

/**
 * What an order search matches (see OrderFilter.q), or null without a query: the number as typed,
 * the contact's name by a folded part, an email or phone whole (sealed; by keyed hash).
 */
export function orderSearch(pii: PiiVault, q: string | undefined): ({ number: string; folded: RegExp } & ContactHashes) | null {
  const text = q?.trim();
  if (!text) return null;
  return { number: text.replace(/^#\s*/, ""), folded: containsRegex(foldSearchText(text)), ...contactHashes(pii, text) };
}

/** Customers an order search reaches: by their whole email or phone. */
export function orderCustomerSearchFilter(m: MerchantId, search: ContactHashes): Filter {
  return scoped(m, { $or: [{ emailHash: op({ $in: search.emailHashes }) }, { phoneHash: op({ $in: search.phoneHashes }) }] });
}

export function orderListFilter(
  m: MerchantId,
  filter: OrderFilter,
  cursor: CursorKey | null,
  search: (NonNullable<ReturnType<typeof orderSearch>> & { customerIds: readonly string[] }) | null,
): Filter {
  const where: Filter = {};
  if (filter.status !== undefined) where.status = filter.status;
  if (filter.customerId !== undefined) where.customerId = filter.customerId;
  if (filter.conversationId !== undefined) where.conversationId = filter.conversationId;
  if (filter.channel !== undefined) where.conversationChannel = filter.channel satisfies ConversationChannel;
  const created: Record<string, string> = {};
  if (filter.createdFrom !== undefined) created.$gte = filter.createdFrom;
  if (filter.createdBefore !== undefined) created.$lt = filter.createdBefore;
  if (Object.keys(created).length > 0) where.createdAt = op(created);
  const text: Filter = search
    ? {
        $or: [
          { number: search.number },
          { contactEmailHash: op({ $in: search.emailHashes }) },
          { contactNameFolded: search.folded },
          { contactPhoneHash: op({ $in: search.phoneHashes }) },
          ...(search.customerIds.length > 0 ? [{ customerId: op({ $in: [...search.customerIds] }) }] : []),
        ],
      }
    : {};
  return allOf(scoped(m, where), text, beforeKey("createdAt", cursor));
}
export const ORDER_LIST_SORT: Sort = { createdAt: -1, _id: -1 };

/** [from, to) on createdAt, ascending — the analytics windows. */
export function createdBetween(m: MerchantId, from: string, to: string): Filter {
  return scoped(m, { createdAt: op({ $gte: from, $lt: to }) });
}
export const CREATED_SORT: Sort = { createdAt: 1, _id: 1 };

/** Open = not closed (what the SQLite adapter's `status != 'closed'` says). */
export const notClosed = (): unknown => op({ $ne: "closed" });

/**
 * The `$set` of a conversation patch over its current document: the same fields and clamps as
 * the SQLite adapter's write, plus the openKey that follows the status.
 */
export function conversationPatchSet(current: ConversationDoc, patch: ConversationPatch, now: string): Partial<ConversationDoc> {
  const next = {
    status: patch.status ?? current.status,
    assigneeId: patch.assigneeId !== undefined ? patch.assigneeId : (current.assigneeId ?? null),
    locale: patch.locale !== undefined ? patch.locale : (current.locale ?? null),
    labels: patch.labels ?? current.labels ?? [],
    customerId: patch.customerId !== undefined ? patch.customerId : (current.customerId ?? null),
    unreadCount: Math.max(0, patch.unreadCount ?? current.unreadCount),
    shopperReadSeq: Math.max(0, patch.shopperReadSeq ?? current.shopperReadSeq),
    pageUrl: patch.pageUrl !== undefined ? patch.pageUrl : (current.pageUrl ?? null),
    updatedAt: now,
  };
  return {
    ...next,
    openKey: openKeyOf({ status: next.status, visitorId: current.visitorId ?? null, customerId: next.customerId, channel: current.channel }),
  };
}

/** Fields of `patch` that are set (undefined means "leave as is"; null is a value). */
export function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
