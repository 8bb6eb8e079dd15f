// The embedded store: one better-sqlite3 connection (WAL) serving every tenant.
import type { StoreCrypto } from "../../pii.js";
import { resealAtRest } from "./reseal.js";
import type { ChannelType, CommercePlatform, Merchant, User } from "../../contracts/domain.js";
import { ConflictError } from "../../errors.js";
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
import { insertUser, SqliteMerchantRepo, SqliteRefreshTokenRepo, SqliteUserRepo } from "./accounts.js";
import { SqliteCategoryRepo, SqliteProductRepo } from "./catalog.js";
import { nowIso } from "./clock.js";
import { SqliteConversationRepo, SqliteCustomerRepo, SqliteMessageRepo } from "./conversations.js";
import { isUniqueViolation, SqliteDb, toJson } from "./db.js";
import { SqliteAuditRepo, SqliteDeliveryAttemptRepo, SqliteOutboxRepo, SqliteWebhookEventRepo, sqliteSystemStore } from "./events.js";
import { SqliteCannedReplyRepo, SqliteCommerceConnectionRepo } from "./integrations.js";
import { SqliteChannelRepo, SqliteKnowledgeRepo } from "./knowledge.js";
import { SqliteIdempotencyRepo, SqliteOrderRepo } from "./orders.js";
import { SqliteWebhookDeliveryRepo, SqliteWebhookEndpointRepo } from "./outgoing-webhooks.js";
import { SqliteUploadRepo } from "./uploads.js";
import { SqliteVisitorRepo } from "./visitors.js";

export interface SqliteStoreOptions {
  /** Database file path, or ":memory:" (tests). */
  file: string;
  /**
   * Seals customer emails and phones at rest and hashes them for look-ups. Required: a store that
   * silently kept them in the clear would be a fallback nobody chose. Secrets sealed under a
   * rotated-out key are resealed with the current one when the store opens (`resealSecret`).
   */
  crypto: StoreCrypto;
  /** How long a writer waits for another connection's lock before failing (default 5000). */
  busyTimeoutMs?: number;
  /**
   * Caps the database at this many pages (SQLite `max_page_count`); a write past it fails as on a
   * full disk (StoreUnavailableError "full"). Unset: limited by the disk only.
   */
  maxPageCount?: number;
}

/** Repositories are created on first use: most requests touch one or two of them. */
class SqliteTenantStore implements TenantStore {
  private cache = new Map<string, unknown>();
  constructor(
    private readonly db: SqliteDb,
    readonly merchantId: MerchantId,
  ) {}

  private repo<T>(name: string, make: new (db: SqliteDb, m: MerchantId) => T): T {
    let repo = this.cache.get(name) as T | undefined;
    if (!repo) {
      repo = new make(this.db, this.merchantId);
      this.cache.set(name, repo);
    }
    return repo;
  }

  get merchant() {
    return this.repo("merchant", SqliteMerchantRepo);
  }
  get users() {
    return this.repo("users", SqliteUserRepo);
  }
  get refreshTokens() {
    return this.repo("refreshTokens", SqliteRefreshTokenRepo);
  }
  get categories() {
    return this.repo("categories", SqliteCategoryRepo);
  }
  get products() {
    return this.repo("products", SqliteProductRepo);
  }
  get orders() {
    return this.repo("orders", SqliteOrderRepo);
  }
  get idempotency() {
    return this.repo("idempotency", SqliteIdempotencyRepo);
  }
  get customers() {
    return this.repo("customers", SqliteCustomerRepo);
  }
  get conversations() {
    return this.repo("conversations", SqliteConversationRepo);
  }
  get visitors() {
    return this.repo("visitors", SqliteVisitorRepo);
  }
  get messages() {
    return this.repo("messages", SqliteMessageRepo);
  }
  get knowledge() {
    return this.repo("knowledge", SqliteKnowledgeRepo);
  }
  get channels() {
    return this.repo("channels", SqliteChannelRepo);
  }
  get commerceConnections() {
    return this.repo("commerceConnections", SqliteCommerceConnectionRepo);
  }
  get cannedReplies() {
    return this.repo("cannedReplies", SqliteCannedReplyRepo);
  }
  get webhookEndpoints() {
    return this.repo("webhookEndpoints", SqliteWebhookEndpointRepo);
  }
  get webhookDeliveries() {
    return this.repo("webhookDeliveries", SqliteWebhookDeliveryRepo);
  }
  get webhookEvents() {
    return this.repo("webhookEvents", SqliteWebhookEventRepo);
  }
  get outbox() {
    return this.repo("outbox", SqliteOutboxRepo);
  }
  get deliveryAttempts() {
    return this.repo("deliveryAttempts", SqliteDeliveryAttemptRepo);
  }
  get audit() {
    return this.repo("audit", SqliteAuditRepo);
  }
  get uploads() {
    return this.repo("uploads", SqliteUploadRepo);
  }
}

