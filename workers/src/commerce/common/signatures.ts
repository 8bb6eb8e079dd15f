// Store-platform webhook authenticity, checked over the raw bytes before anything is parsed, in
// constant time. Each check answers with a verdict and never throws.
//   Shopify: base64 HMAC-SHA256(secret, raw body) in X-Shopify-Hmac-Sha256 (or the lower-case
//            shopify-hmac-sha256 of "events" deliveries). Hex is not Shopify's format: refused.
//   Salla:   the connection's strategy. signature: 64 hex digits of HMAC-SHA256(secret, raw body)
//            in X-Salla-Signature; token: the secret itself in Authorization (Salla's SDKs). A
//            delivery announcing the other strategy (X-Salla-Security-Strategy) is refused.
//   Zid:     Authorization: Basic base64(username:password) as set when the webhook was created.
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../../channels/common/signatures.js";
import { headerValue, singleHeader, type HeaderBag } from "../../channels/common/headers.js";

export type CommerceRejection = "missing_secret" | "missing_signature" | "malformed_signature" | "signature_mismatch" | "strategy_mismatch" | "empty_body";
export type CommerceVerdict = { ok: true } | { ok: false; reason: CommerceRejection };
const reject = (reason: CommerceRejection): CommerceVerdict => ({ ok: false, reason });

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** The one HMAC header a Shopify delivery carries (events first, as Shopify's library looks). */
function shopifyHmacHeader(headers: HeaderBag): string | null | { duplicated: true } {
  for (const name of ["shopify-hmac-sha256", "x-shopify-hmac-sha256"]) {
    const value = headerValue(headers, name);
    if (value !== null) return value;
  }
  return null;
}

export function verifyShopify(rawBody: Buffer, headers: HeaderBag, secret: string): CommerceVerdict {
  if (secret.length === 0) return reject("missing_secret");
  const sent = shopifyHmacHeader(headers);
  if (sent === null || sent === "") return reject("missing_signature");
  if (typeof sent !== "string" || !BASE64_SHA256.test(sent.trim())) return reject("malformed_signature");
  if (rawBody.length === 0) return reject("empty_body");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return constantTimeEqual(Buffer.from(sent.trim(), "base64"), expected) ? { ok: true } : reject("signature_mismatch");
}

export type SallaStrategy = "signature" | "token";
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function verifySalla(rawBody: Buffer, headers: HeaderBag, secret: string, strategy: SallaStrategy): CommerceVerdict {
  if (secret.length === 0) return reject("missing_secret");
  const announced = singleHeader(headers, "x-salla-security-strategy");
  if (announced !== null && announced.trim().toLowerCase() !== strategy) return reject("strategy_mismatch");
  if (strategy === "token") {
    const sent = headerValue(headers, "authorization");
    if (sent === null || sent === "") return reject("missing_signature");
    if (typeof sent !== "string") return reject("malformed_signature");
    // Salla's SDKs compare the header with the secret as it is: no "Bearer", no hashing.
    return constantTimeEqual(Buffer.from(sent, "utf8"), Buffer.from(secret, "utf8")) ? { ok: true } : reject("signature_mismatch");
  }
  const sent = headerValue(headers, "x-salla-signature");
  if (sent === null || sent === "") return reject("missing_signature");
  if (typeof sent !== "string" || !HEX_SHA256.test(sent.trim())) return reject("malformed_signature");
  if (rawBody.length === 0) return reject("empty_body");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return constantTimeEqual(Buffer.from(sent.trim().toLowerCase(), "hex"), expected) ? { ok: true } : reject("signature_mismatch");
}

export function verifyZid(headers: HeaderBag, username: string, password: string): CommerceVerdict {
  if (username.length === 0 || password.length === 0) return reject("missing_secret");
  const sent = headerValue(headers, "authorization");
  if (sent === null || sent === "") return reject("missing_signature");
  if (typeof sent !== "string") return reject("malformed_signature");
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(sent.trim());
  if (!match?.[1]) return reject("malformed_signature");
  const expected = Buffer.from(`${username}:${password}`, "utf8");
  return constantTimeEqual(Buffer.from(match[1], "base64"), expected) ? { ok: true } : reject("signature_mismatch");
}
