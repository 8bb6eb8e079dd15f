// Customers, conversations and their messages for one tenant. Message appends are the hot path
// of the realtime hub: one IMMEDIATE transaction bumps the conversation's seq and inserts.
import type { JsonText } from "../../contracts/api/envelopes.js";
import type { ConversationSummary } from "../../contracts/socket.js";
import type { Conversation, ConversationChannel, ConversationStatus, Customer, Message, MessageStatus, Page } from "../../contracts/domain.js";
import { hashMatch, sealedContact } from "./pii-columns.js";
import { NotFoundError } from "../../errors.js";
import { newId } from "../../ids.js";
import {
  DEFAULT_LIST_AFTER_LIMIT,
  escapeLike,
  foldSearchText,
  previewOf,
  roleCountsAsUnread,
  roleUpdatesPreview,
} from "../../store/defaults.js";
import type {
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
  AppendOptions,
  WriteOptions,
} from "../../ports/store.js";
import { insertOutbox } from "./events.js";
import { nowIso } from "./clock.js";
import { fromJson, toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage, toPageJson } from "./paging.js";
import {
  CONVERSATION_SUMMARY_JSON,
  toConversation,
  toCustomer,
  toMessage,
  type ConversationRow,
  type CustomerRow,
  type MessageRow,
} from "./rows.js";

/** Upper bound for the message list calls that take a plain limit. */
const MAX_MESSAGE_BATCH = 1000;

