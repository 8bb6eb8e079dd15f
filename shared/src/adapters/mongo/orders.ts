// Orders (numbered per merchant) and the idempotency keys that guard their creation. An order,
// the stock it takes, its idempotency key and its outbox rows are one transaction.
import type { CommercePlatform, ConversationChannel, Order, Page } from "../../contracts/domain.js";
import { ConflictError, InsufficientStockError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { IDEMPOTENCY_LEASE_MS, orderAmounts, roundMoney } from "../../store/defaults.js";
import { clampLimit, readCursor, toPage } from "../../store/paging.js";
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
import { withId } from "./accounts.js";
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { insertOutbox } from "./events.js";
import { CREATED_SORT, createdBetween, op, ORDER_LIST_SORT, orderCustomerSearchFilter, orderListFilter, orderSearch, scoped } from "./filters.js";
import { MAX_SEARCH_CUSTOMERS } from "./conversations.js";
import {
  fromJson,
  orderContactFields,
  toJson,
  toOrder,
  type ConversationDoc,
  type CustomerDoc,
  type IdempotencyDoc,
  type MerchantDoc,
  type OrderDoc,
  type ProductDoc,
} from "./mapping.js";

const KEY_NOT_HELD = "Idempotency key is not held by this request";
const nowIso = (): string => new Date().toISOString();

function checkItems(input: Pick<NewOrder, "items">): void {
  if (input.items.length === 0) throw new ValidationError("An order needs at least one item");
  for (const item of input.items) {
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) throw new ValidationError("Item quantity must be a positive integer");
    if (!Number.isFinite(item.price) || item.price < 0) throw new ValidationError("Item price must be non-negative");
  }
}

