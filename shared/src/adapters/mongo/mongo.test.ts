// The MongoDB store: the same contract suite as SQLite against a real server when MONGODB_URL
// names one (a replica set: transactions need it), each run in a fresh database that is dropped
// afterwards. Without a server — as on the build machines, where none can run — only the pure
// parts run: index definitions, filter/update builders, cursors, document ↔ domain mapping and
// error mapping.
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { storeContract, TEST_ENCRYPTION_KEY, testStoreCrypto } from "@kaleem/shared/testing";
import { decodeCursor } from "../../cursor.js";
import { ConfigError, ConflictError, StoreUnavailableError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { asMerchantId } from "../../ports/store.js";
import { IntegrationSecrets } from "../../integration-secrets.js";
import { PiiVault } from "../../pii.js";
import { foldSearchText } from "../../store/defaults.js";
import { readCursor, toPage } from "../../store/paging.js";
import { withId } from "./accounts.js";
import { duplicateKeyIndex, faultOf, isDuplicateKey, mapDriverError } from "./errors.js";
import { outboxDocs } from "./events.js";
import {
  allOf,
  beforeKey,
  conversationListFilter,
  conversationPatchSet,
  conversationSearch,
  createdBetween,
  customerSearchFilter,
  escapeRegex,
  orderCustomerSearchFilter,
  orderListFilter,
  orderSearch,
  productListFilter,
  scoped,
  type Filter,
} from "./filters.js";
import {
  customerFields,
  openKeyOf,
  orderContactFields,
  productFields,
  toConversation,
  toCustomer,
  toMessage,
  toOrder,
  toProduct,
  type ConversationDoc,
  type CustomerDoc,
  type MessageDoc,
  type OrderDoc,
  type ProductDoc,
} from "./mapping.js";
import { CUSTOMER_PII, needsResealFilter, ORDER_PII, RESEAL_BATCH, resealAtRest, resealedCustomer, resealedOrderContact } from "./reseal.js";
import { checkMongoTopology, mongoTopologyProblem } from "./topology.js";
import type { MongoDb } from "./db.js";
import { newMongoose, schemaOf } from "./models.js";
import { collections, collectionNames, type CollectionName } from "./schema-spec.js";
import { openMongoStore } from "./store.js";

const url = process.env.MONGODB_URL;
const M = asMerchantId("m-1");
const crypto = testStoreCrypto();
const pii = crypto.pii;

describe.skipIf(!url)(url ? "MongoDB store at MONGODB_URL" : "MongoDB store contract (skipped: MONGODB_URL not set)", () => {
  storeContract("mongo", async () => {
    const store = await openMongoStore({ url: url!, dbName: `kaleem_test_${newId()}`, crypto });
    const close = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        try {
          await store.dropDatabase();
        } finally {
          await close();
        }
      },
    });
  });

  it("creates every declared index on the server", async () => {
    const dbName = `kaleem_test_${newId()}`;
    const store = await openMongoStore({ url: url!, dbName, crypto });
    const connection = mongoose.createConnection(url!, { dbName });
    try {
      await connection.asPromise();
      for (const name of collectionNames) {
        const onServer = (await connection.db!.collection(name).indexes()).map((i) => i.name);
        for (const index of collections[name].indexes) expect(onServer, `${name}.${index.options.name}`).toContain(index.options.name);
      }
    } finally {
      await store.dropDatabase();
      await store.close();
      await connection.close();
    }
  });
});

describe.skipIf(!url)(url ? "MongoDB store at MONGODB_URL: contact details at rest" : "MongoDB contact details at rest (skipped: MONGODB_URL not set)", () => {
  it("stores emails and phones sealed, finds them whole, and reseals them under a new key when it opens", async () => {
    const dbName = `kaleem_test_${newId()}`;
    const OLD = "mongo-server-old-key-0123456789abcdefghijklmn";
    const before = testStoreCrypto(OLD);
    const connection = mongoose.createConnection(url!, { dbName });
    let store = await openMongoStore({ url: url!, dbName, crypto: before });
    try {
      await connection.asPromise();
      const raw = (name: string, id: string) => connection.db!.collection(name).findOne({ _id: id as never });
      const { merchant } = await store.createMerchant({ name: "Shop" }, { email: "owner@shop.example", name: "O", role: "owner", passwordHash: "h" });
      const t = store.forMerchant(asMerchantId(merchant.id));
      const customer = await t.customers.create({ channel: "webchat", name: "Layla", email: "Layla@Shop.example", phone: "0551234567" });
      const order = await t.orders.create({ items: [{ productId: "p", name: "P", price: 1, quantity: 1 }], customerId: customer.id, contact: { name: "Layla", email: "layla@shop.example", phone: "+966551234567" } });
      const stored = JSON.stringify([await raw("customers", customer.id), await raw("orders", order.id)]);
      expect(stored.toLowerCase()).not.toMatch(/layla@shop|551234567/);
      expect(await t.customers.findByContact({ email: "LAYLA@shop.example" })).toMatchObject({ id: customer.id, email: "Layla@Shop.example", phone: "+966551234567" });
      await store.close();

      const after = testStoreCrypto(undefined, [OLD]);
      store = await openMongoStore({ url: url!, dbName, crypto: after });
      const t2 = store.forMerchant(asMerchantId(merchant.id));
      expect(((await raw("customers", customer.id)) as unknown as CustomerDoc).email!.startsWith(after.pii.currentPrefix)).toBe(true);
      expect(((await raw("orders", order.id)) as unknown as OrderDoc).contact.phone!.startsWith(after.pii.currentPrefix)).toBe(true);
      expect((await t2.customers.findByContact({ phone: "055 123 4567" }))?.id).toBe(customer.id);
      expect((await t2.orders.list({ q: "layla@shop.example" })).items.map((o) => o.id)).toEqual([order.id]);
      expect((await t2.orders.get(order.id))?.contact).toEqual({ name: "Layla", email: "layla@shop.example", phone: "+966551234567" });
    } finally {
      await store.dropDatabase().catch(() => undefined);
      await store.close();
      await connection.close();
    }
  });
});

