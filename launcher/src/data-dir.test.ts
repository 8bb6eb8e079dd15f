// Issue 15, item 9: the data dir holds password hashes, PII and sealed secrets. A fresh install
// creates it owner-only, and an install left world-readable by an older version is tightened.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@kaleem/shared";
import { startKaleem } from "./runtime.js";

const modeOf = (file: string) => statSync(file).mode & 0o777;
const configFor = (dataDir: string) =>
  loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0" });

describe("data dir permissions", () => {
  it("creates a fresh data dir 0700 and every file in it 0600: database, -wal, -shm, secrets.json, demo.json", async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), "kaleem-perms-"));
    const dataDir = path.join(parent, "fresh", "data");
    // What a permissive umask would otherwise give every new file.
    const umask = process.umask(0o022);
    try {
      const k = await startKaleem(configFor(dataDir), { printCredentials: false });
      try {
        // A write, so the WAL and its index certainly exist while the database is open.
        await k.store.lookup.merchantIds();
        expect(modeOf(dataDir)).toBe(0o700);
        for (const name of ["kaleem.db", "kaleem.db-wal", "kaleem.db-shm", "secrets.json", "demo.json"]) {
          const file = path.join(dataDir, name);
          expect(existsSync(file), name).toBe(true);
          expect(modeOf(file).toString(8), name).toBe("600");
        }
      } finally {
        await k.close();
      }
    } finally {
      process.umask(umask);
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("tightens an existing world-readable install when it starts", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-perms-old-"));
    try {
      const first = await startKaleem(configFor(dataDir), { printCredentials: false });
      await first.close();
      // What an older version (or a careless copy) left behind.
      chmodSync(dataDir, 0o755);
      for (const name of ["kaleem.db", "secrets.json", "demo.json"]) chmodSync(path.join(dataDir, name), 0o644);
      mkdirSync(path.join(dataDir, "media"), { recursive: true, mode: 0o755 });
      writeFileSync(path.join(dataDir, "media", "photo.jpg"), "x", { mode: 0o644 });
      chmodSync(path.join(dataDir, "media"), 0o755);

      const second = await startKaleem(configFor(dataDir), { printCredentials: false });
      try {
        expect(modeOf(dataDir)).toBe(0o700);
        for (const name of ["kaleem.db", "secrets.json", "demo.json"]) expect(modeOf(path.join(dataDir, name)).toString(8), name).toBe("600");
        expect(modeOf(path.join(dataDir, "media"))).toBe(0o700);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
