// A merchant's own example phrasings, applied on top of the built-in model without retraining
// it: retraining takes about a second of CPU, which must not block a worker's event loop on every
// settings change. A shopper message that closely resembles one of the merchant's examples (same
// words, character n-grams, Arabizi folded) takes that example's intent.
import { extractFeatures, type FeatureCounts } from "./features.js";
import type { Intent } from "./types.js";

/** Cosine similarity at which a merchant example overrides the built-in model. */
export const MERCHANT_EXAMPLE_MIN_SIMILARITY = 0.55;

interface Example {
  intent: Intent;
  features: FeatureCounts;
  norm: number;
}

const normOf = (f: FeatureCounts) => Math.sqrt([...f.values()].reduce((s, v) => s + v * v, 0));

function cosine(a: FeatureCounts, aNorm: number, b: Example): number {
  if (aNorm === 0 || b.norm === 0) return 0;
  const [small, large] = a.size <= b.features.size ? [a, b.features] : [b.features, a];
  let dot = 0;
  for (const [k, v] of small) dot += v * (large.get(k) ?? 0);
  return dot / (aNorm * b.norm);
}

interface Classified {
  intent: string;
  confidence: number;
}

export function withMerchantExamples<R extends Classified>(
  base: { classify(text: string): R },
  examples: ReadonlyArray<{ text: string; intent: Intent }>,
): { classify(text: string): R } {
  const prepared: Example[] = examples
    .map((e) => {
      const features = extractFeatures(e.text);
      return { intent: e.intent, features, norm: normOf(features) };
    })
    .filter((e) => e.norm > 0);
  if (prepared.length === 0) return base;
  return {
    classify(text: string): R {
      const result = base.classify(text);
      const features = extractFeatures(text);
      const norm = normOf(features);
      let best: Example | null = null;
      let bestSim = 0;
      for (const e of prepared) {
        const sim = cosine(features, norm, e);
        if (sim > bestSim) {
          bestSim = sim;
          best = e;
        }
      }
      if (!best || bestSim < MERCHANT_EXAMPLE_MIN_SIMILARITY) return result;
      if (best.intent === result.intent) return { ...result, confidence: Math.max(result.confidence, bestSim) };
      return { ...result, intent: best.intent, confidence: bestSim };
    },
  };
}