export class SqliteCustomerRepo implements CustomerRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async create(input: NewCustomer): Promise<Customer> {
    const now = nowIso();
    const row = this.db.get<CustomerRow>(
      `INSERT INTO customers (id, merchant_id, name, email, email_hash, phone, phone_hash, channel, external_id, created_at, updated_at)
       VALUES (@id, @m, @name, @email, @emailHash, @phone, @phoneHash, @channel, @externalId, @now, @now) RETURNING *`,
      {
        id: newId(),
        m: this.m,
        name: input.name ?? null,
        ...sealedContact(this.db.pii, input),
        channel: input.channel,
        externalId: input.externalId ?? null,
        now,
      },
    );
    if (!row) throw new Error("insert returned no row");
    return toCustomer(row, this.db.pii);
  }

  async findOrCreateByExternalId(
    channel: ConversationChannel,
    externalId: string,
    init: Omit<NewCustomer, "channel" | "externalId">,
  ): Promise<{ customer: Customer; created: boolean }> {
    // One immediate transaction (and a unique index): two quick messages never make two customers.
    return this.db.tx(() => {
      const existing = this.db.get<CustomerRow>(
        "SELECT * FROM customers WHERE merchant_id = @m AND channel = @channel AND external_id = @externalId ORDER BY id LIMIT 1",
        { m: this.m, channel, externalId },
      );
      if (existing) {
        // What the channel tells us fills what we do not know yet; it never overwrites an agent's edit.
        const filled = this.db.get<CustomerRow>(
          `UPDATE customers SET name = COALESCE(name, @name), phone = COALESCE(phone, @phone), email = COALESCE(email, @email),
             phone_hash = CASE WHEN phone IS NULL THEN @phoneHash ELSE phone_hash END,
             email_hash = CASE WHEN email IS NULL THEN @emailHash ELSE email_hash END,
             updated_at = CASE WHEN (name IS NULL AND @name IS NOT NULL) OR (phone IS NULL AND @phone IS NOT NULL)
               OR (email IS NULL AND @email IS NOT NULL) THEN @now ELSE updated_at END
           WHERE id = @id AND merchant_id = @m RETURNING *`,
          { id: existing.id, m: this.m, name: init.name ?? null, ...sealedContact(this.db.pii, init), now: nowIso() },
        );
        return { customer: toCustomer(filled ?? existing, this.db.pii), created: false };
      }
      const now = nowIso();
      const row = this.db.get<CustomerRow>(
        `INSERT INTO customers (id, merchant_id, name, email, email_hash, phone, phone_hash, channel, external_id, created_at, updated_at)
         VALUES (@id, @m, @name, @email, @emailHash, @phone, @phoneHash, @channel, @externalId, @now, @now) RETURNING *`,
        { id: newId(), m: this.m, name: init.name ?? null, ...sealedContact(this.db.pii, init), channel, externalId, now },
      );
      if (!row) throw new Error("insert returned no row");
      return { customer: toCustomer(row, this.db.pii), created: true };
    });
  }

  async get(id: string): Promise<Customer | null> {
    const row = this.db.get<CustomerRow>("SELECT * FROM customers WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toCustomer(row, this.db.pii) : null;
  }

  async findByExternalId(channel: ConversationChannel, externalId: string): Promise<Customer | null> {
    const row = this.db.get<CustomerRow>(
      `SELECT * FROM customers WHERE merchant_id = @m AND channel = @channel AND external_id = @externalId
       ORDER BY id DESC LIMIT 1`,
      { m: this.m, channel, externalId },
    );
    return row ? toCustomer(row, this.db.pii) : null;
  }

  async findByContact(contact: { email?: string; phone?: string }): Promise<Customer | null> {
    // Email identifies a person more reliably than a phone number typed in several formats.
    // By keyed hash: the details themselves are sealed.
    if (contact.email?.trim()) {
      const match = hashMatch(this.db.pii, "email_hash", "email", contact.email, "h");
      const row = this.db.get<CustomerRow>(`SELECT * FROM customers WHERE merchant_id = @m AND ${match.sql} ORDER BY id DESC LIMIT 1`, { m: this.m, ...match.params });
      if (row) return toCustomer(row, this.db.pii);
    }
    if (contact.phone?.trim()) {
      const match = hashMatch(this.db.pii, "phone_hash", "phone", contact.phone, "h");
      const row = this.db.get<CustomerRow>(`SELECT * FROM customers WHERE merchant_id = @m AND ${match.sql} ORDER BY id DESC LIMIT 1`, { m: this.m, ...match.params });
      if (row) return toCustomer(row, this.db.pii);
    }
    return null;
  }

  async update(id: string, patch: CustomerPatch): Promise<Customer | null> {
    return this.db.tx(() => {
      const row = this.db.get<CustomerRow>("SELECT * FROM customers WHERE id = @id AND merchant_id = @m", {
        id,
        m: this.m,
      });
      if (!row) return null;
      const pick = <K extends keyof CustomerPatch>(key: K, current: string | null) =>
        patch[key] !== undefined ? (patch[key] ?? null) : current;
      const current = toCustomer(row, this.db.pii);
      const updated = this.db.get<CustomerRow>(
        `UPDATE customers SET name = @name, email = @email, email_hash = @emailHash, phone = @phone, phone_hash = @phoneHash,
           external_id = @externalId, updated_at = @now
         WHERE id = @id AND merchant_id = @m RETURNING *`,
        {
          id,
          m: this.m,
          name: pick("name", row.name),
          ...sealedContact(this.db.pii, { email: pick("email", current.email), phone: pick("phone", current.phone) }),
          externalId: pick("externalId", row.external_id),
          now: nowIso(),
        },
      );
      return updated ? toCustomer(updated, this.db.pii) : null;
    });
  }

  async list(page?: PageRequest): Promise<Page<Customer>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const rows = this.db.all<CustomerRow>(
      `SELECT * FROM customers WHERE merchant_id = @m ${cursor ? "AND id < @before" : ""} ORDER BY id DESC LIMIT @n`,
      { m: this.m, before: cursor?.id, n: limit + 1 },
    );
    return toPage(rows, limit, (r) => toCustomer(r, this.db.pii), () => null);
  }
}

export class SqliteConversationRepo implements ConversationRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(id: string): ConversationRow | undefined {
    return this.db.get<ConversationRow>("SELECT * FROM conversations WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
  }

