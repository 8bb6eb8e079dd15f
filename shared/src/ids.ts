import { randomBytes, randomFillSync } from "node:crypto";

let lastMs = 0;
let counter = 0;

// Ids are made on every message, event and job: random bytes are drawn 4 KB at a time instead of
// 4 bytes per id (one call into the random source per 1,024 ids).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function random4(): string {
  if (poolOffset + 4 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString("hex", poolOffset, poolOffset + 4);
  poolOffset += 4;
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
  return now.toString(16).padStart(12, "0") + counter.toString(16).padStart(4, "0") + random4();
}

/** URL-safe random secret. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
