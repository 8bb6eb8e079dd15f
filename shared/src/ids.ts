import { randomBytes, randomFillSync } from "node:crypto";

let lastMs = 0;
let counter = 0;

// Random bytes drawn from the CSPRNG a page at a time (as Node's randomUUID does): a call per id
// allocated a Buffer and entered OpenSSL every time, and every REST request makes one (its id).
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolAt = POOL_BYTES;

/** 4 random bytes as 8 hex chars; each byte of the pool is used once. */
function randomHex4(): string {
  if (poolAt + 4 > POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString("hex", poolAt, poolAt + 4);
  poolAt += 4;
  return hex;
}

/**
 * Time-ordered unique id (24 hex chars: 12 for milliseconds, 4 for an in-process counter,
 * 8 random). Sorting ids as strings sorts them by creation, which keeps cursors stable.
 */
export function newId(): string {
  const now = Date.now();
  if (now === lastMs) counter = (counter + 1) & 0xffff;
  else {
    lastMs = now;
    counter = 0;
  }
  return now.toString(16).padStart(12, "0") + counter.toString(16).padStart(4, "0") + randomHex4();
}

/** URL-safe random secret. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
