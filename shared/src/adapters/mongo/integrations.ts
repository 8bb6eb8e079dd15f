// Knowledge items, messaging channels, commerce connections, canned replies and outgoing
// webhooks (endpoints and their delivery log) of one tenant.
import type { CannedReply, Channel, CommerceConnection, KnowledgeItem, Page } from "../../contracts/domain.js";
import type { OutgoingEventType, WebhookDelivery, WebhookEndpoint } from "../../contracts/outgoing-webhooks.js";
import { ConflictError } from "../../errors.js";
import { newId } from "../../ids.js";
import { clampLimit, readCursor, toPage } from "../../store/paging.js";
import type {
  CannedReplyPatch,
  CannedReplyRepo,
  ChannelPatch,
  ChannelRepo,
  CommerceConnectionPatch,
  CommerceConnectionRepo,
  KnowledgeItemPatch,
  KnowledgeRepo,
  MerchantId,
  NewCannedReply,
  NewChannel,
  NewCommerceConnection,
  NewKnowledgeItem,
  NewWebhookDelivery,
  NewWebhookEndpoint,
  PageRequest,
  WebhookDeliveryRepo,
  WebhookEndpointPatch,
  WebhookEndpointRepo,
} from "../../ports/store.js";
import { withId } from "./accounts.js";
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { afterId, allOf, beforeKey, definedFields, scoped } from "./filters.js";
import {
  toCannedReply,
  toChannel,
  toCommerceConnection,
  toJson,
  toKnowledgeItem,
  toWebhookDelivery,
  toWebhookEndpoint,
  type CannedReplyDoc,
  type ChannelDoc,
  type CommerceConnectionDoc,
  type KnowledgeDoc,
  type WebhookDeliveryDoc,
  type WebhookEndpointDoc,
} from "./mapping.js";

const nowIso = (): string => new Date().toISOString();

export class MongoKnowledgeRepo implements KnowledgeRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get items() {
    return this.db.coll<KnowledgeDoc>("knowledgeItems");
  }

  async create(input: NewKnowledgeItem): Promise<KnowledgeItem> {
    const now = nowIso();
    const doc: KnowledgeDoc = { _id: newId(), merchantId: this.m, title: input.title, data: input.data, createdAt: now, updatedAt: now };
    await this.items.insert(doc);
    return toKnowledgeItem(doc);
  }

  async get(id: string): Promise<KnowledgeItem | null> {
    const doc = await this.items.findOne(scoped(this.m, { _id: id }));
    return doc ? toKnowledgeItem(doc) : null;
  }

  async list(page?: PageRequest): Promise<Page<KnowledgeItem>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const docs = await this.items.find(scoped(this.m, afterId(cursor, 1)), { sort: { _id: 1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toKnowledgeItem, () => null);
  }

  async all(): Promise<KnowledgeItem[]> {
    return (await this.items.find(scoped(this.m), { sort: { _id: 1 } })).map(toKnowledgeItem);
  }

  async update(id: string, patch: KnowledgeItemPatch): Promise<KnowledgeItem | null> {
    const doc = await this.items.findOneAndUpdate(scoped(this.m, { _id: id }), { $set: { ...definedFields({ title: patch.title, data: patch.data }), updatedAt: nowIso() } });
    return doc ? toKnowledgeItem(doc) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.items.deleteOne(scoped(this.m, { _id: id }));
  }
}

