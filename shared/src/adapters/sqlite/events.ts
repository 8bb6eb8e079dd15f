// Inbound webhook dedupe, the transactional outbox and the audit log of one tenant.
import type { AuditLog, Page } from "../../contracts/domain.js";
import { newId } from "../../ids.js";
import { outboxTopicSchemas, type NewOutboxEvent } from "../../contracts/jobs.js";
import {
  asMerchantId,
  type AuditRepo,
  type DeliveryAttempt,
  type DeliveryAttemptRepo,
  type MerchantId,
  type NewAuditLog,
  type OutboxEventRecord,
  type OutboxRepo,
  type PageRequest,
  type SystemStore,
  type WebhookEventRecord,
  type WebhookEventRepo,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";
import {
  toAuditLog,
  toDeliveryAttempt,
  toOutboxEvent,
  toWebhookEvent,
  type AuditRow,
  type DeliveryAttemptRow,
  type OutboxRow,
  type WebhookEventRow,
} from "./rows.js";

export class SqliteWebhookEventRepo implements WebhookEventRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async recordOnce(input: {
    source: string;
    dedupeKey: string;
    payload: unknown;
  }): Promise<{ event: WebhookEventRecord; duplicate: boolean }> {
    return this.db.tx(() => {
      const inserted = this.db.get<WebhookEventRow>(
        `INSERT INTO webhook_events (id, merchant_id, source, dedupe_key, payload, status, error, received_at, processed_at)
         VALUES (@id, @m, @source, @dedupeKey, @payload, 'received', NULL, @now, NULL)
         ON CONFLICT (merchant_id, source, dedupe_key) DO NOTHING
         RETURNING *`,
        {
          id: newId(),
          m: this.m,
          source: input.source,
          dedupeKey: input.dedupeKey,
          payload: toJson(input.payload),
          now: nowIso(),
        },
      );
      if (inserted) return { event: toWebhookEvent(inserted), duplicate: false };
      const existing = this.db.get<WebhookEventRow>(
        "SELECT * FROM webhook_events WHERE merchant_id = @m AND source = @source AND dedupe_key = @dedupeKey",
        { m: this.m, source: input.source, dedupeKey: input.dedupeKey },
      );
      if (!existing) throw new Error("webhook event vanished inside its transaction");
      return { event: toWebhookEvent(existing), duplicate: true };
    });
  }

  async get(id: string): Promise<WebhookEventRecord | null> {
    const row = this.db.get<WebhookEventRow>("SELECT * FROM webhook_events WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toWebhookEvent(row) : null;
  }

  async markProcessed(id: string): Promise<void> {
    this.db.run(
      `UPDATE webhook_events SET status = 'processed', error = NULL, processed_at = @now
       WHERE id = @id AND merchant_id = @m`,
      { id, m: this.m, now: nowIso() },
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    this.db.run(
      `UPDATE webhook_events SET status = 'failed', error = @error, processed_at = @now
       WHERE id = @id AND merchant_id = @m`,
      { id, m: this.m, error, now: nowIso() },
    );
  }
}

/** Inserts outbox rows inside the caller's transaction, each payload checked against its topic's schema. */
export function insertOutbox(db: SqliteDb, m: MerchantId, events: readonly NewOutboxEvent[]): OutboxRow[] {
  const now = nowIso();
  return events.map((event) => {
    const payload = outboxTopicSchemas[event.topic].parse(event.payload);
    const row = db.get<OutboxRow>(
      `INSERT INTO outbox_events (id, merchant_id, topic, payload, attempts, created_at, published_at, available_at)
       VALUES (@id, @m, @topic, @payload, 0, @now, NULL, @now) RETURNING *`,
      { id: newId(), m, topic: event.topic, payload: toJson(payload), now },
    );
    if (!row) throw new Error("insert returned no row");
    return row;
  });
}

export class SqliteOutboxRepo implements OutboxRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async add(input: NewOutboxEvent): Promise<OutboxEventRecord> {
    return toOutboxEvent(this.db.tx(() => insertOutbox(this.db, this.m, [input])[0]!));
  }

  async get(id: string): Promise<OutboxEventRecord | null> {
    const row = this.db.get<OutboxRow>("SELECT * FROM outbox_events WHERE id = @id AND merchant_id = @m", { id, m: this.m });
    return row ? toOutboxEvent(row) : null;
  }

  async listPending(limit: number): Promise<OutboxEventRecord[]> {
    return this.db
      .all<OutboxRow>(
        "SELECT * FROM outbox_events WHERE merchant_id = @m AND published_at IS NULL ORDER BY id LIMIT @n",
        { m: this.m, n: clampLimit(limit, 100, 1000) },
      )
      .map(toOutboxEvent);
  }
}

export class SqliteDeliveryAttemptRepo implements DeliveryAttemptRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async begin(key: string, messageId: string): Promise<{ attempt: DeliveryAttempt; fresh: boolean }> {
    return this.db.tx(() => {
      const inserted = this.db.get<DeliveryAttemptRow>(
        `INSERT INTO delivery_attempts (merchant_id, key, message_id, state, provider_message_ids, error, started_at, finished_at, in_flight)
         VALUES (@m, @key, @messageId, 'started', '[]', NULL, @now, NULL, NULL)
         ON CONFLICT (merchant_id, key) DO NOTHING RETURNING *`,
        { m: this.m, key, messageId, now: nowIso() },
      );
      if (inserted) return { attempt: toDeliveryAttempt(inserted), fresh: true };
      const existing = this.db.get<DeliveryAttemptRow>("SELECT * FROM delivery_attempts WHERE merchant_id = @m AND key = @key", { m: this.m, key });
      if (!existing) throw new Error("delivery attempt vanished inside its transaction");
      return { attempt: toDeliveryAttempt(existing), fresh: false };
    });
  }

  async markInFlight(key: string, piece: number | null): Promise<void> {
    this.db.run("UPDATE delivery_attempts SET in_flight = @piece WHERE merchant_id = @m AND key = @key", { m: this.m, key, piece });
  }

  async addPiece(key: string, providerMessageId: string): Promise<void> {
    this.db.run(
      `UPDATE delivery_attempts SET in_flight = NULL,
         provider_message_ids = CASE WHEN EXISTS (SELECT 1 FROM json_each(provider_message_ids) WHERE value = @id)
           THEN provider_message_ids ELSE json_insert(provider_message_ids, '$[#]', @id) END
       WHERE merchant_id = @m AND key = @key`,
      { m: this.m, key, id: providerMessageId },
    );
  }

  async finish(key: string, outcome: { state: "sent"; providerMessageIds: string[] } | { state: "failed"; error: string }): Promise<void> {
    this.db.run(
      `UPDATE delivery_attempts SET state = @state, provider_message_ids = @ids, error = @error, finished_at = @now, in_flight = NULL
       WHERE merchant_id = @m AND key = @key`,
      {
        m: this.m,
        key,
        state: outcome.state,
        ids: toJson(outcome.state === "sent" ? outcome.providerMessageIds : []),
        error: outcome.state === "failed" ? outcome.error.slice(0, 1000) : null,
        now: nowIso(),
      },
    );
  }

  async forget(key: string): Promise<void> {
    this.db.run("DELETE FROM delivery_attempts WHERE merchant_id = @m AND key = @key", { m: this.m, key });
  }

  async get(key: string): Promise<DeliveryAttempt | null> {
    const row = this.db.get<DeliveryAttemptRow>("SELECT * FROM delivery_attempts WHERE merchant_id = @m AND key = @key", { m: this.m, key });
    return row ? toDeliveryAttempt(row) : null;
  }
}

