// The VectorIndex contract: per-merchant partitions, cosine ranking, upsert by id. The in-process
// index runs it now; the Qdrant adapter (cluster issue) runs it when QDRANT_URL points at a server.
import { expect, it } from "vitest";
import { newId } from "../../ids.js";
import type { VectorIndex } from "../../ports/vector-index.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface VectorIndexFactory extends ContractFactory {
  /** An index handle; the suite uses fresh merchant ids, so handles may share one server. */
  create(): Promise<VectorIndex>;
}

const v = (...xs: number[]) => Float32Array.from(xs);
const merchant = (label: string) => `${label}-${newId()}`;

export function vectorIndexContract(f: VectorIndexFactory): void {
  contractSuite("VectorIndex", f, () => {
    it("ranks a merchant's items by cosine similarity, best first, k at most", async () => {
      const idx = await f.create();
      const m = merchant("rank");
      await idx.upsert(m, [
        { id: "a", vector: v(1, 0, 0) },
        { id: "b", vector: v(0.7, 0.7, 0) },
        { id: "c", vector: v(0, 0, 1), payload: { kind: "product" } },
      ]);
      const hits = await idx.query(m, v(1, 0.1, 0), 2);
      expect(hits.map((h) => h.id)).toEqual(["a", "b"]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[0]!.score).toBeLessThanOrEqual(1.000001);
      // Cosine ignores length: a longer vector in the same direction is as close.
      const scaled = await idx.query(m, v(10, 1, 0), 3);
      expect(scaled.map((h) => h.id)).toEqual(["a", "b", "c"]);
      expect(scaled[0]!.score).toBeCloseTo(hits[0]!.score, 5);
      expect(scaled[2]!.score).toBeCloseTo(0, 5);
    });

    it("keeps merchants apart: queries, counts and clears", async () => {
      const idx = await f.create();
      const a = merchant("a");
      const b = merchant("b");
      await idx.upsert(a, [{ id: "shared-id", vector: v(1, 0, 0) }, { id: "only-a", vector: v(0, 1, 0) }]);
      await idx.upsert(b, [{ id: "shared-id", vector: v(0, 0, 1) }]);
      expect((await idx.query(b, v(0, 1, 0), 5)).map((h) => h.id)).toEqual(["shared-id"]);
      expect(await idx.count(a)).toBe(2);
      expect(await idx.count(b)).toBe(1);
      await idx.clear(a);
      expect(await idx.count(a)).toBe(0);
      expect(await idx.query(a, v(1, 0, 0), 5)).toEqual([]);
      expect(await idx.count(b)).toBe(1);
      expect(await idx.count(merchant("nobody"))).toBe(0);
    });

    it("upsert replaces an item by id; remove deletes only the ids given", async () => {
      const idx = await f.create();
      const m = merchant("upsert");
      await idx.upsert(m, [{ id: "x", vector: v(1, 0, 0) }, { id: "y", vector: v(0, 1, 0) }]);
      await idx.upsert(m, [{ id: "x", vector: v(0, 1, 0.1) }]);
      expect(await idx.count(m)).toBe(2);
      expect((await idx.query(m, v(1, 0, 0), 1))[0]?.score ?? 0).toBeLessThan(0.5);
      await idx.remove(m, ["y", "never-there"]);
      expect(await idx.count(m)).toBe(1);
      expect((await idx.query(m, v(0, 1, 0), 5)).map((h) => h.id)).toEqual(["x"]);
    });

    it("refuses a batch with a vector whose size differs from the index, and writes none of it", async () => {
      const idx = await f.create();
      const m = merchant("dims");
      await idx.upsert(m, [{ id: "x", vector: v(1, 0, 0) }]);
      await expect(idx.upsert(m, [{ id: "ok", vector: v(0, 1, 0) }, { id: "bad", vector: v(1, 0) }])).rejects.toThrow(/dimensions/);
      expect(await idx.count(m)).toBe(1);
      const fresh = merchant("dims-fresh");
      await expect(idx.upsert(fresh, [{ id: "p", vector: v(1, 0, 0) }, { id: "q", vector: v(1, 0) }])).rejects.toThrow(/dimensions/);
      expect(await idx.count(fresh)).toBe(0);
    });
  });
}
