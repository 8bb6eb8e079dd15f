import { describe, expect, it } from "vitest";
import { TopK } from "./top-k.js";

describe("TopK", () => {
  it("keeps what a stable sort of the whole stream puts first, ties in stream order", () => {
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const k of [0, 1, 2, 10, 100]) {
      for (const n of [0, 1, 9, 50, 500]) {
        // Few distinct scores, so ties are everywhere.
        const scores = Array.from({ length: n }, () => Math.floor(rnd() * 12) / 4);
        const top = new TopK(k);
        scores.forEach((s, i) => top.offer(s, i));
        const expected = scores
          .map((score, seq) => ({ score, seq }))
          .sort((a, b) => b.score - a.score)
          .slice(0, k);
        expect(top.sorted(), `k=${k} n=${n}`).toEqual(expected);
      }
    }
  });

  it("skips NaN scores", () => {
    const top = new TopK(2);
    top.offer(Number.NaN, 0);
    top.offer(1, 1);
    expect(top.sorted()).toEqual([{ score: 1, seq: 1 }]);
  });
});
