// Tenant isolation by construction, checked without a server: every repository of a TenantStore
// runs against a database that records each operation (and answers with nothing, then with a
// document of the same merchant), and every filter it sent must name that merchant — and every
// document it wrote must belong to it, with no customer email or phone in the clear. This is no stand-in for MongoDB's behaviour (the contract
// suite is, with MONGODB_URL); it is the one place the repositories' code paths all run here.
import { describe, expect, it } from "vitest";
import { testStoreCrypto } from "@kaleem/shared/testing";
import { AppError } from "../../errors.js";
import { buildMerchant } from "../../store/defaults.js";
import { asMerchantId, type MerchantId, type TenantStore } from "../../ports/store.js";
import type { MongoDb } from "./db.js";
import type { Filter } from "./filters.js";
import { customerFields, merchantDoc, orderContactFields } from "./mapping.js";
import { buildModels, newMongoose } from "./models.js";
import { collections, type CollectionName } from "./schema-spec.js";
import { MongoStore } from "./store.js";

const M = asMerchantId("m-scope");
const NOW = "2026-01-01T00:00:00.000Z";
const { pii } = testStoreCrypto();
/** The customer details the calls below pass in: none of them may be written (or read back) in the clear. */
const DETAILS = ["a@b.c", "customer@shop.example", "sara@example.com", "551234567", "501112233"];

interface Recorded {
  collection: CollectionName;
  op: string;
  filter?: Filter;
  docs?: Array<Record<string, unknown>>;
  update?: Record<string, unknown>;
}

