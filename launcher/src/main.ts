// Process entry: `node launcher/dist/main.js` (KALEEM_ROLE = all | hub | rest | workers).
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "@kaleem/shared";
import { startKaleem } from "./runtime.js";

export { startKaleem, type KaleemInstance, type StartOptions } from "./runtime.js";

async function main(): Promise<void> {
  const instance = await startKaleem(loadConfig());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    instance.logger.info({ signal }, "shutting down");
    // A second signal, or a shutdown that hangs, ends the process anyway.
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    instance
      .close()
      .catch((err: unknown) => instance.logger.error({ err }, "shutdown failed"))
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  main().catch((err: unknown) => {
    // Configuration mistakes get their message only; anything else its stack.
    const text = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${text}\n`);
    process.exit(1);
  });
}
