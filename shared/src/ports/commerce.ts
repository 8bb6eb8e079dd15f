// Store platforms behind a small port: REST reads their webhooks through CommerceWebhooks (verify
// the raw bytes, then parse into normalized changes). The provider code lives in
// workers/src/commerce/ and the composition root hands it to REST; the sync jobs use it directly.
import type { CommerceWebhookEvent } from "../contracts/commerce.js";
import type { CommerceConnection } from "../contracts/domain.js";
import type { ChannelSecrets, WebhookHeaders } from "./channels.js";

export type CommerceWebhookReading =
  | { ok: true; event: CommerceWebhookEvent }
  /** 401: not authentic. 403: authentic but for another store. 400: unreadable or missing a required header. */
  | { ok: false; status: 400 | 401 | 403; reason: string };

export interface CommerceWebhooks {
  /**
   * Checks authenticity over the raw bytes, in constant time, before parsing anything; then parses
   * into normalized product/order changes and refuses a payload for a store other than the connection's.
   */
  read(input: { connection: CommerceConnection; secrets: ChannelSecrets; rawBody: Buffer; headers: WebhookHeaders; query: URLSearchParams }): CommerceWebhookReading;
}
