// The shipped deployment files: docker-compose.yml read as YAML and held to what the cluster needs
// (pinned engines, health checks gating start order, AOF + noeviction Redis, a Mongo replica set
// initiated by its health check, every role on MongoDB, Qdrant and MinIO, two hubs, volumes, the
// nginx files mounted), the Dockerfile's
// stages, and `.env.example` naming every secret a production role refuses to start without.
// `docker compose config` runs when the compose plugin is installed; no Docker engine runs here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from "@kaleem/hub";
import { LOAD_BALANCING_QUERY, envSchema, loadConfig } from "@kaleem/shared";
import { sqliteClusterProblem } from "./cluster-checks.js";
import { storeEngine } from "./factories.js";
import { repoRoot } from "./processes.test-helpers.js";

const composeFile = path.join(repoRoot, "docker-compose.yml");
const healthcheck = z.object({ test: z.array(z.string()).min(2) }).passthrough();
const service = z
  .object({
    image: z.string().optional(),
    build: z.unknown().optional(),
    command: z.array(z.string()).optional(),
    environment: z.record(z.string(), z.string()).optional(),
    env_file: z.unknown().optional(),
    volumes: z.array(z.string()).optional(),
    healthcheck: healthcheck.optional(),
    depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
    deploy: z.object({ replicas: z.number().optional() }).passthrough().optional(),
  })
  .passthrough();