export class MongoChannelRepo implements ChannelRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get channels() {
    return this.db.coll<ChannelDoc>("channels");
  }

  async create(input: NewChannel): Promise<Channel> {
    const now = nowIso();
    const doc: ChannelDoc = {
      _id: input.id ?? newId(),
      merchantId: this.m,
      type: input.type,
      name: input.name,
      publicConfigJson: toJson(input.publicConfig),
      secretsCiphertext: input.secretsCiphertext,
      status: "active",
      lastEventAt: null,
      lastError: null,
      failureStreak: 0,
      breakerOpenUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.channels.insert(doc);
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError("A channel with this id already exists");
      throw error;
    }
    return toChannel(doc);
  }

  async get(id: string): Promise<Channel | null> {
    const doc = await this.channels.findOne(scoped(this.m, { _id: id }));
    return doc ? toChannel(doc) : null;
  }

  async getSecrets(id: string): Promise<string | null> {
    return (await this.channels.findOne(scoped(this.m, { _id: id })))?.secretsCiphertext ?? null;
  }

  async list(): Promise<Channel[]> {
    return (await this.channels.find(scoped(this.m), { sort: { _id: 1 } })).map(toChannel);
  }

  async recordDelivery(
    id: string,
    outcome: { ok: true } | { ok: false; error: string; serverError: boolean },
    breaker: { threshold: number; openMs: number },
  ): Promise<Channel | null> {
    const now = new Date();
    const filter = scoped(this.m, { _id: id });
    if (outcome.ok) {
      const doc = await this.channels.findOneAndUpdate(filter, { $set: { failureStreak: 0, breakerOpenUntil: null, updatedAt: now.toISOString() } });
      return doc ? toChannel(doc) : null;
    }
    const set = { lastError: outcome.error.slice(0, 1000), updatedAt: now.toISOString() };
    if (!outcome.serverError) {
      const doc = await this.channels.findOneAndUpdate(filter, { $set: set });
      return doc ? toChannel(doc) : null;
    }
    // $inc is atomic: concurrent failures each count. The update that returns a streak at the
    // threshold opens the breaker (a conditional second write, so a success in between wins).
    const counted = await this.channels.findOneAndUpdate(filter, { $inc: { failureStreak: 1 }, $set: set });
    if (!counted) return null;
    if (counted.failureStreak < breaker.threshold) return toChannel(counted);
    const opened = await this.channels.findOneAndUpdate(scoped(this.m, { _id: id, failureStreak: counted.failureStreak }), {
      $set: { breakerOpenUntil: new Date(now.getTime() + breaker.openMs).toISOString() },
    });
    return toChannel(opened ?? counted);
  }

  async update(id: string, patch: ChannelPatch): Promise<Channel | null> {
    const set = definedFields({
      name: patch.name,
      publicConfigJson: patch.publicConfig !== undefined ? toJson(patch.publicConfig) : undefined,
      secretsCiphertext: patch.secretsCiphertext,
      status: patch.status,
      lastEventAt: patch.lastEventAt,
      lastError: patch.lastError,
    });
    const doc = await this.channels.findOneAndUpdate(scoped(this.m, { _id: id }), { $set: { ...set, updatedAt: nowIso() } });
    return doc ? toChannel(doc) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.channels.deleteOne(scoped(this.m, { _id: id }));
  }
}

export class MongoCommerceConnectionRepo implements CommerceConnectionRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get connections() {
    return this.db.coll<CommerceConnectionDoc>("commerceConnections");
  }

  async create(input: NewCommerceConnection): Promise<CommerceConnection> {
    const now = nowIso();
    const doc: CommerceConnectionDoc = {
      _id: newId(),
      merchantId: this.m,
      platform: input.platform,
      publicConfigJson: toJson(input.publicConfig),
      secretsCiphertext: input.secretsCiphertext,
      status: "active",
      lastEventAt: null,
      lastError: null,
      syncJson: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.connections.insert(doc);
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(`A ${input.platform} connection already exists`);
      throw error;
    }
    return toCommerceConnection(doc);
  }

  async get(id: string): Promise<CommerceConnection | null> {
    const doc = await this.connections.findOne(scoped(this.m, { _id: id }));
    return doc ? toCommerceConnection(doc) : null;
  }

  async getByPlatform(platform: CommerceConnection["platform"]): Promise<CommerceConnection | null> {
    const doc = await this.connections.findOne(scoped(this.m, { platform }));
    return doc ? toCommerceConnection(doc) : null;
  }

  async getSecrets(id: string): Promise<string | null> {
    return (await this.connections.findOne(scoped(this.m, { _id: id })))?.secretsCiphertext ?? null;
  }

  async list(): Promise<CommerceConnection[]> {
    return (await this.connections.find(scoped(this.m), { sort: { _id: 1 } })).map(toCommerceConnection);
  }

  async update(id: string, patch: CommerceConnectionPatch): Promise<CommerceConnection | null> {
    const set = definedFields({
      publicConfigJson: patch.publicConfig !== undefined ? toJson(patch.publicConfig) : undefined,
      secretsCiphertext: patch.secretsCiphertext,
      status: patch.status,
      lastEventAt: patch.lastEventAt,
      lastError: patch.lastError,
      syncJson: patch.sync !== undefined ? (patch.sync === null ? null : toJson(patch.sync)) : undefined,
    });
    const doc = await this.connections.findOneAndUpdate(scoped(this.m, { _id: id }), { $set: { ...set, updatedAt: nowIso() } });
    return doc ? toCommerceConnection(doc) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.connections.deleteOne(scoped(this.m, { _id: id }));
  }
}

