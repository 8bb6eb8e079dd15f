// Inbound webhook dedupe, the transactional outbox, delivery attempts, the audit log, and the
// cross-tenant system scope.
import type { UploadDoc } from "./uploads.js";
import type { AuditLog, Page } from "../../contracts/domain.js";
import { outboxTopicSchemas, type NewOutboxEvent } from "../../contracts/jobs.js";
import { newId } from "../../ids.js";
import { clampLimit, readCursor, toPage } from "../../store/paging.js";
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
import { withId } from "./accounts.js";
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { afterId, op, scoped } from "./filters.js";
import {
  toAuditLog,
  toDeliveryAttempt,
  toJson,
  toOutboxEvent,
  toWebhookEvent,
  type AuditDoc,
  type DeliveryAttemptDoc,
  type MessageDoc,
  type OutboxDoc,
  type WebhookEventDoc,
} from "./mapping.js";

const nowIso = (): string => new Date().toISOString();

export class MongoWebhookEventRepo implements WebhookEventRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get events() {
    return this.db.coll<WebhookEventDoc>("webhookEvents");
  }

  async recordOnce(input: { source: string; dedupeKey: string; payload: unknown }): Promise<{ event: WebhookEventRecord; duplicate: boolean }> {
    const doc: WebhookEventDoc = {
      _id: newId(),
      merchantId: this.m,
      source: input.source,
      dedupeKey: input.dedupeKey,
      payloadJson: toJson(input.payload),
      status: "received",
      error: null,
      receivedAt: nowIso(),
      processedAt: null,
    };
    try {
      await this.events.insert(doc);
      return { event: toWebhookEvent(doc), duplicate: false };
    } catch (error) {
      // The unique (merchantId, source, dedupeKey) index: a provider's retry of a delivered event.
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.events.findOne(scoped(this.m, { source: input.source, dedupeKey: input.dedupeKey }));
      if (!existing) throw error;
      return { event: toWebhookEvent(existing), duplicate: true };
    }
  }

  async get(id: string): Promise<WebhookEventRecord | null> {
    const doc = await this.events.findOne(scoped(this.m, { _id: id }));
    return doc ? toWebhookEvent(doc) : null;
  }

  async markProcessed(id: string): Promise<void> {
    await this.events.updateOne(scoped(this.m, { _id: id }), { $set: { status: "processed", error: null, processedAt: nowIso() } });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.events.updateOne(scoped(this.m, { _id: id }), { $set: { status: "failed", error, processedAt: nowIso() } });
  }
}

/** The outbox documents of `events`, each payload checked against its topic's schema. */
export function outboxDocs(m: MerchantId, events: readonly NewOutboxEvent[], now = nowIso()): OutboxDoc[] {
  return events.map((event) => ({
    _id: newId(),
    merchantId: m,
    topic: event.topic,
    payloadJson: toJson(outboxTopicSchemas[event.topic].parse(event.payload)),
    attempts: 0,
    createdAt: now,
    publishedAt: null,
    claimedUntil: null,
    claimedBy: null,
    availableAt: now,
    lastError: null,
  }));
}

/** Inserts outbox rows; called inside the caller's transaction so they land with its write. */
export async function insertOutbox(db: MongoDb, m: MerchantId, events: readonly NewOutboxEvent[]): Promise<OutboxDoc[]> {
  const docs = outboxDocs(m, events);
  await db.coll<OutboxDoc>("outboxEvents").insertMany(docs);
  return docs;
}

export class MongoOutboxRepo implements OutboxRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  async add(input: NewOutboxEvent): Promise<OutboxEventRecord> {
    const [doc] = await insertOutbox(this.db, this.m, [input]);
    return toOutboxEvent(doc!);
  }

  async get(id: string): Promise<OutboxEventRecord | null> {
    const doc = await this.db.coll<OutboxDoc>("outboxEvents").findOne(scoped(this.m, { _id: id }));
    return doc ? toOutboxEvent(doc) : null;
  }

  async listPending(limit: number): Promise<OutboxEventRecord[]> {
    const docs = await this.db.coll<OutboxDoc>("outboxEvents").find(scoped(this.m, { publishedAt: null }), { sort: { _id: 1 }, limit: clampLimit(limit, 100, 1000) });
    return docs.map(toOutboxEvent);
  }
}

