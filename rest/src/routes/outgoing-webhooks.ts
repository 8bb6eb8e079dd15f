// Outgoing webhook endpoints for automation (n8n, Zapier, the merchant's systems): one URL per set
// of event types, a signing secret shown once (on create and rotate), the delivery log and a
// "send test event". URLs must point at public hosts unless the installation allows private
// networks (checked here on save and again by the guarded fetch on every send).
import {
  integrationSecrets,
  newId,
  newWebhookSecret,
  NotFoundError,
  outboundUrlProblem,
  outgoingEventTypeSchema,
  ValidationError,
  webhookDeliveryPageSchema,
  webhookEndpointListSchema,
  webhookEndpointViewSchema,
  webhookEndpointWithSecretSchema,
  type Config,
  type WebhookDelivery,
  type WebhookDeliveryView,
  type WebhookEndpoint,
  type WebhookEndpointView,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { httpUrl, idParams, pageQuery } from "./schemas.js";
import { auditAction } from "./support.js";

const EDITORS = ["owner", "admin"] as const;
const events = z.array(outgoingEventTypeSchema).min(1, "Pick at least one event type").max(outgoingEventTypeSchema.options.length);
const description = z.string().trim().max(200);

const createBody = z.strictObject({ url: httpUrl, events, description: description.optional() });
const patchBody = z.strictObject({ url: httpUrl.optional(), events: events.optional(), description: description.optional(), status: z.enum(["active", "disabled"]).optional() });

function endpointView(e: WebhookEndpoint): WebhookEndpointView {
  const { merchantId: _m, ...view } = e;
  return view;
}
function deliveryView(d: WebhookDelivery): WebhookDeliveryView {
  const { merchantId: _m, ...view } = d;
  return view;
}

/** The save-time half of the SSRF defence for endpoint URLs. */
async function assertPublicUrl(config: Config, url: string): Promise<void> {
  const problem = await outboundUrlProblem(url, config.outbound);
  if (problem !== null) throw new ValidationError("Request is invalid", [{ path: "url", message: `url ${problem}` }]);
}

export const outgoingWebhookRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/webhook-endpoints",
    summary: "List outgoing webhook endpoints",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    responses: { 200: { description: "Endpoints", schema: webhookEndpointListSchema } },
    async handler({ caller }) {
      return { body: { items: (await caller.store.webhookEndpoints.list()).map(endpointView) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/webhook-endpoints",
    summary: "Add an outgoing webhook endpoint (the signing secret is in this answer only)",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    body: createBody,
    responses: { 201: { description: "Created", schema: webhookEndpointWithSecretSchema } },
    async handler({ caller, body, services, ip }) {
      await assertPublicUrl(services.deps.config, body.url);
      const secret = newWebhookSecret();
      const endpoint = await caller.store.webhookEndpoints.create({
        url: body.url,
        events: body.events,
        ...(body.description !== undefined && { description: body.description }),
        secretCiphertext: integrationSecrets(services.deps.config).seal({ secret }),
      });
      await auditAction(caller, ip, "webhook.create", endpoint.id, { events: endpoint.events });
      return { status: 201, body: { ...endpointView(endpoint), secret } };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/webhook-endpoints/:id",
    summary: "Change an endpoint's URL, events, description or status",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: patchBody,
    responses: { 200: { description: "Updated", schema: webhookEndpointViewSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body, services, ip }) {
      if (body.url !== undefined) await assertPublicUrl(services.deps.config, body.url);
      const updated = await caller.store.webhookEndpoints.update(params.id, body);
      if (!updated) throw new NotFoundError("Webhook endpoint");
      await auditAction(caller, ip, "webhook.update", updated.id, { fields: Object.keys(body).sort() });
      return { body: endpointView(updated) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/webhook-endpoints/:id/rotate-secret",
    summary: "Replace an endpoint's signing secret (the new one is in this answer only)",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 200: { description: "Rotated", schema: webhookEndpointWithSecretSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, services, ip }) {
      const secret = newWebhookSecret();
      const updated = await caller.store.webhookEndpoints.update(params.id, { secretCiphertext: integrationSecrets(services.deps.config).seal({ secret }) });
      if (!updated) throw new NotFoundError("Webhook endpoint");
      await auditAction(caller, ip, "webhook.rotate_secret", updated.id, {});
      return { body: { ...endpointView(updated), secret } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/webhook-endpoints/:id/test",
    summary: "Send a test event to this endpoint (signed like any other, marked test: true; see the delivery log)",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: z.strictObject({ type: outgoingEventTypeSchema.optional() }),
    responses: { 202: { description: "Queued", schema: z.object({ eventId: z.string() }) }, 404: { description: "Not found" } },
    async handler({ caller, params, body }) {
      const endpoint = await caller.store.webhookEndpoints.get(params.id);
      if (!endpoint) throw new NotFoundError("Webhook endpoint");
      const type = body.type ?? endpoint.events[0] ?? "message.created";
      const eventId = `test-${newId()}`;
      await caller.store.outbox.add({
        topic: "webhook.event",
        payload: { eventId, type, createdAt: new Date().toISOString(), data: { message: "This is a test event from Kaleem." }, endpointId: endpoint.id, test: true },
      });
      return { status: 202, body: { eventId } };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/webhook-endpoints/:id",
    summary: "Remove an endpoint and its delivery log",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params, ip }) {
      if (!(await caller.store.webhookEndpoints.remove(params.id))) throw new NotFoundError("Webhook endpoint");
      await auditAction(caller, ip, "webhook.delete", params.id, {});
      return { status: 204 };
    },
  }),
  defineRoute({
    method: "get",
    path: "/webhook-deliveries",
    summary: "The delivery log, newest first (optionally one endpoint's): status, attempts, the receiver's last answer",
    tag: "webhooks",
    auth: true,
    roles: EDITORS,
    query: pageQuery.extend({ endpointId: z.string().min(1).max(64).optional() }),
    responses: { 200: { description: "Deliveries", schema: webhookDeliveryPageSchema } },
    async handler({ caller, query }) {
      const page = await caller.store.webhookDeliveries.list(query.endpointId ? { endpointId: query.endpointId } : {}, { limit: query.limit, cursor: query.cursor ?? null });
      return { body: { items: page.items.map(deliveryView), nextCursor: page.nextCursor } };
    },
  }),
];