describe("mongo store: opening", () => {
  it("an unreachable server is StoreUnavailableError (unreachable), not a hang or a raw driver error", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const error = await openMongoStore({ url: "mongodb://127.0.0.1:1/kaleem", serverSelectionTimeoutMs: 200, crypto }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).fault).toBe("unreachable");
  });
});

/** Every field a filter names (operators and their arguments skipped). */
function filterFields(filter: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(filter)) {
    for (const part of filter) filterFields(part, out);
    return out;
  }
  if (!filter || typeof filter !== "object" || filter instanceof RegExp) return out;
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$or" || key === "$and" || key === "$nor") filterFields(value, out);
    else if (!key.startsWith("$")) out.add(key);
  }
  return out;
}
function expectDeclared(collection: CollectionName, filter: Filter): void {
  const fields: Record<string, string> = collections[collection].fields;
  const declared = new Set(["_id", ...Object.keys(fields)]);
  // A path inside a mixed field (contact.email) is declared by that field.
  const ok = (field: string) => declared.has(field) || (field.includes(".") && fields[field.split(".")[0]!] === "mixed");
  for (const field of filterFields(filter)) expect(ok(field), `${collection}.${field} is not declared`).toBe(true);
}
/** What sanitizeFilter leaves of a filter (it rewrites in place: run it on a structural copy that keeps the trusted marks). */
function sanitized(filter: Filter): string {
  const before = JSON.stringify(filter, regexToString);
  mongoose.sanitizeFilter(filter);
  const after = JSON.stringify(filter, regexToString);
  expect(after).toBe(before);
  return after;
}
/** The filter without symbol marks (what the server receives). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const regexToString = (_key: string, value: unknown) => (value instanceof RegExp ? `/${value.source}/` : value);

describe("mongo store: index definitions", () => {
  const index = (collection: CollectionName, name: string) => {
    const found = (collections[collection].indexes as readonly { key: Record<string, number>; options: Record<string, unknown> }[]).find((i) => i.options.name === name);
    if (!found) throw new Error(`${collection} has no index ${name}`);
    return found;
  };

  it("has the seed's listing indexes, field for field and in order", () => {
    expect(Object.entries(index("products", "products_listing").key)).toEqual([
      ["merchantId", 1],
      ["status", 1],
      ["categoryId", 1],
      ["price", 1],
      ["createdAt", 1],
    ]);
    expect(Object.entries(index("orders", "orders_listing").key)).toEqual([
      ["merchantId", 1],
      ["status", 1],
      ["customerId", 1],
      ["createdAt", 1],
    ]);
  });

  it("makes seqs, webhook dedupe keys, channel identities and the open conversation unique", () => {
    expect(index("messages", "messages_seq")).toEqual({ key: { conversationId: 1, seq: 1 }, options: { name: "messages_seq", unique: true } });
    expect(index("webhookEvents", "webhook_events_dedupe")).toMatchObject({ key: { merchantId: 1, source: 1, dedupeKey: 1 }, options: { unique: true } });
    expect(index("webhookDeliveries", "webhook_deliveries_once")).toMatchObject({ key: { merchantId: 1, eventId: 1, endpointId: 1 }, options: { unique: true } });
    expect(index("customers", "customers_channel_identity")).toMatchObject({
      key: { merchantId: 1, channel: 1, identityKey: 1 },
      options: { unique: true, partialFilterExpression: { identityKey: { $type: "string" } } },
    });
    expect(index("conversations", "conversations_open")).toMatchObject({
      key: { merchantId: 1, openKey: 1 },
      options: { unique: true, partialFilterExpression: { openKey: { $type: "string" } } },
    });
    expect(index("messages", "messages_client_id").options).toMatchObject({ unique: true, partialFilterExpression: { clientMessageId: { $type: "string" } } });
  });

  it("expires idempotency keys and refresh tokens by TTL on date fields", () => {
    for (const [collection, name] of [
      ["idempotencyKeys", "idempotency_ttl"],
      ["refreshTokens", "refresh_tokens_ttl"],
    ] as const) {
      const ttl = index(collection, name);
      expect(ttl.options.expireAfterSeconds).toBe(0);
      const [field] = Object.keys(ttl.key);
      // The TTL monitor ignores anything that is not a BSON date.
      expect(collections[collection].fields[field as keyof (typeof collections)[typeof collection]["fields"]]).toBe("date");
    }
  });

  it("indexes only declared fields, and every tenant collection leads its indexes with merchantId or a tenant-owned id", () => {
    for (const name of collectionNames) {
      const declared = new Set(["_id", ...Object.keys(collections[name].fields)]);
      for (const spec of collections[name].indexes) {
        for (const field of Object.keys(spec.key)) expect(declared.has(field), `${name}.${spec.options.name}: ${field}`).toBe(true);
        for (const field of Object.keys(spec.options.partialFilterExpression ?? {})) expect(declared.has(field)).toBe(true);
      }
    }
  });

  it("mongoose schemas carry the declared indexes, and the instance runs with strictQuery, strict and sanitizeFilter on", () => {
    const instance = newMongoose();
    expect(instance.get("strictQuery")).toBe("throw");
    expect(instance.get("strict")).toBe("throw");
    expect(instance.get("sanitizeFilter")).toBe(true);
    expect(instance.get("bufferCommands")).toBe(false);
    for (const name of collectionNames) {
      const onSchema = schemaOf(instance, name).indexes();
      expect(onSchema.map(([key, options]) => ({ key, name: options.name }))).toEqual(collections[name].indexes.map((i) => ({ key: i.key, name: i.options.name })));
      expect(onSchema.find(([, o]) => o.name === "idempotency_ttl")?.[1].expireAfterSeconds ?? 0).toBe(0);
    }
    const products = schemaOf(instance, "products");
    expect(products.path("_id").instance).toBe("String");
    expect(products.path("price").instance).toBe("Number");
  });

  it("a filter on an undeclared path throws instead of being dropped (a lost merchantId would cross tenants)", () => {
    const instance = newMongoose();
    const connection = instance.createConnection();
    const model = connection.model("probe", schemaOf(instance, "products"), "products");
    expect(() => model.find({ merchantid: "m-1" }).cast()).toThrow(/strictQuery|not in schema/i);
    expect(() => model.find({ merchantId: "m-1" }).cast()).not.toThrow();
  });

  it("mongoose casts the adapter's filters against the schemas, and sanitizes a caller's operator into an equality", () => {
    const instance = newMongoose();
    const connection = instance.createConnection();
    const model = (name: CollectionName) => connection.model(name, schemaOf(instance, name), name);
    const cursor = { k: "2026-01-01T00:00:00.000Z", id: "abc" };
    const search = conversationSearch(pii, "0551 أحمد")!;
    const os = orderSearch(pii, "#1001")!;
    const cases: Array<[CollectionName, Filter]> = [
      ["products", productListFilter(M, { status: "active", categoryId: "c", minPrice: 1, maxPrice: 2, q: "x" }, cursor)],
      ["conversations", conversationListFilter(M, { status: "human", channel: "webchat" }, cursor, { folded: search.folded, idPrefix: search.idPrefix, customerIds: ["c"] })],
      ["customers", customerSearchFilter(M, search)],
      ["orders", orderListFilter(M, { channel: "telegram", createdFrom: "a", createdBefore: "b" }, cursor, { ...os, customerIds: ["c"] })],
      ["customers", orderCustomerSearchFilter(M, os)],
      ["messages", createdBetween(M, "a", "b")],
    ];
    for (const [name, filter] of cases) {
      const query = model(name).find(filter);
      expect(() => query.cast(), name).not.toThrow();
      expect(query.getFilter().merchantId).toBe(M);
    }
    // The instance's sanitizeFilter applies to its queries (a caller's object cannot become $ne).
    const hostile = model("products").find({ merchantId: M, categoryId: { $ne: null } });
    (hostile as unknown as { _castConditions(): void })._castConditions();
    expect(JSON.stringify(hostile.getFilter())).toContain('"$eq"');
  });
});

describe("mongo store: filter builders", () => {
  it("every filter names the tenant and only declared fields, and sanitizeFilter leaves the adapter's operators alone", () => {
    const cursor = { k: "2026-01-01T00:00:00.000Z", id: "abc" };
    const product = productListFilter(M, { status: "active", categoryId: "c1", minPrice: 5, maxPrice: 10, q: " Red " }, cursor);
    expect(product.merchantId).toBe(M);
    expect(plain(product.price)).toEqual({ $gte: 5, $lte: 10 });
    // Marked as the adapter's own operator, which is what lets sanitizeFilter keep it.
    expect(Object.getOwnPropertySymbols(product.price).map(String)).toEqual(["Symbol(mongoose#trustedSymbol)"]);
    expect(product.searchText).toEqual(/red/);
    expectDeclared("products", product);
    sanitized(product);

    const search = conversationSearch(pii, "Ahmed")!;
    const conversation = conversationListFilter(M, { status: "human", assigneeId: "u1", channel: "webchat", visitorId: "v", customerId: "c" }, cursor, {
      folded: search.folded,
      idPrefix: search.idPrefix,
      customerIds: ["c1", "c2"],
    });
    expect(conversation.merchantId).toBe(M);
    expectDeclared("conversations", conversation);
    sanitized(conversation);

    const customers = customerSearchFilter(M, conversationSearch(pii, "0551")!);
    expect(customers.merchantId).toBe(M);
    expectDeclared("customers", customers);
    sanitized(customers);

    const os = orderSearch(pii, "#1001")!;
    const order = orderListFilter(M, { status: "pending", customerId: "c", conversationId: "k", channel: "whatsapp", createdFrom: "2026-01-01", createdBefore: "2026-02-01" }, cursor, {
      ...os,
      customerIds: ["c9"],
    });
    expect(order.merchantId).toBe(M);
    expect(plain(order.createdAt)).toEqual({ $gte: "2026-01-01", $lt: "2026-02-01" });
    expect(order.conversationChannel).toBe("whatsapp");
    expectDeclared("orders", order);
    expectDeclared("customers", orderCustomerSearchFilter(M, os));
    sanitized(order);

    const window = createdBetween(M, "a", "b");
    expectDeclared("messages", window);
    sanitized(window);
  });

  it("a value that arrives as an operator object is neutralised into an equality", () => {
    // The port's types say string; a request body that slipped an object through must not widen the query.
    const hostile = productListFilter(M, { categoryId: { $ne: null } as unknown as string }, null);
    mongoose.sanitizeFilter(hostile);
    expect(hostile.categoryId).toEqual({ $eq: { $ne: null } });
  });

  it("keyset cursors continue strictly after the last (key, id), newest first", () => {
    expect(beforeKey("createdAt", null)).toEqual({});
    expect(plain(beforeKey("createdAt", { k: "t", id: "i" }))).toEqual({ $or: [{ createdAt: { $lt: "t" } }, { createdAt: "t", _id: { $lt: "i" } }] });
    // Two $or conditions cannot share a key: allOf moves them under $and.
    const both = allOf(scoped(M, { $or: [{ a: 1 }] }), beforeKey("createdAt", { k: "t", id: "i" }));
    expect(both.merchantId).toBe(M);
    expect(both.$and).toHaveLength(2);
  });

  it("conversation search folds Arabic letter variants and digits and escapes regex syntax", () => {
    const arabic = conversationSearch(pii, "  أحمد ")!;
    expect(arabic.folded.test(foldSearchText("مرحبا احمد"))).toBe(true);
    expect(arabic.folded.test(foldSearchText("مرحبا إحمد"))).toBe(true);
    const literal = conversationSearch(pii, "a.b*")!;
    expect(literal.folded.test("a.b*c")).toBe(true);
    expect(literal.folded.test("axbb")).toBe(false);
    expect(literal.idPrefix.test("a.b*123")).toBe(true);
    expect(literal.idPrefix.test("xa.b*")).toBe(false);
    expect(conversationSearch(pii, "   ")).toBeNull();
    expect(escapeRegex("(x)[y]{z}|^$")).toBe("\\(x\\)\\[y\\]\\{z\\}\\|\\^\\$");
  });

  it("searches find an email or a phone whole, by the keyed hashes of every key (current first), never by the detail itself", () => {
    const OLD = "mongo-unit-test-old-key-0123456789abcdefghij";
    const rotating = testStoreCrypto(undefined, [OLD]).pii;
    const stored = customerFields(rotating, { name: "Layla", email: "Layla.H@Shop.example", phone: "+966 55 123 4567", channel: "webchat", externalId: null });
    const old = customerFields(new PiiVault(OLD), { name: null, email: "layla.h@shop.example", phone: "0551234567", channel: "webchat", externalId: null });

    // Any case of the email, any format of the phone: the hashes it is stored under, the current key's and the old one's.
    const byEmail = conversationSearch(rotating, " LAYLA.H@shop.example ")!;
    expect(byEmail.emailHashes).toEqual([stored.emailHash, old.emailHash]);
    const byPhone = conversationSearch(rotating, "0551234567")!;
    expect(byPhone.phoneHashes).toEqual([stored.phoneHash, old.phoneHash]);
    expect(conversationSearch(rotating, "٠٥٥١٢٣٤٥٦٧")!.phoneHashes[0]).toBe(stored.phoneHash);
    // A part of a detail hashes to something else: it finds nothing.
    expect(conversationSearch(rotating, "layla.h@shop")!.emailHashes).not.toContain(stored.emailHash);
    expect(conversationSearch(rotating, "55 123")!.phoneHashes).not.toContain(stored.phoneHash);

    const customers = plain(customerSearchFilter(M, byEmail)) as Filter;
    expect(customers).toEqual({ merchantId: M, $or: [{ nameFolded: {} }, { emailHash: { $in: byEmail.emailHashes } }, { phoneHash: { $in: byEmail.phoneHashes } }] });
    const os = orderSearch(rotating, "0551234567")!;
    expect(os.phoneHashes).toEqual([stored.phoneHash, old.phoneHash]);
    expect(plain(orderCustomerSearchFilter(M, os))).toEqual({ merchantId: M, $or: [{ emailHash: { $in: os.emailHashes } }, { phoneHash: { $in: os.phoneHashes } }] });
    const orders = JSON.stringify(orderListFilter(M, {}, null, { ...os, customerIds: [] }), regexToString);
    expect(orders).toContain(`"contactPhoneHash":{"$in":${JSON.stringify(os.phoneHashes)}}`);
    expect(orders).toContain(`"contactEmailHash":{"$in":${JSON.stringify(os.emailHashes)}}`);
    // The typed text itself only meets names (and order numbers): no field holding an email or a phone is matched.
    expect(filterFields(customerSearchFilter(M, byPhone))).toEqual(new Set(["merchantId", "nameFolded", "emailHash", "phoneHash"]));
    expect(filterFields(orderCustomerSearchFilter(M, os))).toEqual(new Set(["merchantId", "emailHash", "phoneHash"]));
    expect(filterFields(orderListFilter(M, {}, null, { ...os, customerIds: ["k"] }))).toEqual(new Set(["merchantId", "number", "contactEmailHash", "contactNameFolded", "contactPhoneHash", "customerId"]));
  });

  it("order search takes the number without '#' and a folded substring of the name", () => {
    const s = orderSearch(pii, "# 1001")!;
    expect(s.number).toBe("1001");
    expect(orderSearch(pii, "NOURA")!.folded.test(foldSearchText("noura a."))).toBe(true);
  });
});

describe("mongo store: update builders", () => {
  const doc = (over: Partial<ConversationDoc> = {}): ConversationDoc => ({
    _id: "c1",
    merchantId: M,
    channel: "webchat",
    channelId: null,
    customerId: null,
    visitorId: "v1",
    status: "bot",
    openKey: "v:v1",
    assigneeId: null,
    locale: null,
    labels: [],
    lastSeq: 3,
    lastMessageAt: null,
    lastMessagePreview: null,
    previewFolded: null,
    previewSeq: null,
    activityAt: "t",
    unreadCount: 2,
    shopperReadSeq: 1,
    botStateJson: "{}",
    pageUrl: "https://shop.example/p",
    createdAt: "t",
    updatedAt: "t",
    ...over,
  });

  it("a conversation patch keeps what it does not name, clamps counters, and moves openKey with the status", () => {
    const closed = conversationPatchSet(doc(), { status: "closed", unreadCount: -5 }, "now");
    expect(closed).toMatchObject({ status: "closed", openKey: null, unreadCount: 0, shopperReadSeq: 1, pageUrl: "https://shop.example/p", updatedAt: "now" });
    const reopened = conversationPatchSet(doc({ status: "closed", openKey: null }), { status: "human" }, "now");
    expect(reopened.openKey).toBe("v:v1");
    expect(conversationPatchSet(doc(), { pageUrl: null, labels: ["vip"] }, "now")).toMatchObject({ pageUrl: null, labels: ["vip"], status: "bot" });
    const channel = doc({ channel: "whatsapp", visitorId: null, customerId: "k1", openKey: "c:whatsapp:k1" });
    expect(conversationPatchSet(channel, { customerId: "k2" }, "now").openKey).toBe("c:whatsapp:k2");
  });

  it("openKey names the visitor's or the channel customer's open conversation, and none once closed", () => {
    expect(openKeyOf({ status: "bot", visitorId: "v", customerId: "c", channel: "webchat" })).toBe("v:v");
    expect(openKeyOf({ status: "human", visitorId: null, customerId: "c", channel: "telegram" })).toBe("c:telegram:c");
    expect(openKeyOf({ status: "closed", visitorId: "v", customerId: null, channel: "webchat" })).toBeNull();
    expect(openKeyOf({ status: "bot", visitorId: null, customerId: null, channel: "webchat" })).toBeNull();
  });

  it("a customer's email and phone are stored sealed beside their hashes; the name's search copy and the identity key follow the fields", () => {
    const fields = customerFields(pii, { name: "أحمد", email: " Ahmed@Shop.COM ", phone: "0551234567", channel: "whatsapp", externalId: "9665" });
    expect(fields).toMatchObject({ name: "أحمد", identityKey: "9665", nameFolded: foldSearchText("أحمد"), channel: "whatsapp", externalId: "9665" });
    expect(fields.email!.startsWith(pii.currentPrefix)).toBe(true);
    expect(fields.phone!.startsWith(pii.currentPrefix)).toBe(true);
    expect(pii.open(fields.email!)).toBe("Ahmed@Shop.COM");
    // The phone is kept in E.164, and hashed in that form.
    expect(pii.open(fields.phone!)).toBe("+966551234567");
    expect(fields.emailHash).toBe(pii.lookup("email", "ahmed@shop.com"));
    expect(fields.phoneHash).toBe(pii.lookup("phone", "+966551234567"));
    // Nothing of the document holds the details in the clear (no folded or lower-cased copies).
    expect(JSON.stringify(fields).toLowerCase()).not.toMatch(/ahmed@shop|551234567/);
    expect(Object.keys(fields).sort()).toEqual(["channel", "email", "emailHash", "externalId", "identityKey", "name", "nameFolded", "phone", "phoneHash"]);
    expect(customerFields(pii, { name: null, email: "  ", phone: null, channel: "webchat", externalId: null })).toMatchObject({ email: null, emailHash: null, phone: null, phoneHash: null });
    // Webchat ids are not one person per id (SQLite's unique index leaves webchat out too).
    expect(customerFields(pii, { name: null, email: null, phone: null, channel: "webchat", externalId: "v1" }).identityKey).toBeNull();
  });

  it("outbox documents are checked against their topic's schema", () => {
    const [doc] = outboxDocs(M, [{ topic: "channel.deliver", payload: { messageId: "m", conversationId: "c", byHuman: true } }], "now");
    expect(doc).toMatchObject({ merchantId: M, topic: "channel.deliver", attempts: 0, publishedAt: null, claimedUntil: null, availableAt: "now" });
    expect(JSON.parse(doc!.payloadJson)).toEqual({ messageId: "m", conversationId: "c", byHuman: true });
    expect(() => outboxDocs(M, [{ topic: "channel.deliver", payload: {} } as never])).toThrow();
  });
});

describe("mongo store: document ↔ domain mapping", () => {
  const product = {
    source: "shopify" as const,
    externalId: "sku-1",
    name: { en: "Red Shoe", ar: "حذاء أحمر" },
    description: { en: "", ar: "" },
    categoryId: null,
    price: 10.5,
    currency: "SAR",
    attributes: { "size.eu": "42", $color: "red" },
    stock: 3,
    tags: ["Sale"],
    imageUrl: null,
    url: null,
    status: "active" as const,
    updatedAt: "u",
  };

  it("a product round-trips; free-form attribute keys survive as JSON; search text and internals stay off the record", () => {
    const doc: ProductDoc = { _id: "p1", merchantId: M, createdAt: "c", ...productFields(product) };
    expect(doc.searchText).toContain("red shoe");
    expect(doc.searchText).toContain("sale");
    expect(doc.attributesJson).toBe(JSON.stringify(product.attributes));
    const back = toProduct(doc);
    expect(back).toEqual({ id: "p1", merchantId: M, createdAt: "c", ...product });
    expect(Object.keys(back)).not.toContain("searchText");
    expect(Object.keys(back)).not.toContain("attributesJson");
  });

  it("a conversation record leaves out openKey, the folded preview and the bot state", () => {
    const record = toConversation({
      _id: "c1",
      merchantId: M,
      channel: "webchat",
      channelId: null,
      customerId: null,
      visitorId: "v",
      status: "bot",
      openKey: "v:v",
      assigneeId: null,
      locale: "ar",
      labels: ["a"],
      lastSeq: 2,
      lastMessageAt: "t",
      lastMessagePreview: "مرحبا",
      previewFolded: "مرحبا",
      previewSeq: 2,
      activityAt: "t",
      unreadCount: 1,
      shopperReadSeq: 0,
      botStateJson: '{"cart":[1]}',
      pageUrl: null,
      createdAt: "t",
      updatedAt: "t",
    });
    expect(Object.keys(record).sort()).toEqual(
      ["id", "merchantId", "channel", "channelId", "customerId", "visitorId", "status", "assigneeId", "locale", "labels", "lastSeq", "lastMessageAt", "lastMessagePreview", "unreadCount", "shopperReadSeq", "pageUrl", "createdAt", "updatedAt"].sort(),
    );
  });

  it("a message carries channelDelivery only when it has one; missing optional fields read as null", () => {
    const base = { _id: "m1", merchantId: M, conversationId: "c1", seq: 1, role: "shopper", text: "hi", parts: [], status: "complete", createdAt: "t" } as unknown as MessageDoc;
    const plain = toMessage(base);
    expect("channelDelivery" in plain).toBe(false);
    expect(plain).toMatchObject({ authorId: null, authorName: null, clientMessageId: null, intent: null });
    const delivery = { channel: "telegram" as const, state: "sent" as const, providerMessageId: "9", error: null, updatedAt: "t" };
    expect(toMessage({ ...base, channelDelivery: delivery }).channelDelivery).toEqual(delivery);
    expect(Object.keys(toMessage({ ...base, merchantId: "secret" }))).not.toContain("merchantId");
  });

  it("pages carry a cursor of the last document's sort key and id, and reject a cursor of the wrong kind", () => {
    const docs = [
      { _id: "b", createdAt: "2026-01-02" },
      { _id: "a", createdAt: "2026-01-01" },
      { _id: "0", createdAt: "2025-12-31" },
    ];
    const page = toPage(docs.map(withId), 2, (d) => d._id, (d) => d.createdAt);
    expect(page.items).toEqual(["b", "a"]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ k: "2026-01-01", id: "a" });
    expect(readCursor({ cursor: page.nextCursor }, "string")).toEqual({ k: "2026-01-01", id: "a" });
    expect(() => readCursor({ cursor: page.nextCursor }, "number")).toThrow(ValidationError);
    expect(toPage(docs.slice(0, 2).map(withId), 2, (d) => d._id, (d) => d.createdAt).nextCursor).toBeNull();
  });
});

describe("mongo store: driver error mapping", () => {
  const { MongoServerError, MongoNetworkError, MongoServerSelectionError } = mongoose.mongo;

  it("a duplicate key is recognised (also inside bulk write errors) and names its index", () => {
    const dup = new MongoServerError({ message: 'E11000 duplicate key error collection: k.users index: users_merchant_email dup key: { merchantId: "a" }', code: 11000 });
    expect(isDuplicateKey(dup)).toBe(true);
    expect(duplicateKeyIndex(dup)).toBe("users_merchant_email");
    expect(isDuplicateKey({ writeErrors: [{ code: 11000 }] })).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ message: "x", code: 2 }))).toBe(false);
    // A duplicate is the caller's conflict, never "unavailable".
    expect(mapDriverError(dup)).toBe(dup);
  });

  it("connection loss, no primary, timeouts and exhausted transaction retries become StoreUnavailableError", () => {
    const cases: Array<[unknown, string]> = [
      [new MongoNetworkError("connection reset"), "unreachable"],
      [new MongoServerSelectionError("Server selection timed out after 5000 ms", { type: "Unknown", servers: new Map() } as never), "unreachable"],
      [new MongoServerError({ message: "not primary", code: 10107 }), "read_only"],
      [new MongoServerError({ message: "stepped down", code: 189 }), "read_only"],
      [new MongoServerError({ message: "operation exceeded time limit", code: 50 }), "busy"],
      [new MongoServerError({ message: "WriteConflict", code: 112, errorLabels: ["TransientTransactionError"] }), "busy"],
      [new MongoServerError({ message: "transient", code: 999999, errorLabels: ["TransientTransactionError"] }), "busy"],
      [new MongoServerError({ message: "disk full", code: 14031 }), "full"],
    ];
    for (const [error, fault] of cases) {
      expect(faultOf(error)).toBe(fault);
      const mapped = mapDriverError(error);
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect((mapped as StoreUnavailableError).fault).toBe(fault);
      expect((mapped as StoreUnavailableError).cause).toBe(error);
    }
  });

  it("other errors pass through unchanged", () => {
    const plain = new Error("boom");
    expect(mapDriverError(plain)).toBe(plain);
    const conflict = new ConflictError("taken");
    expect(mapDriverError(conflict)).toBe(conflict);
    expect(faultOf(new MongoServerError({ message: "bad value", code: 2 }))).toBeNull();
    expect(faultOf(null)).toBeNull();
  });
});

describe("mongo store: contact details sealed in documents", () => {
  it("a customer document opens into its record; a value stored before sealing reads as it is; hashes stay off the record", () => {
    const doc: CustomerDoc = {
      _id: "k1",
      merchantId: M,
      ...customerFields(pii, { name: "Huda", email: "Huda@Example.com", phone: "0501112233", channel: "webchat", externalId: null }),
      createdAt: "t",
      updatedAt: "t",
    };
    expect(toCustomer(doc, pii)).toEqual({ id: "k1", merchantId: M, name: "Huda", email: "Huda@Example.com", phone: "+966501112233", channel: "webchat", externalId: null, createdAt: "t", updatedAt: "t" });
    expect(toCustomer({ ...doc, email: "legacy@example.com", phone: null }, pii)).toMatchObject({ email: "legacy@example.com", phone: null });
    // A value sealed with a key the installation does not have is a clear error, not garbage.
    expect(() => toCustomer({ ...doc, email: new PiiVault("some-other-key-0123456789abcdefghijklmnop").seal("x@y.z") }, pii)).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });

  it("an order's contact is stored with its email and phone sealed, hashed beside it, and opens back", () => {
    const fields = orderContactFields(pii, { name: "Sara Al-Harbi", email: "sara@example.com", phone: "0551234567" });
    expect(fields.contact.name).toBe("Sara Al-Harbi");
    expect(fields.contact.email!.startsWith(pii.currentPrefix)).toBe(true);
    expect(fields.contactEmailHash).toBe(pii.lookup("email", "SARA@example.com"));
    expect(fields.contactPhoneHash).toBe(pii.lookup("phone", "+966551234567"));
    expect(fields.contactNameFolded).toBe(foldSearchText("Sara Al-Harbi"));
    expect(JSON.stringify(fields)).not.toMatch(/sara@|551234567/);
    const doc = { _id: "o1", merchantId: M, source: null, externalId: null, number: "1001", customerId: null, conversationId: null, conversationChannel: null, items: [], subtotal: 1, deliveryFee: 0, codFee: 0, total: 1, currency: "SAR", status: "pending", paymentMethod: null, ...fields, shippingAddress: null, createdAt: "t", updatedAt: "t" } satisfies OrderDoc;
    expect(toOrder(doc, pii).contact).toEqual({ name: "Sara Al-Harbi", email: "sara@example.com", phone: "+966551234567" });
    expect(Object.keys(toOrder(doc, pii))).not.toContain("contactEmailHash");
    expect(orderContactFields(pii, {})).toEqual({ contact: {}, contactEmailHash: null, contactPhoneHash: null, contactNameFolded: null });
  });
});

/**
 * A database of plain arrays that evaluates the filters the reseal pass writes (the subset it uses:
 * $or, $type, $not with a regular expression, $gt, equality with null as "missing", dotted paths),
 * records every update, and can let "another process" change a document between read and write.
 */
