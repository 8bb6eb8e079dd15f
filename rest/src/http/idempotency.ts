// Idempotency-Key on creating requests, the way Stripe and the IETF draft define it: the same key
// and the same body replay the first response (`Idempotent-Replayed: true`); a different body is
// 422; a key whose request is still running is 409. Routes that create something (orders,
// channels) run their work through `withIdempotencyKey`; a failed run frees the key so a retry may
// run again.
import { AppError, canonicalJson, sha256Hex, ValidationError, type TenantStore } from "@kaleem/shared";
import { readJsonBody } from "./body.js";
import type { RestContext } from "./state.js";

/** Keys are kept a little over the 24 hours clients are promised. */
export const IDEMPOTENCY_TTL_SECONDS = 25 * 3600;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const IDEMPOTENCY_HEADER_DOC = {
  name: "Idempotency-Key",
  required: false,
  description: "Same key + same body replays the first response (Idempotent-Replayed: true); different body → 422; in flight → 409. Kept ≥ 24 h.",
} as const;

class IdempotencyMismatchError extends AppError {
  constructor() {
    super("idempotency_key_reused", 422, "This Idempotency-Key was already used with a different request body");
  }
}
class IdempotencyInFlightError extends AppError {
  constructor() {
    super("idempotency_in_flight", 409, "A request with this Idempotency-Key is still being processed; retry later");
  }
}

export interface StoredReply<B> {
  status: 201;
  body: B;
}

/**
 * Runs `run` under the request's Idempotency-Key (or plainly without one). `run` gets the key it
 * holds; when it stores the reply in its own transaction (orders) it says `completed: true`,
 * otherwise the reply is stored here once `run` has succeeded.
 */
export async function withIdempotencyKey<B>(
  ctx: RestContext,
  store: TenantStore,
  input: { label: string; bodyBytes: number },
  run: (key: string | null) => Promise<StoredReply<B> & { completed?: boolean }>,
): Promise<StoredReply<B> & { headers?: Record<string, string> }> {
  const key = ctx.get("idempotency-key");
  if (key === "") {
    const { status, body } = await run(null);
    return { status, body };
  }
  if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationError("Idempotency-Key must be 1-255 visible ASCII characters");
  // The fingerprint covers the body as sent (already read and cached by the router).
  const requestHash = sha256Hex(`${input.label}\n${canonicalJson(await readJsonBody(ctx, input.bodyBytes))}`);
  const begun = await store.idempotency.begin(key, requestHash, IDEMPOTENCY_TTL_SECONDS);
  if (begun.state === "replay") {
    // The stored reply is the one this helper (or the route's own transaction) stored: 201 and the body.
    const stored = begun.response as StoredReply<B>;
    return { status: stored.status, body: stored.body, headers: { "Idempotent-Replayed": "true" } };
  }
  if (begun.state === "mismatch") throw new IdempotencyMismatchError();
  if (begun.state === "in_flight") throw new IdempotencyInFlightError();
  let reply: StoredReply<B> & { completed?: boolean };
  try {
    reply = await run(key);
  } catch (err) {
    // Nothing was created, so the key is freed: a retry (say, once stock is back) may run again.
    await store.idempotency.release(key);
    throw err;
  }
  if (!reply.completed) await store.idempotency.complete(key, { status: reply.status, body: reply.body });
  return { status: reply.status, body: reply.body };
}
