// The VectorIndex contract on the in-process index (Qdrant's run is in qdrant/vector-index.test.ts, when QDRANT_URL is set).
import { describe, expect, it } from "vitest";
import { vectorIndexContract } from "@kaleem/shared/testing";
import { MemoryVectorIndex } from "./memory/vector-index.js";

vectorIndexContract({ name: "in-process", create: async () => new MemoryVectorIndex() });

describe("MemoryVectorIndex scan", () => {
  /** The plain reference: every item's cosine over every dimension, stable sort, k first. */
  const reference = (items: Map<string, Float32Array>, q: Float32Array, k: number) => {
    const n = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    const out: Array<{ id: string; score: number }> = [];
    for (const [id, v] of items) {
      if (n(v) === 0) continue;
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += q[i]! * v[i]!;
      out.push({ id, score: dot / (n(q) * n(v)) });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, k);
  };
  let seed = 1;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  /** Sparse like a hashed embedding, or dense like a model's; a few exact duplicates make ties. */
  const vector = (dims: number, sparse: boolean) => {
    const v = new Float32Array(dims);
    for (let i = 0; i < dims; i++) if (!sparse || rnd() < 0.05) v[i] = Math.round((rnd() - 0.5) * 8) / 4;
    return v;
  };

  it("returns exactly the full scan's scores and order, ties in insertion order, through replacements and removals", async () => {
    const dims = 64;
    const idx = new MemoryVectorIndex();
    const items = new Map<string, Float32Array>();
    const dup = vector(dims, true);
    for (let round = 0; round < 6; round++) {
      const batch = Array.from({ length: 120 }, (_, i) => ({ id: `p${(round * 70 + i) % 400}`, vector: i % 17 === 0 ? dup : vector(dims, round % 2 === 0) }));
      await idx.upsert("m", batch);
      for (const b of batch) items.set(b.id, b.vector);
      // Removing most of the items makes the index compact its storage.
      const gone = [...items.keys()].filter(() => rnd() < (round === 3 ? 0.8 : 0.1));
      await idx.remove("m", gone);
      for (const id of gone) items.delete(id);
      expect(await idx.count("m")).toBe(items.size);
      for (const q of [vector(dims, true), vector(dims, false), dup]) {
        for (const k of [1, 10, 1000]) expect(await idx.query("m", q, k)).toEqual(reference(items, q, k));
      }
    }
  });

  it("keeps a copy of each vector: changing the caller's array afterwards changes nothing", async () => {
    const idx = new MemoryVectorIndex();
    const v = Float32Array.from([1, 0, 0]);
    await idx.upsert("m", [{ id: "a", vector: v }]);
    v[0] = 0;
    v[1] = 1;
    expect((await idx.query("m", Float32Array.from([1, 0, 0]), 1))[0]?.score).toBeCloseTo(1, 6);
  });

  it("takes a new vector size once every item is gone", async () => {
    const idx = new MemoryVectorIndex();
    await idx.upsert("m", [{ id: "a", vector: Float32Array.from([1, 0, 0]) }]);
    await idx.remove("m", ["a"]);
    await idx.upsert("m", [{ id: "b", vector: Float32Array.from([0, 1]) }]);
    expect(await idx.query("m", Float32Array.from([0, 1]), 5)).toEqual([{ id: "b", score: 1 }]);
    expect(await idx.query("m", Float32Array.from([0, 1, 0]), 5)).toEqual([]);
  });
});
