// The posting-list search against the exhaustive reference: the same hits, scores and order,
// through inserts, replacements and enough removals to renumber the slots.
import { describe, expect, it } from "vitest";
import { LexicalIndex, type FieldName, type FieldTerms, type QueryUnit } from "./lexical-index.js";

let seed = 11;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const WORDS = ["abaya", "black", "oud", "perfume", "§perfume", "§c:black", "dates", "coffee", "عطر", "عود", "قهوه", "tent", "gift", "12", "mini"];
const FIELDS: FieldName[] = ["name", "head", "tags", "attributes", "category", "description"];

function randomDoc(): FieldTerms {
  const field = () => Array.from({ length: Math.floor(rnd() * 4) }, () => ({ term: pick(WORDS), weight: pick([1, 1, 0.5, 0.35]) }));
  return Object.fromEntries(FIELDS.map((f) => [f, field()])) as FieldTerms;
}

function randomQuery(): QueryUnit[] {
  const units: QueryUnit[] = [];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const alternatives = new Map<string, number>();
    for (let a = 0; a < 1 + Math.floor(rnd() * 3); a++) alternatives.set(pick([...WORDS, "unknown-word"]), pick([1, 0.9, 0.85, 0.6]));
    units.push({
      alternatives,
      importance: pick([1, 0.5, 0.25]),
      unknownImportance: rnd() < 0.3 ? 0.1 : undefined,
      modifier: rnd() < 0.3,
      head: rnd() < 0.4,
      // A word unit may belong to the phrase unit before it.
      partOf: i > 0 && rnd() < 0.2 ? 0 : undefined,
    });
  }
  return units;
}

describe("LexicalIndex.search", () => {
  it("returns exactly what scoring every document returns, through updates and slot compaction", () => {
    const index = new LexicalIndex();
    const live: string[] = [];
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 150; i++) {
        // Some ids come back: an update replaces the document.
        const id = `d${Math.floor(rnd() * 600)}`;
        index.upsert(id, randomDoc());
        if (!live.includes(id)) live.push(id);
      }
      // Round 4 removes most documents, which renumbers the slots.
      const share = round === 4 ? 0.85 : 0.1;
      for (const id of [...live]) {
        if (rnd() >= share) continue;
        index.remove(id);
        live.splice(live.indexOf(id), 1);
      }
      expect(index.size).toBe(live.length);
      for (let q = 0; q < 25; q++) {
        const units = randomQuery();
        const allowed = q % 5 === 0 ? (id: string) => id.endsWith("1") : undefined;
        expect(index.search(units, allowed)).toEqual(index.searchExhaustive(units, allowed));
      }
    }
  });

  it("finds nothing for no units or an empty index, and forgets removed terms", () => {
    const index = new LexicalIndex();
    expect(index.search([{ alternatives: new Map([["oud", 1]]), importance: 1 }])).toEqual([]);
    index.upsert("a", { name: [{ term: "oud", weight: 1 }], head: [], tags: [], attributes: [], category: [], description: [] });
    expect(index.search([])).toEqual([]);
    expect(index.search([{ alternatives: new Map([["oud", 1]]), importance: 1 }]).map((h) => h.id)).toEqual(["a"]);
    const before = index.version;
    index.remove("a");
    expect(index.version).toBeGreaterThan(before);
    expect(index.has("oud")).toBe(false);
    expect(index.search([{ alternatives: new Map([["oud", 1]]), importance: 1 }])).toEqual([]);
  });
});
