// When the store opens: every contact detail not yet sealed with the current key (written before
// sealing existed, or under a key rotated out since) is sealed again and its look-up hash
// recomputed; integration secrets sealed under an old key likewise — what the SQLite adapter's
// reseal.ts does, document by document.
//
// Safe with several processes opening at once: each document is rewritten by one updateOne that
// sets the sealed values and their hashes together (a single-document write is atomic, so no
// document is ever left with a value and a hash of different keys), on the condition that the
// values are still the ones read (compare-and-set). A document another process (or a repository
// write) changed meanwhile is left to it. Batches walk the documents in _id order, each visited
// once per pass, so the pass ends even when a write loses its race. Running it again finds nothing.
import type { Order } from "../../contracts/domain.js";
import type { PiiVault, ResealReport, StoreCrypto } from "../../pii.js";
import { sealedContact } from "../../store/sealed-contact.js";
import type { MongoDb } from "./db.js";
import { escapeRegex, op, type Filter } from "./filters.js";
import type { CollectionName } from "./schema-spec.js";
import type { CustomerDoc, OrderDoc } from "./mapping.js";

export const RESEAL_BATCH = 500;

/** Documents of `collection` where `valuePath` holds a value not sealed with the current key, or a value without its hash. */
export function needsResealFilter(pii: PiiVault, pairs: ReadonlyArray<readonly [valuePath: string, hashPath: string]>): Filter {
  const current = new RegExp(`^${escapeRegex(pii.currentPrefix)}`);
  return {
    $or: pairs.flatMap(([value, hash]) => [{ [value]: op({ $type: "string", $not: current }) }, { [value]: op({ $type: "string" }), [hash]: null }]),
  };
}
export const CUSTOMER_PII: ReadonlyArray<readonly [string, string]> = [
  ["email", "emailHash"],
  ["phone", "phoneHash"],
];
export const ORDER_PII: ReadonlyArray<readonly [string, string]> = [
  ["contact.email", "contactEmailHash"],
  ["contact.phone", "contactPhoneHash"],
];

/** A customer's details sealed again with the current key (and their hashes), from what it stores. */
export function resealedCustomer(pii: PiiVault, doc: Pick<CustomerDoc, "email" | "phone">): Pick<CustomerDoc, "email" | "emailHash" | "phone" | "phoneHash"> {
  // open() throws for a value sealed with a key this installation no longer has: the store does not open, as SQLite's.
  return sealedContact(pii, { email: pii.openOrNull(doc.email ?? null), phone: pii.openOrNull(doc.phone ?? null) });
}

/** An order's contact sealed again with the current key, with its hashes. */
export function resealedOrderContact(pii: PiiVault, doc: Pick<OrderDoc, "contact">): Pick<OrderDoc, "contact" | "contactEmailHash" | "contactPhoneHash"> {
  const { email, phone, ...rest } = (doc.contact ?? {}) as Order["contact"];
  const sealed = sealedContact(pii, { email: email === undefined ? null : pii.open(email), phone: phone === undefined ? null : pii.open(phone) });
  return {
    contact: { ...rest, ...(sealed.email ? { email: sealed.email } : {}), ...(sealed.phone ? { phone: sealed.phone } : {}) },
    contactEmailHash: sealed.emailHash,
    contactPhoneHash: sealed.phoneHash,
  };
}

/**
 * Walks the documents `filter` selects in _id order, a batch at a time, rewriting each with
 * `update(doc)` on the condition `unchanged(doc)`. Returns how many were rewritten.
 */
async function walk<D extends { _id: string }>(
  db: MongoDb,
  collection: CollectionName,
  filter: Filter,
  update: (doc: D) => Record<string, unknown> | null,
  unchanged: (doc: D) => Filter,
): Promise<number> {
  const coll = db.coll<D>(collection);
  let after: string | null = null;
  let rewritten = 0;
  for (;;) {
    const where: Filter = after === null ? filter : { ...filter, _id: op({ $gt: after }) };
    const docs = await coll.find(where, { sort: { _id: 1 }, limit: RESEAL_BATCH });
    for (const doc of docs) {
      const set = update(doc);
      if (set === null) continue;
      const { modified } = await coll.updateOne({ _id: doc._id, ...unchanged(doc) }, { $set: set });
      rewritten += modified;
    }
    if (docs.length < RESEAL_BATCH) return rewritten;
    after = docs[docs.length - 1]!._id;
  }
}

const SECRET_FIELDS = [
  ["channels", "secretsCiphertext"],
  ["commerceConnections", "secretsCiphertext"],
  ["webhookEndpoints", "secretCiphertext"],
] as const;

/** The reseal pass, across every tenant (it runs once per open, before the store serves). */
export async function resealAtRest(db: MongoDb, crypto: StoreCrypto): Promise<ResealReport> {
  const { pii } = crypto;
  const customers = await walk<CustomerDoc>(
    db,
    "customers",
    needsResealFilter(pii, CUSTOMER_PII),
    (doc) => resealedCustomer(pii, doc),
    (doc) => ({ email: doc.email ?? null, phone: doc.phone ?? null }),
  );
  const orders = await walk<OrderDoc>(
    db,
    "orders",
    needsResealFilter(pii, ORDER_PII),
    (doc) => resealedOrderContact(pii, doc),
    (doc) => ({ "contact.email": doc.contact?.email ?? null, "contact.phone": doc.contact?.phone ?? null }),
  );
  let secrets = 0;
  // Integration secrets: few documents; each is tried with the current key and resealed if it needs it.
  for (const [collection, field] of SECRET_FIELDS) {
    secrets += await walk<{ _id: string } & Record<string, unknown>>(
      db,
      collection,
      {},
      (doc) => {
        const ciphertext = doc[field];
        if (typeof ciphertext !== "string") return null;
        try {
          const resealed = crypto.resealSecret(ciphertext);
          return resealed === null ? null : { [field]: resealed };
        } catch {
          // Sealed with a key this installation no longer has: left as it is; using it fails clearly.
          return null;
        }
      },
      (doc) => ({ [field]: doc[field] }),
    );
  }
  return { customers, orders, secrets };
}