  private write(row: ConversationRow, patch: ConversationPatch): Conversation {
    const current = toConversation(row);
    const updated = this.db.get<ConversationRow>(
      `UPDATE conversations SET status = @status, assignee_id = @assigneeId, locale = @locale, labels = @labels,
         customer_id = @customerId, unread_count = @unreadCount, shopper_read_seq = @shopperReadSeq, page_url = @pageUrl,
         updated_at = @now
       WHERE id = @id AND merchant_id = @m RETURNING *`,
      {
        id: row.id,
        m: this.m,
        status: patch.status ?? current.status,
        assigneeId: patch.assigneeId !== undefined ? patch.assigneeId : current.assigneeId,
        locale: patch.locale !== undefined ? patch.locale : current.locale,
        labels: toJson(patch.labels ?? current.labels),
        customerId: patch.customerId !== undefined ? patch.customerId : current.customerId,
        unreadCount: Math.max(0, patch.unreadCount ?? current.unreadCount),
        shopperReadSeq: Math.max(0, patch.shopperReadSeq ?? current.shopperReadSeq),
        pageUrl: patch.pageUrl !== undefined ? patch.pageUrl : (current.pageUrl ?? null),
        now: nowIso(),
      },
    );
    if (!updated) throw new Error("conversation vanished inside its transaction");
    return toConversation(updated);
  }

  async create(input: NewConversation): Promise<Conversation> {
    return this.insert(input);
  }

  async findOrCreateOpenByVisitor(visitorId: string, input: Omit<NewConversation, "visitorId">): Promise<{ conversation: Conversation; created: boolean }> {
    // One immediate transaction: two tabs opening at once get the same conversation.
    return this.db.tx(() => {
      const existing = this.findOpenRowByVisitor(visitorId);
      if (existing) return { conversation: toConversation(existing), created: false };
      return { conversation: this.insert({ ...input, visitorId }), created: true };
    });
  }

  async findOrCreateOpenByCustomer(
    customerId: string,
    input: Omit<NewConversation, "customerId" | "visitorId">,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    return this.db.tx(() => {
      const existing = this.db.get<ConversationRow>(
        `SELECT * FROM conversations WHERE merchant_id = @m AND customer_id = @customerId AND channel = @channel AND status != 'closed'
         ORDER BY created_at DESC, id DESC LIMIT 1`,
        { m: this.m, customerId, channel: input.channel },
      );
      if (existing) return { conversation: toConversation(existing), created: false };
      return { conversation: this.insert({ ...input, customerId }), created: true };
    });
  }

  private insert(input: NewConversation): Conversation {
    const now = nowIso();
    const row = this.db.get<ConversationRow>(
      `INSERT INTO conversations (id, merchant_id, channel, channel_id, customer_id, visitor_id, status, assignee_id,
         locale, labels, activity_at, created_at, updated_at)
       VALUES (@id, @m, @channel, @channelId, @customerId, @visitorId, @status, NULL, @locale, '[]', @now, @now, @now)
       RETURNING *`,
      {
        id: newId(),
        m: this.m,
        channel: input.channel,
        channelId: input.channelId ?? null,
        customerId: input.customerId ?? null,
        visitorId: input.visitorId ?? null,
        status: input.status ?? "bot",
        locale: input.locale ?? null,
        now,
      },
    );
    if (!row) throw new Error("insert returned no row");
    return toConversation(row);
  }

  private findOpenRowByVisitor(visitorId: string): ConversationRow | undefined {
    return this.db.get<ConversationRow>(
      `SELECT * FROM conversations WHERE merchant_id = @m AND visitor_id = @visitorId AND status != 'closed'
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      { m: this.m, visitorId },
    );
  }

  async get(id: string): Promise<Conversation | null> {
    const row = this.row(id);
    return row ? toConversation(row) : null;
  }

  async findOpenByVisitor(visitorId: string): Promise<Conversation | null> {
    const row = this.findOpenRowByVisitor(visitorId);
    return row ? toConversation(row) : null;
  }

  async findOpenByCustomer(customerId: string, channel: ConversationChannel): Promise<Conversation | null> {
    const row = this.db.get<ConversationRow>(
      `SELECT * FROM conversations
       WHERE merchant_id = @m AND customer_id = @customerId AND channel = @channel AND status != 'closed'
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      { m: this.m, customerId, channel },
    );
    return row ? toConversation(row) : null;
  }

