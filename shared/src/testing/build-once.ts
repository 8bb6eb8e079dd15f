// Browser tests build the bundles they serve (dashboard/dist, webchat-widget/dist). Test files run
// in parallel processes, and two builds of one output at once break each other (Vite empties its
// output folder first, so a page being served can lose its scripts mid-test). Every caller builds
// through here: one build at a time per output folder (a lock directory), and once per test run
// (the forks of one vitest run share its process as their parent), later callers reusing it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs `build` (which writes `outDir`) unless this test run already did; never two at once. */
export function buildOncePerRun(outDir: string, build: () => void, timeoutMs = 300_000): void {
  // Outside the repository, one per output folder.
  const lock = path.join(os.tmpdir(), `kaleem-build-${createHash("sha256").update(path.resolve(outDir)).digest("hex").slice(0, 16)}.lock`);
  const owner = path.join(lock, "pid");
  const marker = path.join(outDir, ".built-by-run");
  const run = String(process.ppid);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // A builder that died (killed test run) leaves its lock behind: take it over.
      const holder = Number(existsSync(owner) ? readFileSync(owner, "utf8") : "0");
      if (holder > 0 && !alive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build of ${outDir}`);
      sleep(100);
    }
  }
  try {
    if (existsSync(marker) && readFileSync(marker, "utf8") === run) return;
    build();
    writeFileSync(marker, run);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
