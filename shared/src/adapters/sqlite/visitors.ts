// Widget visitors the store has to remember: identified ones (their customer and token
// generation) and blocked ones. A visitor nobody identified or blocked has no row.
import type { Page, Visitor } from "../../contracts/domain.js";
import type { MerchantId, PageRequest, VisitorRepo } from "../../ports/store.js";
import { nowIso } from "./clock.js";
import type { SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";

interface VisitorRow {
  id: string;
  merchant_id: string;
  customer_id: string | null;
  token_generation: number;
  blocked_at: string | null;
  blocked_by: string | null;
  block_reason: string | null;
  created_at: string;
  updated_at: string;
}

const toVisitor = (r: VisitorRow): Visitor => ({
  visitorId: r.id,
  merchantId: r.merchant_id,
  customerId: r.customer_id,
  tokenGeneration: r.token_generation,
  blockedAt: r.blocked_at,
  blockedBy: r.blocked_by,
  blockReason: r.block_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS = "visitor_id AS id, merchant_id, customer_id, token_generation, blocked_at, blocked_by, block_reason, created_at, updated_at";

export class SqliteVisitorRepo implements VisitorRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(visitorId: string): VisitorRow | undefined {
    return this.db.get<VisitorRow>(`SELECT ${COLUMNS} FROM visitors WHERE merchant_id = @m AND visitor_id = @v`, { m: this.m, v: visitorId });
  }

  async get(visitorId: string): Promise<Visitor | null> {
    const row = this.row(visitorId);
    return row ? toVisitor(row) : null;
  }

  async identify(visitorId: string, customerId: string): Promise<Visitor> {
    const now = nowIso();
    const row = this.db.get<VisitorRow>(
      `INSERT INTO visitors (merchant_id, visitor_id, customer_id, token_generation, created_at, updated_at)
       VALUES (@m, @v, @customerId, 1, @now, @now)
       ON CONFLICT (merchant_id, visitor_id) DO UPDATE SET
         customer_id = excluded.customer_id, token_generation = token_generation + 1, updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
      { m: this.m, v: visitorId, customerId, now },
    );
    if (!row) throw new Error("upsert returned no row");
    return toVisitor(row);
  }

  async block(visitorId: string, by: { userId: string; reason: string | null }): Promise<Visitor> {
    const now = nowIso();
    const row = this.db.get<VisitorRow>(
      `INSERT INTO visitors (merchant_id, visitor_id, token_generation, blocked_at, blocked_by, block_reason, created_at, updated_at)
       VALUES (@m, @v, 0, @now, @by, @reason, @now, @now)
       ON CONFLICT (merchant_id, visitor_id) DO UPDATE SET
         blocked_at = COALESCE(blocked_at, excluded.blocked_at),
         blocked_by = CASE WHEN blocked_at IS NULL THEN excluded.blocked_by ELSE blocked_by END,
         block_reason = CASE WHEN blocked_at IS NULL THEN excluded.block_reason ELSE block_reason END,
         updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
      { m: this.m, v: visitorId, by: by.userId, reason: by.reason, now },
    );
    if (!row) throw new Error("upsert returned no row");
    return toVisitor(row);
  }

  async unblock(visitorId: string): Promise<Visitor | null> {
    const row = this.db.get<VisitorRow>(
      `UPDATE visitors SET blocked_at = NULL, blocked_by = NULL, block_reason = NULL, updated_at = @now
       WHERE merchant_id = @m AND visitor_id = @v AND blocked_at IS NOT NULL RETURNING ${COLUMNS}`,
      { m: this.m, v: visitorId, now: nowIso() },
    );
    return row ? toVisitor(row) : null;
  }

  async listBlocked(page?: PageRequest): Promise<Page<Visitor>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const rows = this.db.all<VisitorRow>(
      `SELECT ${COLUMNS} FROM visitors WHERE merchant_id = @m AND blocked_at IS NOT NULL
       ${cursor ? "AND (blocked_at, visitor_id) < (@afterKey, @afterId)" : ""}
       ORDER BY blocked_at DESC, visitor_id DESC LIMIT @n`,
      { m: this.m, afterKey: cursor?.k, afterId: cursor?.id, n: limit + 1 },
    );
    return toPage(rows, limit, toVisitor, (r) => r.blocked_at);
  }
}
