// The store's crypto for tests: a fixed test key unless a test shares a database file with processes
// it spawned, which then pass those processes' ENCRYPTION_KEY (and rotated-out keys).
import { storeCrypto } from "../store-crypto.js";
import type { StoreCrypto } from "../pii.js";

export const TEST_ENCRYPTION_KEY = "kaleem-test-encryption-key-not-a-secret-0123456789";

export function testStoreCrypto(encryptionKey: string = TEST_ENCRYPTION_KEY, previousEncryptionKeys: readonly string[] = []): StoreCrypto {
  return storeCrypto({ secrets: { encryptionKey }, previousEncryptionKeys });
}
