// Inbound webhook dedupe, the transactional outbox and the audit log of one tenant.
import type { AuditLog, Page } from "../../contracts/domain.js";
import { newId } from "../../ids.js";
import type {
  AuditRepo,
  MerchantId,
  NewAuditLog,
  OutboxEventRecord,
  OutboxRepo,
  PageRequest,
  WebhookEventRecord,
  WebhookEventRepo,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";
import {
  toAuditLog,
  toOutboxEvent,
  toWebhookEvent,
  type AuditRow,
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

export class SqliteOutboxRepo implements OutboxRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async add(input: { topic: string; payload: unknown }): Promise<OutboxEventRecord> {
    const row = this.db.get<OutboxRow>(
      `INSERT INTO outbox_events (id, merchant_id, topic, payload, attempts, created_at, published_at)
       VALUES (@id, @m, @topic, @payload, 0, @now, NULL) RETURNING *`,
      { id: newId(), m: this.m, topic: input.topic, payload: toJson(input.payload), now: nowIso() },
    );
    if (!row) throw new Error("insert returned no row");
    return toOutboxEvent(row);
  }

  async listPending(limit: number): Promise<OutboxEventRecord[]> {
    return this.db
      .all<OutboxRow>(
        "SELECT * FROM outbox_events WHERE merchant_id = @m AND published_at IS NULL ORDER BY id LIMIT @n",
        { m: this.m, n: clampLimit(limit, 100, 1000) },
      )
      .map(toOutboxEvent);
  }

  async markPublished(id: string): Promise<void> {
    this.db.run(
      "UPDATE outbox_events SET published_at = @now WHERE id = @id AND merchant_id = @m AND published_at IS NULL",
      { id, m: this.m, now: nowIso() },
    );
  }

  async markAttempt(id: string): Promise<void> {
    this.db.run("UPDATE outbox_events SET attempts = attempts + 1 WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
  }
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
