// Inbound messaging webhooks: /webhooks/telegram/:channelId and /webhooks/meta/:channelId (WhatsApp
// Cloud API, Messenger, Instagram). Outside /api/v1: providers call them, not API clients. The
// ingest flow (verify raw bytes, store before the 2xx, queue after) is ./ingest.ts.
import { Router } from "@koa/router";
import { channelEventSource, NotFoundError, type Channel, type ChannelType, type TenantStore } from "@kaleem/shared";
import type Koa from "koa";
import { readRawBody } from "../http/body.js";
import type { RestServices } from "../http/route.js";
import type { RestContext, RestState } from "../http/state.js";
import { lastEventDue, openSecrets, refuse, refuseReading, routeParam, startWebhook, storeAndQueue } from "./ingest.js";

type Endpoint = "telegram" | "meta";
const endpointOf = (type: ChannelType): Endpoint => (type === "telegram" ? "telegram" : "meta");

export { channelEventSource };

async function channelFor(ctx: RestContext, services: RestServices, endpoint: Endpoint): Promise<{ tenant: TenantStore; channel: Channel }> {
  const channelId = routeParam(ctx, "channelId");
  const scope = channelId ? await services.deps.store.lookup.channel(channelId) : null;
  // A channel of the other kind is as unknown here as a missing one.
  if (!scope || endpointOf(scope.type) !== endpoint) throw new NotFoundError("Channel");
  const tenant = services.deps.store.forMerchant(scope.merchantId);
  const channel = await tenant.channels.get(channelId);
  if (!channel) throw new NotFoundError("Channel");
  return { tenant, channel };
}

async function ingest(rawCtx: Koa.ParameterizedContext<RestState>, services: RestServices, endpoint: Endpoint): Promise<void> {
  const ctx = await startWebhook(rawCtx, services, `/webhooks/${endpoint}/:channelId`);
  const { tenant, channel } = await channelFor(ctx, services, endpoint);
  const rawBody = await readRawBody(ctx, services.deps.config.limits.bodyBytes);
  const secrets = openSecrets(services, await tenant.channels.getSecrets(channel.id));
  const reading = services.deps.channelWebhooks.read({ channel, secrets, rawBody, headers: ctx.headers });
  if (!reading.ok) {
    ctx.state.log.info({ channelId: channel.id, reason: reading.reason }, "channel webhook refused");
    return refuseReading(ctx, reading);
  }
  const events = reading.webhook.events;
  const { stored, duplicates } = await storeAndQueue(ctx, services, {
    tenant,
    source: channelEventSource(channel.id),
    events: events.map((event) => ({ dedupeKey: event.dedupeKey, payload: event })),
    disabled: channel.status === "disabled",
    what: "channel",
  });
  if (lastEventDue(channel.lastEventAt)) {
    await tenant.channels
      .update(channel.id, { lastEventAt: new Date().toISOString() })
      .catch((err: unknown) => ctx.state.log.warn({ err }, "channel last event not recorded"));
  }
  ctx.state.log.info({ channelId: channel.id, events: stored.length, duplicates, kinds: events.map((e) => e.kind) }, "channel webhook stored");
  ctx.status = 200;
  ctx.body = { ok: true };
}

export function channelWebhookRouter(services: RestServices): Router<RestState> {
  const router = new Router<RestState>({ prefix: "/webhooks" });
  router.post("/telegram/:channelId", (ctx) => ingest(ctx, services, "telegram"));
  router.post("/meta/:channelId", (ctx) => ingest(ctx, services, "meta"));
  // Meta's subscription handshake: echo hub.challenge when hub.verify_token is this channel's.
  router.get("/meta/:channelId", async (rawCtx) => {
    const ctx = await startWebhook(rawCtx, services, "/webhooks/meta/:channelId");
    const { channel } = await channelFor(ctx, services, "meta");
    const challenge = services.deps.channelWebhooks.subscribe({ channel, query: new URLSearchParams(ctx.querystring) });
    if (challenge === null) return refuse(ctx, 403, "forbidden", "Wrong verify token");
    ctx.status = 200;
    ctx.type = "text/plain";
    ctx.body = challenge;
  });
  return router;
}
