// Orders (numbered per merchant) and the idempotency keys that guard their creation.
import type { PiiVault } from "../../pii.js";
import { hashMatch, sealedContact } from "./pii-columns.js";
import type { CommercePlatform, Order, Page } from "../../contracts/domain.js";
import { ConflictError, InsufficientStockError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { escapeLike, foldSearchText, IDEMPOTENCY_LEASE_MS, orderAmounts, roundMoney } from "../../store/defaults.js";
import type {
  CreateOrderOptions,
  IdempotencyBegin,
  IdempotencyRepo,
  IdempotentResponse,
  MerchantId,
  NewOrder,
  OrderFilter,
  OrderRepo,
  OrderStatusOptions,
  PageRequest,
  SyncedOrderInput,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { insertOutbox } from "./events.js";
import { fromJson, toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";
import { toOrder, type IdempotencyRow, type OrderRow } from "./rows.js";

const KEY_NOT_HELD = "Idempotency key is not held by this request";

function checkItems(input: Pick<NewOrder, "items">): void {
  if (input.items.length === 0) throw new ValidationError("An order needs at least one item");
  for (const item of input.items) {
    if (!Number.isInteger(item.quantity) || item.quantity <= 0)
      throw new ValidationError("Item quantity must be a positive integer");
    if (!Number.isFinite(item.price) || item.price < 0) throw new ValidationError("Item price must be non-negative");
  }
}

/**
 * The order's contact as stored: its phone in E.164, email and phone sealed, with their keyed
 * hashes for the columns that find the order by them.
 */
function storedContact(pii: PiiVault, contact: NonNullable<NewOrder["contact"]>): { contact: string; contactEmailHash: string | null; contactPhoneHash: string | null } {
  const { email, phone, ...rest } = contact;
  const sealed = sealedContact(pii, { email: email ?? null, phone: phone ?? null });
  return {
    contact: toJson({ ...rest, ...(sealed.email ? { email: sealed.email } : {}), ...(sealed.phone ? { phone: sealed.phone } : {}) }),
    contactEmailHash: sealed.emailHash,
    contactPhoneHash: sealed.phoneHash,
  };
}

/** What an order search matches: the number as typed, a name by a folded part, an email or phone whole. */
function orderSearch(pii: PiiVault, q: string | undefined) {
  const text = q?.trim();
  if (!text) return null;
  return {
    number: text.replace(/^#\s*/, ""),
    like: `%${escapeLike(foldSearchText(text))}%`,
    email: hashMatch(pii, "contact_email_hash", "email", text, "oe"),
    phone: hashMatch(pii, "contact_phone_hash", "phone", text, "op"),
    customerEmail: hashMatch(pii, "email_hash", "email", text, "ce"),
    customerPhone: hashMatch(pii, "phone_hash", "phone", text, "cp"),
  };
}

export class SqliteOrderRepo implements OrderRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async create(
    input: NewOrder,
    idempotency?: { key: string; response: (order: Order) => IdempotentResponse },
    options?: CreateOrderOptions,
  ): Promise<Order> {
    checkItems(input);
    return this.db.tx(() => {
      if (idempotency) {
        const held = this.db.get(
          "SELECT 1 AS ok FROM idempotency_keys WHERE merchant_id = @m AND key = @key AND state = 'in_flight'",
          { m: this.m, key: idempotency.key },
        );
        if (!held) throw new ConflictError(KEY_NOT_HELD);
      }
      if (input.reserveStock) this.takeStock(input.items);
      const counter = this.db.get<{ number: number; currency: string }>(
        `UPDATE merchants SET next_order_number = next_order_number + 1 WHERE id = @m
         RETURNING next_order_number - 1 AS number, currency`,
        { m: this.m },
      );
      if (!counter) throw new ValidationError("Unknown merchant");
      const now = nowIso();
      const row = this.db.get<OrderRow>(
        `INSERT INTO orders (id, merchant_id, number, customer_id, conversation_id, items, subtotal, delivery_fee, cod_fee, total, currency, status,
           payment_method, contact, contact_email_hash, contact_phone_hash, shipping_address, created_at, updated_at)
         VALUES (@id, @m, @number, @customerId, @conversationId, @items, @subtotal, @deliveryFee, @codFee, @total, @currency, @status,
           @paymentMethod, @contact, @contactEmailHash, @contactPhoneHash, @shippingAddress, @now, @now)
         RETURNING *`,
        {
          id: newId(),
          m: this.m,
          number: String(counter.number),
          customerId: input.customerId ?? null,
          conversationId: input.conversationId ?? null,
          items: toJson(input.items),
          ...orderAmounts(input.items, input),
          currency: input.currency ?? counter.currency,
          status: input.status ?? "pending",
          paymentMethod: input.paymentMethod ?? null,
          ...storedContact(this.db.pii, input.contact ?? {}),
          shippingAddress: input.shippingAddress ?? null,
          now,
        },
      );
      if (!row) throw new Error("insert returned no row");
      const order = toOrder(row, this.db.pii);
      if (idempotency) {
        this.db.run(
          `UPDATE idempotency_keys SET state = 'completed', response = @response
           WHERE merchant_id = @m AND key = @key`,
          { m: this.m, key: idempotency.key, response: toJson(idempotency.response(order)) },
        );
      }
      if (options?.outbox) insertOutbox(this.db, this.m, options.outbox(order));
      return order;
    });
  }

  /** Runs inside create's transaction, so a shortage anywhere rolls every decrement back. */
  private takeStock(items: NewOrder["items"]): void {
    const wanted = new Map<string, number>();
    for (const item of items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
    const short: Array<{ productId: string; requested: number; available: number }> = [];
    for (const [productId, quantity] of wanted) {
      const taken = this.db.get<{ stock: number }>(
        "UPDATE products SET stock = stock - @q, updated_at = @now WHERE id = @id AND merchant_id = @m AND stock >= @q RETURNING stock",
        { q: quantity, id: productId, m: this.m, now: nowIso() },
      );
      if (!taken) {
        const row = this.db.get<{ stock: number }>("SELECT stock FROM products WHERE id = @id AND merchant_id = @m", { id: productId, m: this.m });
        short.push({ productId, requested: quantity, available: Math.max(0, row?.stock ?? 0) });
      }
    }
    if (short.length > 0) throw new InsufficientStockError(short);
  }

  async get(id: string): Promise<Order | null> {
    const row = this.db.get<OrderRow>("SELECT * FROM orders WHERE id = @id AND merchant_id = @m", { id, m: this.m });
    return row ? toOrder(row, this.db.pii) : null;
  }

  async getByNumber(number: string): Promise<Order | null> {
    return (await this.listByNumber(number))[0] ?? null;
  }

  async listByNumber(number: string): Promise<Order[]> {
    return this.db
      .all<OrderRow>(
        `SELECT * FROM orders WHERE merchant_id = @m AND number = @number
         ORDER BY source IS NOT NULL, created_at DESC, id DESC`,
        { number, m: this.m },
      )
      .map((r) => toOrder(r, this.db.pii));
  }

  async getByExternalId(source: CommercePlatform, externalId: string): Promise<Order | null> {
    const row = this.db.get<OrderRow>("SELECT * FROM orders WHERE merchant_id = @m AND source = @source AND external_id = @externalId", {
      m: this.m,
      source,
      externalId,
    });
    return row ? toOrder(row, this.db.pii) : null;
  }

  async upsertSynced(input: SyncedOrderInput): Promise<{ order: Order; created: boolean }> {
    if (input.items.length > 0) checkItems(input);
    return this.db.tx(() => {
      const now = nowIso();
      const values = {
        m: this.m,
        source: input.source,
        externalId: input.externalId,
        number: input.number,
        items: toJson(input.items),
        subtotal: roundMoney(input.subtotal),
        deliveryFee: roundMoney(input.deliveryFee),
        total: roundMoney(input.total),
        currency: input.currency,
        status: input.status,
        paymentMethod: input.paymentMethod,
        ...storedContact(this.db.pii, input.contact),
        shippingAddress: input.shippingAddress,
        now,
      };
      const updated = this.db.get<OrderRow>(
        `UPDATE orders SET number = @number, items = @items, subtotal = @subtotal, delivery_fee = @deliveryFee, cod_fee = 0,
           total = @total, currency = @currency, status = @status, payment_method = @paymentMethod, contact = @contact,
           contact_email_hash = @contactEmailHash, contact_phone_hash = @contactPhoneHash, shipping_address = @shippingAddress, updated_at = @now
         WHERE merchant_id = @m AND source = @source AND external_id = @externalId RETURNING *`,
        values,
      );
      if (updated) return { order: toOrder(updated, this.db.pii), created: false };
      const created = this.db.get<OrderRow>(
        `INSERT INTO orders (id, merchant_id, source, external_id, number, customer_id, conversation_id, items, subtotal, delivery_fee,
           cod_fee, total, currency, status, payment_method, contact, contact_email_hash, contact_phone_hash, shipping_address, created_at, updated_at)
         VALUES (@id, @m, @source, @externalId, @number, NULL, NULL, @items, @subtotal, @deliveryFee, 0, @total, @currency, @status,
           @paymentMethod, @contact, @contactEmailHash, @contactPhoneHash, @shippingAddress, @createdAt, @now)
         RETURNING *`,
        { ...values, id: newId(), createdAt: input.createdAt ?? now },
      );
      if (!created) throw new Error("insert returned no row");
      return { order: toOrder(created, this.db.pii), created: true };
    });
  }

  async list(filter: OrderFilter = {}, page?: PageRequest): Promise<Page<Order>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const where = ["merchant_id = @m"];
    if (filter.status !== undefined) where.push("status = @status");
    if (filter.customerId !== undefined) where.push("customer_id = @customerId");
    if (filter.conversationId !== undefined) where.push("conversation_id = @conversationId");
    if (filter.channel !== undefined) where.push("conversation_id IN (SELECT id FROM conversations WHERE merchant_id = @m AND channel = @channel)");
    if (filter.createdFrom !== undefined) where.push("created_at >= @createdFrom");
    if (filter.createdBefore !== undefined) where.push("created_at < @createdBefore");
    const search = orderSearch(this.db.pii, filter.q);
    if (search) {
      // Emails and phones are sealed: they find an order whole (by keyed hash), names by a part.
      where.push(`(number = @number
        OR ${search.email.sql}
        OR kaleem_fold(json_extract(contact, '$.name')) LIKE @qLike ESCAPE '\\'
        OR ${search.phone.sql}
        OR customer_id IN (SELECT id FROM customers WHERE merchant_id = @m AND (${search.customerEmail.sql} OR ${search.customerPhone.sql})))`);
    }
    if (cursor) where.push("(created_at, id) < (@afterKey, @afterId)");
    const rows = this.db.all<OrderRow>(
      `SELECT * FROM orders WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT @n`,
      {
        m: this.m,
        status: filter.status,
        customerId: filter.customerId,
        conversationId: filter.conversationId,
        channel: filter.channel,
        createdFrom: filter.createdFrom,
        createdBefore: filter.createdBefore,
        number: search?.number,
        qLike: search?.like,
        ...search?.email.params,
        ...search?.phone.params,
        ...search?.customerEmail.params,
        ...search?.customerPhone.params,
        afterKey: cursor?.k,
        afterId: cursor?.id,
        n: limit + 1,
      },
    );
    return toPage(rows, limit, (r) => toOrder(r, this.db.pii), (r) => r.created_at);
  }

  async updateStatus(id: string, status: Order["status"], options: OrderStatusOptions = {}): Promise<Order | null> {
    return this.db.tx(() => {
      const current = this.db.get<OrderRow>("SELECT * FROM orders WHERE id = @id AND merchant_id = @m", { id, m: this.m });
      if (!current) return null;
      const previous = toOrder(current, this.db.pii);
      if (options.onlyFrom && !options.onlyFrom.includes(previous.status)) {
        throw new ConflictError(`Order ${previous.number} is ${previous.status} now`, { status: previous.status });
      }
      const row = this.db.get<OrderRow>(
        "UPDATE orders SET status = @status, updated_at = @now WHERE id = @id AND merchant_id = @m RETURNING *",
        { id, m: this.m, status, now: nowIso() },
      );
      if (!row) throw new Error("update returned no row");
      const order = toOrder(row, this.db.pii);
      insertOutbox(this.db, this.m, options.outbox?.(order, previous) ?? []);
      return order;
    });
  }

  async listCreatedBetween(from: string, to: string): Promise<Order[]> {
    return this.db
      .all<OrderRow>(
        `SELECT * FROM orders WHERE merchant_id = @m AND created_at >= @from AND created_at < @to
         ORDER BY created_at, id`,
        { m: this.m, from, to },
      )
      .map((r) => toOrder(r, this.db.pii));
  }
}

export class SqliteIdempotencyRepo implements IdempotencyRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async begin(key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyBegin> {
    if (!(ttlSeconds > 0)) throw new ValidationError("ttlSeconds must be positive");
    return this.db.tx((): IdempotencyBegin => {
      const now = Date.now();
      const params = { m: this.m, key };
      let row = this.db.get<IdempotencyRow>("SELECT * FROM idempotency_keys WHERE merchant_id = @m AND key = @key", params);
      if (row && row.expires_at <= now) {
        this.db.run("DELETE FROM idempotency_keys WHERE merchant_id = @m AND key = @key", params);
        row = undefined;
      }
      if (!row) {
        // Expired keys of this merchant go while we hold the write lock anyway.
        this.db.run("DELETE FROM idempotency_keys WHERE merchant_id = @m AND expires_at <= @now", { m: this.m, now });
        this.db.run(
          `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, response, locked_until, expires_at, created_at)
           VALUES (@m, @key, @requestHash, 'in_flight', NULL, @lockedUntil, @expiresAt, @createdAt)`,
          {
            ...params,
            requestHash,
            lockedUntil: now + IDEMPOTENCY_LEASE_MS,
            expiresAt: now + Math.ceil(ttlSeconds * 1000),
            createdAt: new Date(now).toISOString(),
          },
        );
        return { state: "started" };
      }
      if (row.request_hash !== requestHash) return { state: "mismatch" };
      if (row.state === "completed" && row.response !== null)
        return { state: "replay", response: fromJson<IdempotentResponse>(row.response) };
      // A holder that crashed never completes; after its lease the same request may take over.
      if (row.locked_until <= now) {
        this.db.run("UPDATE idempotency_keys SET locked_until = @lockedUntil WHERE merchant_id = @m AND key = @key", {
          ...params,
          lockedUntil: now + IDEMPOTENCY_LEASE_MS,
        });
        return { state: "started" };
      }
      return { state: "in_flight" };
    });
  }

  async complete(key: string, response: IdempotentResponse): Promise<void> {
    const changed = this.db.run(
      `UPDATE idempotency_keys SET state = 'completed', response = @response
       WHERE merchant_id = @m AND key = @key`,
      { m: this.m, key, response: toJson(response) },
    );
    if (changed === 0) throw new ConflictError(KEY_NOT_HELD);
  }

  async release(key: string): Promise<void> {
    this.db.run("DELETE FROM idempotency_keys WHERE merchant_id = @m AND key = @key AND state = 'in_flight'", {
      m: this.m,
      key,
    });
  }
}