type Rows = Array<Record<string, unknown>>;
function arrayDb(data: Partial<Record<CollectionName, Rows>>, pii: PiiVault, meddle?: (collection: CollectionName, docs: Array<Record<string, unknown>>) => void) {
  const get = (doc: Record<string, unknown>, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), doc);
  const matchValue = (value: unknown, cond: unknown): boolean => {
    if (cond === null) return value === null || value === undefined;
    if (cond instanceof RegExp) return typeof value === "string" && cond.test(value);
    if (cond && typeof cond === "object") {
      return Object.entries(cond).every(([op, arg]) => {
        if (op === "$type") return arg === "string" && typeof value === "string";
        if (op === "$not") return !matchValue(value, arg);
        if (op === "$gt") return typeof value === "string" && value > (arg as string);
        if (op === "$in") return (arg as unknown[]).includes(value);
        throw new Error(`operator ${op} not modelled`);
      });
    }
    return value === cond;
  };
  const matches = (doc: Record<string, unknown>, filter: Filter): boolean =>
    Object.entries(filter).every(([key, cond]) => (key === "$or" ? (cond as Filter[]).some((f) => matches(doc, f)) : matchValue(get(doc, key), cond)));
  const updates: Array<{ collection: CollectionName; filter: Filter; set: Record<string, unknown> }> = [];
  const coll = (collection: CollectionName) => {
    const docs = (data[collection] ??= []);
    return {
      async find(filter: Filter, options: { sort?: Record<string, 1 | -1>; limit?: number } = {}) {
        expect(options.sort).toEqual({ _id: 1 });
        const found = docs.filter((d) => matches(d, filter)).sort((a, b) => String(a._id).localeCompare(String(b._id))).slice(0, options.limit);
        const copies = found.map((d) => structuredClone(d));
        meddle?.(collection, docs);
        return copies;
      },
      async updateOne(filter: Filter, update: { $set: Record<string, unknown> }) {
        updates.push({ collection, filter, set: update.$set });
        const doc = docs.find((d) => matches(d, filter));
        if (doc) Object.assign(doc, update.$set);
        return { matched: doc ? 1 : 0, modified: doc ? 1 : 0, upserted: false };
      },
    };
  };
  return { db: { coll, pii } as unknown as MongoDb, updates };
}

