// Inbound store-platform webhooks: /webhooks/shopify/:connectionId, /webhooks/salla/:connectionId,
// /webhooks/zid/:connectionId. The platform's authenticity check runs over the raw bytes before
// anything is parsed (CommerceWebhooks port); the normalized changes are stored once per platform
// event and applied by the commerce-inbound job. The ingest flow is ./ingest.ts.
import { Router } from "@koa/router";
import { commerceEventSource, NotFoundError, type CommerceConnection, type CommercePlatform, type TenantStore } from "@kaleem/shared";
import type Koa from "koa";
import { readRawBody } from "../http/body.js";
import type { RestServices } from "../http/route.js";
import type { RestContext, RestState } from "../http/state.js";
import { lastEventDue, openSecrets, refuseReading, routeParam, startWebhook, storeAndQueue } from "./ingest.js";

async function connectionFor(ctx: RestContext, services: RestServices, platform: CommercePlatform): Promise<{ tenant: TenantStore; connection: CommerceConnection }> {
  const connectionId = routeParam(ctx, "connectionId");
  const scope = connectionId ? await services.deps.store.lookup.commerceConnection(connectionId) : null;
  // Another platform's connection is as unknown here as a missing one.
  if (!scope || scope.platform !== platform) throw new NotFoundError("Commerce connection");
  const tenant = services.deps.store.forMerchant(scope.merchantId);
  const connection = await tenant.commerceConnections.get(connectionId);
  if (!connection) throw new NotFoundError("Commerce connection");
  return { tenant, connection };
}

async function ingest(rawCtx: Koa.ParameterizedContext<RestState>, services: RestServices, platform: CommercePlatform): Promise<void> {
  const ctx = await startWebhook(rawCtx, services, `/webhooks/${platform}/:connectionId`);
  const { tenant, connection } = await connectionFor(ctx, services, platform);
  const rawBody = await readRawBody(ctx, services.deps.config.limits.bodyBytes);
  const secrets = openSecrets(services, await tenant.commerceConnections.getSecrets(connection.id));
  const reading = services.deps.commerceWebhooks.read({ connection, secrets, rawBody, headers: ctx.headers, query: new URLSearchParams(ctx.querystring) });
  if (!reading.ok) {
    ctx.state.log.info({ connectionId: connection.id, platform, reason: reading.reason }, "commerce webhook refused");
    return refuseReading(ctx, reading);
  }
  const { event } = reading;
  const { duplicates } = await storeAndQueue(ctx, services, {
    tenant,
    source: commerceEventSource(connection.id),
    events: [{ dedupeKey: event.dedupeKey, payload: event }],
    disabled: connection.status === "disabled",
    what: "commerce connection",
  });
  if (lastEventDue(connection.lastEventAt)) {
    await tenant.commerceConnections
      .update(connection.id, { lastEventAt: new Date().toISOString() })
      .catch((err: unknown) => ctx.state.log.warn({ err }, "commerce last event not recorded"));
  }
  ctx.state.log.info({ connectionId: connection.id, platform, topic: event.topic, duplicate: duplicates > 0, changes: event.changes.map((c) => c.kind) }, "commerce webhook stored");
  ctx.status = 200;
  ctx.body = { ok: true };
}

export function commerceWebhookRouter(services: RestServices): Router<RestState> {
  const router = new Router<RestState>({ prefix: "/webhooks" });
  for (const platform of ["shopify", "salla", "zid"] as const) router.post(`/${platform}/:connectionId`, (ctx) => ingest(ctx, services, platform));
  return router;
}
