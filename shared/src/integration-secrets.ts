// Channel and commerce credentials are sealed with the installation's encryption key before they
// reach the store (a JSON object of the secret fields), and opened only where they are used:
// REST when it verifies a webhook, the workers when they call the provider.
import type { Config } from "./config.js";
import { SecretBox } from "./crypto.js";

export class IntegrationSecrets {
  private readonly box: SecretBox;
  constructor(config: Config) {
    this.box = new SecretBox(config.secrets.encryptionKey);
  }
  seal(secrets: Record<string, string>): string {
    return this.box.seal(JSON.stringify(secrets));
  }
  open(ciphertext: string): Record<string, string> {
    const value: unknown = JSON.parse(this.box.open(ciphertext));
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("sealed secrets are not an object");
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
  }
}

/** One box per installation key (the key never changes while the process runs). */
const boxes = new WeakMap<Config, IntegrationSecrets>();
export function integrationSecrets(config: Config): IntegrationSecrets {
  let box = boxes.get(config);
  if (!box) {
    box = new IntegrationSecrets(config);
    boxes.set(config, box);
  }
  return box;
}

