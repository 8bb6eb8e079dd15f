// Starts a real embedded Kaleem (hub + rest + workers + the built-in bot, demo store seeded) on
// port 0 with a temporary data directory, for the client and browser tests.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "@kaleem/shared";
import { startKaleem, type KaleemInstance } from "@kaleem/launcher";

export interface DemoKaleem {
  k: KaleemInstance;
  url: string;
  widgetKey: string;
  merchantId: string;
  /** Demo owner login (agent tests). */
  email: string;
  password: string;
  dataDir: string;
  /** Stops this server and starts a new one on the same port and data (a hub node going away). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function boot(dataDir: string, port: number, env: Record<string, string>): Promise<KaleemInstance> {
  const config = loadConfig(
    {},
    {
      KALEEM_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      KALEEM_SEED_DEMO: "true",
      ...env,
    },
  );
  return startKaleem(config, { printCredentials: false });
}

export async function startDemoKaleem(env: Record<string, string> = {}): Promise<DemoKaleem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-widget-"));
  let k: KaleemInstance;
  try {
    k = await boot(dataDir, 0, env);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as {
    widgetKey: string;
    merchantId: string;
    email: string;
    password: string;
  };
  const self: DemoKaleem = {
    k,
    url: k.url,
    widgetKey: demo.widgetKey,
    merchantId: demo.merchantId,
    email: demo.email,
    password: demo.password,
    dataDir,
    async restart() {
      const port = self.k.port;
      // Drop every socket first, as a dying node does. (KaleemInstance.close() alone waits for the
      // HTTP server while open websockets keep it alive: it closes the server before the hub.)
      await self.k.hub?.close();
      await self.k.close();
      self.k = await boot(dataDir, port, env);
    },
    async close() {
      try {
        await self.k.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return self;
}

/** Polls `check` until it returns a value (not undefined/null/false) or the deadline passes. */
export async function waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
