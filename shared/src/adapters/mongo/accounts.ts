// Merchant settings, users and refresh tokens of one tenant.
import type { Merchant, Page, User } from "../../contracts/domain.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { newId } from "../../ids.js";
import { applyMerchantPatch, normalizeEmail } from "../../store/defaults.js";
import { clampLimit, readCursor, toPage } from "../../store/paging.js";
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
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { afterId, definedFields, scoped } from "./filters.js";
import { toMerchant, toRefreshToken, toUser, type MerchantDoc, type RefreshTokenDoc, type UserDoc } from "./mapping.js";

export const EMAIL_TAKEN = "Email is already registered";
export const WIDGET_KEY_TAKEN = "Widget key is already in use";
const nowIso = (): string => new Date().toISOString();

export class MongoMerchantRepo implements MerchantRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get merchants() {
    return this.db.coll<MerchantDoc>("merchants");
  }

  private async doc(): Promise<MerchantDoc> {
    const doc = await this.merchants.findOne({ _id: this.m });
    if (!doc) throw new NotFoundError("Merchant");
    return doc;
  }

  async get(): Promise<Merchant> {
    return toMerchant(await this.doc());
  }

  async update(patch: MerchantPatch): Promise<Merchant> {
    return this.db.tx(async () => {
      const next = applyMerchantPatch(toMerchant(await this.doc()), patch, nowIso());
      try {
        await this.merchants.updateOne(
          { _id: this.m },
          { $set: { name: next.name, defaultLocale: next.defaultLocale, widgetKey: next.widget.key, widget: next.widget, bot: next.bot, attachments: next.attachments, updatedAt: next.updatedAt } },
        );
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConflictError(WIDGET_KEY_TAKEN);
        throw error;
      }
      return next;
    });
  }
}

/** Inserts a user; shared by createMerchant (owner) and UserRepo.create. */
export async function insertUser(db: MongoDb, merchantId: string, input: NewUser): Promise<User> {
  const now = nowIso();
  const doc: UserDoc = {
    _id: newId(),
    merchantId,
    email: normalizeEmail(input.email),
    name: input.name,
    role: input.role,
    passwordHash: input.passwordHash,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.coll<UserDoc>("users").insert(doc);
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError(EMAIL_TAKEN);
    throw error;
  }
  return toUser(doc);
}

export class MongoUserRepo implements UserRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get users() {
    return this.db.coll<UserDoc>("users");
  }

  async create(input: NewUser): Promise<User> {
    return insertUser(this.db, this.m, input);
  }

  async get(id: string): Promise<User | null> {
    const doc = await this.users.findOne(scoped(this.m, { _id: id }));
    return doc ? toUser(doc) : null;
  }

  async getCredentials(id: string): Promise<UserCredentials | null> {
    const doc = await this.users.findOne(scoped(this.m, { _id: id }));
    return doc ? { user: toUser(doc), passwordHash: doc.passwordHash } : null;
  }

  async list(page?: PageRequest): Promise<Page<User>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const docs = await this.users.find(scoped(this.m, afterId(cursor, 1)), { sort: { _id: 1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toUser, () => null);
  }

  async update(id: string, patch: UserPatch): Promise<User | null> {
    const set = definedFields({ name: patch.name, role: patch.role, passwordHash: patch.passwordHash });
    const doc = await this.users.findOneAndUpdate(scoped(this.m, { _id: id }), { $set: { ...set, updatedAt: nowIso() } });
    return doc ? toUser(doc) : null;
  }

  async remove(id: string): Promise<boolean> {
    // The user's refresh tokens go with it (SQLite: ON DELETE CASCADE).
    return this.db.tx(async () => {
      const removed = await this.users.deleteOne(scoped(this.m, { _id: id }));
      if (removed) await this.db.coll<RefreshTokenDoc>("refreshTokens").deleteMany(scoped(this.m, { userId: id }));
      return removed;
    });
  }
}

/** toPage reads `id`; documents carry `_id`. */
export const withId = <D extends { _id: string }>(doc: D): D & { id: string } => ({ ...doc, id: doc._id });

export class MongoRefreshTokenRepo implements RefreshTokenRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get tokens() {
    return this.db.coll<RefreshTokenDoc>("refreshTokens");
  }

  async create(input: NewRefreshToken): Promise<RefreshTokenRecord> {
    // The user must be this merchant's: a token may never bridge two tenants.
    return this.db.tx(async () => {
      const user = await this.db.coll<UserDoc>("users").findOne(scoped(this.m, { _id: input.userId }));
      if (!user) throw new NotFoundError("User");
      const doc: RefreshTokenDoc = {
        _id: input.id,
        merchantId: this.m,
        userId: input.userId,
        familyId: input.familyId,
        expiresAt: input.expiresAt,
        purgeAt: new Date(input.expiresAt),
        usedAt: null,
        revokedAt: null,
        createdAt: nowIso(),
      };
      try {
        await this.tokens.insert(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConflictError("Refresh token id already exists");
        throw error;
      }
      return toRefreshToken(doc);
    });
  }

  async get(id: string): Promise<RefreshTokenRecord | null> {
    const doc = await this.tokens.findOne(scoped(this.m, { _id: id }));
    return doc ? toRefreshToken(doc) : null;
  }

  async markUsed(id: string): Promise<boolean> {
    // One conditional update: of two concurrent refreshes exactly one matches.
    const { modified } = await this.tokens.updateOne(scoped(this.m, { _id: id, usedAt: null, revokedAt: null }), { $set: { usedAt: nowIso() } });
    return modified === 1;
  }

  async revokeFamily(familyId: string): Promise<number> {
    return this.tokens.updateMany(scoped(this.m, { familyId, revokedAt: null }), { $set: { revokedAt: nowIso() } });
  }

  async revokeAllForUser(userId: string): Promise<number> {
    return this.tokens.updateMany(scoped(this.m, { userId, revokedAt: null }), { $set: { revokedAt: nowIso() } });
  }
}

