// Multinomial logistic regression over sublinear TF-IDF, trained with plain SGD in a fixed
// order (seeded shuffle), so the same examples always give the same model.
import type { FeatureCounts } from "./features.js";

export interface TrainingSample {
  features: FeatureCounts;
  label: number;
  /** Loss weight (class balancing, merchant examples). */
  weight: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Multiplier per feature family, keyed by the feature prefix ("w:", "b:", "c:"). */
  familyWeights: Record<string, number>;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 10,
  learningRate: 2,
  l2: 1e-6,
  seed: 20240611,
  familyWeights: { "w:": 1, "b:": 1, "c:": 0.5 },
};

export interface Prediction {
  probabilities: Float64Array;
  /** Share (0..1) of the message's feature mass that the model has seen in training. */
  knownShare: number;
}

interface SparseVector {
  index: Int32Array;
  value: Float32Array;
  knownShare: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function familyWeight(feature: string, weights: Record<string, number>): number {
  return weights[feature.slice(0, 2)] ?? 1;
}

export class SoftmaxModel {
  constructor(
    private readonly vocab: Map<string, number>,
    private readonly idf: Float32Array,
    private readonly unknownIdf: number,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    readonly classCount: number,
    private readonly familyWeights: Record<string, number>,
  ) {}

  vectorize(features: FeatureCounts): SparseVector {
    const index: number[] = [];
    const value: number[] = [];
    let knownSq = 0;
    let totalSq = 0;
    for (const [feature, count] of features) {
      const id = this.vocab.get(feature);
      const tf = 1 + Math.log(count);
      const fw = familyWeight(feature, this.familyWeights);
      const v = tf * fw * (id === undefined ? this.unknownIdf : (this.idf[id] ?? 0));
      totalSq += v * v;
      if (id === undefined) continue;
      knownSq += v * v;
      index.push(id);
      value.push(v);
    }
    // Normalizing by the whole message (unknown features included) makes a mostly-unknown
    // message a short vector, so its logits stay near the priors: low confidence for free.
    const norm = Math.sqrt(totalSq) || 1;
    return {
      index: Int32Array.from(index),
      value: Float32Array.from(value, (v) => v / norm),
      knownShare: totalSq === 0 ? 0 : knownSq / totalSq,
    };
  }

  private logits(x: SparseVector, out: Float64Array): void {
    const c = this.classCount;
    for (let k = 0; k < c; k += 1) out[k] = this.bias[k] ?? 0;
    for (let i = 0; i < x.index.length; i += 1) {
      const base = (x.index[i] ?? 0) * c;
      const v = x.value[i] ?? 0;
      for (let k = 0; k < c; k += 1) out[k] = (out[k] ?? 0) + v * (this.weights[base + k] ?? 0);
    }
  }

  predictVector(x: SparseVector): Prediction {
    const out = new Float64Array(this.classCount);
    this.logits(x, out);
    softmaxInPlace(out);
    return { probabilities: out, knownShare: x.knownShare };
  }

  predict(features: FeatureCounts): Prediction {
    return this.predictVector(this.vectorize(features));
  }

  private readonly scratch = new Float64Array(64);

  /** One SGD step on a single example; returns its loss. */
  step(x: SparseVector, label: number, lr: number, weight: number, l2: number): number {
    const c = this.classCount;
    const p = c <= this.scratch.length ? this.scratch.subarray(0, c) : new Float64Array(c);
    this.logits(x, p);
    softmaxInPlace(p);
    const loss = -Math.log(Math.max(p[label] ?? 0, 1e-12)) * weight;
    for (let k = 0; k < c; k += 1) {
      const g = ((p[k] ?? 0) - (k === label ? 1 : 0)) * weight;
      this.bias[k] = (this.bias[k] ?? 0) - lr * g;
      p[k] = g;
    }
    const decay = 1 - lr * l2;
    for (let i = 0; i < x.index.length; i += 1) {
      const base = (x.index[i] ?? 0) * c;
      const v = x.value[i] ?? 0;
      for (let k = 0; k < c; k += 1) {
        this.weights[base + k] = (this.weights[base + k] ?? 0) * decay - lr * (p[k] ?? 0) * v;
      }
    }
    return loss;
  }
}

function softmaxInPlace(values: Float64Array): void {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < values.length; k += 1) {
    const e = Math.exp((values[k] ?? 0) - max);
    values[k] = e;
    sum += e;
  }
  for (let k = 0; k < values.length; k += 1) values[k] = (values[k] ?? 0) / sum;
}

export function trainSoftmax(samples: readonly TrainingSample[], classCount: number, options: TrainOptions = DEFAULT_TRAIN_OPTIONS): SoftmaxModel {
  const vocab = new Map<string, number>();
  const df: number[] = [];
  for (const s of samples) {
    for (const feature of s.features.keys()) {
      let id = vocab.get(feature);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(feature, id);
        df.push(0);
      }
      df[id] = (df[id] ?? 0) + 1;
    }
  }
  const n = samples.length;
  const idf = Float32Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
  const unknownIdf = Math.log(1 + n) + 1;
  const model = new SoftmaxModel(vocab, idf, unknownIdf, new Float32Array(vocab.size * classCount), new Float32Array(classCount), classCount, options.familyWeights);
  const vectors = samples.map((s) => model.vectorize(s.features));
  const order = samples.map((_, i) => i);
  const random = mulberry32(options.seed);
  let t = 0;
  const totalSteps = options.epochs * n;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = tmp;
    }
    for (const i of order) {
      const sample = samples[i];
      const vector = vectors[i];
      if (sample === undefined || vector === undefined) continue;
      // Linear decay to a tenth of the initial rate keeps late epochs from undoing early ones.
      const lr = options.learningRate * (1 - 0.9 * (t / totalSteps));
      model.step(vector, sample.label, lr, sample.weight, options.l2);
      t += 1;
    }
  }
  return model;
}
