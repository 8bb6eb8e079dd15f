// The start-up checks that refuse a wrong cluster: the pure judgements on what engines report, and
// startKaleem refusing for real (a spawned redis-server that evicts; cluster roles on SQLite). A
// MongoDB without a replica set is refused by the store's own opening: see
// shared/src/adapters/mongo/mongo.test.ts ("a MongoDB without a replica set").
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type Config } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { redisEvictionProblem, sqliteClusterProblem } from "./cluster-checks.js";
import { startKaleem } from "./runtime.js";

const dirs: string[] = [];
const servers: RedisServer[] = [];
afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function configFor(env: Record<string, string>): Config {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-checks-"));
  dirs.push(dataDir);
  return loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", KALEEM_SEED_DEMO: "false", ...env });
}

describe("cluster roles on SQLite", () => {
  const base = { redis: { url: "redis://127.0.0.1:1", prefix: "k" }, singleHost: false } as const;
  it("are refused unless every role runs on one host", () => {
    for (const role of ["hub", "rest", "workers"] as const) {
      expect(sqliteClusterProblem({ ...base, role }, "sqlite")).toMatch(new RegExp(`MONGODB_URL: required when KALEEM_ROLE=${role}.*KALEEM_SINGLE_HOST=true`));
    }
    expect(sqliteClusterProblem({ ...base, role: "hub", singleHost: true }, "sqlite")).toBeNull();
    expect(sqliteClusterProblem({ ...base, role: "hub" }, "mongo")).toBeNull();
    // The embedded process keeps its own SQLite file, Redis or not.
    expect(sqliteClusterProblem({ ...base, role: "all" }, "sqlite")).toBeNull();
  });

  it("stop startKaleem with a construction error naming both variables; with MONGODB_URL the store is MongoDB", async () => {
    const redis = await startRedisServer();
    servers.push(redis);
    const config = configFor({ KALEEM_ROLE: "hub", REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix("checks") });
    await expect(startKaleem(config, { printCredentials: false, seedDemo: false })).rejects.toThrow(ConfigError);
    await expect(startKaleem(config, { printCredentials: false, seedDemo: false })).rejects.toThrow(/MONGODB_URL: required when KALEEM_ROLE=hub/);
    const withMongoUrl = configFor({ KALEEM_ROLE: "workers", REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix("checks"), MONGODB_URL: "mongodb://127.0.0.1:1/kaleem" });
    // With MONGODB_URL the store is MongoDB, which the SQLite check lets through; an unreachable one stops start-up.
    await expect(startKaleem(withMongoUrl, { printCredentials: false, seedDemo: false })).rejects.toThrow(/store cannot take writes|unreachable|unavailable/i);
    // Told it is one host, the same role starts (on a Redis that does not evict).
    const k = await startKaleem(configFor({ KALEEM_ROLE: "hub", REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix("checks"), KALEEM_SINGLE_HOST: "true" }), { printCredentials: false, seedDemo: false });
    await k.close();
  });

  it("KALEEM_SINGLE_HOST is a validated boolean, off by default", () => {
    expect(configFor({}).singleHost).toBe(false);
    expect(configFor({ KALEEM_SINGLE_HOST: "true" }).singleHost).toBe(true);
    expect(() => configFor({ KALEEM_SINGLE_HOST: "maybe" })).toThrow(ConfigError);
  });
});

describe("a Redis that evicts keys", () => {
  it("is judged from INFO memory: only noeviction passes", () => {
    expect(redisEvictionProblem("# Memory\r\nused_memory:1\r\nmaxmemory_policy:noeviction\r\n")).toBeNull();
    for (const policy of ["allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-ttl", "allkeys-random"]) {
      expect(redisEvictionProblem(`# Memory\r\nmaxmemory_policy:${policy}\r\n`)).toMatch(new RegExp(`maxmemory-policy is ${policy}.*noeviction`));
    }
    expect(redisEvictionProblem("# Memory\r\nused_memory:1\r\n")).toMatch(/did not report its maxmemory_policy/);
  });

  it("stops startKaleem for every role that uses it, the embedded one included", async () => {
    const lru = await startRedisServer({ args: ["--maxmemory-policy", "allkeys-lru"] });
    servers.push(lru);
    const roles: Array<Record<string, string>> = [{ KALEEM_ROLE: "workers", KALEEM_SINGLE_HOST: "true" }, { KALEEM_ROLE: "all" }];
    for (const env of roles) {
      const config = configFor({ ...env, REDIS_URL: lru.url, REDIS_PREFIX: uniquePrefix("checks") });
      const started = startKaleem(config, { printCredentials: false, seedDemo: false });
      await expect(started).rejects.toThrow(ConfigError);
      await expect(startKaleem(config, { printCredentials: false, seedDemo: false })).rejects.toThrow(/maxmemory-policy is allkeys-lru.*lost/s);
    }
  });
});