/** A document of merchant M for `collection`, complete enough for every mapper and patch. */
function sample(collection: CollectionName): Record<string, unknown> {
  const base = { _id: `${collection}-1`, merchantId: M, createdAt: NOW, updatedAt: NOW };
  switch (collection) {
    case "merchants":
      return { ...merchantDoc(buildMerchant(M, { name: "Shop" }, NOW), 1001) };
    case "users":
      return { ...base, email: "a@b.c", name: "A", role: "owner", passwordHash: "h" };
    case "refreshTokens":
      return { ...base, userId: "u", familyId: "f", expiresAt: NOW, purgeAt: new Date(NOW), usedAt: null, revokedAt: null };
    case "categories":
      return { ...base, slug: "s", name: { en: "S", ar: "" } };
    case "products":
      return { ...base, source: null, externalId: "x", name: { en: "P", ar: "" }, description: { en: "", ar: "" }, categoryId: null, price: 5, currency: "SAR", attributesJson: "{}", stock: 5, tags: [], imageUrl: null, url: null, status: "active", searchText: "p" };
    case "customers":
      // Sealed as the store keeps them: the mappers must open them.
      return { ...base, ...customerFields(pii, { name: null, email: "customer@shop.example", phone: "0501112233", channel: "whatsapp", externalId: "e" }) };
    case "orders":
      return { ...base, source: null, externalId: null, number: "1001", customerId: null, conversationId: null, conversationChannel: null, items: [], subtotal: 1, deliveryFee: 0, codFee: 0, total: 1, currency: "SAR", status: "pending", paymentMethod: null, ...orderContactFields(pii, { name: "Sara", email: "sara@example.com", phone: "0551234567" }), shippingAddress: null };
    case "idempotencyKeys":
      return { ...base, key: "k", requestHash: "h", state: "in_flight", responseJson: null, lockedUntil: 0, expiresAt: Date.now() + 60_000, purgeAt: new Date() };
    case "conversations":
      return { ...base, channel: "webchat", channelId: null, customerId: null, visitorId: "v", status: "bot", openKey: "v:v", assigneeId: null, locale: null, labels: [], lastSeq: 1, lastMessageAt: null, lastMessagePreview: null, previewFolded: null, previewSeq: null, activityAt: NOW, unreadCount: 0, shopperReadSeq: 0, botStateJson: "{}", pageUrl: null };
    case "messages":
      return { ...base, conversationId: "c", seq: 1, role: "bot", text: "t", parts: [], status: "streaming", authorId: null, authorName: null, clientMessageId: null, intent: null, channelDelivery: null };
    case "providerMessages":
      return { ...base, providerMessageId: "p", messageId: "messages-1" };
    case "knowledgeItems":
      return { ...base, title: "t", data: { kind: "faq", faq: { question: { en: "q", ar: "" }, answer: { en: "a", ar: "" } } } };
    case "channels":
      return { ...base, type: "telegram", name: "T", publicConfigJson: "{}", secretsCiphertext: "s", status: "active", lastEventAt: null, lastError: null, failureStreak: 5, breakerOpenUntil: null };
    case "commerceConnections":
      return { ...base, platform: "zid", publicConfigJson: "{}", secretsCiphertext: "s", status: "active", lastEventAt: null, lastError: null, syncJson: null };
    case "cannedReplies":
      return { ...base, shortcut: "hi", text: "Hi" };
    case "webhookEndpoints":
      return { ...base, url: "https://h.example", description: "", events: ["order.created"], status: "active", secretCiphertext: "s" };
    case "webhookDeliveries":
      return { ...base, endpointId: "webhookEndpoints-1", eventId: "e", eventType: "order.created", body: "{}", status: "pending", attempts: 0, lastStatus: null, lastError: null, test: false, lastAttemptAt: null, deliveredAt: null };
    case "webhookEvents":
      return { ...base, source: "s", dedupeKey: "d", payloadJson: "{}", status: "received", error: null, receivedAt: NOW, processedAt: null };
    case "outboxEvents":
      return { ...base, topic: "channel.deliver", payloadJson: "{}", attempts: 0, publishedAt: null, claimedUntil: null, claimedBy: null, availableAt: NOW, lastError: null };
    case "deliveryAttempts":
      return { ...base, key: "k", messageId: "m", state: "started", providerMessageIds: [], error: null, startedAt: NOW, finishedAt: null, inFlight: null };
    case "visitors":
      return { ...base, visitorId: "v", customerId: null, tokenGeneration: 1, blockedAt: NOW, blockedBy: "u", blockReason: null };
    case "uploads":
      return { ...base, owner: "visitor:v", name: "a.png", declaredType: "image/png", maxBytes: 10, state: "pending", conversationId: null, key: null, contentType: null, size: null, kind: null, width: null, height: null, expiresAt: NOW };
    case "auditLogs":
      return { ...base, actorId: null, action: "a", target: null, dataJson: "{}", ip: null };
  }
}

/** Records every operation; answers with nothing (`present: false`) or with M's sample document. */
function recordingDb(present: boolean): { db: MongoDb; log: Recorded[] } {
  const log: Recorded[] = [];
  // What was inserted is there afterwards (a repository that inserts and re-reads finds it).
  const inserted = new Map<CollectionName, Record<string, unknown>>();
  const coll = (collection: CollectionName) => ({
    async findOne(filter: Filter) {
      log.push({ collection, op: "findOne", filter });
      return present ? sample(collection) : (inserted.get(collection) ?? null);
    },
    async find(filter: Filter) {
      log.push({ collection, op: "find", filter });
      return present ? [sample(collection)] : [];
    },
    async ids(filter: Filter) {
      log.push({ collection, op: "ids", filter });
      return present ? [`${collection}-1`] : [];
    },
    async insert(doc: Record<string, unknown>) {
      log.push({ collection, op: "insert", docs: [doc] });
      inserted.set(collection, doc);
      return doc;
    },
    async insertMany(docs: Array<Record<string, unknown>>) {
      log.push({ collection, op: "insertMany", docs });
    },
    async findOneAndUpdate(filter: Filter, update: Record<string, unknown>, options: { upsert?: boolean } = {}) {
      log.push({ collection, op: "findOneAndUpdate", filter, update });
      // An upsert always answers with a document, as the server does.
      return present || options.upsert ? sample(collection) : null;
    },
    async updateOne(filter: Filter, update: Record<string, unknown>) {
      log.push({ collection, op: "updateOne", filter, update });
      return { matched: present ? 1 : 0, modified: present ? 1 : 0, upserted: false };
    },
    async updateMany(filter: Filter, update: Record<string, unknown>) {
      log.push({ collection, op: "updateMany", filter, update });
      return present ? 1 : 0;
    },
    async deleteOne(filter: Filter) {
      log.push({ collection, op: "deleteOne", filter });
      return present;
    },
    async deleteMany(filter: Filter) {
      log.push({ collection, op: "deleteMany", filter });
      return present ? 1 : 0;
    },
    async count(filter: Filter) {
      log.push({ collection, op: "count", filter });
      return present ? 1 : 0;
    },
  });
  const db = {
    coll: coll,
    pii,
    tx: <T>(fn: () => Promise<T>) => fn(),
    inTransaction: () => false,
  };
  return { db: db as unknown as MongoDb, log };
}