export class MongoCannedReplyRepo implements CannedReplyRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get replies() {
    return this.db.coll<CannedReplyDoc>("cannedReplies");
  }

  private taken(shortcut: string): string {
    return `The shortcut "/${shortcut}" is already in use`;
  }

  async create(input: NewCannedReply): Promise<CannedReply> {
    const now = nowIso();
    const doc: CannedReplyDoc = { _id: newId(), merchantId: this.m, shortcut: input.shortcut, text: input.text, createdAt: now, updatedAt: now };
    try {
      await this.replies.insert(doc);
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(this.taken(input.shortcut));
      throw error;
    }
    return toCannedReply(doc);
  }

  async get(id: string): Promise<CannedReply | null> {
    const doc = await this.replies.findOne(scoped(this.m, { _id: id }));
    return doc ? toCannedReply(doc) : null;
  }

  async getByShortcut(shortcut: string): Promise<CannedReply | null> {
    const doc = await this.replies.findOne(scoped(this.m, { shortcut }));
    return doc ? toCannedReply(doc) : null;
  }

  async list(): Promise<CannedReply[]> {
    return (await this.replies.find(scoped(this.m), { sort: { shortcut: 1 } })).map(toCannedReply);
  }

  async count(): Promise<number> {
    return this.replies.count(scoped(this.m));
  }

  async update(id: string, patch: CannedReplyPatch): Promise<CannedReply | null> {
    try {
      const doc = await this.replies.findOneAndUpdate(scoped(this.m, { _id: id }), {
        $set: { ...definedFields({ shortcut: patch.shortcut, text: patch.text }), updatedAt: nowIso() },
      });
      return doc ? toCannedReply(doc) : null;
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(this.taken(patch.shortcut ?? ""));
      throw error;
    }
  }

  async remove(id: string): Promise<boolean> {
    return this.replies.deleteOne(scoped(this.m, { _id: id }));
  }
}

export class MongoWebhookEndpointRepo implements WebhookEndpointRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get endpoints() {
    return this.db.coll<WebhookEndpointDoc>("webhookEndpoints");
  }

  async create(input: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const now = nowIso();
    const doc: WebhookEndpointDoc = {
      _id: newId(),
      merchantId: this.m,
      url: input.url,
      description: input.description ?? "",
      events: [...new Set(input.events)],
      status: "active",
      secretCiphertext: input.secretCiphertext,
      createdAt: now,
      updatedAt: now,
    };
    await this.endpoints.insert(doc);
    return toWebhookEndpoint(doc);
  }

  async get(id: string): Promise<WebhookEndpoint | null> {
    const doc = await this.endpoints.findOne(scoped(this.m, { _id: id }));
    return doc ? toWebhookEndpoint(doc) : null;
  }

  async getSecret(id: string): Promise<string | null> {
    return (await this.endpoints.findOne(scoped(this.m, { _id: id })))?.secretCiphertext ?? null;
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.endpoints.find(scoped(this.m), { sort: { createdAt: 1, _id: 1 } })).map(toWebhookEndpoint);
  }

  async listSubscribed(type: OutgoingEventType): Promise<WebhookEndpoint[]> {
    // Equality on an array field matches when any element equals it.
    return (await this.endpoints.find(scoped(this.m, { status: "active", events: type }), { sort: { createdAt: 1, _id: 1 } })).map(toWebhookEndpoint);
  }

  async update(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpoint | null> {
    const set = definedFields({
      url: patch.url,
      description: patch.description,
      events: patch.events ? [...new Set(patch.events)] : undefined,
      status: patch.status,
      secretCiphertext: patch.secretCiphertext,
    });
    const doc = await this.endpoints.findOneAndUpdate(scoped(this.m, { _id: id }), { $set: { ...set, updatedAt: nowIso() } });
    return doc ? toWebhookEndpoint(doc) : null;
  }

  async remove(id: string): Promise<boolean> {
    // Its delivery log goes with it (SQLite: ON DELETE CASCADE), in one transaction.
    return this.db.tx(async () => {
      const removed = await this.endpoints.deleteOne(scoped(this.m, { _id: id }));
      if (removed) await this.db.coll<WebhookDeliveryDoc>("webhookDeliveries").deleteMany(scoped(this.m, { endpointId: id }));
      return removed;
    });
  }
}

