// Protocol constants with no schema library behind them, so browser bundles that only need these
// (the widget loader and chat) do not pull zod in. socket.ts re-exports them.
export const PROTOCOL_VERSION = 1;
export const WIDGET_NAMESPACE = "/widget";
export const INBOX_NAMESPACE = "/inbox";
/**
 * Engine.IO query argument carrying a random key per client (tab, app), the same on every request
 * and reconnection: nginx hashes it to pick a hub (sticky long-polling that spreads one NAT's
 * shoppers over every hub, nginx/nginx.conf). Not a secret and not checked by the hub.
 */
export const LOAD_BALANCING_QUERY = "lb";
/** Largest text a client may send in one message (characters). */
export const MAX_MESSAGE_TEXT = 4000;
/** Largest socket frame the hub accepts (bytes). */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

/** Codes of a refused request (`{ ok: false, error: { code } }` acks; REST uses the same words). */
export const ERROR_CODES = [
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "payload_too_large",
  "unsupported_media_type",
  "quota_exceeded",
  "unavailable",
  "internal",
] as const;

/** Refusals worth the same request again later (with the same client message id). */
export const RETRYABLE_ERROR_CODES: readonly string[] = ["rate_limited", "unavailable", "internal"];

/** Why the server ends an agent's session (`session:revoked`, sent just before the disconnect). */
export const SESSION_REVOKED_REASONS = ["revoked", "expired"] as const;

/** Why a handshake was refused: `connect_error` carries `{ code }` as `err.data`. */
export const CONNECT_ERROR_CODES = ["unauthorized", "origin_not_allowed", "protocol_unsupported", "rate_limited", "visitor_blocked"] as const;

// Zod-free too: what a tapped action reads as (the widget's bubbles, the inbox timeline).
export { actionText, isActionPayload, parseActionPayload, type ActionPayload } from "./actions.js";
