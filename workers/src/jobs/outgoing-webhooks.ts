// Outgoing webhooks for automation. An event (from the outbox, topic "webhook.event") is fanned
// out to the merchant's endpoints subscribed to its type: one recorded delivery per endpoint, then
// one signed POST per delivery, retried with backoff until the endpoint answers 2xx. Every attempt
// is counted on the delivery (the log the dashboard shows). The body is fixed when the delivery is
// recorded, so each retry sends the same bytes under the same X-Kaleem-Delivery id.
import {
  asMerchantId,
  integrationSecrets,
  KALEEM_DELIVERY_HEADER,
  KALEEM_EVENT_HEADER,
  KALEEM_SIGNATURE_HEADER,
  KALEEM_TIMESTAMP_HEADER,
  OutboundTargetRefusedError,
  RetryableError,
  signOutgoingWebhook,
  UnrecoverableError,
  WEBHOOK_DELIVER_JOB,
  webhookDeliverJobId,
  type Config,
  type Job,
  type JobQueue,
  type Logger,
  type OutgoingWebhookBody,
  type Store,
  type WebhookDeliverJob,
  type WebhookDispatchJob,
} from "@kaleem/shared";
import type { FetchLike } from "../channels/common/http.js";

export const WEBHOOK_ATTEMPTS = 8;
export const WEBHOOK_DELIVER_OPTIONS = { attempts: WEBHOOK_ATTEMPTS, backoff: { type: "exponential" as const, delayMs: 5_000 } };
const TIMEOUT_MS = 10_000;

export interface OutgoingWebhookDeps {
  config: Config;
  store: Store;
  queue: JobQueue;
  /** The SSRF-guarded fetch: endpoints resolving to private addresses are refused at send time too. */
  fetch: FetchLike;
  logger?: Logger;
  /** Tests shorten the backoff. */
  deliverOptions?: typeof WEBHOOK_DELIVER_OPTIONS;
}

export function createWebhookDispatchHandler(deps: OutgoingWebhookDeps): (job: Job<WebhookDispatchJob>) => Promise<void> {
  return async (job) => {
    const { merchantId, eventId, type, createdAt, data, endpointId, test } = job.data;
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    const endpoints = endpointId ? [await tenant.webhookEndpoints.get(endpointId)].filter((e) => e !== null) : await tenant.webhookEndpoints.listSubscribed(type);
    const body: OutgoingWebhookBody = { id: eventId, type, createdAt, merchantId, test: test === true, data };
    const raw = JSON.stringify(body);
    for (const endpoint of endpoints) {
      const { delivery } = await tenant.webhookDeliveries.recordOnce({ endpointId: endpoint.id, eventId, eventType: type, body: raw, test: test === true });
      if (delivery.status !== "pending") continue;
      await deps.queue.add(WEBHOOK_DELIVER_JOB, { merchantId, deliveryId: delivery.id }, { jobId: webhookDeliverJobId(delivery.id), ...(deps.deliverOptions ?? WEBHOOK_DELIVER_OPTIONS) });
    }
  };
}

export function createWebhookDeliverHandler(deps: OutgoingWebhookDeps): (job: Job<WebhookDeliverJob>) => Promise<void> {
  const attempts = (deps.deliverOptions ?? WEBHOOK_DELIVER_OPTIONS).attempts;
  return async (job) => {
    const tenant = deps.store.forMerchant(asMerchantId(job.data.merchantId));
    const delivery = await tenant.webhookDeliveries.get(job.data.deliveryId);
    if (!delivery || delivery.status !== "pending") return;
    const endpoint = await tenant.webhookEndpoints.get(delivery.endpointId);
    if (!endpoint || (endpoint.status === "disabled" && !delivery.test)) {
      await tenant.webhookDeliveries.recordAttempt(delivery.id, { status: "failed", httpStatus: null, error: endpoint ? "endpoint disabled" : "endpoint removed" });
      return;
    }
    const sealed = await tenant.webhookEndpoints.getSecret(endpoint.id);
    const secret = sealed ? (integrationSecrets(deps.config).open(sealed).secret ?? "") : "";
    const timestamp = Math.floor(Date.now() / 1000);
    const final = job.attempt >= attempts;
    let status: number | null = null;
    try {
      const response = await deps.fetch(endpoint.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Kaleem-Webhooks/1",
          [KALEEM_EVENT_HEADER]: delivery.eventType,
          [KALEEM_DELIVERY_HEADER]: delivery.id,
          [KALEEM_TIMESTAMP_HEADER]: String(timestamp),
          [KALEEM_SIGNATURE_HEADER]: signOutgoingWebhook(secret, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status >= 200 && status < 300) {
        await tenant.webhookDeliveries.recordAttempt(delivery.id, { status: "delivered", httpStatus: status, error: null });
        return;
      }
    } catch (err) {
      if (err instanceof OutboundTargetRefusedError) {
        await tenant.webhookDeliveries.recordAttempt(delivery.id, { status: "failed", httpStatus: null, error: `refused: ${err.message}` });
        throw new UnrecoverableError(`webhook endpoint refused: ${err.message}`);
      }
      const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      await tenant.webhookDeliveries.recordAttempt(delivery.id, { status: final ? "failed" : "pending", httpStatus: null, error: message });
      throw new RetryableError(`webhook delivery ${delivery.id}: ${message}`);
    }
    await tenant.webhookDeliveries.recordAttempt(delivery.id, { status: final ? "failed" : "pending", httpStatus: status, error: `HTTP ${status}` });
    throw new RetryableError(`webhook delivery ${delivery.id}: HTTP ${status}`);
  };
}