export class MongoDeliveryAttemptRepo implements DeliveryAttemptRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get attempts() {
    return this.db.coll<DeliveryAttemptDoc>("deliveryAttempts");
  }

  async begin(key: string, messageId: string): Promise<{ attempt: DeliveryAttempt; fresh: boolean }> {
    const doc: DeliveryAttemptDoc = {
      _id: newId(),
      merchantId: this.m,
      key,
      messageId,
      state: "started",
      providerMessageIds: [],
      error: null,
      startedAt: nowIso(),
      finishedAt: null,
      inFlight: null,
    };
    try {
      await this.attempts.insert(doc);
      return { attempt: toDeliveryAttempt(doc), fresh: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.attempts.findOne(scoped(this.m, { key }));
      if (!existing) throw error;
      return { attempt: toDeliveryAttempt(existing), fresh: false };
    }
  }

  async markInFlight(key: string, piece: number | null): Promise<void> {
    await this.attempts.updateOne(scoped(this.m, { key }), { $set: { inFlight: piece } });
  }

  async addPiece(key: string, providerMessageId: string): Promise<void> {
    // $addToSet: a piece recorded twice (a retried callback) is listed once, in first-seen order.
    await this.attempts.updateOne(scoped(this.m, { key }), { $set: { inFlight: null }, $addToSet: { providerMessageIds: providerMessageId } });
  }

  async finish(key: string, outcome: { state: "sent"; providerMessageIds: string[] } | { state: "failed"; error: string }): Promise<void> {
    await this.attempts.updateOne(scoped(this.m, { key }), {
      $set: {
        state: outcome.state,
        providerMessageIds: outcome.state === "sent" ? outcome.providerMessageIds : [],
        error: outcome.state === "failed" ? outcome.error.slice(0, 1000) : null,
        finishedAt: nowIso(),
        inFlight: null,
      },
    });
  }

  async forget(key: string): Promise<void> {
    await this.attempts.deleteOne(scoped(this.m, { key }));
  }

  async get(key: string): Promise<DeliveryAttempt | null> {
    const doc = await this.attempts.findOne(scoped(this.m, { key }));
    return doc ? toDeliveryAttempt(doc) : null;
  }
}

/** Cross-tenant work (see SystemStore): each claim is one atomic findOneAndUpdate, so two relays never take one row. */
export function mongoSystemStore(db: MongoDb): SystemStore {
  const outbox = () => db.coll<OutboxDoc>("outboxEvents");
  return {
    uploads: {
      async listExpired({ now, limit }) {
        const docs = await db.coll<UploadDoc>("uploads").find({ state: "pending", expiresAt: op({ $lte: now }) }, { sort: { expiresAt: 1 }, limit: clampLimit(limit, 100, 1000) });
        return docs.map((d) => ({ merchantId: asMerchantId(d.merchantId), id: d._id }));
      },
    },
    messages: {
      async listStreaming({ olderThanMs, limit }) {
        const before = new Date(Date.now() - olderThanMs).toISOString();
        const docs = await db
          .coll<MessageDoc>("messages")
          .find({ status: "streaming", createdAt: op({ $lte: before }) }, { sort: { createdAt: 1 }, limit: clampLimit(limit, 100, 1000) });
        return docs.map((d) => ({ merchantId: asMerchantId(d.merchantId), conversationId: d.conversationId, id: d._id }));
      },
    },
    outbox: {
      async claim({ limit, leaseMs, owner }) {
        const now = new Date();
        const iso = now.toISOString();
        const until = new Date(now.getTime() + leaseMs).toISOString();
        const claimed: OutboxEventRecord[] = [];
        const n = clampLimit(limit, 100, 1000);
        while (claimed.length < n) {
          const doc = await outbox().findOneAndUpdate(
            { publishedAt: null, availableAt: op({ $lte: iso }), $or: [{ claimedUntil: null }, { claimedUntil: op({ $lte: iso }) }] },
            { $set: { claimedUntil: until, claimedBy: owner }, $inc: { attempts: 1 } },
            { sort: { availableAt: 1, _id: 1 } },
          );
          if (!doc) break;
          claimed.push(toOutboxEvent(doc));
        }
        return claimed;
      },
      async complete(id, owner) {
        await outbox().updateOne({ _id: id, claimedBy: owner, publishedAt: null }, { $set: { publishedAt: nowIso(), claimedUntil: null, lastError: null } });
      },
      async release(id, owner, { error, retryInMs }) {
        await outbox().updateOne(
          { _id: id, claimedBy: owner, publishedAt: null },
          { $set: { claimedUntil: null, availableAt: new Date(Date.now() + retryInMs).toISOString(), lastError: error.slice(0, 1000) } },
        );
      },
    },
    webhookEvents: {
      async listStale({ olderThanMs, limit }) {
        const before = new Date(Date.now() - olderThanMs).toISOString();
        const docs = await db
          .coll<WebhookEventDoc>("webhookEvents")
          .find({ status: "received", receivedAt: op({ $lte: before }) }, { sort: { receivedAt: 1 }, limit: clampLimit(limit, 100, 1000) });
        return docs.map((d) => ({ merchantId: asMerchantId(d.merchantId), id: d._id, source: d.source }));
      },
    },
  };
}

export class MongoAuditRepo implements AuditRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  async add(input: NewAuditLog): Promise<AuditLog> {
    const doc: AuditDoc = {
      _id: newId(),
      merchantId: this.m,
      actorId: input.actorId ?? null,
      action: input.action,
      target: input.target ?? null,
      dataJson: toJson(input.data ?? {}),
      ip: input.ip ?? null,
      createdAt: nowIso(),
    };
    await this.db.coll<AuditDoc>("auditLogs").insert(doc);
    return toAuditLog(doc);
  }

  /** Newest first. */
  async list(page?: PageRequest): Promise<Page<AuditLog>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const docs = await this.db.coll<AuditDoc>("auditLogs").find(scoped(this.m, afterId(cursor, -1)), { sort: { _id: -1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toAuditLog, () => null);
  }
}