describe("mongo store: the reseal pass on open", () => {
  const OLD = "mongo-reseal-old-key-0123456789abcdefghijklmn";
  const rotated = testStoreCrypto(undefined, [OLD]);
  const old = new PiiVault(OLD);
  const oldSecrets = new IntegrationSecrets({ secrets: { encryptionKey: OLD }, previousEncryptionKeys: [] });
  const customer = (id: string, over: Record<string, unknown>) => ({ _id: id, merchantId: M, name: null, channel: "webchat", externalId: null, identityKey: null, nameFolded: null, createdAt: "t", updatedAt: "t", ...over });

  it("selects a detail under another key, in the clear, or without its hash — and not one already current", () => {
    const filter = needsResealFilter(rotated.pii, CUSTOMER_PII);
    expectDeclared("customers", filter);
    expectDeclared("orders", needsResealFilter(rotated.pii, ORDER_PII));
    const current = customerFields(rotated.pii, { name: null, email: "a@b.c", phone: null, channel: "webchat", externalId: null });
    const json = JSON.stringify(plain(filter));
    expect(json).toContain('"emailHash":null');
    // The current key's prefix, escaped: a "." in it is not a wildcard.
    expect((filter.$or as Array<Record<string, { $not?: RegExp }>>)[0]!.email!.$not!.test(current.email!)).toBe(true);
    expect((filter.$or as Array<Record<string, { $not?: RegExp }>>)[0]!.email!.$not!.test(old.seal("a@b.c"))).toBe(false);
    // It casts against the schemas (strictQuery "throw" would refuse an undeclared path).
    const instance = newMongoose();
    const connection = instance.createConnection();
    expect(() => connection.model("customers", schemaOf(instance, "customers"), "customers").find(filter).cast()).not.toThrow();
    expect(() => connection.model("orders", schemaOf(instance, "orders"), "orders").find(needsResealFilter(rotated.pii, ORDER_PII)).cast()).not.toThrow();
  });

  it("reseals customers, order contacts and integration secrets under the current key, in batches; a second pass finds nothing", async () => {
    const legacy = Array.from({ length: RESEAL_BATCH + 3 }, (_, i) => customer(`c-${String(i).padStart(4, "0")}`, { email: `p${i}@shop.example`, phone: "+966500000001", emailHash: null, phoneHash: null }));
    const underOld = customer("d-old", { ...resealedCustomer(old, { email: "old@shop.example", phone: "0551234567" }) });
    const current = customer("e-current", { ...customerFields(rotated.pii, { name: null, email: "now@shop.example", phone: null, channel: "webchat", externalId: null }) });
    const none = customer("f-none", { email: null, phone: null, emailHash: null, phoneHash: null });
    const orders = [
      { _id: "o-legacy", merchantId: M, contact: { name: "Sara", email: "sara@example.com", phone: "+966551234567" }, contactEmailHash: null, contactPhoneHash: null },
      { _id: "o-old", merchantId: M, ...resealedOrderContact(old, { contact: { name: "Noura", phone: "+966501112233" } }) },
      { _id: "o-empty", merchantId: M, contact: { name: "X" }, contactEmailHash: null, contactPhoneHash: null },
    ];
    const secret = oldSecrets.seal({ token: "t0ken" });
    const data: Record<"customers" | "orders" | "channels" | "commerceConnections" | "webhookEndpoints", Rows> = {
      customers: [...legacy, underOld, current, none].map((d) => ({ ...d })),
      orders: orders.map((d) => structuredClone(d)),
      channels: [{ _id: "ch1", merchantId: M, secretsCiphertext: secret }],
      commerceConnections: [{ _id: "cc1", merchantId: M, secretsCiphertext: rotated.resealSecret(secret) ?? secret }],
      webhookEndpoints: [{ _id: "w1", merchantId: M, secretCiphertext: new IntegrationSecrets({ secrets: { encryptionKey: "a-key-nobody-has-any-more-0123456789abcdef" }, previousEncryptionKeys: [] }).seal({ s: "x" }) }],
    };
    const currentBefore = structuredClone(data.customers.find((d) => d._id === "e-current"));
    const { db } = arrayDb(data, rotated.pii);

    expect(await resealAtRest(db, rotated)).toEqual({ customers: RESEAL_BATCH + 4, orders: 2, secrets: 1 });
    for (const doc of data.customers as unknown as CustomerDoc[]) {
      for (const [value, hash, kind] of [["email", "emailHash", "email"], ["phone", "phoneHash", "phone"]] as const) {
        if (doc[value] === null) continue;
        expect(doc[value]!.startsWith(rotated.pii.currentPrefix), doc._id).toBe(true);
        expect(doc[hash]).toBe(rotated.pii.lookup(kind, rotated.pii.open(doc[value]!)));
      }
    }
    expect(toCustomer(data.customers.find((d) => d._id === "c-0002") as unknown as CustomerDoc, rotated.pii)).toMatchObject({ email: "p2@shop.example", phone: "+966500000001" });
    expect(toCustomer(data.customers.find((d) => d._id === "d-old") as unknown as CustomerDoc, rotated.pii)).toMatchObject({ email: "old@shop.example", phone: "+966551234567" });
    // A current document is not rewritten (same ciphertext), one without details stays without.
    expect(data.customers.find((d) => d._id === "e-current")).toEqual(currentBefore);
    expect(data.customers.find((d) => d._id === "f-none")).toMatchObject({ email: null, emailHash: null });
    const [legacyOrder, oldOrder, emptyOrder] = data.orders as unknown as OrderDoc[];
    expect(toOrder({ ...legacyOrder!, items: [] } as OrderDoc, rotated.pii).contact).toEqual({ name: "Sara", email: "sara@example.com", phone: "+966551234567" });
    expect(legacyOrder!.contactPhoneHash).toBe(rotated.pii.lookup("phone", "+966551234567"));
    expect(oldOrder!.contact.phone!.startsWith(rotated.pii.currentPrefix)).toBe(true);
    expect(oldOrder!.contactPhoneHash).toBe(rotated.pii.lookup("phone", "+966501112233"));
    expect(emptyOrder).toMatchObject({ contact: { name: "X" }, contactEmailHash: null });
    // Nothing in the clear is left in any customer or order document.
    expect(JSON.stringify([data.customers, data.orders])).not.toMatch(/@shop\.example|sara@|551234567|500000001/);
    // Secrets: the old key's is resealed (and opens to the same), the current one left, an unknown key's left as it is.
    expect(data.channels[0]!.secretsCiphertext).not.toBe(secret);
    expect(new IntegrationSecrets({ secrets: { encryptionKey: TEST_ENCRYPTION_KEY }, previousEncryptionKeys: [] }).open(data.channels[0]!.secretsCiphertext as string)).toEqual({ token: "t0ken" });

    const again = arrayDb(data, rotated.pii);
    expect(await resealAtRest(again.db, rotated)).toEqual({ customers: 0, orders: 0, secrets: 0 });
    expect(again.updates).toEqual([]);
  });

  it("each write is conditional on what was read: a document another process rewrote meanwhile keeps that process's value", async () => {
    const data: { customers: Rows } = { customers: [customer("c1", { email: "a@shop.example", phone: null, emailHash: null, phoneHash: null }), customer("c2", { email: "b@shop.example", phone: null, emailHash: null, phoneHash: null })] };
    const theirs = customerFields(rotated.pii, { name: null, email: "a.new@shop.example", phone: null, channel: "webchat", externalId: null });
    const { db, updates } = arrayDb(data, rotated.pii, (collection, docs) => {
      // Between this process's read and its write, another one (or an agent's edit) rewrites c1.
      if (collection === "customers") Object.assign(docs.find((d) => d._id === "c1")!, { email: theirs.email, emailHash: theirs.emailHash });
    });
    expect(await resealAtRest(db, rotated)).toMatchObject({ customers: 1 });
    expect(data.customers[0]).toMatchObject({ email: theirs.email, emailHash: theirs.emailHash });
    expect(updates.filter((u) => u.collection === "customers").map((u) => u.filter)).toEqual([
      { _id: "c1", email: "a@shop.example", phone: null },
      { _id: "c2", email: "b@shop.example", phone: null },
    ]);
    expect(toCustomer(data.customers[1] as unknown as CustomerDoc, rotated.pii).email).toBe("b@shop.example");
  });

  it("a detail sealed with a key the installation no longer has stops the store from opening, naming ENCRYPTION_KEYS_PREVIOUS", async () => {
    const lost = new PiiVault("a-key-nobody-has-any-more-0123456789abcdef");
    const data: { customers: Rows } = { customers: [customer("c1", { email: lost.seal("a@b.c"), phone: null, emailHash: lost.lookup("email", "a@b.c"), phoneHash: null })] };
    await expect(resealAtRest(arrayDb(data, rotated.pii).db, rotated)).rejects.toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });
});

