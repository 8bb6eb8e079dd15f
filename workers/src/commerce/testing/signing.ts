// How each platform signs a webhook delivery, for tests that play the platform's side.
import { createHmac } from "node:crypto";

/** Shopify: base64 HMAC of the raw body, with the topic, shop and event id headers. */
export function shopifyWebhookHeaders(input: { secret: string; rawBody: string; topic: string; shopDomain: string; eventId: string }): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": createHmac("sha256", input.secret).update(input.rawBody).digest("base64"),
    "x-shopify-topic": input.topic,
    "x-shopify-shop-domain": input.shopDomain,
    "x-shopify-api-version": "2026-01",
    "x-shopify-webhook-id": `wh-${input.eventId}`,
    "x-shopify-event-id": input.eventId,
  };
}

/** Salla: hex HMAC in X-Salla-Signature (signature strategy) or the secret itself in Authorization (token strategy). */
export function sallaWebhookHeaders(input: { secret: string; rawBody: string; strategy?: "signature" | "token" }): Record<string, string> {
  if (input.strategy === "token") return { "content-type": "application/json", authorization: input.secret, "x-salla-security-strategy": "Token" };
  return { "content-type": "application/json", "x-salla-signature": createHmac("sha256", input.secret).update(input.rawBody).digest("hex"), "x-salla-security-strategy": "Signature" };
}

/** Zid: the Basic credentials given when the webhook was created. */
export function zidWebhookHeaders(input: { username: string; password: string }): Record<string, string> {
  return { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${input.username}:${input.password}`).toString("base64")}` };
}
