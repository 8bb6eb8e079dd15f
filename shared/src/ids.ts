import { randomBytes } from "node:crypto";

let lastMs = 0;
let counter = 0;

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
  return now.toString(16).padStart(12, "0") + counter.toString(16).padStart(4, "0") + randomBytes(4).toString("hex");
}

/** URL-safe random secret. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
