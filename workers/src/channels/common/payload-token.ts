// Button payloads that do not fit a provider's field (Telegram callback_data is 1-64 bytes,
// WhatsApp row ids 200 characters) travel as a short token derived from the payload itself:
//
//   token = "k1:" + base64url(SHA-256(payload))[0..32]        (35 bytes, 192 bits of hash)
//
// The scheme is deterministic and stateless: nothing is stored when sending. When the tap comes
// back, the token is resolved against the payloads of the Kaleem message the button was on (the
// provider tells which message that was: Telegram callback_query.message, WhatsApp context.id),
// by hashing each candidate again. A payload that fits and does not itself look like a token is
// sent as it is, so most taps need no resolution at all. Stores that prefer a lookup table can
// keep token → payload when sending; the token is the same either way.
import { createHash } from "node:crypto";
import type { MessagePart } from "@kaleem/shared";

const PREFIX = "k1:";
const HASH_CHARS = 32;

export interface PayloadLimit {
  maxBytes?: number;
  maxChars?: number;
}

const fits = (payload: string, limit: PayloadLimit): boolean =>
  payload.length > 0 &&
  (limit.maxChars === undefined || payload.length <= limit.maxChars) &&
  (limit.maxBytes === undefined || Buffer.byteLength(payload, "utf8") <= limit.maxBytes);

export function payloadToken(payload: string): string {
  return PREFIX + createHash("sha256").update(payload, "utf8").digest("base64url").slice(0, HASH_CHARS);
}

export const isPayloadToken = (value: string): boolean => value.startsWith(PREFIX) && value.length === PREFIX.length + HASH_CHARS;

/** What to put in the provider's payload field for `payload`: itself when it fits, else its token. */
export function providerPayload(payload: string, limit: PayloadLimit): string {
  return fits(payload, limit) && !payload.startsWith(PREFIX) ? payload : payloadToken(payload);
}

/**
 * The Kaleem payload a tap carried. `candidates` are the payloads of the message the button was
 * on (see `choicePayloads`). Null when a token matches none of them (a stale or forged tap).
 */
export function resolveProviderPayload(received: string, candidates: Iterable<string>): string | null {
  if (!isPayloadToken(received)) return received;
  for (const candidate of candidates) if (payloadToken(candidate) === received) return candidate;
  return null;
}

/** The payload a product card's "add to cart" button carries: what the web widget sends too. */
export const addToCartPayload = (productId: string): string => `add:${productId}`;

/** Every payload a Kaleem message offers as a button (quick replies, product cards). */
export function choicePayloads(parts: readonly MessagePart[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p.type === "quick_replies") out.push(...p.replies.map((r) => r.payload));
    if (p.type === "product_card" && p.inStock) out.push(addToCartPayload(p.productId));
  }
  return out;
}