const composeSchema = z.object({ services: z.record(z.string(), service), volumes: z.record(z.string(), z.unknown()) }).passthrough();
// The YAML merge keys (<<) are resolved by the parser, as compose resolves them.
const compose = composeSchema.parse(parse(readFileSync(composeFile, "utf8"), { merge: true }));
const svc = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no ${name} service`);
  return s;
};
const roles = ["hub", "rest", "workers"] as const;
const engines = ["redis", "mongo", "qdrant", "minio"] as const;

describe("docker-compose.yml", () => {
  it("has the roles, the engines and nginx, with pinned images", () => {
    expect(Object.keys(compose.services).sort()).toEqual([...roles, ...engines, "nginx"].sort());
    for (const name of [...engines, "nginx"]) {
      const image = svc(name).image ?? "";
      expect(image, name).toMatch(/:[^:]+$/);
      expect(image, `${name} is pinned`).not.toMatch(/:(latest|\d+|\d+-alpine)$/);
    }
    for (const role of roles) {
      expect(svc(role).environment?.KALEEM_ROLE).toBe(role);
      expect(svc(role).build, `${role} is built from the one Dockerfile`).toBeDefined();
      expect(svc(role).environment?.NODE_ENV).toBe("production");
    }
    expect(svc("hub").deploy?.replicas).toBe(2);
    // nginx is the one proxy in front of REST and the hubs.
    expect(svc("hub").environment?.TRUST_PROXY_HOPS).toBe("1");
    expect(svc("rest").environment?.TRUST_PROXY_HOPS).toBe("1");
  });

  it("starts nothing before what it needs is healthy, and every service has a health check", () => {
    for (const [name, s] of Object.entries(compose.services)) expect(s.healthcheck, `${name} has a health check`).toBeDefined();
    for (const role of roles) {
      expect(Object.keys(svc(role).depends_on ?? {}).sort(), role).toEqual([...engines].sort());
      for (const dep of Object.values(svc(role).depends_on ?? {})) expect(dep.condition).toBe("service_healthy");
    }
    expect(svc("nginx").depends_on).toEqual({ hub: { condition: "service_healthy" }, rest: { condition: "service_healthy" } });
    for (const role of roles) expect(svc(role).healthcheck!.test.join(" ")).toContain("/readyz");
  });

  it("runs Redis with AOF and noeviction, and Mongo as a replica set its health check initiates", () => {
    const redis = svc("redis").command!.join(" ");
    expect(redis).toContain("--appendonly yes");
    expect(redis).toContain("--maxmemory-policy noeviction");
    expect(svc("mongo").command).toEqual(expect.arrayContaining(["--replSet", "rs0"]));
    const mongoCheck = svc("mongo").healthcheck!.test.join(" ");
    expect(mongoCheck).toContain("rs.initiate");
    expect(mongoCheck).toContain("isWritablePrimary");
    expect(svc("hub").environment?.MONGODB_URL).toMatch(/replicaSet=rs0/);
    expect(svc("hub").environment?.REDIS_URL).toBe("redis://redis:6379");
  });

  it("points every role at the cluster's engines: MongoDB store, Qdrant vectors, MinIO media, and no single-host SQLite flag", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-compose-env-"));
    try {
      for (const role of roles) {
        const env = svc(role).environment ?? {};
        expect(env.QDRANT_URL, role).toBe("http://qdrant:6333");
        expect(env.S3_ENDPOINT, role).toBe("http://minio:9000");
        // With MONGODB_URL the store is MongoDB, so cluster roles need (and get) no KALEEM_SINGLE_HOST.
        expect(env.MONGODB_URL, role).toMatch(/^mongodb:\/\/mongo:27017\//);
        expect("KALEEM_SINGLE_HOST" in env, `${role} sets KALEEM_SINGLE_HOST`).toBe(false);
        // What the roles make of it: the Mongo store, the Qdrant index, the SQLite refusal not applying.
        const config = loadConfig({}, { ...env, NODE_ENV: "development", KALEEM_DATA_DIR: dataDir, LOG_LEVEL: "silent", S3_ACCESS_KEY: "kaleem", S3_SECRET_KEY: "kaleem-secret-key" });
        expect(storeEngine(config), role).toBe("mongo");
        expect(config.qdrant?.url, role).toBe("http://qdrant:6333");
        expect(sqliteClusterProblem(config, storeEngine(config)), role).toBeNull();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps every engine's data on a named volume and mounts the shipped nginx files", () => {
    const named = new Set(Object.keys(compose.volumes));
    for (const name of [...engines, ...roles]) {
      for (const v of svc(name).volumes ?? []) {
        const source = v.split(":")[0]!;
        expect(named.has(source), `${name}: ${v} is a declared volume`).toBe(true);
      }
      expect((svc(name).volumes ?? []).length, `${name} keeps data on a volume`).toBeGreaterThan(0);
    }
    expect(svc("nginx").volumes).toEqual(
      expect.arrayContaining(["./nginx/nginx.conf:/etc/nginx/nginx.conf:ro", "./nginx/site:/etc/nginx/site:ro", "./nginx/certs:/etc/nginx/certs:ro"]),
    );
    // The compose site file re-resolves the hub name, so a restarted or added hub is found.
    expect(readFileSync(path.join(repoRoot, "nginx/site/hubs.conf"), "utf8")).toMatch(/^server hub:8080 resolve/m);
    expect(readFileSync(path.join(repoRoot, "nginx/site/http.conf"), "utf8")).toMatch(/^resolver 127\.0\.0\.11 /m);
  });

  it("names in .env.example every secret a production role requires, and only known variables", () => {
    const example = readFileSync(path.join(repoRoot, ".env.example"), "utf8");
    const keys = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    for (const secret of ["JWT_ACCESS_SECRET", "JWT_REFRESH_SECRET", "VISITOR_TOKEN_SECRET", "ENCRYPTION_KEY", "S3_ACCESS_KEY", "S3_SECRET_KEY"]) expect(keys).toContain(secret);
    const known = new Set([...Object.keys(envSchema.shape), "KALEEM_TAG", "KALEEM_IMAGE"]);
    for (const k of keys) expect(known.has(k), `${k} is a variable Kaleem (or compose) reads`).toBe(true);
  });
});

describe("nginx/nginx.conf", () => {
  const conf = readFileSync(path.join(repoRoot, "nginx", "nginx.conf"), "utf8");
  const location = (prefix: string) => {
    const start = conf.indexOf(`location ${prefix} {`);
    expect(start, `a location ${prefix}`).toBeGreaterThan(0);
    const line = conf.slice(start, conf.indexOf("\n", start));
    // A one-line block ends on its own line; the others at their closing brace.
    return line.includes("}") ? line : conf.slice(start, conf.indexOf("\n    }", start));
  };
  it("keeps Socket.IO connections longer than the hub's heartbeat can be silent", () => {
    const seconds = (directive: string) => Number(new RegExp(`${directive} (\\d+)s;`).exec(location("/socket.io/"))?.[1]);
    // A quiet websocket hears nothing for up to interval + timeout; a long-poll is held up to the interval.
    expect(seconds("proxy_read_timeout") * 1000).toBeGreaterThan(PING_INTERVAL_MS + PING_TIMEOUT_MS);
    expect(seconds("proxy_send_timeout") * 1000).toBeGreaterThan(PING_INTERVAL_MS + PING_TIMEOUT_MS);
    expect(location("/socket.io/")).toContain("proxy_buffering off;");
  });
  it("sets the proxy headers once, where every location inherits them", () => {
    // nginx inherits proxy_set_header only into a location that sets none of its own.
    for (const m of conf.matchAll(/^\s*location [^{\n]+\{/gm)) expect(location(m[0].trim().slice("location ".length, -2)), m[0]).not.toContain("proxy_set_header");
    for (const h of ["Host $http_host", "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "Upgrade $http_upgrade", "Connection $connection_upgrade"]) {
      expect(conf).toContain(`proxy_set_header ${h};`);
    }
  });

  it("hashes the clients' load-balancing key for the hubs", () => {
    expect(conf).toContain(`map $arg_${LOAD_BALANCING_QUERY} $kaleem_route`);
    expect(conf).toMatch(/upstream hubs \{[^}]*hash \$kaleem_route consistent;/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(path.join(repoRoot, "Dockerfile"), "utf8");
  it("builds in stages and runs the launcher as a non-root user, the role from KALEEM_ROLE", () => {
    expect([...dockerfile.matchAll(/^FROM \S+ AS (\S+)/gm)].map((m) => m[1])).toEqual(["deps", "build", "runtime"]);
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/KALEEM_ROLE=all/);
    expect(runtime).toContain('CMD ["node", "--enable-source-maps", "launcher/dist/main.js"]');
    expect(runtime).not.toMatch(/g\+\+|make/);
    // Every package.json the deps stage copies exists (a renamed workspace would break the build).
    for (const m of dockerfile.matchAll(/^COPY (\S+\/package\.json) /gm)) expect(() => readFileSync(path.join(repoRoot, m[1]!))).not.toThrow();
  });
});

const composePlugin = spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0;
describe.skipIf(!composePlugin)(composePlugin ? "docker compose config" : "docker compose config: skipped, the docker compose plugin is not installed here", () => {
  it("accepts docker-compose.yml with .env.example filled in", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-compose-"));
    try {
      const env = readFileSync(path.join(repoRoot, ".env.example"), "utf8").replace(/^([A-Z_]+)=$/gm, (_m, k: string) => `${k}=placeholder-value-for-config-check-${k.toLowerCase()}`);
      writeFileSync(path.join(dir, ".env"), env);
      const res = spawnSync("docker", ["compose", "-f", composeFile, "--project-directory", dir, "config", "--quiet"], { encoding: "utf8" });
      expect(res.stderr).toBe("");
      expect(res.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