  /**
   * The WHERE clause and parameters of a list page (last activity first, keyset cursor), its
   * columns qualified by `alias` so the summaries' query can join the customer.
   */
  private listQuery(filter: ConversationFilter, page: PageRequest | undefined, alias: "" | "c.") {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const a = alias;
    const where = [`${a}merchant_id = @m`];
    if (filter.status !== undefined) where.push(`${a}status = @status`);
    if (filter.assigneeId !== undefined) where.push(`${a}assignee_id = @assigneeId`);
    if (filter.channel !== undefined) where.push(`${a}channel = @channel`);
    if (filter.visitorId !== undefined) where.push(`${a}visitor_id = @visitorId`);
    if (filter.customerId !== undefined) where.push(`${a}customer_id = @customerId`);
    const q = filter.q?.trim() ? foldSearchText(filter.q.trim()) : undefined;
    // Contact details are sealed: an email or a phone finds its customer whole, not by a part.
    const emailMatch = q === undefined ? null : hashMatch(this.db.pii, "email_hash", "email", filter.q!, "qe");
    const phoneMatch = q === undefined ? null : hashMatch(this.db.pii, "phone_hash", "phone", filter.q!, "qp");
    if (q !== undefined) {
      // The customer subquery runs once per query (it does not depend on the conversation row).
      where.push(`(kaleem_fold(${a}last_message_preview) LIKE @qLike ESCAPE '\\'
        OR ${a}id LIKE @idPrefix ESCAPE '\\'
        OR ${a}customer_id IN (SELECT id FROM customers WHERE merchant_id = @m AND (
          kaleem_fold(name) LIKE @qLike ESCAPE '\\' OR ${emailMatch!.sql} OR ${phoneMatch!.sql})))`);
    }
    if (cursor) where.push(`(${a}activity_at, ${a}id) < (@afterKey, @afterId)`);
    const params = {
      m: this.m,
      status: filter.status,
      assigneeId: filter.assigneeId,
      channel: filter.channel,
      visitorId: filter.visitorId,
      customerId: filter.customerId,
      qLike: q === undefined ? undefined : `%${escapeLike(q)}%`,
      ...emailMatch?.params,
      ...phoneMatch?.params,
      idPrefix: q === undefined ? undefined : `${escapeLike(q)}%`,
      afterKey: cursor?.k,
      afterId: cursor?.id,
      n: limit + 1,
    };
    return { limit, where: `WHERE ${where.join(" AND ")} ORDER BY ${a}activity_at DESC, ${a}id DESC LIMIT @n`, params };
  }

  async list(filter: ConversationFilter = {}, page?: PageRequest): Promise<Page<Conversation>> {
    const { limit, where, params } = this.listQuery(filter, page, "");
    const rows = this.db.all<ConversationRow>(`SELECT * FROM conversations ${where}`, params);
    return toPage(rows, limit, toConversation, (r) => r.activity_at);
  }

  async listSummariesJson(filter: ConversationFilter = {}, page?: PageRequest): Promise<JsonText<Page<ConversationSummary>>> {
    const { limit, where, params } = this.listQuery(filter, page, "c.");
    // The customer's name comes with the row (one statement, not one per customer), and only the
    // name: the sealed email and phone are neither selected nor opened.
    const rows = this.db.all<{ id: string; k: string; j: string }>(
      `SELECT c.id AS id, c.activity_at AS k, ${CONVERSATION_SUMMARY_JSON} AS j FROM conversations c
       LEFT JOIN customers cu ON cu.id = c.customer_id AND cu.merchant_id = c.merchant_id ${where}`,
      params,
    );
    return toPageJson(rows, limit, (r) => r.j, (r) => r.k);
  }

  async update(id: string, patch: ConversationPatch): Promise<Conversation | null> {
    return this.db.tx(() => {
      const row = this.row(id);
      return row ? this.write(row, patch) : null;
    });
  }

  async transition(id: string, from: ConversationStatus[], patch: ConversationPatch): Promise<Conversation | null> {
    // Read and write under the same write lock: no other writer can change the status between.
    return this.db.tx(() => {
      const row = this.row(id);
      if (!row || !from.includes(row.status)) return null;
      return this.write(row, patch);
    });
  }

  async getBotState(id: string): Promise<Record<string, unknown>> {
    const row = this.db.get<{ bot_state: string }>(
      "SELECT bot_state FROM conversations WHERE id = @id AND merchant_id = @m",
      { id, m: this.m },
    );
    if (!row) throw new NotFoundError("Conversation");
    return fromJson<Record<string, unknown>>(row.bot_state);
  }

