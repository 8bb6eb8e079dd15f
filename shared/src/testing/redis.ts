// Spawns a private redis-server on a free port for a test file; stops it in teardown.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (buf: Buffer) => {
      out += buf.toString();
      if (out.includes("Ready to accept connections")) resolve();
    };
    child.stdout?.on("data", onData);
    child.once("error", (err) => reject(new Error(`redis-server could not start (is it installed?): ${err.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`redis-server did not start in 10s: ${out}`)), 10_000).unref();
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Unique key prefix per test so tests sharing a server never see each other's keys. */
export function uniquePrefix(name = "t"): string {
  return `${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
