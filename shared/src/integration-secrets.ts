// Channel and commerce credentials are sealed with the installation's encryption key before they
// reach the store (a JSON object of the secret fields), and opened only where they are used:
// REST when it verifies a webhook, the workers when they call the provider.
import type { Config } from "./config.js";
import { SecretBox } from "./crypto.js";

/** The installation's encryption key and the keys it replaced (the part of Config crypto needs). */
export interface EncryptionKeys {
  readonly secrets: Pick<Config["secrets"], "encryptionKey">;
  readonly previousEncryptionKeys: readonly string[];
}

export class IntegrationSecrets {
  private readonly box: SecretBox;
  /** Boxes of rotated-out keys: tried in turn when the current key does not open a value. */
  private readonly previous: SecretBox[];
  constructor(config: EncryptionKeys) {
    this.box = new SecretBox(config.secrets.encryptionKey);
    this.previous = config.previousEncryptionKeys.map((k) => new SecretBox(k));
  }
  seal(secrets: Record<string, string>): string {
    return this.box.seal(JSON.stringify(secrets));
  }
  /** The same secrets sealed with the current key, or null when they already are (key rotation). */
  reseal(ciphertext: string): string | null {
    try {
      this.box.open(ciphertext);
      return null;
    } catch {
      return this.box.seal(this.openText(ciphertext));
    }
  }
  private openText(ciphertext: string): string {
    try {
      return this.box.open(ciphertext);
    } catch (err) {
      // GCM's tag check fails for a value sealed with another key: try the rotated-out ones.
      for (const old of this.previous) {
        try {
          return old.open(ciphertext);
        } catch {
          // next key
        }
      }
      throw err;
    }
  }
  open(ciphertext: string): Record<string, string> {
    const value: unknown = JSON.parse(this.openText(ciphertext));
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("sealed secrets are not an object");
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
  }
}

/** One box per installation key (the key never changes while the process runs). */
const boxes = new WeakMap<object, IntegrationSecrets>();
export function integrationSecrets(config: EncryptionKeys): IntegrationSecrets {
  let box = boxes.get(config);
  if (!box) {
    box = new IntegrationSecrets(config);
    boxes.set(config, box);
  }
  return box;
}

