// Ranking metrics for the search evaluation.
//
// NDCG@k uses gain 2^rel − 1 and the ideal ranking of the graded list. A query whose relevant
// list is empty (the store does not sell it) scores 1 when nothing above the threshold came
// back and 0 otherwise, so out-of-catalog noise costs as much as a miss. Recall@k is averaged
// over queries that have relevant products, counting grades ≥ 1. empty_ok is the share of
// empty-relevance queries that returned nothing.

export type Grades = Readonly<Record<string, number>>;

export function dcg(gains: readonly number[]): number {
  return gains.reduce((s, rel, i) => s + (2 ** rel - 1) / Math.log2(i + 2), 0);
}

export function ndcgAt(k: number, ranked: readonly string[], grades: Grades): number {
  const graded = Object.values(grades).filter((g) => g > 0);
  if (graded.length === 0) return ranked.length === 0 ? 1 : 0;
  const actual = dcg(ranked.slice(0, k).map((id) => grades[id] ?? 0));
  const ideal = dcg([...graded].sort((a, b) => b - a).slice(0, k));
  return ideal > 0 ? actual / ideal : 0;
}

export function recallAt(k: number, ranked: readonly string[], grades: Grades): number | null {
  const relevant = Object.entries(grades).filter(([, g]) => g >= 1).map(([id]) => id);
  if (relevant.length === 0) return null;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

export interface QueryOutcome {
  id: string;
  kind: string;
  ranked: string[];
  grades: Grades;
  ms: number;
}

export interface MetricSummary {
  n: number;
  ndcg5: number;
  recall10: number;
  emptyOk: number;
  /** Queries with relevant products / without. */
  withRelevant: number;
  withoutRelevant: number;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

export function summarize(outcomes: readonly QueryOutcome[]): MetricSummary {
  const ndcgs = outcomes.map((o) => ndcgAt(5, o.ranked, o.grades));
  const recalls = outcomes.map((o) => recallAt(10, o.ranked, o.grades)).filter((r): r is number => r !== null);
  const empties = outcomes.filter((o) => !Object.values(o.grades).some((g) => g > 0));
  return {
    n: outcomes.length,
    ndcg5: mean(ndcgs),
    recall10: mean(recalls),
    emptyOk: empties.length === 0 ? 1 : empties.filter((o) => o.ranked.length === 0).length / empties.length,
    withRelevant: recalls.length,
    withoutRelevant: empties.length,
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