class SqliteLookup implements TenantLookup {
  constructor(private readonly db: SqliteDb) {}

  async usersByEmail(email: string, limit: number): Promise<Array<{ merchantId: MerchantId; userId: string }>> {
    const rows = this.db.all<{ id: string; merchant_id: string }>(
      "SELECT id, merchant_id FROM users WHERE email = @email ORDER BY created_at, id LIMIT @limit",
      { email: normalizeEmail(email), limit: Math.max(1, Math.floor(limit)) },
    );
    return rows.map((row) => ({ merchantId: asMerchantId(row.merchant_id), userId: row.id }));
  }

  async merchantByWidgetKey(widgetKey: string): Promise<MerchantId | null> {
    const row = this.db.get<{ id: string }>("SELECT id FROM merchants WHERE widget_key = @widgetKey", { widgetKey });
    return row ? asMerchantId(row.id) : null;
  }

  async refreshToken(tokenId: string): Promise<{ merchantId: MerchantId; userId: string } | null> {
    const row = this.db.get<{ merchant_id: string; user_id: string }>(
      "SELECT merchant_id, user_id FROM refresh_tokens WHERE id = @tokenId",
      { tokenId },
    );
    return row ? { merchantId: asMerchantId(row.merchant_id), userId: row.user_id } : null;
  }

  async channel(channelId: string): Promise<{ merchantId: MerchantId; type: ChannelType } | null> {
    const row = this.db.get<{ merchant_id: string; type: ChannelType }>(
      "SELECT merchant_id, type FROM channels WHERE id = @channelId",
      { channelId },
    );
    return row ? { merchantId: asMerchantId(row.merchant_id), type: row.type } : null;
  }

  async commerceConnection(connectionId: string): Promise<{ merchantId: MerchantId; platform: CommercePlatform } | null> {
    const row = this.db.get<{ merchant_id: string; platform: CommercePlatform }>(
      "SELECT merchant_id, platform FROM commerce_connections WHERE id = @connectionId",
      { connectionId },
    );
    return row ? { merchantId: asMerchantId(row.merchant_id), platform: row.platform } : null;
  }

  async merchantIds(): Promise<MerchantId[]> {
    return this.db.all<{ id: string }>("SELECT id FROM merchants ORDER BY id").map((r) => asMerchantId(r.id));
  }
}

export class SqliteStore implements Store {
  readonly lookup: TenantLookup;
  /** Cross-tenant work; the composition root hands it only to the relay and the sweeper. */
  readonly system: SystemStore;
  private readonly db: SqliteDb;

  constructor(options: SqliteStoreOptions) {
    this.db = new SqliteDb(options.file, {
      pii: options.crypto.pii,
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
      ...(options.maxPageCount === undefined ? {} : { maxPageCount: options.maxPageCount }),
    });
    resealAtRest(this.db, options.crypto);
    this.lookup = new SqliteLookup(this.db);
    this.system = sqliteSystemStore(this.db);
  }

  forMerchant(merchantId: MerchantId): TenantStore {
    return new SqliteTenantStore(this.db, merchantId);
  }

  /** How many SQL statements this store has run (tests and benchmarks count an operation's cost). */
  get statementsExecuted(): number {
    return this.db.executed;
  }

  /** Calls `onStatement` with the SQL of every statement run until it is set to null. */
  traceStatements(onStatement: ((sql: string) => void) | null): void {
    this.db.trace = onStatement;
  }

  async createMerchant(input: NewMerchant, owner: NewUser): Promise<{ merchant: Merchant; owner: User }> {
    const merchant = buildMerchant(newId(), input, nowIso());
    return this.db.tx(() => {
      try {
        this.db.run(
          `INSERT INTO merchants (id, name, currency, default_locale, widget_key, widget, bot, attachments, next_order_number,
             created_at, updated_at)
           VALUES (@id, @name, @currency, @defaultLocale, @widgetKey, @widget, @bot, @attachments, @nextOrderNumber,
             @createdAt, @updatedAt)`,
          {
            id: merchant.id,
            name: merchant.name,
            currency: merchant.currency,
            defaultLocale: merchant.defaultLocale,
            widgetKey: merchant.widget.key,
            widget: toJson(merchant.widget),
            attachments: toJson(merchant.attachments),
            bot: toJson(merchant.bot),
            nextOrderNumber: FIRST_ORDER_NUMBER,
            createdAt: merchant.createdAt,
            updatedAt: merchant.updatedAt,
          },
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError("Widget key is already in use");
        throw error;
      }
      // Inside the same transaction: a taken email leaves no merchant behind.
      return { merchant, owner: insertUser(this.db, merchant.id, owner) };
    });
  }

  async ping(): Promise<void> {
    this.db.get("SELECT 1 AS ok");
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return new SqliteStore(options);
}

