// Merchant settings, users and refresh tokens of one tenant.
import type { Merchant, User } from "../../contracts/domain.js";
import { NotFoundError } from "../../errors.js";
import { newId } from "../../ids.js";
import { applyMerchantPatch, normalizeEmail } from "../../store/defaults.js";
import type {
  MerchantId,
  MerchantPatch,
  MerchantRepo,
  NewRefreshToken,
  NewUser,
  PageRequest,
  RefreshTokenRecord,
  RefreshTokenRepo,
  UserCredentials,
  UserPatch,
  UserRepo,
} from "../../ports/store.js";
import type { Page } from "../../contracts/domain.js";
import { nowIso } from "./clock.js";
import { conflictOnUnique, toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";
import { toMerchant, toRefreshToken, toUser, type MerchantRow, type RefreshTokenRow, type UserRow } from "./rows.js";

export const EMAIL_TAKEN = "Email is already registered";

export class SqliteMerchantRepo implements MerchantRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(): MerchantRow {
    const row = this.db.get<MerchantRow>("SELECT * FROM merchants WHERE id = @m", { m: this.m });
    if (!row) throw new NotFoundError("Merchant");
    return row;
  }

  async get(): Promise<Merchant> {
    return toMerchant(this.row());
  }

  async update(patch: MerchantPatch): Promise<Merchant> {
    return this.db.tx(() => {
      const next = applyMerchantPatch(toMerchant(this.row()), patch, nowIso());
      conflictOnUnique("Widget key is already in use", () =>
        this.db.run(
          `UPDATE merchants SET name = @name, default_locale = @locale, widget_key = @widgetKey, widget = @widget,
             bot = @bot, attachments = @attachments, updated_at = @updatedAt WHERE id = @m`,
          {
            m: this.m,
            name: next.name,
            locale: next.defaultLocale,
            widgetKey: next.widget.key,
            widget: toJson(next.widget),
            bot: toJson(next.bot),
            attachments: toJson(next.attachments),
            updatedAt: next.updatedAt,
          },
        ),
      );
      return next;
    });
  }
}

/** Inserts a user; shared by createMerchant (owner) and UserRepo.create. */
export function insertUser(db: SqliteDb, merchantId: string, input: NewUser): User {
  const now = nowIso();
  const row = conflictOnUnique(EMAIL_TAKEN, () =>
    db.get<UserRow>(
      `INSERT INTO users (id, merchant_id, email, name, role, password_hash, created_at, updated_at)
       VALUES (@id, @m, @email, @name, @role, @passwordHash, @now, @now) RETURNING *`,
      {
        id: newId(),
        m: merchantId,
        email: normalizeEmail(input.email),
        name: input.name,
        role: input.role,
        passwordHash: input.passwordHash,
        now,
      },
    ),
  );
  if (!row) throw new Error("insert returned no row");
  return toUser(row);
}

export class SqliteUserRepo implements UserRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(id: string): UserRow | undefined {
    return this.db.get<UserRow>("SELECT * FROM users WHERE id = @id AND merchant_id = @m", { id, m: this.m });
  }

  async create(input: NewUser): Promise<User> {
    return insertUser(this.db, this.m, input);
  }

  async get(id: string): Promise<User | null> {
    const row = this.row(id);
    return row ? toUser(row) : null;
  }

  async getCredentials(id: string): Promise<UserCredentials | null> {
    const row = this.row(id);
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async list(page?: PageRequest): Promise<Page<User>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const rows = cursor
      ? this.db.all<UserRow>(
          "SELECT * FROM users WHERE merchant_id = @m AND id > @after ORDER BY id LIMIT @n",
          { m: this.m, after: cursor.id, n: limit + 1 },
        )
      : this.db.all<UserRow>("SELECT * FROM users WHERE merchant_id = @m ORDER BY id LIMIT @n", {
          m: this.m,
          n: limit + 1,
        });
    return toPage(rows, limit, toUser, () => null);
  }

  async update(id: string, patch: UserPatch): Promise<User | null> {
    const row = this.db.get<UserRow>(
      `UPDATE users SET name = coalesce(@name, name), role = coalesce(@role, role),
         password_hash = coalesce(@passwordHash, password_hash), updated_at = @now
       WHERE id = @id AND merchant_id = @m RETURNING *`,
      { id, m: this.m, name: patch.name, role: patch.role, passwordHash: patch.passwordHash, now: nowIso() },
    );
    return row ? toUser(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM users WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}

export class SqliteRefreshTokenRepo implements RefreshTokenRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async create(input: NewRefreshToken): Promise<RefreshTokenRecord> {
    // The user must be this merchant's: a token may never bridge two tenants.
    const row = conflictOnUnique("Refresh token id already exists", () =>
      this.db.get<RefreshTokenRow>(
        `INSERT INTO refresh_tokens (id, merchant_id, user_id, family_id, expires_at, used_at, revoked_at, created_at)
         SELECT @id, @m, @userId, @familyId, @expiresAt, NULL, NULL, @now
         WHERE EXISTS (SELECT 1 FROM users WHERE id = @userId AND merchant_id = @m)
         RETURNING *`,
        { ...input, m: this.m, now: nowIso() },
      ),
    );
    if (!row) throw new NotFoundError("User");
    return toRefreshToken(row);
  }

  async get(id: string): Promise<RefreshTokenRecord | null> {
    const row = this.db.get<RefreshTokenRow>("SELECT * FROM refresh_tokens WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toRefreshToken(row) : null;
  }

  async markUsed(id: string): Promise<boolean> {
    const changed = this.db.run(
      `UPDATE refresh_tokens SET used_at = @now
       WHERE id = @id AND merchant_id = @m AND used_at IS NULL AND revoked_at IS NULL`,
      { id, m: this.m, now: nowIso() },
    );
    return changed === 1;
  }

  async revokeFamily(familyId: string): Promise<number> {
    return this.db.run(
      `UPDATE refresh_tokens SET revoked_at = @now
       WHERE merchant_id = @m AND family_id = @familyId AND revoked_at IS NULL`,
      { familyId, m: this.m, now: nowIso() },
    );
  }

  async revokeAllForUser(userId: string): Promise<number> {
    return this.db.run(
      `UPDATE refresh_tokens SET revoked_at = @now
       WHERE merchant_id = @m AND user_id = @userId AND revoked_at IS NULL`,
      { userId, m: this.m, now: nowIso() },
    );
  }
}