/** Cross-tenant work (see SystemStore): claims use a lease so two relays never publish one row at once. */
export function sqliteSystemStore(db: SqliteDb): SystemStore {
  return {
    messages: {
      async listStreaming({ olderThanMs, limit }) {
        return db
          .all<{ merchant_id: string; conversation_id: string; id: string }>(
            "SELECT merchant_id, conversation_id, id FROM messages WHERE status = 'streaming' AND created_at <= @before ORDER BY created_at LIMIT @n",
            { before: new Date(Date.now() - olderThanMs).toISOString(), n: clampLimit(limit, 100, 1000) },
          )
          .map((r) => ({ merchantId: asMerchantId(r.merchant_id), conversationId: r.conversation_id, id: r.id }));
      },
    },
    outbox: {
      async claim({ limit, leaseMs, owner }) {
        return db.tx(() => {
          const now = new Date();
          const iso = now.toISOString();
          const rows = db.all<OutboxRow>(
            `SELECT * FROM outbox_events
             WHERE published_at IS NULL AND (available_at IS NULL OR available_at <= @now) AND (claimed_until IS NULL OR claimed_until <= @now)
             ORDER BY available_at, id LIMIT @n`,
            { now: iso, n: clampLimit(limit, 100, 1000) },
          );
          const until = new Date(now.getTime() + leaseMs).toISOString();
          return rows.map((row) => {
            const claimed = db.get<OutboxRow>(
              `UPDATE outbox_events SET claimed_until = @until, claimed_by = @owner, attempts = attempts + 1 WHERE id = @id RETURNING *`,
              { id: row.id, until, owner },
            );
            return toOutboxEvent(claimed ?? row);
          });
        });
      },
      async complete(id, owner) {
        db.run(
          "UPDATE outbox_events SET published_at = @now, claimed_until = NULL, last_error = NULL WHERE id = @id AND claimed_by = @owner AND published_at IS NULL",
          { id, owner, now: nowIso() },
        );
      },
      async release(id, owner, { error, retryInMs }) {
        db.run(
          `UPDATE outbox_events SET claimed_until = NULL, available_at = @at, last_error = @error
           WHERE id = @id AND claimed_by = @owner AND published_at IS NULL`,
          { id, owner, at: new Date(Date.now() + retryInMs).toISOString(), error: error.slice(0, 1000) },
        );
      },
    },
    webhookEvents: {
      async listStale({ olderThanMs, limit }) {
        return db
          .all<{ merchant_id: string; id: string; source: string }>(
            "SELECT merchant_id, id, source FROM webhook_events WHERE status = 'received' AND received_at <= @before ORDER BY received_at LIMIT @n",
            { before: new Date(Date.now() - olderThanMs).toISOString(), n: clampLimit(limit, 100, 1000) },
          )
          .map((r) => ({ merchantId: asMerchantId(r.merchant_id), id: r.id, source: r.source }));
      },
    },
    uploads: {
      async listExpired({ now, limit }) {
        return db
          .all<{ merchant_id: string; id: string }>(
            "SELECT merchant_id, id FROM uploads WHERE state = 'pending' AND expires_at <= @now ORDER BY expires_at LIMIT @n",
            { now, n: clampLimit(limit, 100, 1000) },
          )
          .map((r) => ({ merchantId: asMerchantId(r.merchant_id), id: r.id }));
      },
    },
  };
}

export class SqliteAuditRepo implements AuditRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async add(input: NewAuditLog): Promise<AuditLog> {
    const row = this.db.get<AuditRow>(
      `INSERT INTO audit_logs (id, merchant_id, actor_id, action, target, data, ip, created_at)
       VALUES (@id, @m, @actorId, @action, @target, @data, @ip, @now) RETURNING *`,
      {
        id: newId(),
        m: this.m,
        actorId: input.actorId ?? null,
        action: input.action,
        target: input.target ?? null,
        data: toJson(input.data ?? {}),
        ip: input.ip ?? null,
        now: nowIso(),
      },
    );
    if (!row) throw new Error("insert returned no row");
    return toAuditLog(row);
  }

  /** Newest first. */
  async list(page?: PageRequest): Promise<Page<AuditLog>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const rows = this.db.all<AuditRow>(
      `SELECT * FROM audit_logs WHERE merchant_id = @m ${cursor ? "AND id < @before" : ""} ORDER BY id DESC LIMIT @n`,
      { m: this.m, before: cursor?.id, n: limit + 1 },
    );
    return toPage(rows, limit, toAuditLog, () => null);
  }
}
