// Outgoing webhooks for automation (n8n, Zapier, a merchant's own systems): what Kaleem sends to a
// merchant's endpoint, and the records of endpoints and deliveries. Browser-safe.
//
// Every delivery is a POST of one JSON body (`outgoingWebhookBodySchema`) with
//   X-Kaleem-Event: <type>, X-Kaleem-Delivery: <delivery id> (the same on every retry: dedupe by it),
//   X-Kaleem-Timestamp: <unix seconds>, X-Kaleem-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>.
// Receivers recompute the HMAC over the timestamp, a dot and the raw bytes, compare in constant
// time, and refuse timestamps far from their clock (replays).
import { z } from "zod";

export const outgoingEventTypeSchema = z.enum(["conversation.started", "message.created", "handoff.requested", "order.created", "order.status_changed", "lead.captured"]);
export type OutgoingEventType = z.infer<typeof outgoingEventTypeSchema>;
export const OUTGOING_EVENT_TYPES = outgoingEventTypeSchema.options;

export const KALEEM_SIGNATURE_HEADER = "x-kaleem-signature";
export const KALEEM_TIMESTAMP_HEADER = "x-kaleem-timestamp";
export const KALEEM_EVENT_HEADER = "x-kaleem-event";
export const KALEEM_DELIVERY_HEADER = "x-kaleem-delivery";
/** How far a receiver should let a timestamp be from its clock (what our own verifier allows). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The body of every delivery. `data` depends on `type`; `test` marks a "send test event". */
export const outgoingWebhookBodySchema = z.object({
  /** The event's id: the same for every endpoint and every retry. */
  id: z.string(),
  type: outgoingEventTypeSchema,
  createdAt: z.string(),
  merchantId: z.string(),
  test: z.boolean(),
  data: z.record(z.string(), z.unknown()),
});
export type OutgoingWebhookBody = z.infer<typeof outgoingWebhookBodySchema>;

export const webhookEndpointSchema = z.object({
  id: z.string(),
  merchantId: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(outgoingEventTypeSchema),
  status: z.enum(["active", "disabled"]),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookDeliveryStatusSchema = z.enum(["pending", "delivered", "failed"]);
export const webhookDeliverySchema = z.object({
  id: z.string(),
  merchantId: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: outgoingEventTypeSchema,
  /** The exact body sent on every attempt (the signature covers these bytes). */
  body: z.string(),
  status: webhookDeliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  /** The receiver's HTTP status on the last attempt (null: no answer). */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  test: z.boolean(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
