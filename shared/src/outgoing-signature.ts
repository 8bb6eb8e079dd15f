// The signature of Kaleem's outgoing webhooks (see contracts/outgoing-webhooks.ts for the headers):
// sha256=<hex HMAC-SHA256(endpoint secret, "<unix seconds>.<raw body>")>. The timestamp is signed
// with the body, so a receiver that refuses old timestamps refuses replays.
import { randomBytes } from "node:crypto";
import { SIGNATURE_TOLERANCE_SECONDS } from "./contracts/outgoing-webhooks.js";
import { hmacSha256, safeEqual } from "./crypto.js";

/** A new endpoint's signing secret: "whsec_" and 32 random bytes, base64url. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString("base64url")}`;

export function signOutgoingWebhook(secret: string, timestampSeconds: number, rawBody: string): string {
  return `sha256=${hmacSha256(secret, `${timestampSeconds}.${rawBody}`, "hex")}`;
}

/** What a receiver does: constant-time comparison, and a timestamp within the tolerance of its clock. */
export function verifyOutgoingWebhook(input: { secret: string; signature: string | null; timestamp: string | null; rawBody: string; nowSeconds?: number; toleranceSeconds?: number }): boolean {
  if (!input.signature || !input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return false;
  const ts = Number(input.timestamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  return safeEqual(signOutgoingWebhook(input.secret, ts, input.rawBody), input.signature);
}