  async setBotState(id: string, state: Record<string, unknown>): Promise<void> {
    const changed = this.db.run("UPDATE conversations SET bot_state = @state WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
      state: toJson(state),
    });
    if (changed === 0) throw new NotFoundError("Conversation");
  }

  async listCreatedBetween(from: string, to: string): Promise<Conversation[]> {
    return this.db
      .all<ConversationRow>(
        `SELECT * FROM conversations WHERE merchant_id = @m AND created_at >= @from AND created_at < @to
         ORDER BY created_at, id`,
        { m: this.m, from, to },
      )
      .map(toConversation);
  }
}

export class SqliteMessageRepo implements MessageRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private byClientId(conversationId: string, clientMessageId: string): MessageRow | undefined {
    return this.db.get<MessageRow>(
      `SELECT * FROM messages
       WHERE merchant_id = @m AND conversation_id = @conversationId AND client_message_id = @clientMessageId`,
      { m: this.m, conversationId, clientMessageId },
    );
  }

  async append(conversationId: string, input: NewMessage, options: AppendOptions = {}): Promise<AppendResult> {
    return this.db.tx((): AppendResult => {
      const clientMessageId = input.clientMessageId ?? null;
      if (clientMessageId !== null) {
        const existing = this.byClientId(conversationId, clientMessageId);
        if (existing) return { message: toMessage(existing), duplicate: true };
      }
      const now = nowIso();
      // The seq comes from the conversation row inside the write lock, so it is gap-free and unique.
      const bumped = this.db.get<{ last_seq: number }>(
        `UPDATE conversations SET
           last_seq = last_seq + 1,
           last_message_at = CASE WHEN @visible THEN @now ELSE last_message_at END,
           last_message_preview = CASE WHEN @visible THEN @preview ELSE last_message_preview END,
           preview_seq = CASE WHEN @visible THEN last_seq + 1 ELSE preview_seq END,
           activity_at = CASE WHEN @visible THEN @now ELSE activity_at END,
           unread_count = unread_count + @unread,
           updated_at = @now
         WHERE id = @conversationId AND merchant_id = @m
         RETURNING last_seq`,
        {
          m: this.m,
          conversationId,
          now,
          visible: roleUpdatesPreview(input.role) ? 1 : 0,
          preview: previewOf(input.text),
          unread: roleCountsAsUnread(input.role) ? 1 : 0,
        },
      );
      if (!bumped) throw new NotFoundError("Conversation");
      const row = this.db.get<MessageRow>(
        `INSERT INTO messages (id, merchant_id, conversation_id, seq, role, text, parts, status, author_id, author_name,
           client_message_id, intent, delivery, created_at)
         VALUES (@id, @m, @conversationId, @seq, @role, @text, @parts, @status, @authorId, @authorName,
           @clientMessageId, @intent, @delivery, @now)
         RETURNING *`,
        {
          id: newId(),
          m: this.m,
          conversationId,
          seq: bumped.last_seq,
          role: input.role,
          text: input.text,
          parts: toJson(input.parts ?? []),
          status: input.status ?? "complete",
          authorId: input.authorId ?? null,
          authorName: input.authorName ?? null,
          clientMessageId,
          intent: input.intent ?? null,
          delivery: input.channelDelivery ? toJson(input.channelDelivery) : null,
          now,
        },
      );
      if (!row) throw new Error("insert returned no row");
      const message = toMessage(row);
      insertOutbox(this.db, this.m, options.outbox?.(message) ?? []);
      return { message, duplicate: false };
    });
  }

  async linkProviderMessage(messageId: string, providerMessageId: string): Promise<void> {
    this.db.run(
      `INSERT INTO provider_messages (merchant_id, provider_message_id, message_id, created_at)
       VALUES (@m, @providerMessageId, @messageId, @now) ON CONFLICT DO NOTHING`,
      { m: this.m, providerMessageId, messageId, now: nowIso() },
    );
  }

  async findByProviderMessageId(providerMessageId: string): Promise<Message | null> {
    const row = this.db.get<MessageRow>(
      `SELECT m.* FROM provider_messages p JOIN messages m ON m.id = p.message_id AND m.merchant_id = p.merchant_id
       WHERE p.merchant_id = @m AND p.provider_message_id = @providerMessageId`,
      { m: this.m, providerMessageId },
    );
    return row ? toMessage(row) : null;
  }

  async get(id: string): Promise<Message | null> {
    const row = this.db.get<MessageRow>("SELECT * FROM messages WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toMessage(row) : null;
  }

  async getByClientMessageId(conversationId: string, clientMessageId: string): Promise<Message | null> {
    const row = this.byClientId(conversationId, clientMessageId);
    return row ? toMessage(row) : null;
  }

  async update(id: string, patch: MessagePatch, options: WriteOptions & { ifStatus?: MessageStatus } = {}): Promise<Message | null> {
    return this.db.tx(() => {
      const row = this.db.get<MessageRow>("SELECT * FROM messages WHERE id = @id AND merchant_id = @m", {
        id,
        m: this.m,
      });
      if (!row) return null;
      if (options.ifStatus !== undefined && row.status !== options.ifStatus) return toMessage(row);
      const updated = this.db.get<MessageRow>(
        `UPDATE messages SET text = @text, parts = @parts, status = @status, intent = @intent, delivery = @delivery
         WHERE id = @id AND merchant_id = @m RETURNING *`,
        {
          id,
          m: this.m,
          text: patch.text ?? row.text,
          parts: patch.parts !== undefined ? toJson(patch.parts) : row.parts,
          status: patch.status ?? row.status,
          intent: patch.intent !== undefined ? patch.intent : row.intent,
          delivery: patch.channelDelivery !== undefined ? (patch.channelDelivery === null ? null : toJson(patch.channelDelivery)) : row.delivery,
        },
      );
      if (!updated) throw new Error("message vanished inside its transaction");
      insertOutbox(this.db, this.m, options.outbox ?? []);
      // A streamed answer starts empty; its final text must reach the preview it created.
      if (patch.text !== undefined) {
        this.db.run(
          `UPDATE conversations SET last_message_preview = @preview
           WHERE id = @conversationId AND merchant_id = @m AND preview_seq = @seq`,
          { m: this.m, conversationId: row.conversation_id, seq: row.seq, preview: previewOf(patch.text) },
        );
      }
      return toMessage(updated);
    });
  }

  async listAfter(conversationId: string, afterSeq: number, limit = DEFAULT_LIST_AFTER_LIMIT): Promise<Message[]> {
    return this.db
      .all<MessageRow>(
        `SELECT * FROM messages WHERE merchant_id = @m AND conversation_id = @conversationId AND seq > @afterSeq
         ORDER BY seq LIMIT @n`,
        { m: this.m, conversationId, afterSeq, n: clampLimit(limit, DEFAULT_LIST_AFTER_LIMIT, MAX_MESSAGE_BATCH) },
      )
      .map(toMessage);
  }

  async listLatest(conversationId: string, limit: number): Promise<Message[]> {
    return this.db
      .all<MessageRow>(
        `SELECT * FROM (
           SELECT * FROM messages WHERE merchant_id = @m AND conversation_id = @conversationId
           ORDER BY seq DESC LIMIT @n
         ) ORDER BY seq`,
        { m: this.m, conversationId, n: clampLimit(limit, DEFAULT_LIST_AFTER_LIMIT, MAX_MESSAGE_BATCH) },
      )
      .map(toMessage);
  }

  async list(conversationId: string, page?: PageRequest): Promise<Page<Message>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "number");
    const rows = this.db.all<MessageRow>(
      `SELECT * FROM messages WHERE merchant_id = @m AND conversation_id = @conversationId AND seq > @afterSeq
       ORDER BY seq LIMIT @n`,
      { m: this.m, conversationId, afterSeq: cursor?.k ?? 0, n: limit + 1 },
    );
    return toPage(rows, limit, toMessage, (r) => r.seq);
  }

  async listStreaming(): Promise<Message[]> {
    return this.db
      .all<MessageRow>("SELECT * FROM messages WHERE merchant_id = @m AND status = 'streaming' ORDER BY id", {
        m: this.m,
      })
      .map(toMessage);
  }

  async listCreatedBetween(from: string, to: string): Promise<Message[]> {
    return this.db
      .all<MessageRow>(
        `SELECT * FROM messages WHERE merchant_id = @m AND created_at >= @from AND created_at < @to
         ORDER BY created_at, id`,
        { m: this.m, from, to },
      )
      .map(toMessage);
  }
}

