// Uploads: URLs handed out (pending) and the attachments messages carry (stored), per merchant.
// The ledger the quota is summed from and the sweeper finds abandoned uploads in.
import type { MerchantId, NewUpload, StoredUpload, UploadRecord, UploadRepo } from "../../ports/store.js";
import { nowIso } from "./clock.js";
import type { SqliteDb } from "./db.js";

interface UploadRow {
  id: string;
  owner: string;
  name: string;
  declared_type: string;
  max_bytes: number;
  state: "pending" | "stored";
  conversation_id: string | null;
  object_key: string | null;
  content_type: string | null;
  size: number | null;
  kind: UploadRecord["kind"];
  width: number | null;
  height: number | null;
  created_at: string;
  expires_at: string;
}

const toUpload = (r: UploadRow): UploadRecord => ({
  id: r.id,
  owner: r.owner,
  name: r.name,
  declaredType: r.declared_type,
  maxBytes: r.max_bytes,
  state: r.state,
  conversationId: r.conversation_id,
  key: r.object_key,
  contentType: r.content_type,
  size: r.size,
  kind: r.kind,
  width: r.width,
  height: r.height,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export class SqliteUploadRepo implements UploadRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async create(input: NewUpload): Promise<UploadRecord> {
    const row = this.db.get<UploadRow>(
      `INSERT INTO uploads (merchant_id, id, owner, name, declared_type, max_bytes, state, created_at, expires_at)
       VALUES (@m, @id, @owner, @name, @declaredType, @maxBytes, 'pending', @now, @expiresAt) RETURNING *`,
      { m: this.m, ...input, now: nowIso() },
    );
    if (!row) throw new Error("insert returned no row");
    return toUpload(row);
  }

  async get(id: string): Promise<UploadRecord | null> {
    const row = this.db.get<UploadRow>("SELECT * FROM uploads WHERE merchant_id = @m AND id = @id", { m: this.m, id });
    return row ? toUpload(row) : null;
  }

  async markStored(id: string, stored: StoredUpload, quotaBytes: number): Promise<"stored" | "quota" | "not_pending"> {
    return this.db.tx(() => {
      const row = this.db.get<{ state: string }>("SELECT state FROM uploads WHERE merchant_id = @m AND id = @id", { m: this.m, id });
      if (row?.state !== "pending") return "not_pending";
      // One write transaction: two claims at once cannot both fit into the last of the quota.
      const used = this.db.get<{ n: number }>("SELECT COALESCE(SUM(size), 0) AS n FROM uploads WHERE merchant_id = @m AND state = 'stored'", { m: this.m })?.n ?? 0;
      if (used + stored.size > quotaBytes) return "quota";
      this.db.run(
        `UPDATE uploads SET state = 'stored', conversation_id = @conversationId, object_key = @key, content_type = @contentType,
           size = @size, kind = @kind, width = @width, height = @height WHERE merchant_id = @m AND id = @id AND state = 'pending'`,
        { m: this.m, id, ...stored },
      );
      return "stored";
    });
  }

  async delete(id: string): Promise<void> {
    this.db.run("DELETE FROM uploads WHERE merchant_id = @m AND id = @id", { m: this.m, id });
  }

  async usage(): Promise<number> {
    return this.db.get<{ n: number }>("SELECT COALESCE(SUM(size), 0) AS n FROM uploads WHERE merchant_id = @m AND state = 'stored'", { m: this.m })?.n ?? 0;
  }
}
