// The store's crypto from the validated config: the contact-detail vault and the integration
// secret resealer, both on the installation's current and rotated-out keys.
import { integrationSecrets, type EncryptionKeys } from "./integration-secrets.js";
import { PiiVault, type StoreCrypto } from "./pii.js";

export function storeCrypto(keys: EncryptionKeys): StoreCrypto {
  const secrets = integrationSecrets(keys);
  return { pii: new PiiVault(keys.secrets.encryptionKey, keys.previousEncryptionKeys), resealSecret: (c) => secrets.reseal(c) };
}
