// Customers, conversations and their messages for one tenant. An append is one transaction: the
// conversation document is the seq counter (findOneAndUpdate + $inc), the message and its outbox
// rows are inserted beside it, and a conflicting append is retried by the driver.
import type { JsonText } from "../../contracts/api/envelopes.js";
import type { ConversationSummary } from "../../contracts/socket.js";
import type { Conversation, ConversationChannel, ConversationStatus, Customer, Message, MessageStatus, Page } from "../../contracts/domain.js";
import { NotFoundError } from "../../errors.js";
import { newId } from "../../ids.js";
import { DEFAULT_LIST_AFTER_LIMIT, foldSearchText, previewOf, roleCountsAsUnread, roleUpdatesPreview } from "../../store/defaults.js";
import { contactLookups } from "../../store/sealed-contact.js";
import { clampLimit, readCursor, toPage, toPageJson } from "../../store/paging.js";
import type {
  AppendOptions,
  AppendResult,
  ConversationFilter,
  ConversationPatch,
  ConversationRepo,
  CustomerPatch,
  CustomerRepo,
  MerchantId,
  MessagePatch,
  MessageRepo,
  NewConversation,
  NewCustomer,
  NewMessage,
  PageRequest,
  WriteOptions,
} from "../../ports/store.js";
import { withId } from "./accounts.js";
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { insertOutbox } from "./events.js";
import {
  afterId,
  CONVERSATION_LIST_SORT,
  conversationListFilter,
  conversationPatchSet,
  conversationSearch,
  CREATED_SORT,
  createdBetween,
  customerSearchFilter,
  notClosed,
  op,
  scoped,
  type Filter,
} from "./filters.js";
import {
  customerContactFields,
  customerFields,
  nameFolded,
  openKeyOf,
  toConversation,
  toCustomer,
  toJson,
  fromJson,
  toMessage,
  type ConversationDoc,
  type CustomerDoc,
  type MessageDoc,
} from "./mapping.js";

const nowIso = (): string => new Date().toISOString();
/** Upper bound for the message list calls that take a plain limit. */
const MAX_MESSAGE_BATCH = 1000;
/** Customers a conversation search may reach by name/email/phone (the SQLite adapter's subquery, bounded). */
export const MAX_SEARCH_CUSTOMERS = 5000;

