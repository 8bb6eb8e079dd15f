// The Qdrant adapter. Two parts:
// 1. The VectorIndex contract against a real Qdrant, when QDRANT_URL is set (it cannot run on the
//    build machines, so there the run is reported as skipped).
// 2. The adapter's HTTP behaviour against a fake Qdrant REST server (real HTTP on port 0). The fake
//    is for the transport only: it checks that the requests have the shape Qdrant's REST reference
//    documents and answers in Qdrant's envelope; it proves nothing about Qdrant's ranking or
//    consistency, which is what part 1 is for.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../ids.js";
import { ServiceUnavailableError, ValidationError } from "../../errors.js";
import { startFakeQdrant, vectorIndexContract, type FakeQdrant } from "../../testing/index.js";
import { pointId } from "./points.js";
import { QdrantVectorIndex } from "./vector-index.js";

const QDRANT_URL = process.env.QDRANT_URL;

// Named so the output says why it did not run.
describe.skipIf(!QDRANT_URL)(QDRANT_URL ? "Qdrant server at QDRANT_URL" : "Qdrant: QDRANT_URL not set (VectorIndex contract on Qdrant skipped)", () => {
  // One collection for the run; the suite keeps merchants apart by fresh ids.
  const collection = `kaleem_contract_${newId().toLowerCase().replace(/[^a-z0-9]/g, "")}`;
  vectorIndexContract({
    name: "qdrant",
    // The run's collection goes with it (DELETE /collections/{name}).
    teardown: async () => {
      const key = process.env.QDRANT_API_KEY;
      await fetch(`${QDRANT_URL!.replace(/\/+$/, "")}/collections/${collection}`, { method: "DELETE", headers: key ? { "api-key": key } : {} });
    },
    create: async () => {
      const idx = new QdrantVectorIndex({ url: QDRANT_URL!, apiKey: process.env.QDRANT_API_KEY ?? null, collection, dimensions: 3 });
      await idx.start();
      return idx;
    },
  });
});

const v = (...xs: number[]) => Float32Array.from(xs);

