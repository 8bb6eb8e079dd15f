// The MongoDB store: the same contract suite as SQLite against a real server when MONGODB_URL
// names one (a replica set: transactions need it), each run in a fresh database that is dropped
// afterwards. Without a server — as on the build machines, where none can run — only the pure
// parts run: index definitions, filter/update builders, cursors, document ↔ domain mapping and
// error mapping.
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { storeContract } from "@kaleem/shared/testing";
import { decodeCursor } from "../../cursor.js";
import { ConflictError, StoreUnavailableError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { asMerchantId } from "../../ports/store.js";
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
  customerDerived,
  openKeyOf,
  productFields,
  toConversation,
  toMessage,
  toProduct,
  type ConversationDoc,
  type MessageDoc,
  type ProductDoc,
} from "./mapping.js";
import { newMongoose, schemaOf } from "./models.js";
import { collections, collectionNames, type CollectionName } from "./schema-spec.js";
import { openMongoStore } from "./store.js";

const url = process.env.MONGODB_URL;
const M = asMerchantId("m-1");

describe.skipIf(!url)(url ? "MongoDB store at MONGODB_URL" : "MongoDB store contract (skipped: MONGODB_URL not set)", () => {
  storeContract("mongo", async () => {
    const store = await openMongoStore({ url: url!, dbName: `kaleem_test_${newId()}` });
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
    const store = await openMongoStore({ url: url!, dbName });
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

describe("mongo store: opening", () => {
  it("an unreachable server is StoreUnavailableError (unreachable), not a hang or a raw driver error", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const error = await openMongoStore({ url: "mongodb://127.0.0.1:1/kaleem", serverSelectionTimeoutMs: 200 }).then(
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
  const declared = new Set(["_id", ...Object.keys(collections[collection].fields)]);
  for (const field of filterFields(filter)) expect(declared.has(field), `${collection}.${field} is not declared`).toBe(true);
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
    const search = conversationSearch("0551 أحمد")!;
    const os = orderSearch("#1001")!;
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

    const search = conversationSearch("Ahmed")!;
    const conversation = conversationListFilter(M, { status: "human", assigneeId: "u1", channel: "webchat", visitorId: "v", customerId: "c" }, cursor, {
      folded: search.folded,
      idPrefix: search.idPrefix,
      customerIds: ["c1", "c2"],
    });
    expect(conversation.merchantId).toBe(M);
    expectDeclared("conversations", conversation);
    sanitized(conversation);

    const customers = customerSearchFilter(M, conversationSearch("0551")!);
    expect(customers.merchantId).toBe(M);
    expectDeclared("customers", customers);
    sanitized(customers);

    const os = orderSearch("#1001")!;
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

  it("conversation search folds Arabic letter variants and digits, escapes regex syntax and matches phones by digits", () => {
    const arabic = conversationSearch("  أحمد ")!;
    expect(arabic.folded.test(foldSearchText("مرحبا احمد"))).toBe(true);
    expect(arabic.folded.test(foldSearchText("مرحبا إحمد"))).toBe(true);
    const literal = conversationSearch("a.b*")!;
    expect(literal.folded.test("a.b*c")).toBe(true);
    expect(literal.folded.test("axbb")).toBe(false);
    expect(literal.idPrefix.test("a.b*123")).toBe(true);
    expect(literal.idPrefix.test("xa.b*")).toBe(false);
    expect(conversationSearch("055 123")!.phoneDigits!.test("+96655123999")).toBe(true);
    expect(conversationSearch("٠٥٥١٢٣")!.phoneDigits!.test("+96655123999")).toBe(true);
    expect(conversationSearch("ab")!.phoneDigits).toBeNull();
    expect(conversationSearch("   ")).toBeNull();
    expect(escapeRegex("(x)[y]{z}|^$")).toBe("\\(x\\)\\[y\\]\\{z\\}\\|\\^\\$");
  });

  it("order search takes the number without '#', the phone in E.164 and a folded substring", () => {
    const s = orderSearch("# 1001")!;
    expect(s.number).toBe("1001");
    expect(orderSearch("0551234567")!.phone).toBe("+966551234567");
    expect(orderSearch("Noura")!.phone).toBeNull();
    expect(orderSearch("NOURA")!.folded.test(foldSearchText("noura a."))).toBe(true);
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

  it("customer search copies and the channel identity key follow the fields", () => {
    expect(customerDerived({ name: "أحمد", email: " Ahmed@Shop.COM ", phone: "+966551234567", channel: "whatsapp", externalId: "9665" })).toEqual({
      identityKey: "9665",
      emailLower: " ahmed@shop.com ",
      nameFolded: foldSearchText("أحمد"),
      emailFolded: foldSearchText(" Ahmed@Shop.COM "),
      phoneFolded: "+966551234567",
    });
    // Webchat ids are not one person per id (SQLite's unique index leaves webchat out too).
    expect(customerDerived({ name: null, email: null, phone: null, channel: "webchat", externalId: "v1" }).identityKey).toBeNull();
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