export class MongoOrderRepo implements OrderRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get orders() {
    return this.db.coll<OrderDoc>("orders");
  }
  private get keys() {
    return this.db.coll<IdempotencyDoc>("idempotencyKeys");
  }

  async create(input: NewOrder, idempotency?: { key: string; response: (order: Order) => IdempotentResponse }, options?: CreateOrderOptions): Promise<Order> {
    checkItems(input);
    return this.db.tx(async () => {
      if (idempotency) {
        const held = await this.keys.findOne(scoped(this.m, { key: idempotency.key, state: "in_flight" }));
        if (!held) throw new ConflictError(KEY_NOT_HELD);
      }
      if (input.reserveStock) await this.takeStock(input.items);
      // The merchant document is the order-number counter ($inc inside the transaction).
      const merchant = await this.db.coll<MerchantDoc>("merchants").findOneAndUpdate({ _id: this.m }, { $inc: { nextOrderNumber: 1 } });
      if (!merchant) throw new ValidationError("Unknown merchant");
      let conversationChannel: ConversationChannel | null = null;
      if (input.conversationId) {
        const conversation = await this.db.coll<ConversationDoc>("conversations").findOne(scoped(this.m, { _id: input.conversationId }));
        conversationChannel = conversation?.channel ?? null;
      }
      const now = nowIso();
      const doc: OrderDoc = {
        _id: newId(),
        merchantId: this.m,
        source: null,
        externalId: null,
        number: String(merchant.nextOrderNumber - 1),
        customerId: input.customerId ?? null,
        conversationId: input.conversationId ?? null,
        conversationChannel,
        items: input.items,
        ...orderAmounts(input.items, input),
        currency: input.currency ?? merchant.currency,
        status: input.status ?? "pending",
        paymentMethod: input.paymentMethod ?? null,
        ...orderContactFields(this.db.pii, input.contact ?? {}),
        shippingAddress: input.shippingAddress ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await this.orders.insert(doc);
      const order = toOrder(doc, this.db.pii);
      if (idempotency) {
        await this.keys.updateOne(scoped(this.m, { key: idempotency.key }), { $set: { state: "completed", responseJson: toJson(idempotency.response(order)) } });
      }
      if (options?.outbox) await insertOutbox(this.db, this.m, options.outbox(order));
      return order;
    });
  }

  /** Runs inside create's transaction, so a shortage anywhere rolls every decrement back. */
  private async takeStock(items: NewOrder["items"]): Promise<void> {
    const wanted = new Map<string, number>();
    for (const item of items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
    const short: Array<{ productId: string; requested: number; available: number }> = [];
    const products = this.db.coll<ProductDoc>("products");
    for (const [productId, quantity] of wanted) {
      const { modified } = await products.updateOne(scoped(this.m, { _id: productId, stock: op({ $gte: quantity }) }), {
        $inc: { stock: -quantity },
        $set: { updatedAt: nowIso() },
      });
      if (modified === 0) {
        const doc = await products.findOne(scoped(this.m, { _id: productId }));
        short.push({ productId, requested: quantity, available: Math.max(0, doc?.stock ?? 0) });
      }
    }
    if (short.length > 0) throw new InsufficientStockError(short);
  }

  async get(id: string): Promise<Order | null> {
    const doc = await this.orders.findOne(scoped(this.m, { _id: id }));
    return doc ? toOrder(doc, this.db.pii) : null;
  }

  async getByNumber(number: string): Promise<Order | null> {
    return (await this.listByNumber(number))[0] ?? null;
  }

  async listByNumber(number: string): Promise<Order[]> {
    const docs = await this.orders.find(scoped(this.m, { number }));
    // Kaleem's own first, then newest (SQLite: ORDER BY source IS NOT NULL, created_at DESC, id DESC).
    const rank = (d: OrderDoc) => (d.source === null || d.source === undefined ? 0 : 1);
    docs.sort((a, b) => rank(a) - rank(b) || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0) || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0));
    return docs.map((d) => toOrder(d, this.db.pii));
  }

  async getByExternalId(source: CommercePlatform, externalId: string): Promise<Order | null> {
    const doc = await this.orders.findOne(scoped(this.m, { source, externalId }));
    return doc ? toOrder(doc, this.db.pii) : null;
  }

  async upsertSynced(input: SyncedOrderInput): Promise<{ order: Order; created: boolean }> {
    if (input.items.length > 0) checkItems(input);
    const attempt = () =>
      this.db.tx(async () => {
        const now = nowIso();
        const values = {
          number: input.number,
          items: input.items,
          subtotal: roundMoney(input.subtotal),
          deliveryFee: roundMoney(input.deliveryFee),
          codFee: 0,
          total: roundMoney(input.total),
          currency: input.currency,
          status: input.status,
          paymentMethod: input.paymentMethod,
          ...orderContactFields(this.db.pii, input.contact),
          shippingAddress: input.shippingAddress,
          updatedAt: now,
        };
        const updated = await this.orders.findOneAndUpdate(scoped(this.m, { source: input.source, externalId: input.externalId }), { $set: values });
        if (updated) return { order: toOrder(updated, this.db.pii), created: false };
        const doc: OrderDoc = {
          _id: newId(),
          merchantId: this.m,
          source: input.source,
          externalId: input.externalId,
          customerId: null,
          conversationId: null,
          conversationChannel: null,
          ...values,
          createdAt: input.createdAt ?? now,
        };
        await this.orders.insert(doc);
        return { order: toOrder(doc, this.db.pii), created: true };
      });
    try {
      return await attempt();
    } catch (error) {
      // A concurrent sync inserted it first: the second try updates it. (A taken number is a real conflict.)
      if (!isDuplicateKey(error)) throw error;
      if (!(await this.getByExternalId(input.source, input.externalId))) throw new ConflictError(`Order number ${input.number} is already used by another ${input.source} order`);
      return attempt();
    }
  }

  async list(filter: OrderFilter = {}, page?: PageRequest): Promise<Page<Order>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const search = orderSearch(this.db.pii, filter.q);
    const customerIds = search ? await this.db.coll<CustomerDoc>("customers").ids(orderCustomerSearchFilter(this.m, search), MAX_SEARCH_CUSTOMERS) : [];
    const docs = await this.orders.find(orderListFilter(this.m, filter, cursor, search ? { ...search, customerIds } : null), {
      sort: ORDER_LIST_SORT,
      limit: limit + 1,
    });
    return toPage(docs.map(withId), limit, (d) => toOrder(d, this.db.pii), (d) => d.createdAt);
  }

  async updateStatus(id: string, status: Order["status"], options: OrderStatusOptions = {}): Promise<Order | null> {
    return this.db.tx(async () => {
      const current = await this.orders.findOne(scoped(this.m, { _id: id }));
      if (!current) return null;
      const previous = toOrder(current, this.db.pii);
      if (options.onlyFrom && !options.onlyFrom.includes(previous.status)) {
        throw new ConflictError(`Order ${previous.number} is ${previous.status} now`, { status: previous.status });
      }
      // The status read is part of the filter: a concurrent move conflicts instead of being overwritten.
      const updated = await this.orders.findOneAndUpdate(scoped(this.m, { _id: id, status: previous.status }), { $set: { status, updatedAt: nowIso() } });
      if (!updated) throw new ConflictError(`Order ${previous.number} changed meanwhile`);
      const order = toOrder(updated, this.db.pii);
      await insertOutbox(this.db, this.m, options.outbox?.(order, previous) ?? []);
      return order;
    });
  }

  async listCreatedBetween(from: string, to: string): Promise<Order[]> {
    return (await this.orders.find(createdBetween(this.m, from, to), { sort: CREATED_SORT })).map((d) => toOrder(d, this.db.pii));
  }
}

