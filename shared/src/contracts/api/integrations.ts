// Messaging channels and store platform connections as API clients see them: the public config,
// the webhook URL to paste into the provider, the status. Sealed secrets are never part of a view.
import { z } from "zod";
import { channelTypeSchema, commercePlatformSchema, commerceSyncStateSchema } from "../domain.js";
import { itemsSchema } from "./envelopes.js";

const integrationStatusSchema = z.enum(["active", "error", "disabled"]);

export const channelViewSchema = z.object({
  id: z.string(),
  type: channelTypeSchema,
  name: z.string(),
  webhookUrl: z.string(),
  /** Meta channels: what the provider echoes on the subscribe handshake (shown, not sealed). */
  verifyToken: z.string().optional(),
  status: integrationStatusSchema,
  lastEventAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Deliveries are paused until then after repeated provider errors (null: flowing). */
  breakerOpenUntil: z.string().nullable(),
  /** Public config fields only (the verify token is shown beside them). */
  config: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChannelView = z.infer<typeof channelViewSchema>;
export const channelListSchema = itemsSchema(channelViewSchema);

export const commerceConnectionViewSchema = z.object({
  id: z.string(),
  platform: commercePlatformSchema,
  webhookUrl: z.string(),
  config: z.record(z.string(), z.string()),
  status: integrationStatusSchema,
  lastEventAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** The last or current import/reconciliation: phase, counts, checkpoint, error. */
  sync: commerceSyncStateSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CommerceConnectionView = z.infer<typeof commerceConnectionViewSchema>;
export const commerceConnectionListSchema = itemsSchema(commerceConnectionViewSchema);
