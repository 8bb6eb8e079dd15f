// Knowledge items (policies, FAQs) and channels of one tenant.
import type { Channel, KnowledgeItem, Page } from "../../contracts/domain.js";
import { newId } from "../../ids.js";
import type {
  ChannelPatch,
  ChannelRepo,
  KnowledgeItemPatch,
  KnowledgeRepo,
  MerchantId,
  NewChannel,
  NewKnowledgeItem,
  PageRequest,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";
import { toChannel, toKnowledgeItem, type ChannelRow, type KnowledgeRow } from "./rows.js";

export class SqliteKnowledgeRepo implements KnowledgeRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async create(input: NewKnowledgeItem): Promise<KnowledgeItem> {
    const now = nowIso();
    const row = this.db.get<KnowledgeRow>(
      `INSERT INTO knowledge_items (id, merchant_id, title, data, created_at, updated_at)
       VALUES (@id, @m, @title, @data, @now, @now) RETURNING *`,
      { id: newId(), m: this.m, title: input.title, data: toJson(input.data), now },
    );
    if (!row) throw new Error("insert returned no row");
    return toKnowledgeItem(row);
  }

  async get(id: string): Promise<KnowledgeItem | null> {
    const row = this.db.get<KnowledgeRow>("SELECT * FROM knowledge_items WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toKnowledgeItem(row) : null;
  }

  async list(page?: PageRequest): Promise<Page<KnowledgeItem>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const rows = this.db.all<KnowledgeRow>(
      `SELECT * FROM knowledge_items WHERE merchant_id = @m ${cursor ? "AND id > @after" : ""} ORDER BY id LIMIT @n`,
      { m: this.m, after: cursor?.id, n: limit + 1 },
    );
    return toPage(rows, limit, toKnowledgeItem, () => null);
  }

  async all(): Promise<KnowledgeItem[]> {
    return this.db
      .all<KnowledgeRow>("SELECT * FROM knowledge_items WHERE merchant_id = @m ORDER BY id", { m: this.m })
      .map(toKnowledgeItem);
  }

  async update(id: string, patch: KnowledgeItemPatch): Promise<KnowledgeItem | null> {
    const row = this.db.get<KnowledgeRow>(
      `UPDATE knowledge_items SET title = coalesce(@title, title), data = coalesce(@data, data), updated_at = @now
       WHERE id = @id AND merchant_id = @m RETURNING *`,
      {
        id,
        m: this.m,
        title: patch.title,
        data: patch.data !== undefined ? toJson(patch.data) : null,
        now: nowIso(),
      },
    );
    return row ? toKnowledgeItem(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM knowledge_items WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}

export class SqliteChannelRepo implements ChannelRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(id: string): ChannelRow | undefined {
    return this.db.get<ChannelRow>("SELECT * FROM channels WHERE id = @id AND merchant_id = @m", { id, m: this.m });
  }

  async create(input: NewChannel): Promise<Channel> {
    const now = nowIso();
    const row = this.db.get<ChannelRow>(
      `INSERT INTO channels (id, merchant_id, type, name, public_config, secrets_ciphertext, status, last_event_at,
         last_error, created_at, updated_at)
       VALUES (@id, @m, @type, @name, @publicConfig, @secretsCiphertext, 'active', NULL, NULL, @now, @now)
       RETURNING *`,
      {
        id: input.id ?? newId(),
        m: this.m,
        type: input.type,
        name: input.name,
        publicConfig: toJson(input.publicConfig),
        secretsCiphertext: input.secretsCiphertext,
        now,
      },
    );
    if (!row) throw new Error("insert returned no row");
    return toChannel(row);
  }

  async get(id: string): Promise<Channel | null> {
    const row = this.row(id);
    return row ? toChannel(row) : null;
  }

  async getSecrets(id: string): Promise<string | null> {
    return this.row(id)?.secrets_ciphertext ?? null;
  }

  async list(): Promise<Channel[]> {
    return this.db.all<ChannelRow>("SELECT * FROM channels WHERE merchant_id = @m ORDER BY id", { m: this.m }).map(
      toChannel,
    );
  }

  async recordDelivery(
    id: string,
    outcome: { ok: true } | { ok: false; error: string; serverError: boolean },
    breaker: { threshold: number; openMs: number },
  ): Promise<Channel | null> {
    const now = new Date();
    const row = outcome.ok
      ? this.db.get<ChannelRow>(
          `UPDATE channels SET failure_streak = 0, breaker_open_until = NULL, updated_at = @now
           WHERE id = @id AND merchant_id = @m RETURNING *`,
          { id, m: this.m, now: now.toISOString() },
        )
      : this.db.get<ChannelRow>(
          // One statement: concurrent failures each count, and the one that reaches the threshold opens it.
          `UPDATE channels SET
             failure_streak = CASE WHEN @server THEN failure_streak + 1 ELSE failure_streak END,
             breaker_open_until = CASE WHEN @server AND failure_streak + 1 >= @threshold THEN @until ELSE breaker_open_until END,
             last_error = @error, updated_at = @now
           WHERE id = @id AND merchant_id = @m RETURNING *`,
          {
            id,
            m: this.m,
            server: outcome.serverError ? 1 : 0,
            threshold: breaker.threshold,
            until: new Date(now.getTime() + breaker.openMs).toISOString(),
            error: outcome.error.slice(0, 1000),
            now: now.toISOString(),
          },
        );
    return row ? toChannel(row) : null;
  }

  async update(id: string, patch: ChannelPatch): Promise<Channel | null> {
    return this.db.tx(() => {
      const row = this.row(id);
      if (!row) return null;
      const updated = this.db.get<ChannelRow>(
        `UPDATE channels SET name = @name, public_config = @publicConfig, secrets_ciphertext = @secretsCiphertext,
           status = @status, last_event_at = @lastEventAt, last_error = @lastError, updated_at = @now
         WHERE id = @id AND merchant_id = @m RETURNING *`,
        {
          id,
          m: this.m,
          name: patch.name ?? row.name,
          publicConfig: patch.publicConfig !== undefined ? toJson(patch.publicConfig) : row.public_config,
          secretsCiphertext: patch.secretsCiphertext ?? row.secrets_ciphertext,
          status: patch.status ?? row.status,
          lastEventAt: patch.lastEventAt !== undefined ? patch.lastEventAt : row.last_event_at,
          lastError: patch.lastError !== undefined ? patch.lastError : row.last_error,
          now: nowIso(),
        },
      );
      return updated ? toChannel(updated) : null;
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM channels WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}