export class MongoWebhookDeliveryRepo implements WebhookDeliveryRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get deliveries() {
    return this.db.coll<WebhookDeliveryDoc>("webhookDeliveries");
  }

  async recordOnce(input: NewWebhookDelivery): Promise<{ delivery: WebhookDelivery; created: boolean }> {
    const find = () => this.deliveries.findOne(scoped(this.m, { eventId: input.eventId, endpointId: input.endpointId }));
    const existing = await find();
    if (existing) return { delivery: toWebhookDelivery(existing), created: false };
    // The endpoint must be this merchant's (SQLite: INSERT … WHERE EXISTS).
    const endpoint = await this.db.coll<WebhookEndpointDoc>("webhookEndpoints").findOne(scoped(this.m, { _id: input.endpointId }));
    if (!endpoint) throw new Error(`webhook endpoint ${input.endpointId} not found`);
    const doc: WebhookDeliveryDoc = {
      _id: newId(),
      merchantId: this.m,
      endpointId: input.endpointId,
      eventId: input.eventId,
      eventType: input.eventType,
      body: input.body,
      status: "pending",
      attempts: 0,
      lastStatus: null,
      lastError: null,
      test: input.test,
      createdAt: nowIso(),
      lastAttemptAt: null,
      deliveredAt: null,
    };
    try {
      await this.deliveries.insert(doc);
      return { delivery: toWebhookDelivery(doc), created: true };
    } catch (error) {
      // The unique (merchantId, eventId, endpointId) index: a dispatch running twice finds the first.
      if (!isDuplicateKey(error)) throw error;
      const first = await find();
      if (!first) throw error;
      return { delivery: toWebhookDelivery(first), created: false };
    }
  }

  async get(id: string): Promise<WebhookDelivery | null> {
    const doc = await this.deliveries.findOne(scoped(this.m, { _id: id }));
    return doc ? toWebhookDelivery(doc) : null;
  }

  async list(filter: { endpointId?: string } = {}, page?: PageRequest): Promise<Page<WebhookDelivery>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const where = allOf(scoped(this.m, definedFields({ endpointId: filter.endpointId })), beforeKey("createdAt", cursor));
    const docs = await this.deliveries.find(where, { sort: { createdAt: -1, _id: -1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toWebhookDelivery, (d) => d.createdAt);
  }

  async recordAttempt(id: string, outcome: { status: WebhookDelivery["status"]; httpStatus: number | null; error: string | null }): Promise<WebhookDelivery | null> {
    const now = nowIso();
    const doc = await this.deliveries.findOneAndUpdate(scoped(this.m, { _id: id }), {
      $inc: { attempts: 1 },
      $set: {
        status: outcome.status,
        lastStatus: outcome.httpStatus,
        lastError: outcome.error,
        lastAttemptAt: now,
        ...(outcome.status === "delivered" ? { deliveredAt: now } : {}),
      },
    });
    return doc ? toWebhookDelivery(doc) : null;
  }
}
