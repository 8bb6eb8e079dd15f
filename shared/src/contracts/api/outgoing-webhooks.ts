// Outgoing webhook endpoints and their delivery log as API clients see them. The signing secret is
// shown once, in the answer that creates or rotates it, and never again.
import { z } from "zod";
import { webhookDeliverySchema, webhookEndpointSchema } from "../outgoing-webhooks.js";
import { itemsSchema, pageSchema } from "./envelopes.js";

export const webhookEndpointViewSchema = webhookEndpointSchema.omit({ merchantId: true });
export type WebhookEndpointView = z.infer<typeof webhookEndpointViewSchema>;
export const webhookEndpointListSchema = itemsSchema(webhookEndpointViewSchema);
/** Create and rotate: the only answers that carry the secret. */
export const webhookEndpointWithSecretSchema = webhookEndpointViewSchema.extend({ secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecretSchema>;

export const webhookDeliveryViewSchema = webhookDeliverySchema.omit({ merchantId: true });
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;
export const webhookDeliveryPageSchema = pageSchema(webhookDeliveryViewSchema);
