// `npm start` on a fresh clone reports each step (install, compile, widget, dashboard, seed) with
// how long it took, instead of minutes of silence. The real scripts/bootstrap.mjs runs in a copy of
// the repo layout with an `npm` on PATH that only records its arguments and creates what the real
// one would (node_modules marker, launcher/dist/main.js).
import { testStoreCrypto } from "@kaleem/shared/testing";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@kaleem/shared";
import { openSqliteStore } from "@kaleem/shared/adapters";
import { seedDemoIfEmpty } from "./demo.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("first start progress", () => {
  it("prints every install and build step with its elapsed time, then starts the server", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "kaleem-bootstrap-"));
    try {
      mkdirSync(path.join(root, "scripts"));
      copyFileSync(path.join(repoRoot, "scripts", "bootstrap.mjs"), path.join(root, "scripts", "bootstrap.mjs"));
      writeFileSync(path.join(root, "package-lock.json"), "{}");
      const bin = path.join(root, "bin");
      mkdirSync(bin);
      const npm = path.join(bin, "npm");
      writeFileSync(
        npm,
        [
          "#!/bin/sh",
          `echo "$@" >> "${path.join(root, "npm-calls.txt")}"`,
          `if [ "$1" = ci ]; then mkdir -p "${root}/node_modules" && echo '{}' > "${root}/node_modules/.package-lock.json"; fi`,
          `if [ "$2" = build:ts ]; then mkdir -p "${root}/launcher/dist" && echo 'console.log("server up")' > "${root}/launcher/dist/main.js"; fi`,
          "exit 0",
        ].join("\n"),
      );
      chmodSync(npm, 0o755);
      const res = spawnSync(process.execPath, [path.join(root, "scripts", "bootstrap.mjs"), "start"], {
        cwd: root,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
        encoding: "utf8",
      });
      expect(res.status).toBe(0);
      expect(res.stdout).toContain("server up");
      const lines = res.stderr.split("\n");
      for (const name of ["install", "compile", "widget", "dashboard"]) {
        const begin = lines.findIndex((l) => l.startsWith(`[kaleem] ${name}: `) && l.endsWith(" ..."));
        const end = lines.findIndex((l) => new RegExp(`^\\[kaleem\\] ${name}: done in \\d+\\.\\ds \\(\\d+\\.\\ds since start\\)$`).test(l));
        expect(begin, `${name} announced\n${res.stderr}`).toBeGreaterThanOrEqual(0);
        expect(end, `${name} finished with its time\n${res.stderr}`).toBeGreaterThan(begin);
      }
      expect(lines.some((l) => /^\[kaleem\] starting the server \(\d+\.\ds since start\)/.test(l))).toBe(true);
      // The steps ran in order, each once.
      expect(readFileSync(path.join(root, "npm-calls.txt"), "utf8").trim().split("\n")).toEqual([
        "ci --no-audit --no-fund",
        "run build:ts",
        "run build --workspace=@kaleem/webchat-widget --if-present",
        "run build --workspace=@kaleem/dashboard --if-present",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reports seeding the demo store with its elapsed time", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-seed-progress-"));
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
    try {
      const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" });
      const out: string[] = [];
      const stdout = process.stdout.write.bind(process.stdout);
      process.stdout.write = (() => true) as typeof process.stdout.write;
      try {
        await seedDemoIfEmpty(store, config, 4000, true, (text) => out.push(text));
      } finally {
        process.stdout.write = stdout;
      }
      expect(out[0]).toBe("[kaleem] seed: creating the demo store ...\n");
      expect(out[1]).toMatch(/^\[kaleem\] seed: done in \d+\.\ds\n$/);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
