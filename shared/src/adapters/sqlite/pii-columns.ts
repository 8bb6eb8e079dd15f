// How customer contact details sit in their columns: sealed values beside keyed hashes, and the
// SQL that finds a row by a detail (every hash the detail may be stored under while a key rotates).
import type { PiiKind, PiiVault } from "../../pii.js";
import { contactLookups } from "../../store/sealed-contact.js";

export { sealedContact } from "../../store/sealed-contact.js";

/**
 * `column IN (@prefix0, @prefix1, ...)` and its parameters for every hash `value` may be stored
 * under (current key first). Named parameters keep the statement cacheable per key count.
 */
export function hashMatch(pii: PiiVault, column: string, kind: PiiKind, value: string, prefix: string): { sql: string; params: Record<string, string> } {
  const hashes = contactLookups(pii, kind, value);
  const params = Object.fromEntries(hashes.map((h, i) => [`${prefix}${i}`, h]));
  return { sql: `${column} IN (${hashes.map((_, i) => `@${prefix}${i}`).join(", ")})`, params };
}
