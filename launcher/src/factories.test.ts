// The store factory: MONGODB_URL chooses the MongoDB store, and a Mongo that cannot be reached
// stops start-up with StoreUnavailableError — it never falls back to a local SQLite file.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger, loadConfig, Metrics, noTracing, StoreUnavailableError } from "@kaleem/shared";
import { createStore } from "./factories.js";
import { Lifecycle } from "./lifecycle.js";

describe("createStore", () => {
  it("with MONGODB_URL opens the MongoDB store: an unreachable server fails start-up, and no SQLite file appears", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-factories-"));
    const logger = createLogger({ level: "silent" });
    const lifecycle = new Lifecycle(logger);
    try {
      // Port 1 on loopback: nothing listens there, the connection is refused.
      const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, LOG_LEVEL: "silent", MONGODB_URL: "mongodb://127.0.0.1:1/kaleem", MONGODB_SERVER_SELECTION_TIMEOUT_MS: "200" });
      const error = await createStore({ config, redis: null, logger, metrics: new Metrics(), lifecycle, tracing: noTracing }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).fault).toBe("unreachable");
      expect(existsSync(path.join(dataDir, "kaleem.db"))).toBe(false);
    } finally {
      await lifecycle.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("without MONGODB_URL opens the SQLite store in the data directory", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-factories-"));
    const logger = createLogger({ level: "silent" });
    const lifecycle = new Lifecycle(logger);
    try {
      const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
      const { store } = await createStore({ config, redis: null, logger, metrics: new Metrics(), lifecycle, tracing: noTracing });
      await store.ping();
      expect(existsSync(path.join(dataDir, "kaleem.db"))).toBe(true);
    } finally {
      await lifecycle.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