const deliver = { topic: "channel.deliver" as const, payload: { messageId: "m", conversationId: "c", byHuman: false } };

/** Calls every method of every repository once; port errors (not found, conflict, validation) are expected outcomes. */
async function exerciseEveryRepository(t: TenantStore): Promise<number> {
  const calls: Array<() => Promise<unknown>> = [
    () => t.merchant.get(),
    () => t.merchant.update({ name: "New", widget: { color: "#000000" } }),
    () => t.users.create({ email: "X@Y.z", name: "X", role: "agent", passwordHash: "h" }),
    () => t.users.get("u"),
    () => t.users.getCredentials("u"),
    () => t.users.list({ limit: 2 }),
    () => t.users.update("u", { name: "N" }),
    () => t.users.remove("u"),
    () => t.refreshTokens.create({ id: "r", userId: "u", familyId: "f", expiresAt: NOW }),
    () => t.refreshTokens.get("r"),
    () => t.refreshTokens.markUsed("r"),
    () => t.refreshTokens.revokeFamily("f"),
    () => t.refreshTokens.revokeAllForUser("u"),
    () => t.categories.ensure({ slug: "s" }),
    () => t.categories.get("c"),
    () => t.categories.getBySlug("s"),
    () => t.categories.list(),
    () => t.categories.update("c", { slug: "t" }),
    () => t.categories.remove("c"),
    () => t.products.create({ name: { en: "P", ar: "" }, price: 1, categoryId: "c" }),
    () => t.products.get("p"),
    () => t.products.getByExternalId("x", "shopify"),
    () => t.products.list({ status: "active", categoryId: "c", minPrice: 1, maxPrice: 9, q: "p" }),
    () => t.products.all(),
    () => t.products.update("p", { price: 2, categoryId: "c2" }),
    () => t.products.upsertByExternalId("x", { name: { en: "P", ar: "" }, price: 1 }),
    () => t.products.reserveStock("p", 1),
    () => t.products.remove("p"),
    () => t.products.count(),
    () =>
      t.orders.create(
        { items: [{ productId: "p", name: "P", price: 1, quantity: 1 }], conversationId: "c", reserveStock: true, contact: { name: "Sara", email: "sara@example.com", phone: "0551234567" } },
        { key: "k", response: () => ({ status: 201, body: {} }) },
        { outbox: () => [deliver] },
      ),
    () => t.orders.get("o"),
    () => t.orders.getByNumber("1001"),
    () => t.orders.listByNumber("1001"),
    () => t.orders.getByExternalId("zid", "e"),
    () => t.orders.upsertSynced({ source: "zid", externalId: "e", number: "9", items: [], subtotal: 1, deliveryFee: 0, total: 1, currency: "SAR", status: "pending", paymentMethod: null, contact: { email: "sara@example.com", phone: "+966551234567" }, shippingAddress: null }),
    () => t.orders.list({ status: "pending", customerId: "c", channel: "webchat", createdFrom: NOW, createdBefore: NOW, q: "0551234567" }),
    () => t.orders.updateStatus("o", "confirmed", { onlyFrom: ["pending"], outbox: () => [deliver] }),
    () => t.orders.listCreatedBetween(NOW, NOW),
    () => t.idempotency.begin("k", "h", 60),
    () => t.idempotency.complete("k", { status: 200, body: null }),
    () => t.idempotency.release("k"),
    () => t.customers.create({ channel: "webchat", phone: "0551234567" }),
    () => t.customers.findOrCreateByExternalId("whatsapp", "e", { name: "N", phone: "+966551234567", email: "a@b.c" }),
    () => t.customers.get("c"),
    () => t.customers.findByExternalId("whatsapp", "e"),
    () => t.customers.findByContact({ email: "A@b.c", phone: "0551234567" }),
    () => t.customers.update("c", { name: "N", phone: null }),
    () => t.customers.update("c", { email: "customer@shop.example", phone: "0501112233" }),
    () => t.customers.list(),
    () => t.conversations.create({ channel: "webchat", visitorId: "v" }),
    () => t.conversations.get("c"),
    () => t.conversations.findOpenByVisitor("v"),
    () => t.conversations.findOrCreateOpenByVisitor("v", { channel: "webchat" }),
    () => t.conversations.findOpenByCustomer("c", "telegram"),
    () => t.conversations.findOrCreateOpenByCustomer("c", { channel: "telegram" }),
    () => t.conversations.list({ status: "bot", assigneeId: "a", channel: "webchat", visitorId: "v", customerId: "c", q: "055 123" }),
    () => t.conversations.update("c", { status: "human", labels: ["x"] }),
    () => t.conversations.transition("c", ["bot"], { status: "closed" }),
    () => t.conversations.getBotState("c"),
    () => t.conversations.setBotState("c", { cart: [] }),
    () => t.conversations.listCreatedBetween(NOW, NOW),
    () => t.visitors.get("v"),
    () => t.visitors.identify("v", "c"),
    () => t.visitors.block("v", { userId: "u", reason: null }),
    () => t.visitors.unblock("v"),
    () => t.visitors.listBlocked({ limit: 1 }),
    () => t.uploads.create({ id: "up-1", owner: "visitor:v", name: "a.png", declaredType: "image/png", maxBytes: 10, expiresAt: NOW }),
    () => t.uploads.get("up-1"),
    () => t.uploads.markStored("up-1", { conversationId: "c", key: "k", contentType: "image/png", size: 1, kind: "image", width: 1, height: 1 }, 100),
    () => t.uploads.usage(),
    () => t.uploads.delete("up-1"),
    () => t.messages.append("c", { role: "shopper", text: "hi", clientMessageId: "k" }, { outbox: () => [deliver] }),
    () => t.messages.get("m"),
    () => t.messages.getByClientMessageId("c", "k"),
    () => t.messages.update("m", { text: "done", status: "complete" }, { outbox: [deliver], ifStatus: "streaming" }),
    () => t.messages.linkProviderMessage("m", "p"),
    () => t.messages.findByProviderMessageId("p"),
    () => t.messages.listAfter("c", 0),
    () => t.messages.listLatest("c", 5),
    () => t.messages.list("c"),
    () => t.messages.listStreaming(),
    () => t.messages.listCreatedBetween(NOW, NOW),
    () => t.knowledge.create({ title: "t", data: { kind: "faq", faq: { question: { en: "q", ar: "" }, answer: { en: "a", ar: "" } } } }),
    () => t.knowledge.get("k"),
    () => t.knowledge.list(),
    () => t.knowledge.all(),
    () => t.knowledge.update("k", { title: "u" }),
    () => t.knowledge.remove("k"),
    () => t.channels.create({ type: "telegram", name: "T", publicConfig: {}, secretsCiphertext: "s" }),
    () => t.channels.get("ch"),
    () => t.channels.getSecrets("ch"),
    () => t.channels.list(),
    () => t.channels.update("ch", { status: "error", lastError: "x" }),
    () => t.channels.recordDelivery("ch", { ok: false, error: "503", serverError: true }, { threshold: 3, openMs: 1000 }),
    () => t.channels.recordDelivery("ch", { ok: true }, { threshold: 3, openMs: 1000 }),
    () => t.channels.remove("ch"),
    () => t.commerceConnections.create({ platform: "zid", publicConfig: {}, secretsCiphertext: "s" }),
    () => t.commerceConnections.get("cc"),
    () => t.commerceConnections.getByPlatform("zid"),
    () => t.commerceConnections.getSecrets("cc"),
    () => t.commerceConnections.list(),
    () => t.commerceConnections.update("cc", { sync: null }),
    () => t.commerceConnections.remove("cc"),
    () => t.cannedReplies.create({ shortcut: "hi", text: "Hi" }),
    () => t.cannedReplies.get("r"),
    () => t.cannedReplies.getByShortcut("hi"),
    () => t.cannedReplies.list(),
    () => t.cannedReplies.count(),
    () => t.cannedReplies.update("r", { text: "Hey" }),
    () => t.cannedReplies.remove("r"),
    () => t.webhookEndpoints.create({ url: "https://h.example", events: ["order.created"], secretCiphertext: "s" }),
    () => t.webhookEndpoints.get("w"),
    () => t.webhookEndpoints.getSecret("w"),
    () => t.webhookEndpoints.list(),
    () => t.webhookEndpoints.listSubscribed("order.created"),
    () => t.webhookEndpoints.update("w", { status: "disabled" }),
    () => t.webhookEndpoints.remove("w"),
    () => t.webhookDeliveries.recordOnce({ endpointId: "w", eventId: "e", eventType: "order.created", body: "{}", test: false }),
    () => t.webhookDeliveries.get("d"),
    () => t.webhookDeliveries.list({ endpointId: "w" }),
    () => t.webhookDeliveries.recordAttempt("d", { status: "delivered", httpStatus: 200, error: null }),
    () => t.webhookEvents.recordOnce({ source: "s", dedupeKey: "d", payload: { a: 1 } }),
    () => t.webhookEvents.get("e"),
    () => t.webhookEvents.markProcessed("e"),
    () => t.webhookEvents.markFailed("e", "x"),
    () => t.outbox.add(deliver),
    () => t.outbox.get("o"),
    () => t.outbox.listPending(10),
    () => t.deliveryAttempts.begin("k", "m"),
    () => t.deliveryAttempts.markInFlight("k", 0),
    () => t.deliveryAttempts.addPiece("k", "p"),
    () => t.deliveryAttempts.finish("k", { state: "sent", providerMessageIds: ["p"] }),
    () => t.deliveryAttempts.forget("k"),
    () => t.deliveryAttempts.get("k"),
    () => t.audit.add({ action: "x", data: { a: 1 } }),
    () => t.audit.list(),
  ];
  for (const call of calls) {
    try {
      await call();
    } catch (error) {
      // The port's typed outcomes are fine here; a TypeError or the like is a bug in the repository.
      if (!(error instanceof AppError)) throw error;
    }
  }
  return calls.length;
}