export class MongoIdempotencyRepo implements IdempotencyRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get keys() {
    return this.db.coll<IdempotencyDoc>("idempotencyKeys");
  }

  async begin(key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyBegin> {
    if (!(ttlSeconds > 0)) throw new ValidationError("ttlSeconds must be positive");
    // Two begins racing for a new key: the unique index lets one insert; the other reads it (in flight).
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.tx(() => this.beginOnce(key, requestHash, ttlSeconds));
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 2) throw error;
      }
    }
  }

  private async beginOnce(key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyBegin> {
    const now = Date.now();
    const filter = scoped(this.m, { key });
    let doc = await this.keys.findOne(filter);
    // The TTL monitor runs about once a minute: an expired key still present counts as gone.
    if (doc && doc.expiresAt <= now) {
      await this.keys.deleteOne(filter);
      doc = null;
    }
    if (!doc) {
      const expiresAt = now + Math.ceil(ttlSeconds * 1000);
      await this.keys.insert({
        _id: newId(),
        merchantId: this.m,
        key,
        requestHash,
        state: "in_flight",
        responseJson: null,
        lockedUntil: now + IDEMPOTENCY_LEASE_MS,
        expiresAt,
        purgeAt: new Date(expiresAt),
        createdAt: new Date(now).toISOString(),
      });
      return { state: "started" };
    }
    if (doc.requestHash !== requestHash) return { state: "mismatch" };
    if (doc.state === "completed" && doc.responseJson !== null) return { state: "replay", response: fromJson<IdempotentResponse>(doc.responseJson, { status: 500, body: null }) };
    // A holder that crashed never completes; after its lease the same request may take over.
    if (doc.lockedUntil <= now) {
      const { modified } = await this.keys.updateOne(scoped(this.m, { key, lockedUntil: doc.lockedUntil }), { $set: { lockedUntil: now + IDEMPOTENCY_LEASE_MS } });
      return modified === 1 ? { state: "started" } : { state: "in_flight" };
    }
    return { state: "in_flight" };
  }

  async complete(key: string, response: IdempotentResponse): Promise<void> {
    const { matched } = await this.keys.updateOne(scoped(this.m, { key }), { $set: { state: "completed", responseJson: toJson(response) } });
    if (matched === 0) throw new ConflictError(KEY_NOT_HELD);
  }

  async release(key: string): Promise<void> {
    await this.keys.deleteOne(scoped(this.m, { key, state: "in_flight" }));
  }
}
