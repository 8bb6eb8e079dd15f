import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { ConfigError } from "./errors.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "kaleem-config-"));

describe("loadConfig", () => {
  it("applies defaults and generates embedded secrets once", () => {
    const dir = tmp();
    const a = loadConfig({ KALEEM_DATA_DIR: dir });
    expect(a.http.port).toBe(8080);
    expect(a.role).toBe("all");
    expect(a.secrets.jwtAccessSecret.length).toBeGreaterThanOrEqual(32);
    const b = loadConfig({ KALEEM_DATA_DIR: dir });
    expect(b.secrets).toEqual(a.secrets);
    expect(JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8")).jwtAccessSecret).toBe(a.secrets.jwtAccessSecret);
  });

  it("refuses a secrets.json whose values are not usable secrets, instead of signing tokens with them", () => {
    for (const bad of [{ jwtAccessSecret: 12345 }, { jwtAccessSecret: "short" }, ["not", "an", "object"], { encryptionKey: null }]) {
      const dir = tmp();
      writeFileSync(path.join(dir, "secrets.json"), JSON.stringify(bad));
      expect(() => loadConfig({ KALEEM_DATA_DIR: dir }), JSON.stringify(bad)).toThrow(/secrets\.json/);
    }
    // Missing entries are still generated and added.
    const dir = tmp();
    writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ jwtAccessSecret: "k".repeat(40) }));
    const c = loadConfig({ KALEEM_DATA_DIR: dir });
    expect(c.secrets.jwtAccessSecret).toBe("k".repeat(40));
    expect(c.secrets.encryptionKey.length).toBeGreaterThanOrEqual(32);
  });

  it("reads the streaming coalescing window: off by default, bounded", () => {
    const dir = tmp();
    expect(loadConfig({ KALEEM_DATA_DIR: dir }).bot.coalesceMs).toBe(0);
    expect(loadConfig({ KALEEM_DATA_DIR: dir, BOT_STREAM_COALESCE_MS: "40" }).bot.coalesceMs).toBe(40);
    expect(() => loadConfig({ KALEEM_DATA_DIR: dir, BOT_STREAM_COALESCE_MS: "5000" })).toThrow(/BOT_STREAM_COALESCE_MS/);
  });

  it("is frozen", () => {
    const c = loadConfig({ KALEEM_DATA_DIR: tmp() });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it("names the variable and the problem", () => {
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), KALEEM_ROLE: "db" })).toThrow(ConfigError);
  });

  it("requires secrets in production", () => {
    try {
      loadConfig({ NODE_ENV: "production", KALEEM_DATA_DIR: tmp() });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/JWT_ACCESS_SECRET: required/);
      expect((err as Error).message).toMatch(/ENCRYPTION_KEY: required/);
    }
  });

  it("reads rotated-out encryption keys, refusing short ones and dropping the current key", () => {
    const current = "k".repeat(40);
    const old = "o".repeat(40);
    expect(loadConfig({ KALEEM_DATA_DIR: tmp(), ENCRYPTION_KEY: current, ENCRYPTION_KEYS_PREVIOUS: ` ${old} , ${current}` }).previousEncryptionKeys).toEqual([old]);
    expect(loadConfig({ KALEEM_DATA_DIR: tmp() }).previousEncryptionKeys).toEqual([]);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), ENCRYPTION_KEYS_PREVIOUS: "short" })).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });

  it("reads optional backends", () => {
    const c = loadConfig({ KALEEM_DATA_DIR: tmp(), REDIS_URL: "redis://127.0.0.1:6390", LLM_BASE_URL: "http://127.0.0.1:9/v1/" });
    expect(c.redis?.url).toBe("redis://127.0.0.1:6390");
    expect(c.llm?.baseUrl).toBe("http://127.0.0.1:9/v1");
    expect(c.mongo).toBeNull();
    expect(c.s3).toBeNull();
  });

  it("reads the MongoDB store: replica set URLs with several hosts, a database name and a server selection timeout", () => {
    const url = "mongodb://kaleem:secret@mongo-a:27017,mongo-b:27017/kaleem?replicaSet=rs0&authSource=admin";
    const c = loadConfig({ KALEEM_DATA_DIR: tmp(), MONGODB_URL: url, MONGODB_DB: "kaleem_prod", MONGODB_SERVER_SELECTION_TIMEOUT_MS: "2500" });
    expect(c.mongo).toEqual({ url, dbName: "kaleem_prod", serverSelectionTimeoutMs: 2500 });
    expect(loadConfig({ KALEEM_DATA_DIR: tmp(), MONGODB_URL: "mongodb+srv://cluster0.example.net/kaleem" }).mongo).toEqual({
      url: "mongodb+srv://cluster0.example.net/kaleem",
      dbName: null,
      serverSelectionTimeoutMs: 5000,
    });
    expect(loadConfig({ KALEEM_DATA_DIR: tmp(), MONGODB_URL: "" }).mongo).toBeNull();
    for (const bad of [{ MONGODB_URL: "http://mongo:27017" }, { MONGODB_URL: "mongodb://" }, { MONGODB_URL: "mongodb://m", MONGODB_SERVER_SELECTION_TIMEOUT_MS: "10" }]) {
      expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), ...bad })).toThrow(ConfigError);
    }
  });

  it("reads the object store: presigned URLs name the public endpoint, the server one unless told otherwise", () => {
    const s3 = { S3_ENDPOINT: "http://minio:9000", S3_ACCESS_KEY: "kaleem", S3_SECRET_KEY: "s".repeat(40) };
    const inner = loadConfig({ KALEEM_DATA_DIR: tmp(), ...s3 });
    expect(inner.s3).toEqual({ endpoint: "http://minio:9000", publicEndpoint: "http://minio:9000", accessKey: "kaleem", secretKey: "s".repeat(40), bucket: "kaleem-media", region: "us-east-1" });
    const split = loadConfig({ KALEEM_DATA_DIR: tmp(), ...s3, S3_PUBLIC_ENDPOINT: "https://media.shop.example" });
    expect(split.s3?.publicEndpoint).toBe("https://media.shop.example");
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), ...s3, S3_PUBLIC_ENDPOINT: "not a url" })).toThrow(/S3_PUBLIC_ENDPOINT/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), S3_ENDPOINT: "http://minio:9000" })).toThrow(/S3_ACCESS_KEY/);
  });

  it("reads Qdrant: URL, key, collection prefix and request timeout, refusing what the client cannot use", () => {
    expect(loadConfig({ KALEEM_DATA_DIR: tmp() }).qdrant).toBeNull();
    const q = loadConfig({ KALEEM_DATA_DIR: tmp(), QDRANT_URL: "http://qdrant:6333", QDRANT_API_KEY: "k" });
    expect(q.qdrant).toEqual({ url: "http://qdrant:6333", apiKey: "k", collectionPrefix: "kaleem_products", timeoutMs: 2000 });
    const tuned = loadConfig({ KALEEM_DATA_DIR: tmp(), QDRANT_URL: "https://q.example", QDRANT_COLLECTION_PREFIX: "shop-a", QDRANT_TIMEOUT_MS: "500" });
    expect(tuned.qdrant).toMatchObject({ apiKey: null, collectionPrefix: "shop-a", timeoutMs: 500 });
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), QDRANT_URL: "grpc://qdrant:6334" })).toThrow(/QDRANT_URL/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), QDRANT_URL: "http://q:6333", QDRANT_COLLECTION_PREFIX: "a/b" })).toThrow(/QDRANT_COLLECTION_PREFIX/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), QDRANT_URL: "http://q:6333", QDRANT_TIMEOUT_MS: "5" })).toThrow(/QDRANT_TIMEOUT_MS/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), QDRANT_API_KEY: "k" })).toThrow(/QDRANT_API_KEY/);
  });

  it("reads the OTLP endpoint: tracing off by default, service name per role, refusing what the exporter cannot use", () => {
    expect(loadConfig({ KALEEM_DATA_DIR: tmp() }).tracing).toBeNull();
    expect(loadConfig({ KALEEM_DATA_DIR: tmp(), OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4318", KALEEM_ROLE: "workers", REDIS_URL: "redis://r:6379" }).tracing).toEqual({ endpoint: "http://otel:4318", serviceName: "kaleem-workers" });
    expect(loadConfig({ KALEEM_DATA_DIR: tmp(), OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example", OTEL_SERVICE_NAME: "shop-hub" }).tracing).toEqual({ endpoint: "https://otel.example", serviceName: "shop-hub" });
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://otel:4317" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ KALEEM_DATA_DIR: tmp(), OTEL_SERVICE_NAME: "x" })).toThrow(/OTEL_SERVICE_NAME/);
  });
});
