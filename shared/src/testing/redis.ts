// Spawns a private redis-server on a free port for a test file; stops it in teardown.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";

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

/**
 * `port`: start on that port (a restart of a stopped server, to test reconnection).
 * `persistDir`: keep an append-only file there (fsync on every write), as production Redis does, so
 * a restart on the same dir comes back with its queues; the caller owns (and removes) the dir.
 * `args`: more redis-server options (e.g. `["--maxmemory-policy", "allkeys-lru"]` for a server Kaleem must refuse).
 */
export async function startRedisServer(options: { port?: number; persistDir?: string; args?: string[] } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.persistDir ?? mkdtempSync(path.join(os.tmpdir(), "kaleem-redis-"));
  const persistence = options.persistDir ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", dir, ...(options.args ?? [])],
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
      if (!options.persistDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Unique key prefix per test so tests sharing a server never see each other's keys. */
export function uniquePrefix(name = "t"): string {
  return `${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * A redis-server for one contract run plus the clients its tests open: spread `setup`/`teardown`
 * into a contract factory and call `client()` inside it.
 */
export interface RedisFixture {
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A new client on the server, disconnected in teardown. */
  client(): Redis;
  readonly url: string;
}

export function redisFixture(): RedisFixture {
  let server: RedisServer | null = null;
  const clients: Redis[] = [];
  const running = () => {
    if (!server) throw new Error("redisFixture: setup() has not run");
    return server;
  };
  return {
    async setup() {
      server = await startRedisServer();
    },
    async teardown() {
      try {
        for (const c of clients.splice(0)) c.disconnect();
      } finally {
        await server?.stop();
        server = null;
      }
    },
    client() {
      const c = new Redis(running().url);
      clients.push(c);
      return c;
    },
    get url() {
      return running().url;
    },
  };
}
