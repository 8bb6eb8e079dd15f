// The pure parts of the Qdrant adapter: point ids, the merchant filter, payload mapping and
// collection naming. These run everywhere; the adapter's HTTP behaviour is in vector-index.test.ts.
import { describe, expect, it } from "vitest";
import { collectionName, merchantFilter, pointId, toMatches, toPoint } from "./points.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Qdrant point ids", () => {
  it("are UUIDv5 strings, stable for one (merchant, item) pair", () => {
    const id = pointId("m1", "p1");
    expect(id).toMatch(UUID);
    expect(pointId("m1", "p1")).toBe(id);
  });

  it("differ between merchants for the same item id, and between items", () => {
    expect(pointId("m1", "p1")).not.toBe(pointId("m2", "p1"));
    expect(pointId("m1", "p1")).not.toBe(pointId("m1", "p2"));
  });

  it("cannot be forged by moving a separator between merchant and item", () => {
    // A naive `${merchant}:${item}` would give both pairs the same name.
    expect(pointId("a:b", "c")).not.toBe(pointId("a", "b:c"));
    expect(pointId("a", "")).not.toBe(pointId("", "a"));
  });
});

describe("Qdrant merchant filter", () => {
  it("is a must-match on the merchantId keyword", () => {
    expect(merchantFilter("m-9")).toEqual({ must: [{ key: "merchantId", match: { value: "m-9" } }] });
  });
});

describe("Qdrant payload mapping", () => {
  it("stores merchant and item id beside the item's own payload, which cannot overwrite them", () => {
    const point = toPoint("m1", { id: "p1", vector: Float32Array.from([0.5, 0.25]), payload: { merchantId: "evil", externalId: "x" } });
    expect(point).toEqual({
      id: pointId("m1", "p1"),
      vector: [0.5, 0.25],
      payload: { merchantId: "m1", itemId: "p1", data: { merchantId: "evil", externalId: "x" } },
    });
    expect(toPoint("m1", { id: "p2", vector: Float32Array.from([1]) }).payload).toEqual({ merchantId: "m1", itemId: "p2" });
  });

  it("maps scored points back to item ids and drops points of another merchant or without an item id", () => {
    const matches = toMatches("m1", [
      { id: pointId("m1", "a"), score: 0.9, payload: { merchantId: "m1", itemId: "a" } },
      { id: pointId("m2", "b"), score: 0.8, payload: { merchantId: "m2", itemId: "b" } },
      { id: 7, score: 0.7, payload: { merchantId: "m1" } },
      { id: pointId("m1", "c"), score: 0.6, payload: null },
      { id: pointId("m1", "d"), score: 0.5, payload: { merchantId: "m1", itemId: "d" } },
    ]);
    expect(matches).toEqual([
      { id: "a", score: 0.9 },
      { id: "d", score: 0.5 },
    ]);
  });
});

describe("Qdrant collection naming", () => {
  it("names one collection per embedding model with only characters Qdrant accepts", () => {
    const hashed = collectionName("kaleem_products", "kaleem-hashed-v1-512");
    const openai = collectionName("kaleem_products", "openai:text-embedding-3-small");
    expect(hashed).toMatch(/^kaleem_products_kaleem-hashed-v1-512_[0-9a-f]{8}$/);
    expect(openai).toMatch(/^kaleem_products_openai_text-embedding-3-small_[0-9a-f]{8}$/);
    expect(collectionName("kaleem_products", "kaleem-hashed-v1-512")).toBe(hashed);
  });

  it("keeps models apart whose ids fold to the same text", () => {
    expect(collectionName("p", "openai:Model")).not.toBe(collectionName("p", "openai/model"));
  });

  it("bounds the length of a long model id", () => {
    expect(collectionName("p", "x".repeat(500)).length).toBeLessThanOrEqual(2 + 60 + 9);
  });
});
