// Applies one stored store-platform webhook (its normalized changes) to the merchant's catalog and
// orders. Running it twice has one effect: upserts are keyed by (platform, external id) and a
// processed event is skipped.
import {
  asMerchantId,
  commerceWebhookEventSchema,
  UnrecoverableError,
  type CatalogEvents,
  type CommerceInboundJob,
  type Job,
  type Logger,
  type Store,
} from "@kaleem/shared";
import { applyCommerceChanges } from "../commerce/apply.js";

export interface CommerceInboundDeps {
  store: Store;
  catalogEvents: CatalogEvents;
  logger?: Logger;
}

export function createCommerceInboundHandler(deps: CommerceInboundDeps): (job: Job<CommerceInboundJob>) => Promise<void> {
  return async (job) => {
    const { merchantId, webhookEventId } = job.data;
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    const record = await tenant.webhookEvents.get(webhookEventId);
    if (!record) throw new UnrecoverableError(`webhook event ${webhookEventId} not found`);
    if (record.status !== "received") return;
    const parsed = commerceWebhookEventSchema.safeParse(record.payload);
    if (!parsed.success) {
      await tenant.webhookEvents.markFailed(record.id, "stored event does not match the commerce schema");
      throw new UnrecoverableError(`webhook event ${record.id} is not a normalized commerce event`);
    }
    const connection = await tenant.commerceConnections.get(record.source.replace(/^commerce:/, ""));
    if (!connection) {
      await tenant.webhookEvents.markFailed(record.id, "connection removed");
      return;
    }
    const applied = await applyCommerceChanges(tenant, connection.platform, parsed.data.changes, deps.catalogEvents);
    await tenant.webhookEvents.markProcessed(record.id);
    deps.logger?.debug({ connectionId: connection.id, topic: parsed.data.topic, ...applied }, "commerce webhook applied");
  };
}
