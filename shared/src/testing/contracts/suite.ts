// What every contract suite shares: a named factory with optional setup/teardown (start a server,
// stop it), run around one describe block per adapter.
import { afterAll, beforeAll, describe } from "vitest";

export interface ContractFactory {
  /** Shown in the test names: "memory", "redis", "BullMQ"... */
  name: string;
  /** Runs once before the suite (start a server). */
  setup?(): Promise<void>;
  /** Runs once after the suite, also when tests failed (stop the server, close clients). */
  teardown?(): Promise<void>;
}

export function contractSuite(port: string, f: ContractFactory, body: () => void): void {
  describe(`${port} contract: ${f.name}`, () => {
    beforeAll(async () => f.setup?.());
    afterAll(async () => f.teardown?.());
    body();
  });
}