export class MongoCustomerRepo implements CustomerRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get customers() {
    return this.db.coll<CustomerDoc>("customers");
  }

  private get pii() {
    return this.db.pii;
  }

  /** A new customer's document from plain values: email and phone sealed, with their hashes. */
  private build(input: { name: string | null; email: string | null; phone: string | null; channel: ConversationChannel; externalId: string | null }): CustomerDoc {
    const now = nowIso();
    return { _id: newId(), merchantId: this.m, ...customerFields(this.pii, input), createdAt: now, updatedAt: now };
  }

  async create(input: NewCustomer): Promise<Customer> {
    const doc = this.build({
      name: input.name ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      channel: input.channel,
      externalId: input.externalId ?? null,
    });
    await this.customers.insert(doc);
    return toCustomer(doc, this.pii);
  }

  async findOrCreateByExternalId(
    channel: ConversationChannel,
    externalId: string,
    init: Omit<NewCustomer, "channel" | "externalId">,
  ): Promise<{ customer: Customer; created: boolean }> {
    const filter = scoped(this.m, { channel, externalId });
    const existing = await this.customers.findOne(filter, { sort: { _id: 1 } });
    if (existing) return { customer: await this.fillEmpty(existing, init), created: false };
    const doc = this.build({ name: init.name ?? null, email: init.email ?? null, phone: init.phone ?? null, channel, externalId });
    try {
      await this.customers.insert(doc);
      return { customer: toCustomer(doc, this.pii), created: true };
    } catch (error) {
      // The unique (merchantId, channel, identityKey) index: another message of the same person won.
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.customers.findOne(filter, { sort: { _id: 1 } });
      if (!winner) throw error;
      return { customer: await this.fillEmpty(winner, init), created: false };
    }
  }

  /** What the channel tells us fills what we do not know yet; it never overwrites an agent's edit. */
  private async fillEmpty(doc: CustomerDoc, init: Omit<NewCustomer, "channel" | "externalId">): Promise<Customer> {
    let current = doc;
    const sealed = customerContactFields(this.pii, init);
    for (const field of ["name", "phone", "email"] as const) {
      const value = init[field] ?? null;
      if (value === null || (current[field] ?? null) !== null) continue;
      // The field with what derives from it: the name's search copy, a detail's keyed hash.
      const set: Partial<CustomerDoc> =
        field === "name"
          ? { name: value, nameFolded: nameFolded(value) }
          : field === "email"
            ? { email: sealed.email, emailHash: sealed.emailHash }
            : { phone: sealed.phone, phoneHash: sealed.phoneHash };
      // A blank detail seals to nothing: nothing to fill.
      if ((set[field] ?? null) === null) continue;
      // Conditional on the field still being empty, so a concurrent edit is never overwritten.
      const filled = await this.customers.findOneAndUpdate(scoped(this.m, { _id: doc._id, [field]: null }), { $set: { ...set, updatedAt: nowIso() } });
      if (filled) current = filled;
    }
    return toCustomer(current, this.pii);
  }

  async get(id: string): Promise<Customer | null> {
    const doc = await this.customers.findOne(scoped(this.m, { _id: id }));
    return doc ? toCustomer(doc, this.pii) : null;
  }

  async findByExternalId(channel: ConversationChannel, externalId: string): Promise<Customer | null> {
    const doc = await this.customers.findOne(scoped(this.m, { channel, externalId }), { sort: { _id: -1 } });
    return doc ? toCustomer(doc, this.pii) : null;
  }

  async findByContact(contact: { email?: string; phone?: string }): Promise<Customer | null> {
    // Email identifies a person more reliably than a phone number typed in several formats.
    // By keyed hash (every key's while one rotates): the details themselves are sealed.
    if (contact.email?.trim()) {
      const doc = await this.customers.findOne(scoped(this.m, { emailHash: op({ $in: contactLookups(this.pii, "email", contact.email) }) }), { sort: { _id: -1 } });
      if (doc) return toCustomer(doc, this.pii);
    }
    if (contact.phone?.trim()) {
      const doc = await this.customers.findOne(scoped(this.m, { phoneHash: op({ $in: contactLookups(this.pii, "phone", contact.phone) }) }), { sort: { _id: -1 } });
      if (doc) return toCustomer(doc, this.pii);
    }
    return null;
  }

  async update(id: string, patch: CustomerPatch): Promise<Customer | null> {
    return this.db.tx(async () => {
      const doc = await this.customers.findOne(scoped(this.m, { _id: id }));
      if (!doc) return null;
      const current = toCustomer(doc, this.pii);
      const pick = <K extends "name" | "email" | "phone" | "externalId">(key: K, value: string | null) => (patch[key] !== undefined ? (patch[key] ?? null) : value);
      const next = {
        name: pick("name", current.name),
        email: pick("email", current.email),
        phone: pick("phone", current.phone),
        externalId: pick("externalId", current.externalId),
      };
      // The channel is not patched: customerFields writes it as it is.
      const updated = await this.customers.findOneAndUpdate(scoped(this.m, { _id: id }), { $set: { ...customerFields(this.pii, { ...next, channel: doc.channel }), updatedAt: nowIso() } });
      return updated ? toCustomer(updated, this.pii) : null;
    });
  }

  async list(page?: PageRequest): Promise<Page<Customer>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const docs = await this.customers.find(scoped(this.m, afterId(cursor, -1)), { sort: { _id: -1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, (d) => toCustomer(d, this.pii), () => null);
  }
}

