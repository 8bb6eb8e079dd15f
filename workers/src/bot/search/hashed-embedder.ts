// The built-in, offline embedding: hashed word stems, concept ids and character trigrams in a
// fixed-size vector. Concept ids are shared across languages, so "perfume" and "عطر" land close;
// trigrams keep misspellings near their correct word. Deterministic, no model files.
import type { Embedder } from "@kaleem/shared";
import { analyze } from "./analyze.js";

const WORD_WEIGHT = 1;
const CONCEPT_WEIGHT = 1.3;
const TRIGRAM_WEIGHT = 1;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class HashedEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimensions = 512) {
    this.id = `kaleem-hashed-v1-${dimensions}`;
  }

  private add(vec: Float32Array, feature: string, weight: number): void {
    const h = fnv1a(feature);
    const sign = (fnv1a(feature + "#") & 1) === 0 ? 1 : -1;
    const i = h % this.dimensions;
    vec[i] = (vec[i] ?? 0) + sign * weight;
  }

  embedOne(text: string): Float32Array {
    const vec = new Float32Array(this.dimensions);
    const { tokens, concepts } = analyze(text);
    for (const t of tokens) {
      if (t.stop) continue;
      this.add(vec, "w:" + t.stem, WORD_WEIGHT);
      if (t.number) continue;
      const padded = `^${t.stem}$`;
      const grams = Math.max(1, padded.length - 2);
      for (let i = 0; i + 3 <= padded.length; i++) this.add(vec, "g:" + padded.slice(i, i + 3), TRIGRAM_WEIGHT / Math.sqrt(grams));
    }
    for (const c of concepts) this.add(vec, "c:" + c.id, CONCEPT_WEIGHT);
    let norm = 0;
    for (const v of vec) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vec.length; i++) vec[i] = (vec[i] ?? 0) / norm;
    return vec;
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }
}
