import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { asMerchantId, loadConfig } from "@kaleem/shared";
import { startKaleem } from "./runtime.js";

const configFor = (dataDir: string) =>
  loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0" });

describe("embedded start", () => {
  it("seeds once, and a restart on another port lets the demo page's new origin in", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-runtime-"));
    try {
      const first = await startKaleem(configFor(dataDir), { printCredentials: false });
      const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as { merchantId: string; password: string };
      const firstPort = first.port;
      await first.close();

      const second = await startKaleem(configFor(dataDir), { printCredentials: false });
      try {
        expect(second.port).not.toBe(firstPort);
        // Not seeded twice: same demo store, same generated password.
        expect(JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")).password).toBe(demo.password);
        expect(await second.store.lookup.merchantIds()).toEqual([demo.merchantId]);
        const merchant = await second.store.forMerchant(asMerchantId(demo.merchantId)).merchant.get();
        expect(merchant.widget.allowedOrigins).toEqual(
          expect.arrayContaining([`http://localhost:${firstPort}`, `http://localhost:${second.port}`, `http://127.0.0.1:${second.port}`]),
        );
        const page = await fetch(`${second.url}/`);
        expect(await page.text()).toContain(merchant.widget.key);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