const OPEN_SORT = { createdAt: -1, _id: -1 } as const;

export class MongoConversationRepo implements ConversationRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get conversations() {
    return this.db.coll<ConversationDoc>("conversations");
  }

  private build(input: NewConversation): ConversationDoc {
    const now = nowIso();
    const base = {
      channel: input.channel,
      visitorId: input.visitorId ?? null,
      customerId: input.customerId ?? null,
      status: input.status ?? "bot",
    } as const;
    return {
      _id: newId(),
      merchantId: this.m,
      ...base,
      channelId: input.channelId ?? null,
      openKey: openKeyOf(base),
      assigneeId: null,
      locale: input.locale ?? null,
      labels: [],
      lastSeq: 0,
      lastMessageAt: null,
      lastMessagePreview: null,
      previewFolded: null,
      previewSeq: null,
      activityAt: now,
      unreadCount: 0,
      shopperReadSeq: 0,
      botStateJson: "{}",
      pageUrl: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Inserts a conversation. When another one already holds its openKey (a plain create next to an
   * open conversation, as the SQLite adapter allows), it is stored without the key: it is open,
   * but not the one find-or-create returns.
   */
  private async insert(doc: ConversationDoc): Promise<ConversationDoc> {
    try {
      return await this.conversations.insert(doc);
    } catch (error) {
      if (!isDuplicateKey(error) || doc.openKey === null) throw error;
      return this.conversations.insert({ ...doc, openKey: null });
    }
  }

  /**
   * Writes a `$set` that may carry an openKey. Inside a transaction a refused write aborts the
   * whole transaction, so instead of trying and falling back, the key is dropped up front when
   * another open conversation holds it (a reopened conversation next to a newer open one).
   */
  private async writeSet(id: string, filter: Filter, set: Partial<ConversationDoc>): Promise<ConversationDoc | null> {
    if (set.openKey) {
      const holder = await this.conversations.findOne(scoped(this.m, { openKey: set.openKey, _id: op({ $ne: id }) }));
      if (holder) set = { ...set, openKey: null };
    }
    return this.conversations.findOneAndUpdate(filter, { $set: set });
  }

  /** Runs a conversation write again when a concurrent one took the openKey it was about to set. */
  private async retryOnOpenKey<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return fn();
    }
  }

  async create(input: NewConversation): Promise<Conversation> {
    return toConversation(await this.insert(this.build(input)));
  }

  /**
   * The one open conversation for `openKey`, or a new one: a transaction reads and inserts, and the
   * unique partial index on openKey turns a concurrent insert into a conflict; the loser re-reads.
   */
  private async findOrCreateOpen(find: () => Promise<ConversationDoc | null>, input: NewConversation): Promise<{ conversation: Conversation; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.db.tx(async () => {
          const existing = await find();
          if (existing) return { conversation: toConversation(existing), created: false };
          // No fallback without the key here: a duplicate means someone else just created it.
          return { conversation: toConversation(await this.conversations.insert(this.build(input))), created: true };
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    const existing = await find();
    if (!existing) throw new Error("open conversation neither found nor created");
    return { conversation: toConversation(existing), created: false };
  }

  async findOrCreateOpenByVisitor(visitorId: string, input: Omit<NewConversation, "visitorId">): Promise<{ conversation: Conversation; created: boolean }> {
    return this.findOrCreateOpen(() => this.openByVisitor(visitorId), { ...input, visitorId });
  }

  async findOrCreateOpenByCustomer(customerId: string, input: Omit<NewConversation, "customerId" | "visitorId">): Promise<{ conversation: Conversation; created: boolean }> {
    return this.findOrCreateOpen(() => this.openByCustomer(customerId, input.channel), { ...input, customerId });
  }

  private openByVisitor(visitorId: string): Promise<ConversationDoc | null> {
    return this.conversations.findOne(scoped(this.m, { visitorId, status: notClosed() }), { sort: OPEN_SORT });
  }

  private openByCustomer(customerId: string, channel: ConversationChannel): Promise<ConversationDoc | null> {
    return this.conversations.findOne(scoped(this.m, { customerId, channel, status: notClosed() }), { sort: OPEN_SORT });
  }

  async get(id: string): Promise<Conversation | null> {
    const doc = await this.conversations.findOne(scoped(this.m, { _id: id }));
    return doc ? toConversation(doc) : null;
  }

  async findOpenByVisitor(visitorId: string): Promise<Conversation | null> {
    const doc = await this.openByVisitor(visitorId);
    return doc ? toConversation(doc) : null;
  }

  async findOpenByCustomer(customerId: string, channel: ConversationChannel): Promise<Conversation | null> {
    const doc = await this.openByCustomer(customerId, channel);
    return doc ? toConversation(doc) : null;
  }

  /** One page of the inbox list (limit + 1 documents, so the caller knows whether more follow). */
  private async listPage(filter: ConversationFilter, page: PageRequest | undefined) {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const search = conversationSearch(this.db.pii, filter.q);
    const customerIds = search ? await this.db.coll<CustomerDoc>("customers").ids(customerSearchFilter(this.m, search), MAX_SEARCH_CUSTOMERS) : [];
    const docs = await this.conversations.find(
      conversationListFilter(this.m, filter, cursor, search ? { folded: search.folded, idPrefix: search.idPrefix, customerIds } : null),
      { sort: CONVERSATION_LIST_SORT, limit: limit + 1 },
    );
    return { docs, limit };
  }

  async list(filter: ConversationFilter = {}, page?: PageRequest): Promise<Page<Conversation>> {
    const { docs, limit } = await this.listPage(filter, page);
    return toPage(docs.map(withId), limit, toConversation, (d) => d.activityAt);
  }

  async listSummariesJson(filter: ConversationFilter = {}, page?: PageRequest): Promise<JsonText<Page<ConversationSummary>>> {
    const { docs, limit } = await this.listPage(filter, page);
    // The page's customers' names in one query, and only their names: the sealed email and phone
    // are neither read nor opened.
    const ids = [...new Set(docs.slice(0, limit).flatMap((d) => (d.customerId ? [d.customerId] : [])))];
    const named = ids.length === 0 ? [] : await this.db.coll<CustomerDoc>("customers").find(scoped(this.m, { _id: op({ $in: ids }) }), { fields: ["name"] });
    const names = new Map(named.map((c) => [c._id, c.name ?? null]));
    const summary = (d: ConversationDoc): ConversationSummary => ({ ...toConversation(d), customerName: d.customerId ? (names.get(d.customerId) ?? null) : null });
    return toPageJson(docs.map(withId), limit, (d) => JSON.stringify(summary(d)), (d) => d.activityAt);
  }

  async update(id: string, patch: ConversationPatch): Promise<Conversation | null> {
    return this.retryOnOpenKey(() =>
      this.db.tx(async () => {
        const doc = await this.conversations.findOne(scoped(this.m, { _id: id }));
        if (!doc) return null;
        const updated = await this.writeSet(id, scoped(this.m, { _id: id }), conversationPatchSet(doc, patch, nowIso()));
        return updated ? toConversation(updated) : null;
      }),
    );
  }

  async transition(id: string, from: ConversationStatus[], patch: ConversationPatch): Promise<Conversation | null> {
    return this.retryOnOpenKey(() =>
      this.db.tx(async () => {
        const doc = await this.conversations.findOne(scoped(this.m, { _id: id }));
        if (!doc || !from.includes(doc.status)) return null;
        // The status is part of the filter: a concurrent transition that got there first makes this
        // one match nothing (and inside the transaction, conflict and retry against the new status).
        const updated = await this.writeSet(id, scoped(this.m, { _id: id, status: doc.status }), conversationPatchSet(doc, patch, nowIso()));
        return updated ? toConversation(updated) : null;
      }),
    );
  }

  async getBotState(id: string): Promise<Record<string, unknown>> {
    const doc = await this.conversations.findOne(scoped(this.m, { _id: id }));
    if (!doc) throw new NotFoundError("Conversation");
    return fromJson<Record<string, unknown>>(doc.botStateJson, {});
  }

  async setBotState(id: string, state: Record<string, unknown>): Promise<void> {
    const { matched } = await this.conversations.updateOne(scoped(this.m, { _id: id }), { $set: { botStateJson: toJson(state) } });
    if (matched === 0) throw new NotFoundError("Conversation");
  }

  async listCreatedBetween(from: string, to: string): Promise<Conversation[]> {
    return (await this.conversations.find(createdBetween(this.m, from, to), { sort: CREATED_SORT })).map(toConversation);
  }
}

export class MongoMessageRepo implements MessageRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get messages() {
    return this.db.coll<MessageDoc>("messages");
  }

  private byClientId(conversationId: string, clientMessageId: string): Promise<MessageDoc | null> {
    return this.messages.findOne(scoped(this.m, { conversationId, clientMessageId }));
  }

  async append(conversationId: string, input: NewMessage, options: AppendOptions = {}): Promise<AppendResult> {
    const clientMessageId = input.clientMessageId ?? null;
    try {
      return await this.db.tx(async (): Promise<AppendResult> => {
        if (clientMessageId !== null) {
          const existing = await this.byClientId(conversationId, clientMessageId);
          if (existing) return { message: toMessage(existing), duplicate: true };
        }
        const now = nowIso();
        const visible = roleUpdatesPreview(input.role);
        const preview = previewOf(input.text);
        // The conversation is the counter: $inc inside the transaction, so two appends either
        // serialize or conflict (and the driver retries one) — seqs are gap-free and unique.
        const bumped = await this.db.coll<ConversationDoc>("conversations").findOneAndUpdate(scoped(this.m, { _id: conversationId }), {
          $inc: { lastSeq: 1, unreadCount: roleCountsAsUnread(input.role) ? 1 : 0 },
          $set: {
            updatedAt: now,
            ...(visible ? { lastMessageAt: now, lastMessagePreview: preview, previewFolded: foldSearchText(preview), activityAt: now } : {}),
          },
        });
        if (!bumped) throw new NotFoundError("Conversation");
        if (visible) {
          await this.db.coll<ConversationDoc>("conversations").updateOne(scoped(this.m, { _id: conversationId }), { $set: { previewSeq: bumped.lastSeq } });
        }
        const doc: MessageDoc = {
          _id: newId(),
          merchantId: this.m,
          conversationId,
          seq: bumped.lastSeq,
          role: input.role,
          text: input.text,
          parts: input.parts ?? [],
          status: input.status ?? "complete",
          authorId: input.authorId ?? null,
          authorName: input.authorName ?? null,
          clientMessageId,
          intent: input.intent ?? null,
          channelDelivery: input.channelDelivery ?? null,
          createdAt: now,
        };
        await this.messages.insert(doc);
        const message = toMessage(doc);
        await insertOutbox(this.db, this.m, options.outbox?.(message) ?? []);
        return { message, duplicate: false };
      });
    } catch (error) {
      // Two appends with one clientMessageId: the unique index let one in; the other is the duplicate.
      if (clientMessageId !== null && isDuplicateKey(error)) {
        const existing = await this.byClientId(conversationId, clientMessageId);
        if (existing) return { message: toMessage(existing), duplicate: true };
      }
      throw error;
    }
  }

  async linkProviderMessage(messageId: string, providerMessageId: string): Promise<void> {
    try {
      await this.db.coll("providerMessages").insert({ _id: newId(), merchantId: this.m, providerMessageId, messageId, createdAt: nowIso() } as { _id: string });
    } catch (error) {
      // Linked already (a retried job): the first link stands, as SQLite's ON CONFLICT DO NOTHING.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async findByProviderMessageId(providerMessageId: string): Promise<Message | null> {
    const link = await this.db.coll<{ _id: string; messageId: string }>("providerMessages").findOne(scoped(this.m, { providerMessageId }));
    if (!link) return null;
    const doc = await this.messages.findOne(scoped(this.m, { _id: link.messageId }));
    return doc ? toMessage(doc) : null;
  }

  async get(id: string): Promise<Message | null> {
    const doc = await this.messages.findOne(scoped(this.m, { _id: id }));
    return doc ? toMessage(doc) : null;
  }

  async getByClientMessageId(conversationId: string, clientMessageId: string): Promise<Message | null> {
    const doc = await this.byClientId(conversationId, clientMessageId);
    return doc ? toMessage(doc) : null;
  }

  async update(id: string, patch: MessagePatch, options: WriteOptions & { ifStatus?: MessageStatus } = {}): Promise<Message | null> {
    return this.db.tx(async () => {
      const doc = await this.messages.findOne(scoped(this.m, { _id: id }));
      if (!doc) return null;
      if (options.ifStatus !== undefined && doc.status !== options.ifStatus) return toMessage(doc);
      const set: Partial<MessageDoc> = {
        text: patch.text ?? doc.text,
        parts: patch.parts ?? doc.parts,
        status: patch.status ?? doc.status,
        intent: patch.intent !== undefined ? patch.intent : (doc.intent ?? null),
        channelDelivery: patch.channelDelivery !== undefined ? patch.channelDelivery : (doc.channelDelivery ?? null),
      };
      // The status read above is part of the filter: a concurrent change makes this a conflict.
      const updated = await this.messages.findOneAndUpdate(scoped(this.m, { _id: id, status: doc.status }), { $set: set });
      if (!updated) throw new Error("message changed inside its transaction");
      await insertOutbox(this.db, this.m, options.outbox ?? []);
      // A streamed answer starts empty; its final text must reach the preview it created.
      if (patch.text !== undefined) {
        const preview = previewOf(patch.text);
        await this.db
          .coll<ConversationDoc>("conversations")
          .updateOne(scoped(this.m, { _id: doc.conversationId, previewSeq: doc.seq }), { $set: { lastMessagePreview: preview, previewFolded: foldSearchText(preview) } });
      }
      return toMessage(updated);
    });
  }

  async listAfter(conversationId: string, afterSeq: number, limit = DEFAULT_LIST_AFTER_LIMIT): Promise<Message[]> {
    const docs = await this.messages.find(scoped(this.m, { conversationId, seq: op({ $gt: afterSeq }) }), {
      sort: { seq: 1 },
      limit: clampLimit(limit, DEFAULT_LIST_AFTER_LIMIT, MAX_MESSAGE_BATCH),
    });
    return docs.map(toMessage);
  }

  async listLatest(conversationId: string, limit: number): Promise<Message[]> {
    const docs = await this.messages.find(scoped(this.m, { conversationId }), {
      sort: { seq: -1 },
      limit: clampLimit(limit, DEFAULT_LIST_AFTER_LIMIT, MAX_MESSAGE_BATCH),
    });
    return docs.reverse().map(toMessage);
  }

  async list(conversationId: string, page?: PageRequest): Promise<Page<Message>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "number");
    const afterSeq = typeof cursor?.k === "number" ? cursor.k : 0;
    const docs = await this.messages.find(scoped(this.m, { conversationId, seq: op({ $gt: afterSeq }) }), { sort: { seq: 1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toMessage, (d) => d.seq);
  }

  async listStreaming(): Promise<Message[]> {
    return (await this.messages.find(scoped(this.m, { status: "streaming" }), { sort: { _id: 1 } })).map(toMessage);
  }

  async listCreatedBetween(from: string, to: string): Promise<Message[]> {
    return (await this.messages.find(createdBetween(this.m, from, to), { sort: CREATED_SORT })).map(toMessage);
  }
}
