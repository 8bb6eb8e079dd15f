// Applies one stored store-platform webhook (its normalized changes) to the merchant's catalog and
// orders. Running it twice has one effect: upserts are keyed by (platform, external id) and a
// processed event is skipped.
import {
  asMerchantId,
  commerceWebhookEventSchema,
  type CatalogEvents,
  type CommerceInboundJob,
  type Job,
  type Logger,
  type Store,
} from "@kaleem/shared";
import { applyCommerceChanges } from "../commerce/apply.js";
import { unprocessedEvent } from "./stored-event.js";

export interface CommerceInboundDeps {
  store: Store;
  catalogEvents: CatalogEvents;
  logger?: Logger;
}

export function createCommerceInboundHandler(deps: CommerceInboundDeps): (job: Job<CommerceInboundJob>) => Promise<void> {
  return async (job) => {
    const { merchantId, webhookEventId } = job.data;
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    const stored = await unprocessedEvent(tenant, webhookEventId, commerceWebhookEventSchema, "commerce");
    if (!stored) return;
    const { record, payload: event } = stored;
    const connection = await tenant.commerceConnections.get(record.source.replace(/^commerce:/, ""));
    if (!connection) {
      await tenant.webhookEvents.markFailed(record.id, "connection removed");
      return;
    }
    const applied = await applyCommerceChanges(tenant, connection.platform, event.changes, deps.catalogEvents);
    await tenant.webhookEvents.markProcessed(record.id);
    deps.logger?.debug({ connectionId: connection.id, topic: event.topic, ...applied }, "commerce webhook applied");
  };
}
