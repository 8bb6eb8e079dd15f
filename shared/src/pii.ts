// Customer contact details (email, phone) are sealed at rest with AES-256-GCM, and found again by a
// keyed hash (HMAC-SHA256) of their normalized form: a stolen database file shows neither the
// details nor, without the key, which rows share an address. The key is the installation's
// ENCRYPTION_KEY; rotation keeps the old keys readable (ENCRYPTION_KEYS_PREVIOUS) while the store
// reseals every row with the current key when it opens (see the SQLite adapter's resealPii).
// Values stored before sealing existed (no prefix) read as they are and are sealed by that pass.
import { createHash, createHmac } from "node:crypto";
import { SecretBox } from "./crypto.js";

export type PiiKind = "email" | "phone";
const PREFIX = "pii1.";

interface VaultKey {
  id: string;
  box: SecretBox;
  lookupKey: Buffer;
}

function vaultKey(secret: string): VaultKey {
  return {
    // A short id of the key in each sealed value: which key opens it, and whether it needs resealing.
    id: createHash("sha256").update(`kaleem-pii-key-id:${secret}`).digest("hex").slice(0, 8),
    box: new SecretBox(`kaleem-pii:${secret}`),
    lookupKey: createHash("sha256").update(`kaleem-pii-lookup:${secret}`).digest(),
  };
}

/** The normal form a detail is hashed in: emails trimmed and lower-cased, phones as given (E.164). */
export function normalizePii(kind: PiiKind, value: string): string {
  const v = value.trim();
  return kind === "email" ? v.toLowerCase() : v;
}

export class PiiVault {
  private readonly current: VaultKey;
  private readonly byId: Map<string, VaultKey>;

  constructor(currentKey: string, previousKeys: readonly string[] = []) {
    this.current = vaultKey(currentKey);
    this.byId = new Map([this.current, ...previousKeys.map(vaultKey)].map((k) => [k.id, k]));
  }

  seal(value: string): string {
    return `${PREFIX}${this.current.id}.${this.current.box.seal(value)}`;
  }

  sealOrNull(value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : this.seal(value);
  }

  /** The plain value. Throws when the value was sealed with a key this installation no longer has. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const dot = stored.indexOf(".", PREFIX.length);
    const key = this.byId.get(stored.slice(PREFIX.length, dot));
    if (!key) throw new Error("a customer detail is sealed with a key this installation does not have (ENCRYPTION_KEYS_PREVIOUS)");
    return key.box.open(stored.slice(dot + 1));
  }

  openOrNull(stored: string | null | undefined): string | null {
    return stored === null || stored === undefined ? null : this.open(stored);
  }

  /** True when the stored value is sealed with the current key (nothing to reseal). */
  isCurrent(stored: string | null | undefined): boolean {
    return stored === null || stored === undefined || stored.startsWith(`${PREFIX}${this.current.id}.`);
  }

  /** What a sealed value of the current key starts with (for finding rows that need resealing). */
  get currentPrefix(): string {
    return `${PREFIX}${this.current.id}.`;
  }

  /** The keyed hash to store beside a sealed detail and to look it up by. */
  lookup(kind: PiiKind, value: string): string {
    return createHmac("sha256", this.current.lookupKey).update(`${kind}:${normalizePii(kind, value)}`).digest("hex");
  }

  lookupOrNull(kind: PiiKind, value: string | null | undefined): string | null {
    return value === null || value === undefined || value.trim() === "" ? null : this.lookup(kind, value);
  }

  /** The hashes a detail may be stored under: the current key's, then each previous key's (rows not yet resealed). */
  lookups(kind: PiiKind, value: string): string[] {
    const normalized = `${kind}:${normalizePii(kind, value)}`;
    return [...this.byId.values()].map((k) => createHmac("sha256", k.lookupKey).update(normalized).digest("hex"));
  }
}

/** What a store needs to keep data sealed at rest: the contact-detail vault and the integration-secret resealer. */
export interface StoreCrypto {
  pii: PiiVault;
  /** The integration secret sealed with the current key, or null when it already is. */
  resealSecret(ciphertext: string): string | null;
}

/** What a store's reseal pass on open touched, per kind (rows or documents resealed under the current key). */
export interface ResealReport {
  customers: number;
  orders: number;
  secrets: number;
}