describe("Qdrant adapter over HTTP (fake Qdrant REST server: transport only)", () => {
  let fake: FakeQdrant;
  beforeEach(async () => {
    fake = await startFakeQdrant({ apiKey: "secret-key" });
  });
  afterEach(async () => {
    await fake.stop();
  });
  const index = (options: { dimensions?: number; collection?: string } = {}) =>
    new QdrantVectorIndex({ url: fake.url, apiKey: "secret-key", collection: options.collection ?? "kaleem_products_test", dimensions: options.dimensions ?? 3 });

  it("creates the collection with a cosine vector and an is_tenant merchantId keyword index on start-up", async () => {
    await index().start();
    const calls = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      "GET /collections/kaleem_products_test/exists",
      "PUT /collections/kaleem_products_test",
      "GET /collections/kaleem_products_test",
      "PUT /collections/kaleem_products_test/index",
    ]);
    expect(fake.requests[1]!.body).toEqual({ vectors: { size: 3, distance: "Cosine" } });
    expect(fake.requests[3]!.body).toEqual({ field_name: "merchantId", field_schema: { type: "keyword", is_tenant: true } });
    expect(fake.requests[3]!.query.wait).toBe("true");
    expect(fake.requests.every((r) => r.headers["api-key"] === "secret-key")).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it("uses an existing collection as it is: no second create, its size wins", async () => {
    await index().start();
    fake.requests.length = 0;
    const again = index({ dimensions: 0 });
    await again.start();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /collections/kaleem_products_test/exists", "GET /collections/kaleem_products_test"]);
    await expect(again.upsert("m1", [{ id: "x", vector: v(1, 0) }])).rejects.toThrow(/dimensions/);
  });

  it("refuses a collection that is not one unnamed cosine vector", async () => {
    fake.collections.set("foreign", { size: 3, distance: "Dot", indexes: new Map(), points: new Map() });
    await expect(index({ collection: "foreign" }).start()).rejects.toBeInstanceOf(ValidationError);
  });

  it("creates the collection on the first upsert when the model's size is unknown up front", async () => {
    const idx = index({ dimensions: 0 });
    await idx.start();
    expect(fake.collections.size).toBe(0);
    expect(await idx.count("m1")).toBe(0);
    await idx.upsert("m1", [{ id: "p1", vector: v(1, 0, 0, 0) }]);
    expect(fake.collections.get("kaleem_products_test")?.size).toBe(4);
    expect(await idx.count("m1")).toBe(1);
  });

  it("upserts points with UUID ids and the merchant in the payload, and waits for the write", async () => {
    const idx = index();
    await idx.upsert("m1", [{ id: "p1", vector: v(1, 0, 0), payload: { externalId: "ext-1" } }]);
    const put = fake.requests.find((r) => r.method === "PUT" && r.path.endsWith("/points"))!;
    expect(put.query.wait).toBe("true");
    expect(put.body).toEqual({ points: [{ id: pointId("m1", "p1"), vector: [1, 0, 0], payload: { merchantId: "m1", itemId: "p1", data: { externalId: "ext-1" } } }] });
    expect(fake.violations).toEqual([]);
  });

  it("splits a large upsert into requests of at most 256 points", async () => {
    const idx = index();
    const items = Array.from({ length: 600 }, (_, i) => ({ id: `p${i}`, vector: v(1, i, 0) }));
    await idx.upsert("m1", items);
    const puts = fake.requests.filter((r) => r.method === "PUT" && r.path.endsWith("/points"));
    expect(puts.map((r) => (r.body as { points: unknown[] }).points.length)).toEqual([256, 256, 88]);
    expect(await idx.count("m1")).toBe(600);
  });

  it("refuses a batch with a wrong vector size before sending anything", async () => {
    const idx = index();
    await idx.start();
    const before = fake.requests.length;
    await expect(idx.upsert("m1", [{ id: "a", vector: v(1, 0, 0) }, { id: "b", vector: v(1, 0) }])).rejects.toThrow(/dimensions/);
    expect(fake.requests.length).toBe(before);
  });

  it("filters every query, count and clear by merchant, and asks only for the payload it reads", async () => {
    const idx = index();
    await idx.upsert("m1", [{ id: "a", vector: v(1, 0, 0) }, { id: "b", vector: v(0, 1, 0) }]);
    await idx.upsert("m2", [{ id: "a", vector: v(1, 0, 0) }]);
    const hits = await idx.query("m1", v(1, 0.5, 0), 5);
    expect(hits.map((h) => h.id)).toEqual(["a", "b"]);
    expect(await idx.count("m2")).toBe(1);
    await idx.clear("m1");
    const filter = (m: string) => ({ must: [{ key: "merchantId", match: { value: m } }] });
    const query = fake.requests.find((r) => r.path.endsWith("/points/query"))!;
    expect(query.body).toEqual({ query: [1, 0.5, 0], filter: filter("m1"), limit: 5, with_payload: ["itemId", "merchantId"] });
    expect(fake.requests.find((r) => r.path.endsWith("/points/count"))!.body).toEqual({ filter: filter("m2"), exact: true });
    const del = fake.requests.find((r) => r.path.endsWith("/points/delete"))!;
    expect(del.body).toEqual({ filter: filter("m1") });
    expect(del.query.wait).toBe("true");
    expect(await idx.count("m1")).toBe(0);
    expect(await idx.count("m2")).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it("removes by the merchant's own point ids", async () => {
    const idx = index();
    await idx.upsert("m1", [{ id: "a", vector: v(1, 0, 0) }]);
    await idx.upsert("m2", [{ id: "a", vector: v(1, 0, 0) }]);
    await idx.remove("m1", ["a", "gone"]);
    const del = fake.requests.find((r) => r.path.endsWith("/points/delete"))!;
    expect(del.body).toEqual({ points: [pointId("m1", "a"), pointId("m1", "gone")] });
    expect(await idx.count("m1")).toBe(0);
    expect(await idx.count("m2")).toBe(1);
  });

  it("answers an empty list without asking Qdrant for k = 0, a zero vector or another model's size", async () => {
    const idx = index();
    await idx.start();
    const before = fake.requests.length;
    expect(await idx.query("m1", v(1, 0, 0), 0)).toEqual([]);
    expect(await idx.query("m1", v(0, 0, 0), 3)).toEqual([]);
    expect(await idx.query("m1", v(1, 0), 3)).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });

  it("turns Qdrant's 503 into ServiceUnavailableError and a 4xx it caused into a plain error", async () => {
    const idx = index();
    await idx.start();
    for (const status of [503, 500, 429, 408]) {
      fake.failNext(status);
      await expect(idx.query("m1", v(1, 0, 0), 3), String(status)).rejects.toBeInstanceOf(ServiceUnavailableError);
    }
    // A request Qdrant refuses as malformed is the adapter's bug: not something to retry.
    fake.collections.get("kaleem_products_test")!.size = 4;
    const err = await idx.upsert("m1", [{ id: "a", vector: v(1, 0, 0) }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ServiceUnavailableError);
    expect(String(err)).toMatch(/400/);
  });

  it("fails with ServiceUnavailableError while Qdrant is down, and sets the collection up once it is back", async () => {
    const url = fake.url;
    await fake.stop();
    const idx = new QdrantVectorIndex({ url, collection: "kaleem_products_test", dimensions: 3 });
    await expect(idx.start()).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(idx.query("m1", v(1, 0, 0), 3)).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(idx.count("m1")).rejects.toBeInstanceOf(ServiceUnavailableError);
    // Back (a new fake on another port stands for the restarted server): a fresh handle works.
    fake = await startFakeQdrant();
    const back = new QdrantVectorIndex({ url: fake.url, collection: "kaleem_products_test", dimensions: 3 });
    await back.upsert("m1", [{ id: "a", vector: v(1, 0, 0) }]);
    expect(await back.count("m1")).toBe(1);
  });
});
