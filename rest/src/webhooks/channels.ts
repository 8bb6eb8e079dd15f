// Inbound messaging webhooks: /webhooks/telegram/:channelId and /webhooks/meta/:channelId (WhatsApp
// Cloud API, Messenger, Instagram). Outside /api/v1: providers call them, not API clients.
//
// The order is the promise: authenticity over the raw bytes before anything is parsed; every
// event stored (deduplicated by the provider's id) before the 2xx; the processing queued after.
// If the event cannot be stored the provider gets a 5xx and retries; a 200 is never followed by a
// drop. A stored event whose job could not be queued is still processed: the provider's retry
// queues it again, and the workers' sweeper picks up what stays unprocessed.
import { Router } from "@koa/router";
import {
  CHANNEL_INBOUND_JOB,
  channelInboundJobId,
  integrationSecrets,
  NotFoundError,
  type Channel,
  type ChannelType,
  type InboundEvent,
  type TenantStore,
} from "@kaleem/shared";
import type Koa from "koa";
import { readRawBody } from "../http/body.js";
import { ServiceUnavailableError } from "../http/errors.js";
import type { RestServices } from "../http/route.js";
import type { RestContext, RestState } from "../http/state.js";
import { limit } from "../http/router.js";

type Endpoint = "telegram" | "meta";
const endpointOf = (type: ChannelType): Endpoint => (type === "telegram" ? "telegram" : "meta");

/** The stored event's source: one dedupe space per channel (the same update_id in two bots is two events). */
export const channelEventSource = (channelId: string): string => `channel:${channelId}`;

async function channelFor(ctx: RestContext, services: RestServices, endpoint: Endpoint): Promise<{ tenant: TenantStore; channel: Channel }> {
  const channelId = (ctx as unknown as { params: { channelId?: string } }).params.channelId ?? "";
  const scope = channelId.length <= 64 ? await services.deps.store.lookup.channel(channelId) : null;
  // A channel of the other kind is as unknown here as a missing one.
  if (!scope || endpointOf(scope.type) !== endpoint) throw new NotFoundError("Channel");
  const tenant = services.deps.store.forMerchant(scope.merchantId);
  const channel = await tenant.channels.get(channelId);
  if (!channel) throw new NotFoundError("Channel");
  return { tenant, channel };
}

function refuse(ctx: RestContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { error: { code, message } };
}

async function ingest(rawCtx: Koa.ParameterizedContext<RestState>, services: RestServices, endpoint: Endpoint): Promise<void> {
  const ctx = rawCtx as RestContext;
  ctx.state.route = `/webhooks/${endpoint}/:channelId`;
  await limit(services, `webhook:ip:${ctx.ip}`, services.deps.config.limits.webhookRequestsPerMinute);
  const { tenant, channel } = await channelFor(ctx, services, endpoint);
  const rawBody = await readRawBody(ctx, services.deps.config.limits.bodyBytes);
  const sealed = await tenant.channels.getSecrets(channel.id);
  const secrets = sealed ? integrationSecrets(services.deps.config).open(sealed) : {};
  const reading = services.deps.channelWebhooks.read({ channel, secrets, rawBody, headers: ctx.headers });
  if (!reading.ok) {
    ctx.state.log.info({ channelId: channel.id, reason: reading.reason }, "channel webhook refused");
    const code = reading.status === 401 ? "invalid_signature" : reading.status === 403 ? "wrong_account" : "validation_failed";
    return refuse(ctx, reading.status, code, reading.reason);
  }

  const source = channelEventSource(channel.id);
  const toQueue: string[] = [];
  let stored: Array<{ id: string; duplicate: boolean; event: InboundEvent }>;
  try {
    stored = [];
    for (const event of reading.webhook.events) {
      const { event: record, duplicate } = await tenant.webhookEvents.recordOnce({ source, dedupeKey: event.dedupeKey, payload: event });
      stored.push({ id: record.id, duplicate, event });
      // A retry of an event that was stored but never processed is queued again (the job id dedupes).
      if (!duplicate || record.status === "received") toQueue.push(record.id);
    }
  } catch (err) {
    ctx.state.log.error({ err, channelId: channel.id }, "channel webhook not stored");
    throw new ServiceUnavailableError("The event could not be stored; retry later");
  }
  if (channel.status === "disabled") {
    // Recorded (nothing is lost), but a switched-off channel does not talk to the bot.
    for (const { id } of stored) await tenant.webhookEvents.markFailed(id, "channel disabled");
  } else {
    try {
      for (const id of toQueue) {
        await services.deps.queue.add(CHANNEL_INBOUND_JOB, { merchantId: tenant.merchantId, webhookEventId: id }, { jobId: channelInboundJobId(id), attempts: 5, backoff: { type: "exponential", delayMs: 1_000 } });
      }
    } catch (err) {
      ctx.state.log.error({ err, channelId: channel.id }, "channel webhook stored but not queued");
      throw new ServiceUnavailableError("The event was stored but cannot be processed yet; retry later");
    }
  }
  await tenant.channels
    .update(channel.id, { lastEventAt: new Date().toISOString() })
    .catch((err: unknown) => ctx.state.log.warn({ err }, "channel last event not recorded"));
  ctx.state.log.info(
    { channelId: channel.id, events: stored.length, duplicates: stored.filter((s) => s.duplicate).length, kinds: stored.map((s) => s.event.kind) },
    "channel webhook stored",
  );
  ctx.status = 200;
  ctx.body = { ok: true };
}

export function channelWebhookRouter(services: RestServices): Router<RestState> {
  const router = new Router<RestState>({ prefix: "/webhooks" });
  router.post("/telegram/:channelId", (ctx) => ingest(ctx, services, "telegram"));
  router.post("/meta/:channelId", (ctx) => ingest(ctx, services, "meta"));
  // Meta's subscription handshake: echo hub.challenge when hub.verify_token is this channel's.
  router.get("/meta/:channelId", async (rawCtx) => {
    const ctx = rawCtx as unknown as RestContext;
    ctx.state.route = "/webhooks/meta/:channelId";
    await limit(services, `webhook:ip:${ctx.ip}`, services.deps.config.limits.webhookRequestsPerMinute);
    const { channel } = await channelFor(ctx, services, "meta");
    const challenge = services.deps.channelWebhooks.subscribe({ channel, query: new URLSearchParams(ctx.querystring) });
    if (challenge === null) return refuse(ctx, 403, "forbidden", "Wrong verify token");
    ctx.status = 200;
    ctx.type = "text/plain";
    ctx.body = challenge;
  });
  return router;
}
