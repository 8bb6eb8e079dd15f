// What every inbound provider webhook shares (messaging channels and store platforms). The order
// is the promise: authenticity over the raw bytes before anything is parsed (the caller's port);
// every event stored (deduplicated by the provider's id) before the 2xx; the processing queued
// after. If an event cannot be stored the provider gets a 5xx and retries; a 200 is never followed
// by a drop. A stored event whose job could not be queued is still processed: the provider's
// retry queues it again, and the workers' sweeper picks up what stays unprocessed.
import { inboundJobFor, INBOUND_JOB_OPTIONS, integrationSecrets, type TenantStore } from "@kaleem/shared";
import type Koa from "koa";
import { ServiceUnavailableError } from "../http/errors.js";
import type { RestServices } from "../http/route.js";
import type { RestContext, RestState } from "../http/state.js";
import { limit } from "../http/router.js";

/** Names the route for logs and metrics and spends one of the source address's webhook requests. */
export async function startWebhook(rawCtx: Koa.ParameterizedContext<RestState>, services: RestServices, route: string): Promise<RestContext> {
  const ctx = rawCtx as RestContext;
  ctx.state.route = route;
  await limit(services, `webhook:ip:${ctx.ip}`, services.deps.config.limits.webhookRequestsPerMinute);
  return ctx;
}

/** A route parameter as given, or "" (ids longer than any we issue are looked up as missing). */
export function routeParam(ctx: RestContext, name: string): string {
  const value = (ctx as unknown as { params: Record<string, string | undefined> }).params[name] ?? "";
  return value.length <= 64 ? value : "";
}

export function refuse(ctx: RestContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { error: { code, message } };
}

/** A port's "not accepted" verdict as the answer: 401 not authentic, 403 another account's, 400 unreadable. */
export function refuseReading(ctx: RestContext, reading: { status: 400 | 401 | 403; reason: string }): void {
  const code = reading.status === 401 ? "invalid_signature" : reading.status === 403 ? "wrong_account" : "validation_failed";
  refuse(ctx, reading.status, code, reading.reason);
}

/**
 * A provider's webhooks arrive many times a second at a busy store: the opened secrets are kept
 * per sealed value (an AES-GCM open and a JSON parse per request otherwise). Keyed by the
 * ciphertext itself, so new or rotated credentials are a new key, never a stale hit; bounded, and
 * in this process's memory only, where the opened value lives during a request anyway.
 */
const OPENED_MAX = 512;
const opened = new Map<string, Readonly<Record<string, string>>>();

export function openSecrets(services: RestServices, sealed: string | null): Readonly<Record<string, string>> {
  if (!sealed) return {};
  let secrets = opened.get(sealed);
  if (!secrets) {
    secrets = Object.freeze(integrationSecrets(services.deps.config).open(sealed));
    if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
    opened.set(sealed, secrets);
  }
  return secrets;
}

/** How stale an integration's `lastEventAt` may get: one write a minute, not one per webhook. */
export const LAST_EVENT_RESOLUTION_MS = 60_000;

/** Whether a webhook now should move `lastEventAt` (null: never had one). */
export function lastEventDue(lastEventAt: string | null, now = Date.now()): boolean {
  return lastEventAt === null || now - Date.parse(lastEventAt) >= LAST_EVENT_RESOLUTION_MS;
}

export interface StoredEvents {
  stored: Array<{ id: string; duplicate: boolean }>;
  duplicates: number;
}

/**
 * Stores each verified event once under (source, dedupeKey), then queues its job (the source
 * decides which, see inboundJobFor). A switched-off integration's events are recorded and marked
 * failed, never processed.
 */
export async function storeAndQueue(
  ctx: RestContext,
  services: RestServices,
  input: { tenant: TenantStore; source: string; events: ReadonlyArray<{ dedupeKey: string; payload: unknown }>; disabled: boolean; what: string },
): Promise<StoredEvents> {
  const { tenant, source } = input;
  const toQueue: string[] = [];
  const stored: StoredEvents["stored"] = [];
  try {
    for (const event of input.events) {
      const { event: record, duplicate } = await tenant.webhookEvents.recordOnce({ source, dedupeKey: event.dedupeKey, payload: event.payload });
      stored.push({ id: record.id, duplicate });
      // A retry of an event that was stored but never processed is queued again (the job id dedupes).
      if (!duplicate || record.status === "received") toQueue.push(record.id);
    }
  } catch (err) {
    ctx.state.log.error({ err, source }, `${input.what} webhook not stored`);
    throw new ServiceUnavailableError("The event could not be stored; retry later");
  }
  if (input.disabled) {
    for (const { id } of stored) await tenant.webhookEvents.markFailed(id, `${input.what} disabled`);
  } else {
    try {
      for (const id of toQueue) {
        const job = inboundJobFor(source, tenant.merchantId, id);
        await services.deps.queue.add(job.name, job.data, { jobId: job.jobId, ...INBOUND_JOB_OPTIONS });
      }
    } catch (err) {
      ctx.state.log.error({ err, source }, `${input.what} webhook stored but not queued`);
      throw new ServiceUnavailableError("The event was stored but cannot be processed yet; retry later");
    }
  }
  return { stored, duplicates: stored.filter((s) => s.duplicate).length };
}
