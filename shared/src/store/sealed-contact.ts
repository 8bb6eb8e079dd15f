// How a store keeps a customer's contact details (see pii.ts): sealed values beside their keyed
// hashes, and the hashes a searched detail may be stored under. Shared by the SQLite and MongoDB
// adapters so both seal, normalize and find a detail the same way.
import type { PiiKind, PiiVault } from "../pii.js";
import { storedPhone } from "./defaults.js";

/** The sealed email and phone of a customer (or an order's contact), with their look-up hashes. */
export function sealedContact(pii: PiiVault, contact: { email?: string | null; phone?: string | null }) {
  const email = contact.email?.trim() ? contact.email.trim() : null;
  const phone = storedPhone(contact.phone) ?? null;
  return {
    email: pii.sealOrNull(email),
    emailHash: pii.lookupOrNull("email", email),
    phone: pii.sealOrNull(phone),
    phoneHash: pii.lookupOrNull("phone", phone),
  };
}

/** Every hash `value` may be stored under (current key first): a phone in its stored form (E.164). */
export function contactLookups(pii: PiiVault, kind: PiiKind, value: string): string[] {
  return pii.lookups(kind, kind === "phone" ? (storedPhone(value) ?? value) : value);
}
