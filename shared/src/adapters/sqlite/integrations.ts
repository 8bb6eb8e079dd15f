// Commerce platform connections and canned replies of one tenant.
import type { CannedReply, CommerceConnection, CommercePlatform, CommerceSyncState } from "../../contracts/domain.js";
import { newId } from "../../ids.js";
import type {
  CannedReplyPatch,
  CannedReplyRepo,
  CommerceConnectionPatch,
  CommerceConnectionRepo,
  MerchantId,
  NewCannedReply,
  NewCommerceConnection,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { conflictOnUnique, fromJson, toJson, type SqliteDb } from "./db.js";

interface CommerceConnectionRow {
  id: string;
  merchant_id: string;
  platform: CommercePlatform;
  public_config: string;
  secrets_ciphertext: string;
  status: CommerceConnection["status"];
  last_event_at: string | null;
  last_error: string | null;
  sync: string | null;
  created_at: string;
  updated_at: string;
}
const toCommerceConnection = (r: CommerceConnectionRow): CommerceConnection => ({
  id: r.id,
  merchantId: r.merchant_id,
  platform: r.platform,
  publicConfig: fromJson<Record<string, string>>(r.public_config),
  status: r.status,
  lastEventAt: r.last_event_at,
  lastError: r.last_error,
  sync: r.sync === null ? null : fromJson<CommerceSyncState>(r.sync),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface CannedReplyRow {
  id: string;
  merchant_id: string;
  shortcut: string;
  text: string;
  created_at: string;
  updated_at: string;
}
const toCannedReply = (r: CannedReplyRow): CannedReply => ({
  id: r.id,
  merchantId: r.merchant_id,
  shortcut: r.shortcut,
  text: r.text,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteCommerceConnectionRepo implements CommerceConnectionRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(id: string): CommerceConnectionRow | undefined {
    return this.db.get<CommerceConnectionRow>("SELECT * FROM commerce_connections WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
  }

  async create(input: NewCommerceConnection): Promise<CommerceConnection> {
    const now = nowIso();
    const row = conflictOnUnique(`A ${input.platform} connection already exists`, () =>
      this.db.get<CommerceConnectionRow>(
        `INSERT INTO commerce_connections (id, merchant_id, platform, public_config, secrets_ciphertext, status,
           last_event_at, last_error, created_at, updated_at)
         VALUES (@id, @m, @platform, @publicConfig, @secretsCiphertext, 'active', NULL, NULL, @now, @now)
         RETURNING *`,
        {
          id: newId(),
          m: this.m,
          platform: input.platform,
          publicConfig: toJson(input.publicConfig),
          secretsCiphertext: input.secretsCiphertext,
          now,
        },
      ),
    );
    if (!row) throw new Error("insert returned no row");
    return toCommerceConnection(row);
  }

  async get(id: string): Promise<CommerceConnection | null> {
    const row = this.row(id);
    return row ? toCommerceConnection(row) : null;
  }

  async getByPlatform(platform: CommercePlatform): Promise<CommerceConnection | null> {
    const row = this.db.get<CommerceConnectionRow>(
      "SELECT * FROM commerce_connections WHERE merchant_id = @m AND platform = @platform",
      { m: this.m, platform },
    );
    return row ? toCommerceConnection(row) : null;
  }

  async getSecrets(id: string): Promise<string | null> {
    return this.row(id)?.secrets_ciphertext ?? null;
  }

  async list(): Promise<CommerceConnection[]> {
    return this.db
      .all<CommerceConnectionRow>("SELECT * FROM commerce_connections WHERE merchant_id = @m ORDER BY id", { m: this.m })
      .map(toCommerceConnection);
  }

  async update(id: string, patch: CommerceConnectionPatch): Promise<CommerceConnection | null> {
    return this.db.tx(() => {
      const row = this.row(id);
      if (!row) return null;
      const updated = this.db.get<CommerceConnectionRow>(
        `UPDATE commerce_connections SET public_config = @publicConfig, secrets_ciphertext = @secretsCiphertext,
           status = @status, last_event_at = @lastEventAt, last_error = @lastError, sync = @sync, updated_at = @now
         WHERE id = @id AND merchant_id = @m RETURNING *`,
        {
          id,
          m: this.m,
          publicConfig: patch.publicConfig !== undefined ? toJson(patch.publicConfig) : row.public_config,
          secretsCiphertext: patch.secretsCiphertext ?? row.secrets_ciphertext,
          status: patch.status ?? row.status,
          lastEventAt: patch.lastEventAt !== undefined ? patch.lastEventAt : row.last_event_at,
          lastError: patch.lastError !== undefined ? patch.lastError : row.last_error,
          sync: patch.sync !== undefined ? (patch.sync === null ? null : toJson(patch.sync)) : row.sync,
          now: nowIso(),
        },
      );
      return updated ? toCommerceConnection(updated) : null;
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM commerce_connections WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}

export class SqliteCannedReplyRepo implements CannedReplyRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private taken(shortcut: string): string {
    return `The shortcut "/${shortcut}" is already in use`;
  }

  async create(input: NewCannedReply): Promise<CannedReply> {
    const now = nowIso();
    const row = conflictOnUnique(this.taken(input.shortcut), () =>
      this.db.get<CannedReplyRow>(
        `INSERT INTO canned_replies (id, merchant_id, shortcut, text, created_at, updated_at)
         VALUES (@id, @m, @shortcut, @text, @now, @now) RETURNING *`,
        { id: newId(), m: this.m, shortcut: input.shortcut, text: input.text, now },
      ),
    );
    if (!row) throw new Error("insert returned no row");
    return toCannedReply(row);
  }

  async get(id: string): Promise<CannedReply | null> {
    const row = this.db.get<CannedReplyRow>("SELECT * FROM canned_replies WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toCannedReply(row) : null;
  }

  async getByShortcut(shortcut: string): Promise<CannedReply | null> {
    const row = this.db.get<CannedReplyRow>(
      "SELECT * FROM canned_replies WHERE merchant_id = @m AND shortcut = @shortcut",
      { m: this.m, shortcut },
    );
    return row ? toCannedReply(row) : null;
  }

  async list(): Promise<CannedReply[]> {
    return this.db
      .all<CannedReplyRow>("SELECT * FROM canned_replies WHERE merchant_id = @m ORDER BY shortcut", { m: this.m })
      .map(toCannedReply);
  }

  async count(): Promise<number> {
    return this.db.get<{ n: number }>("SELECT count(*) AS n FROM canned_replies WHERE merchant_id = @m", { m: this.m })?.n ?? 0;
  }

  async update(id: string, patch: CannedReplyPatch): Promise<CannedReply | null> {
    const row = conflictOnUnique(this.taken(patch.shortcut ?? ""), () =>
      this.db.get<CannedReplyRow>(
        `UPDATE canned_replies SET shortcut = coalesce(@shortcut, shortcut), text = coalesce(@text, text), updated_at = @now
         WHERE id = @id AND merchant_id = @m RETURNING *`,
        { id, m: this.m, shortcut: patch.shortcut ?? null, text: patch.text ?? null, now: nowIso() },
      ),
    );
    return row ? toCannedReply(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM canned_replies WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}
