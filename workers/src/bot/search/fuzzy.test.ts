// Typo matching with its letter-count shortcut against the plain scan: the same matches.
import { describe, expect, it } from "vitest";
import { allowedCost, fuzzyMatches, weightedDistance } from "./fuzzy.js";

/** fuzzyMatches without the letter bound: the weighted distance to every eligible term. */
function reference(stem: string, vocabulary: readonly string[], limit = 3) {
  const max = allowedCost(stem);
  if (max === 0) return [];
  const found = vocabulary
    .filter((t) => !t.startsWith("§") && !/^\d+$/.test(t) && t !== stem && Math.abs(t.length - stem.length) <= 2 && t.length > 3)
    .map((term) => ({ term, cost: weightedDistance(stem, term, max) }))
    .filter((f) => f.cost <= max)
    .sort((a, b) => a.cost - b.cost);
  const best = found[0]?.cost ?? Infinity;
  return found
    .filter((f) => f.cost <= best + 0.25)
    .slice(0, limit)
    .map((f) => ({ term: f.term, weight: Math.max(0.5, 0.9 - 0.3 * f.cost) }));
}

describe("fuzzyMatches", () => {
  it("finds what the plain distance scan finds, in the same order, over a large mixed vocabulary", () => {
    let seed = 9;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const stems = ["perfume", "charger", "earphone", "bakhoor", "kaftan", "conditioner", "abaya", "قفطان", "بخور", "سماعه", "شاحن", "عطور"];
    // Each stem with an edit or two (vowels dropped, letters doubled, swapped, replaced), among random words.
    const edit = (w: string) => {
      const i = Math.floor(rnd() * w.length);
      const ops = [() => w.slice(0, i) + w.slice(i + 1), () => w.slice(0, i) + w[i] + w.slice(i), () => w.slice(0, i) + (w[i + 1] ?? "") + w[i] + w.slice(i + 2), () => w.slice(0, i) + "aeiou"[Math.floor(rnd() * 5)] + w.slice(i + 1)];
      return ops[Math.floor(rnd() * ops.length)]!();
    };
    const vocabulary: string[] = ["§perfume", "1200", "perfumes", "perfumed"];
    for (const s of stems) for (let k = 0; k < 6; k++) vocabulary.push(k < 3 ? edit(s) : edit(edit(s)));
    const abc = ["abcdefghijklmnopqrstuvwxyz", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"];
    for (let i = 0; i < 3000; i++) {
      const letters = abc[i % 2]!;
      let w = "";
      for (let j = 0, n = 3 + Math.floor(rnd() * 8); j < n; j++) w += letters[Math.floor(rnd() * letters.length)];
      vocabulary.push(w);
    }
    vocabulary.sort(() => rnd() - 0.5);
    for (const s of stems) for (const q of [s, edit(s), edit(edit(s))]) expect(fuzzyMatches(q, vocabulary), q).toEqual(reference(q, vocabulary));
    // Letters outside the counted range take the plain path.
    expect(fuzzyMatches("perfume✓", ["perfume✓x", "perfume"])).toEqual(reference("perfume✓", ["perfume✓x", "perfume"]));
  });

  it("leaves nothing behind between calls", () => {
    const vocabulary = ["kaftan", "caftan", "kaftans"];
    const first = fuzzyMatches("kaftn", vocabulary);
    fuzzyMatches("qaftaan", vocabulary);
    expect(fuzzyMatches("kaftn", vocabulary)).toEqual(first);
    expect(first.map((m) => m.term)).toContain("kaftan");
  });
});
