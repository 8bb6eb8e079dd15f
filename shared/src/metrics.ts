import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from "prom-client";

/**
 * One registry per process. Components register their own instruments on it through
 * `metrics.counter(...)` etc., so names are declared once and duplicates fail loudly.
 */
export class Metrics {
  readonly registry = new Registry();
  constructor(options: { defaultMetrics?: boolean; labels?: Record<string, string> } = {}) {
    if (options.labels) this.registry.setDefaultLabels(options.labels);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<L>;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Gauge<L>;
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Histogram<L>;
    return new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets } : {}) });
  }
  private readonly included: Array<() => Promise<unknown[][]>> = [];
  /**
   * Registries of this process kept elsewhere (the engine threads' own): `source` gives each one's
   * getMetricsAsJSON(); render() adds them to this registry's figures (counters and histograms summed).
   */
  include(source: () => Promise<unknown[][]>): void {
    this.included.push(source);
  }
  async render(): Promise<{ contentType: string; body: string }> {
    if (this.included.length === 0) return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    const others = (await Promise.all(this.included.map((source) => source()))).flat();
    const all = [await this.registry.getMetricsAsJSON(), ...others] as Array<Array<MetricObjectWithValues<MetricValue<string>>>>;
    return { contentType: this.registry.contentType, body: await AggregatorRegistry.aggregate(all).metrics() };
  }
}

/**
 * Product search and the shared vector index. `vector_available` drops to 0 (and fallbacks count
 * up) while the vector index cannot answer: the bot then ranks by words alone.
 */
export function searchMetrics(metrics: Metrics) {
  return {
    vectorAvailable: metrics.gauge("kaleem_search_vector_available", "1 while the vector index answers, 0 after a vector query failed (searches are lexical-only)"),
    vectorFallbacks: metrics.counter("kaleem_search_vector_fallbacks_total", "Searches (or index builds) that went on without the vector index because it failed", ["operation"]),
    indexRequestsFailed: metrics.counter("kaleem_catalog_index_requests_failed_total", "Catalog changes whose outbox row for the catalog-index job could not be written"),
    indexed: metrics.counter("kaleem_catalog_index_products_total", "Product vectors written or removed by catalog-index jobs", ["op"]),
  };
}
export type SearchMetrics = ReturnType<typeof searchMetrics>;

/**
 * The read cache of hot reads (shared/src/cache/tiered.ts), per layer (`l1` in-process, `l2` Redis)
 * and cache name. Hit ratio of a layer = hits / (hits + misses); L2 is asked only on an L1 miss.
 */
export function cacheMetrics(metrics: Metrics) {
  return {
    hits: metrics.counter("kaleem_cache_hits_total", "Reads of the read cache answered by this layer", ["layer", "cache"]),
    misses: metrics.counter("kaleem_cache_misses_total", "Reads of the read cache this layer could not answer (the next layer or the store did)", ["layer", "cache"]),
    errors: metrics.counter("kaleem_cache_errors_total", "Cache layer calls that failed (the read went on to the store; an invalidation then relies on the TTL)", ["layer", "op"]),
    invalidations: metrics.counter("kaleem_cache_invalidations_total", "Keys invalidated after a write", ["cache"]),
  };
}
export type CacheMetrics = ReturnType<typeof cacheMetrics>;
