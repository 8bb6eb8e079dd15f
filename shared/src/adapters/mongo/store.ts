// The cluster store: MongoDB (a replica set — transactions need one) through a private mongoose
// instance, serving every tenant. Same port, same contract suite as the SQLite adapter.
import type { ChannelType, CommercePlatform, Merchant, User } from "../../contracts/domain.js";
import { ConflictError } from "../../errors.js";
import type { StoreCrypto } from "../../pii.js";
import { newId } from "../../ids.js";
import { buildMerchant, FIRST_ORDER_NUMBER, normalizeEmail } from "../../store/defaults.js";
import {
  asMerchantId,
  type MerchantId,
  type NewMerchant,
  type NewUser,
  type Store,
  type SystemStore,
  type TenantLookup,
  type TenantStore,
} from "../../ports/store.js";
import { insertUser, MongoMerchantRepo, MongoRefreshTokenRepo, MongoUserRepo, WIDGET_KEY_TAKEN } from "./accounts.js";
import { MongoCategoryRepo, MongoProductRepo } from "./catalog.js";
import { MongoConversationRepo, MongoCustomerRepo, MongoMessageRepo } from "./conversations.js";
import { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { MongoAuditRepo, MongoDeliveryAttemptRepo, MongoOutboxRepo, MongoWebhookEventRepo, mongoSystemStore } from "./events.js";
import { MongoCannedReplyRepo, MongoChannelRepo, MongoCommerceConnectionRepo, MongoKnowledgeRepo, MongoWebhookDeliveryRepo, MongoWebhookEndpointRepo } from "./integrations.js";
import { merchantDoc, type ChannelDoc, type CommerceConnectionDoc, type MerchantDoc, type RefreshTokenDoc, type UserDoc } from "./mapping.js";
import { MongoIdempotencyRepo, MongoOrderRepo } from "./orders.js";
import { resealAtRest } from "./reseal.js";
import { checkMongoTopology } from "./topology.js";
import { MongoUploadRepo } from "./uploads.js";
import { MongoVisitorRepo } from "./visitors.js";

export interface MongoStoreOptions {
  /** mongodb:// or mongodb+srv:// URL of a replica set. */
  url: string;
  /**
   * Seals customer emails and phones at rest and hashes them for look-ups. Required, as for the
   * SQLite store: a store that silently kept them in the clear would be a fallback nobody chose.
   * Details and integration secrets sealed under a rotated-out key are resealed when the store opens.
   */
  crypto: StoreCrypto;
  /** Database name (default: the one in the URL, else mongoose's "test"). */
  dbName?: string;
  /** How long an operation waits for a usable server before StoreUnavailableError (default 5000). */
  serverSelectionTimeoutMs?: number;
  /** Refuse a server that is not a replica set (default true: transactions need one). */
  requireReplicaSet?: boolean;
}

/** Repositories are created on first use: most requests touch one or two of them. */
class MongoTenantStore implements TenantStore {
  private cache = new Map<string, unknown>();
  constructor(
    private readonly db: MongoDb,
    readonly merchantId: MerchantId,
  ) {}

  private repo<T>(name: string, make: new (db: MongoDb, m: MerchantId) => T): T {
    let repo = this.cache.get(name) as T | undefined;
    if (!repo) {
      repo = new make(this.db, this.merchantId);
      this.cache.set(name, repo);
    }
    return repo;
  }

  get merchant() {
    return this.repo("merchant", MongoMerchantRepo);
  }
  get users() {
    return this.repo("users", MongoUserRepo);
  }
  get refreshTokens() {
    return this.repo("refreshTokens", MongoRefreshTokenRepo);
  }
  get categories() {
    return this.repo("categories", MongoCategoryRepo);
  }
  get products() {
    return this.repo("products", MongoProductRepo);
  }
  get orders() {
    return this.repo("orders", MongoOrderRepo);
  }
  get idempotency() {
    return this.repo("idempotency", MongoIdempotencyRepo);
  }
  get customers() {
    return this.repo("customers", MongoCustomerRepo);
  }
  get conversations() {
    return this.repo("conversations", MongoConversationRepo);
  }
  get visitors() {
    return this.repo("visitors", MongoVisitorRepo);
  }
  get uploads() {
    return this.repo("uploads", MongoUploadRepo);
  }
  get messages() {
    return this.repo("messages", MongoMessageRepo);
  }
  get knowledge() {
    return this.repo("knowledge", MongoKnowledgeRepo);
  }
  get channels() {
    return this.repo("channels", MongoChannelRepo);
  }
  get commerceConnections() {
    return this.repo("commerceConnections", MongoCommerceConnectionRepo);
  }
  get cannedReplies() {
    return this.repo("cannedReplies", MongoCannedReplyRepo);
  }
  get webhookEndpoints() {
    return this.repo("webhookEndpoints", MongoWebhookEndpointRepo);
  }
  get webhookDeliveries() {
    return this.repo("webhookDeliveries", MongoWebhookDeliveryRepo);
  }
  get webhookEvents() {
    return this.repo("webhookEvents", MongoWebhookEventRepo);
  }
  get outbox() {
    return this.repo("outbox", MongoOutboxRepo);
  }
  get deliveryAttempts() {
    return this.repo("deliveryAttempts", MongoDeliveryAttemptRepo);
  }
  get audit() {
    return this.repo("audit", MongoAuditRepo);
  }
}

class MongoLookup implements TenantLookup {
  constructor(private readonly db: MongoDb) {}

  async usersByEmail(email: string, limit: number): Promise<Array<{ merchantId: MerchantId; userId: string }>> {
    const docs = await this.db.coll<UserDoc>("users").find({ email: normalizeEmail(email) }, { sort: { createdAt: 1, _id: 1 }, limit: Math.max(1, Math.floor(limit)) });
    return docs.map((d) => ({ merchantId: asMerchantId(d.merchantId), userId: d._id }));
  }

  async merchantByWidgetKey(widgetKey: string): Promise<MerchantId | null> {
    const doc = await this.db.coll<MerchantDoc>("merchants").findOne({ widgetKey });
    return doc ? asMerchantId(doc._id) : null;
  }

  async refreshToken(tokenId: string): Promise<{ merchantId: MerchantId; userId: string } | null> {
    const doc = await this.db.coll<RefreshTokenDoc>("refreshTokens").findOne({ _id: tokenId });
    return doc ? { merchantId: asMerchantId(doc.merchantId), userId: doc.userId } : null;
  }

  async channel(channelId: string): Promise<{ merchantId: MerchantId; type: ChannelType } | null> {
    const doc = await this.db.coll<ChannelDoc>("channels").findOne({ _id: channelId });
    return doc ? { merchantId: asMerchantId(doc.merchantId), type: doc.type } : null;
  }

  async commerceConnection(connectionId: string): Promise<{ merchantId: MerchantId; platform: CommercePlatform } | null> {
    const doc = await this.db.coll<CommerceConnectionDoc>("commerceConnections").findOne({ _id: connectionId });
    return doc ? { merchantId: asMerchantId(doc.merchantId), platform: doc.platform } : null;
  }

  async merchantIds(): Promise<MerchantId[]> {
    return (await this.db.coll<MerchantDoc>("merchants").ids({}, 0)).sort().map(asMerchantId);
  }
}

export class MongoStore implements Store {
  readonly lookup: TenantLookup;
  /** Cross-tenant work; the composition root hands it only to the relay and the sweeper. */
  readonly system: SystemStore;

  constructor(private readonly db: MongoDb) {
    this.lookup = new MongoLookup(db);
    this.system = mongoSystemStore(db);
  }

  forMerchant(merchantId: MerchantId): TenantStore {
    return new MongoTenantStore(this.db, merchantId);
  }

  async createMerchant(input: NewMerchant, owner: NewUser): Promise<{ merchant: Merchant; owner: User }> {
    const merchant = buildMerchant(newId(), input, new Date().toISOString());
    // One transaction: a taken email leaves no merchant behind.
    return this.db.tx(async () => {
      try {
        await this.db.coll<MerchantDoc>("merchants").insert(merchantDoc(merchant, FIRST_ORDER_NUMBER));
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConflictError(WIDGET_KEY_TAKEN);
        throw error;
      }
      return { merchant, owner: await insertUser(this.db, merchant.id, owner) };
    });
  }

  async ping(): Promise<void> {
    await this.db.ping();
  }

  /** Drops every collection of this store's database: for throwaway test databases only. */
  async dropDatabase(): Promise<void> {
    await this.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/**
 * Connects, checks the server can run transactions (topology.ts), creates collections and indexes,
 * and reseals contact details and integration secrets not yet under the current key (reseal.ts).
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<MongoStore> {
  const db = await MongoDb.connect({
    url: options.url,
    ...(options.dbName ? { dbName: options.dbName } : {}),
    serverSelectionTimeoutMs: options.serverSelectionTimeoutMs ?? 5000,
    pii: options.crypto.pii,
  });
  try {
    if (options.requireReplicaSet ?? true) await checkMongoTopology(() => db.hello());
    await db.ensureCollections();
    await resealAtRest(db, options.crypto);
    return new MongoStore(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
