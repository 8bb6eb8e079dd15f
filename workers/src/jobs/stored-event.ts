// What the inbound jobs (channel and commerce) do first with a stored webhook event: find it, skip
// it once handled, and read its normalized payload with the schema it was stored under. A payload
// that no longer fits is marked failed and never retried.
import { UnrecoverableError, type TenantStore, type WebhookEventRecord } from "@kaleem/shared";
import type { z } from "zod";

/** The event and its payload, or null when it was already processed (or failed). */
export async function unprocessedEvent<S extends z.ZodType>(
  tenant: TenantStore,
  webhookEventId: string,
  schema: S,
  what: string,
): Promise<{ record: WebhookEventRecord; payload: z.output<S> } | null> {
  const record = await tenant.webhookEvents.get(webhookEventId);
  if (!record) throw new UnrecoverableError(`webhook event ${webhookEventId} not found`);
  if (record.status !== "received") return null;
  const parsed = schema.safeParse(record.payload);
  if (!parsed.success) {
    await tenant.webhookEvents.markFailed(record.id, `stored event does not match the ${what} schema`);
    throw new UnrecoverableError(`webhook event ${record.id} is not a normalized ${what} event`);
  }
  return { record, payload: parsed.data as z.output<S> };
}
