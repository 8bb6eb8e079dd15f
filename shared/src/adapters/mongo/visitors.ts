// Widget visitors the store has to remember: identified ones (their customer and token
// generation) and blocked ones. A visitor nobody identified or blocked has no document.
import type { Page, Visitor } from "../../contracts/domain.js";
import { newId } from "../../ids.js";
import { clampLimit, readCursor, toPage } from "../../store/paging.js";
import type { MerchantId, PageRequest, VisitorRepo } from "../../ports/store.js";
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { allOf, op, scoped } from "./filters.js";
import { toVisitor, type VisitorDoc } from "./mapping.js";

const nowIso = (): string => new Date().toISOString();

/** Retries an upsert once: two upserts of one new visitor may both try to insert; the loser then updates. */
async function upsertRetry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return fn();
  }
}

export class MongoVisitorRepo implements VisitorRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get visitors() {
    return this.db.coll<VisitorDoc>("visitors");
  }

  async get(visitorId: string): Promise<Visitor | null> {
    const doc = await this.visitors.findOne(scoped(this.m, { visitorId }));
    return doc ? toVisitor(doc) : null;
  }

  async identify(visitorId: string, customerId: string): Promise<Visitor> {
    const now = nowIso();
    // $inc on an upsert starts the counter at 1 for a new visitor, as SQLite's INSERT … ON CONFLICT does.
    const doc = await upsertRetry(() =>
      this.visitors.findOneAndUpdate(
        scoped(this.m, { visitorId }),
        {
          $set: { customerId, updatedAt: now },
          $inc: { tokenGeneration: 1 },
          $setOnInsert: { _id: newId(), blockedAt: null, blockedBy: null, blockReason: null, createdAt: now },
        },
        { upsert: true },
      ),
    );
    if (!doc) throw new Error("upsert returned no document");
    return toVisitor(doc);
  }

  async block(visitorId: string, by: { userId: string; reason: string | null }): Promise<Visitor> {
    const now = nowIso();
    const filter = scoped(this.m, { visitorId });
    // Only a visitor not blocked yet takes this block (the first block's time and author stand).
    await upsertRetry(async () => {
      const { matched } = await this.visitors.updateOne(allOf(filter, { blockedAt: null }), { $set: { blockedAt: now, blockedBy: by.userId, blockReason: by.reason, updatedAt: now } });
      if (matched > 0) return;
      const existing = await this.visitors.findOne(filter);
      if (existing) {
        await this.visitors.updateOne(filter, { $set: { updatedAt: now } });
        return;
      }
      await this.visitors.insert({
        _id: newId(),
        merchantId: this.m,
        visitorId,
        customerId: null,
        tokenGeneration: 0,
        blockedAt: now,
        blockedBy: by.userId,
        blockReason: by.reason,
        createdAt: now,
        updatedAt: now,
      });
    });
    const doc = await this.visitors.findOne(filter);
    if (!doc) throw new Error("blocked visitor vanished");
    return toVisitor(doc);
  }

  async unblock(visitorId: string): Promise<Visitor | null> {
    const doc = await this.visitors.findOneAndUpdate(scoped(this.m, { visitorId, blockedAt: op({ $type: "string" }) }), {
      $set: { blockedAt: null, blockedBy: null, blockReason: null, updatedAt: nowIso() },
    });
    return doc ? toVisitor(doc) : null;
  }

  async listBlocked(page?: PageRequest): Promise<Page<Visitor>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const after = cursor
      ? { $or: [{ blockedAt: op({ $lt: cursor.k }) }, { blockedAt: cursor.k, visitorId: op({ $lt: cursor.id }) }] }
      : { blockedAt: op({ $type: "string" }) };
    const docs = await this.visitors.find(scoped(this.m, after), { sort: { blockedAt: -1, visitorId: -1 }, limit: limit + 1 });
    // The cursor holds the visitor id (what the SQLite adapter keys it by), not the document id.
    return toPage(
      docs.map((d) => ({ ...d, id: d.visitorId })),
      limit,
      toVisitor,
      (d) => d.blockedAt,
    );
  }
}
