// Webhook authenticity, checked over the raw bytes before anything is parsed, in constant time.
// Each function answers with a verdict and never throws: a bad request is a 401, not a crash.
import { createHmac, timingSafeEqual } from "node:crypto";
import { headerValue, type HeaderBag } from "./headers.js";

export type WebhookRejection =
  /** The channel has no secret configured: nothing can be verified, so nothing is accepted. */
  | "missing_secret"
  | "missing_signature"
  /** Sent twice, wrong prefix, not 64 lower-case hex digits (base64, truncated, upper-case...). */
  | "malformed_signature"
  /** Only Meta's legacy SHA-1 `X-Hub-Signature` header: not accepted on its own. */
  | "legacy_sha1_only"
  | "signature_mismatch";

export type WebhookVerdict = { ok: true } | { ok: false; reason: WebhookRejection };

export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";
export const META_SIGNATURE_HEADER = "x-hub-signature-256";
const META_LEGACY_HEADER = "x-hub-signature";

/** What setWebhook accepts as secret_token: 1-256 characters of A-Z a-z 0-9 _ -. */
export const TELEGRAM_SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

const reject = (reason: WebhookRejection): WebhookVerdict => ({ ok: false, reason });

/** Equal-length comparison in constant time; unequal lengths still do the work of one comparison. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Telegram signs nothing: the `X-Telegram-Bot-Api-Secret-Token` header must equal the secret given to setWebhook. */
export function verifyTelegram(headers: HeaderBag, secretToken: string): WebhookVerdict {
  if (!TELEGRAM_SECRET_TOKEN.test(secretToken)) return reject("missing_secret");
  const sent = headerValue(headers, TELEGRAM_SECRET_HEADER);
  if (sent === null || sent === "") return reject("missing_signature");
  if (typeof sent !== "string") return reject("malformed_signature");
  return constantTimeEqual(Buffer.from(sent, "utf8"), Buffer.from(secretToken, "utf8")) ? { ok: true } : reject("signature_mismatch");
}

const META_SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * Meta (WhatsApp Cloud API, Messenger, Instagram): `X-Hub-Signature-256: sha256=<hex>` where hex is
 * the HMAC-SHA256 of the raw body under the app secret. Only the exact form Meta sends is
 * accepted: lower-case `sha256=` and 64 lower-case hex digits.
 */
export function verifyMeta(rawBody: Buffer, headers: HeaderBag, appSecret: string): WebhookVerdict {
  if (appSecret.length === 0) return reject("missing_secret");
  const sent = headerValue(headers, META_SIGNATURE_HEADER);
  if (sent === null || sent === "") {
    return headerValue(headers, META_LEGACY_HEADER) !== null ? reject("legacy_sha1_only") : reject("missing_signature");
  }
  if (typeof sent !== "string") return reject("malformed_signature");
  const match = META_SIGNATURE.exec(sent);
  if (!match?.[1]) return reject("malformed_signature");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return constantTimeEqual(Buffer.from(match[1], "hex"), expected) ? { ok: true } : reject("signature_mismatch");
}

export type SubscriptionVerdict = { ok: true; challenge: string } | { ok: false; reason: "not_a_subscription" | "missing_secret" | "wrong_verify_token" };

/**
 * Meta's webhook verification handshake: GET `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
 * is answered with the challenge (200) when the verify token matches, else 403.
 */
export function verifyMetaSubscription(query: URLSearchParams | Record<string, unknown>, verifyToken: string): SubscriptionVerdict {
  const get = (key: string): string | null => {
    if (query instanceof URLSearchParams) return query.get(key);
    const value = query[key];
    return typeof value === "string" ? value : null;
  };
  const mode = get("hub.mode");
  const token = get("hub.verify_token");
  const challenge = get("hub.challenge");
  if (mode !== "subscribe" || token === null || challenge === null) return { ok: false, reason: "not_a_subscription" };
  if (verifyToken.length === 0) return { ok: false, reason: "missing_secret" };
  if (!constantTimeEqual(Buffer.from(token, "utf8"), Buffer.from(verifyToken, "utf8"))) return { ok: false, reason: "wrong_verify_token" };
  return { ok: true, challenge };
}
