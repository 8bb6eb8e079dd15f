// Role processes for cluster tests: `node launcher/src/main.ts` with a role, on a free port,
// started when it logs "kaleem started", stopped with SIGTERM (or killed on purpose).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@kaleem/shared/testing";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RoleProcess {
  name: string;
  child: ChildProcess;
  url: string;
  output: string[];
}

export async function spawnRole(name: string, env: Record<string, string>, extra: Record<string, string> = {}): Promise<RoleProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", path.join(repoRoot, "launcher/src/main.ts")], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port), ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc: RoleProcess = { name, child, url: `http://127.0.0.1:${port}`, output: [] };
  child.stdout?.on("data", (b: Buffer) => proc.output.push(b.toString()));
  child.stderr?.on("data", (b: Buffer) => proc.output.push(b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // never leave a half-started role behind
      reject(new Error(`${name} did not start:\n${proc.output.join("")}`));
    }, 60_000);
    const onData = () => {
      if (proc.output.join("").includes("kaleem started")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${proc.output.join("")}`));
    });
  });
  return proc;
}

export async function stopRole(proc: RoleProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((r) => proc.child.once("exit", r));
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function killRole(proc: RoleProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((r) => proc.child.once("exit", r));
  proc.child.kill("SIGKILL");
  await exited;
}
