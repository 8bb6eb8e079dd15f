// The launcher as a real process: embedded start with the demo seed, ops endpoints, graceful
// shutdown on SIGTERM, and a clear refusal of cluster roles without Redis.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@kaleem/shared/testing";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function launch(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-proc-"));
  dirs.push(dir);
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", path.join(repoRoot, "launcher/src/main.ts")], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", KALEEM_DATA_DIR: dir, HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { dir, child, output: () => out, exited };
}

describe("launcher process", () => {
  it("starts embedded with the demo store, serves ops endpoints and shuts down cleanly on SIGTERM", async () => {
    const port = await freePort();
    const p = launch({ PORT: String(port) });
    const started = Date.now();
    while (!p.output().includes("kaleem started")) {
      if (p.child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`did not start:\n${p.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = `http://127.0.0.1:${port}`;
    expect(p.output()).toMatch(/login: +owner@demo\.kaleem\.dev \/ \S{12,}/);
    const demo = JSON.parse(readFileSync(path.join(p.dir, "demo.json"), "utf8")) as Record<string, string>;
    expect(Object.keys(demo).sort()).toEqual(["email", "merchantId", "password", "storeName", "widgetKey"]);
    expect(p.output()).toContain(demo.password);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: "ok" });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain("process_cpu_user_seconds_total");

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain("shutting down");
    expect(existsSync(path.join(p.dir, "kaleem.db"))).toBe(true);
  });

  it("refuses a cluster role without REDIS_URL, naming the variable", async () => {
    const p = launch({ PORT: "0", KALEEM_ROLE: "hub" });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/REDIS_URL: required when KALEEM_ROLE=hub/);
  });
});