/** Whether a filter pins merchant M (directly, or for the merchants collection by _id). */
function pinsMerchant(collection: CollectionName, filter: Filter, m: MerchantId): boolean {
  if (collection === "merchants") return filter._id === m;
  if (filter.merchantId === m) return true;
  // Conditions joined by allOf keep merchantId at the top; nothing else may carry it.
  return false;
}

describe("mongo store: tenant isolation by construction", () => {
  for (const present of [false, true]) {
    it(`every repository operation names the tenant (${present ? "documents found" : "nothing found"})`, async () => {
      const { db, log } = recordingDb(present);
      const store = new MongoStore(db);
      const calls = await exerciseEveryRepository(store.forMerchant(M));
      expect(calls).toBeGreaterThan(120);
      // The details were written: sealed, beside their hashes (the assertion below has something to check).
      const writes = log.filter((r) => r.collection === "customers" || r.collection === "orders").map((r) => JSON.stringify([r.docs ?? [], r.update ?? {}]));
      const wrote = (kind: "email" | "phone", ...values: string[]) => writes.some((w) => values.some((v) => w.includes(pii.lookup(kind, v))));
      expect(wrote("email", "a@b.c", "customer@shop.example")).toBe(true);
      expect(wrote("phone", "+966551234567", "+966501112233")).toBe(true);
      expect(wrote("email", "sara@example.com")).toBe(true);
      // Every collection of the spec is reached by some repository.
      expect(new Set(log.map((r) => r.collection))).toEqual(new Set(Object.keys(collections)));
      for (const entry of log) {
        if (entry.filter) expect(pinsMerchant(entry.collection, entry.filter, M), `${entry.collection}.${entry.op} ${JSON.stringify(entry.filter)}`).toBe(true);
        for (const doc of entry.docs ?? []) {
          if (entry.collection === "merchants") continue;
          expect(doc.merchantId, `${entry.collection}.${entry.op} writes another tenant's document`).toBe(M);
          // Only declared fields are written (the schemas would refuse the rest, strict "throw").
          const declared = new Set(["_id", ...Object.keys(collections[entry.collection].fields)]);
          for (const field of Object.keys(doc)) expect(declared.has(field), `${entry.collection}.${field}`).toBe(true);
        }
        // An update never moves a document to another merchant.
        const set = (entry.update?.$set ?? {}) as Record<string, unknown>;
        expect("merchantId" in set).toBe(false);
        // Customer emails and phones are written sealed: no document or update holds one in the clear.
        if (entry.collection === "customers" || entry.collection === "orders") {
          const written = JSON.stringify([entry.docs ?? [], entry.update ?? {}]).toLowerCase();
          for (const detail of DETAILS) expect(written, `${entry.collection}.${entry.op} writes ${detail} in the clear`).not.toContain(detail);
        }
      }
    });
  }

  it("mongoose (strict and strictQuery \"throw\") accepts every filter, update and document the repositories produce", async () => {
    const instance = newMongoose();
    const models = buildModels(instance, instance.createConnection());
    const model = (name: CollectionName) => models[name];
    for (const present of [false, true]) {
      const { db, log } = recordingDb(present);
      await exerciseEveryRepository(new MongoStore(db).forMerchant(M));
      for (const entry of log) {
        const where = `${entry.collection}.${entry.op}`;
        if (entry.filter) expect(() => model(entry.collection).find(entry.filter!).cast(), where).not.toThrow();
        if (entry.update) {
          const query = model(entry.collection).updateOne(entry.filter ?? {}, entry.update) as unknown as { _castUpdate(u: unknown): unknown; getUpdate(): unknown };
          expect(() => query._castUpdate(query.getUpdate()), where).not.toThrow();
        }
        for (const doc of entry.docs ?? []) {
          // new Model() itself throws on an undeclared field (strict "throw").
          const Model = model(entry.collection);
          await expect(new Model(doc).validate(), where).resolves.toBeUndefined();
        }
      }
    }
    // The checks above can fail: an undeclared path is refused in a filter, an update and a document.
    const products = model("products");
    expect(() => products.find({ merchantId: M, bogus: 1 }).cast()).toThrow();
    const bad = products.updateOne({ merchantId: M }, { $set: { bogus: 1 } }) as unknown as { _castUpdate(u: unknown): unknown; getUpdate(): unknown };
    expect(() => bad._castUpdate(bad.getUpdate())).toThrow();
    expect(() => new products({ _id: "p", merchantId: M, bogus: 1 })).toThrow();
  });
});
