// Outgoing webhook endpoints of one tenant and the log of what was delivered to them.
import type { Page } from "../../contracts/domain.js";
import type { OutgoingEventType, WebhookDelivery, WebhookEndpoint } from "../../contracts/outgoing-webhooks.js";
import { newId } from "../../ids.js";
import type {
  MerchantId,
  NewWebhookDelivery,
  NewWebhookEndpoint,
  PageRequest,
  WebhookDeliveryRepo,
  WebhookEndpointPatch,
  WebhookEndpointRepo,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { fromJson, toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage } from "./paging.js";

interface EndpointRow {
  id: string;
  merchant_id: string;
  url: string;
  description: string;
  events: string;
  status: WebhookEndpoint["status"];
  secret_ciphertext: string;
  created_at: string;
  updated_at: string;
}
const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  merchantId: r.merchant_id,
  url: r.url,
  description: r.description,
  events: fromJson<OutgoingEventType[]>(r.events),
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface DeliveryRow {
  id: string;
  merchant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: OutgoingEventType;
  body: string;
  status: WebhookDelivery["status"];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  test: number;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
}
const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  merchantId: r.merchant_id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  test: r.test === 1,
  createdAt: r.created_at,
  lastAttemptAt: r.last_attempt_at,
  deliveredAt: r.delivered_at,
});

export class SqliteWebhookEndpointRepo implements WebhookEndpointRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(id: string): EndpointRow | undefined {
    return this.db.get<EndpointRow>("SELECT * FROM webhook_endpoints WHERE id = @id AND merchant_id = @m", { id, m: this.m });
  }

  async create(input: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const now = nowIso();
    const row = this.db.get<EndpointRow>(
      `INSERT INTO webhook_endpoints (id, merchant_id, url, description, events, status, secret_ciphertext, created_at, updated_at)
       VALUES (@id, @m, @url, @description, @events, 'active', @secret, @now, @now) RETURNING *`,
      { id: newId(), m: this.m, url: input.url, description: input.description ?? "", events: toJson([...new Set(input.events)]), secret: input.secretCiphertext, now },
    );
    if (!row) throw new Error("insert returned no row");
    return toEndpoint(row);
  }

  async get(id: string): Promise<WebhookEndpoint | null> {
    const row = this.row(id);
    return row ? toEndpoint(row) : null;
  }

  async getSecret(id: string): Promise<string | null> {
    return this.row(id)?.secret_ciphertext ?? null;
  }

  async list(): Promise<WebhookEndpoint[]> {
    return this.db.all<EndpointRow>("SELECT * FROM webhook_endpoints WHERE merchant_id = @m ORDER BY created_at, id", { m: this.m }).map(toEndpoint);
  }

  async listSubscribed(type: OutgoingEventType): Promise<WebhookEndpoint[]> {
    return this.db
      .all<EndpointRow>(
        `SELECT * FROM webhook_endpoints WHERE merchant_id = @m AND status = 'active'
           AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = @type) ORDER BY created_at, id`,
        { m: this.m, type },
      )
      .map(toEndpoint);
  }

  async update(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpoint | null> {
    const row = this.db.get<EndpointRow>(
      `UPDATE webhook_endpoints SET url = coalesce(@url, url), description = coalesce(@description, description),
         events = coalesce(@events, events), status = coalesce(@status, status),
         secret_ciphertext = coalesce(@secret, secret_ciphertext), updated_at = @now
       WHERE id = @id AND merchant_id = @m RETURNING *`,
      {
        id,
        m: this.m,
        url: patch.url ?? null,
        description: patch.description ?? null,
        events: patch.events ? toJson([...new Set(patch.events)]) : null,
        status: patch.status ?? null,
        secret: patch.secretCiphertext ?? null,
        now: nowIso(),
      },
    );
    return row ? toEndpoint(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM webhook_endpoints WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}

export class SqliteWebhookDeliveryRepo implements WebhookDeliveryRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async recordOnce(input: NewWebhookDelivery): Promise<{ delivery: WebhookDelivery; created: boolean }> {
    return this.db.tx(() => {
      const inserted = this.db.get<DeliveryRow>(
        `INSERT INTO webhook_deliveries (id, merchant_id, endpoint_id, event_id, event_type, body, status, attempts, test, created_at)
         SELECT @id, @m, @endpointId, @eventId, @eventType, @body, 'pending', 0, @test, @now
         WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = @endpointId AND merchant_id = @m)
         ON CONFLICT (merchant_id, event_id, endpoint_id) DO NOTHING RETURNING *`,
        { id: newId(), m: this.m, endpointId: input.endpointId, eventId: input.eventId, eventType: input.eventType, body: input.body, test: input.test ? 1 : 0, now: nowIso() },
      );
      if (inserted) return { delivery: toDelivery(inserted), created: true };
      const existing = this.db.get<DeliveryRow>(
        "SELECT * FROM webhook_deliveries WHERE merchant_id = @m AND event_id = @eventId AND endpoint_id = @endpointId",
        { m: this.m, eventId: input.eventId, endpointId: input.endpointId },
      );
      if (!existing) throw new Error(`webhook endpoint ${input.endpointId} not found`);
      return { delivery: toDelivery(existing), created: false };
    });
  }

  async get(id: string): Promise<WebhookDelivery | null> {
    const row = this.db.get<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = @id AND merchant_id = @m", { id, m: this.m });
    return row ? toDelivery(row) : null;
  }

  async list(filter: { endpointId?: string } = {}, page?: PageRequest): Promise<Page<WebhookDelivery>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const where = ["merchant_id = @m"];
    if (filter.endpointId !== undefined) where.push("endpoint_id = @endpointId");
    if (cursor) where.push("(created_at, id) < (@afterKey, @afterId)");
    const rows = this.db.all<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT @n`,
      { m: this.m, endpointId: filter.endpointId, afterKey: cursor?.k, afterId: cursor?.id, n: limit + 1 },
    );
    return toPage(rows, limit, toDelivery, (r) => r.created_at);
  }

  async recordAttempt(id: string, outcome: { status: WebhookDelivery["status"]; httpStatus: number | null; error: string | null }): Promise<WebhookDelivery | null> {
    const now = nowIso();
    const row = this.db.get<DeliveryRow>(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, status = @status, last_status = @httpStatus, last_error = @error,
         last_attempt_at = @now, delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE delivered_at END
       WHERE id = @id AND merchant_id = @m RETURNING *`,
      { id, m: this.m, status: outcome.status, httpStatus: outcome.httpStatus, error: outcome.error, now },
    );
    return row ? toDelivery(row) : null;
  }
}
