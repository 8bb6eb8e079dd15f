// The dashboard's first load: sign-in and the inbox come in the first bundle, every other page is
// a chunk of its own that index.html does not load. Built for real (vite build into a temp dir);
// the budget is on bytes, gzip level 9, which are the same on every machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardDir } from "./harness";

/**
 * Initial JS budget, gzip -9: 162.2 KB before the pages were split, 144.1 KB after (BENCHMARKS.md).
 * What is left is mostly React, zod (the API client parses responses) and socket.io-client.
 */
const INITIAL_JS_GZIP_BUDGET = 150 * 1024;
const LAZY_PAGES = ["AnalyticsPage", "AuditPage", "BotSettingsPage", "CannedRepliesPage", "CatalogPage", "ChannelsPage", "WebhooksPage", "KnowledgePage", "ConfirmSignupPage", "OrdersPage", "TeamPage", "WidgetPage"];

let out: string;
beforeAll(() => {
  out = mkdtempSync(path.join(os.tmpdir(), "kaleem-dash-split-"));
  const vite = path.resolve(dashboardDir, "..", "node_modules", "vite", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn", "--outDir", out, "--emptyOutDir", "--sourcemap", "false"], {
    cwd: dashboardDir,
    encoding: "utf8",
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`dashboard build failed:\n${result.stdout}\n${result.stderr}`);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The scripts index.html loads at once: its module entry and the chunks it preloads. */
function initialScripts(dir: string): string[] {
  const html = readFileSync(path.join(dir, "index.html"), "utf8");
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => path.basename(m[1]!));
}

describe("dashboard code splitting", () => {
  it("loads sign-in and the inbox first and every other page on demand", () => {
    const initial = initialScripts(out);
    expect(initial.length).toBeGreaterThan(0);
    const chunks = readdirSync(path.join(out, "assets")).filter((f) => f.endsWith(".js"));
    for (const page of LAZY_PAGES) {
      const chunk = chunks.find((f) => f.startsWith(`${page}-`));
      expect(chunk, `${page} has its own chunk`).toBeDefined();
      expect(initial).not.toContain(chunk);
    }
    const first = initial.map((f) => readFileSync(path.join(out, "assets", f), "utf8")).join("\n");
    // The sign-in screen and the inbox list are in what the first load brings; analytics is not.
    expect(first).toContain("store-choice");
    expect(first).toContain("conversation-list");
    expect(first).not.toContain('"kpis"');
  });

  it(`keeps the initial JS under ${INITIAL_JS_GZIP_BUDGET / 1024} KB gzip`, () => {
    const gzip = initialScripts(out).reduce((sum, f) => sum + gzipSync(readFileSync(path.join(out, "assets", f)), { level: 9 }).length, 0);
    console.log(`dashboard initial JS: ${(gzip / 1024).toFixed(1)} KB gzip (${initialScripts(out).join(", ")})`);
    expect(gzip).toBeLessThanOrEqual(INITIAL_JS_GZIP_BUDGET);
  });
});