describe("a MongoDB without a replica set", () => {
  // Replies as mongod/mongos 7 give them to { hello: 1 } (trimmed to what the check reads and a little more).
  const standalone = { isWritablePrimary: true, topologyVersion: {}, maxBsonObjectSize: 16777216, logicalSessionTimeoutMinutes: 30, connectionId: 7, minWireVersion: 0, maxWireVersion: 21, readOnly: false, ok: 1 };
  const member = { ...standalone, hosts: ["mongo:27017"], setName: "rs0", setVersion: 1, primary: "mongo:27017", me: "mongo:27017" };
  const mongos = { isWritablePrimary: true, msg: "isdbgrid", maxBsonObjectSize: 16777216, logicalSessionTimeoutMinutes: 30, ok: 1 };

  it("is refused; a replica set (of one too) or a sharded cluster passes", () => {
    expect(mongoTopologyProblem(standalone)).toMatch(/standalone mongod, without a replica set.*--replSet.*rs\.initiate/s);
    expect(mongoTopologyProblem(member)).toBeNull();
    expect(mongoTopologyProblem(mongos)).toBeNull();
    expect(mongoTopologyProblem({ ...member, setName: "" })).toMatch(/without a replica set/);
    expect(mongoTopologyProblem({ ...member, logicalSessionTimeoutMinutes: null })).toMatch(/no logical sessions/);
    expect(mongoTopologyProblem("not a reply")).toMatch(/not understood/);
  });

  it("checkMongoTopology (what openMongoStore runs on the server's hello) turns the problem into a construction error", async () => {
    await expect(checkMongoTopology(async () => standalone)).rejects.toThrow(ConfigError);
    await expect(checkMongoTopology(async () => standalone)).rejects.toThrow(/Invalid configuration:\n {2}MONGODB_URL: the server is a standalone mongod/);
    await expect(checkMongoTopology(async () => member)).resolves.toBeUndefined();
    await expect(checkMongoTopology(async () => mongos)).resolves.toBeUndefined();
  });
});
