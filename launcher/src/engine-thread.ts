// The composition root of one engine thread (EnginePool): its own store connection, search index
// and engine, built from the process's validated config (passed as workerData). Order look-up
// attempts and the LLM token budget are the main thread's, reached through the pool.
import { parentPort, workerData } from "node:worker_threads";
import { ConfigError, createLogger, Metrics, noTracing, searchMetrics, type Config } from "@kaleem/shared";
import { CatalogSearch, createBotEngine, defaultIntentClassifier, serveEngineThread } from "@kaleem/workers";
import { createEmbedder, createStore, createVectorIndex } from "./factories.js";
import { Lifecycle } from "./lifecycle.js";

export interface EngineThreadData {
  config: Config;
}

if (!parentPort) throw new ConfigError("engine-thread.ts runs as a worker thread of the engine pool, not on its own");
const port = parentPort;
const { config } = workerData as EngineThreadData;
const logger = createLogger({ level: config.logLevel, name: `kaleem-${config.role}-engine` });
const lifecycle = new Lifecycle(logger);
// The thread's own instruments; the process's /metrics adds them to its own.
const metrics = new Metrics({ defaultMetrics: false, labels: { role: config.role } });
const ctx = { config, redis: null, logger, metrics, lifecycle, tracing: noTracing };

await serveEngineThread(port, async (remote) => {
  const { store } = await createStore(ctx);
  const embedder = createEmbedder(ctx);
  const { vectors, shared } = await createVectorIndex(ctx, embedder);
  // With a shared (Qdrant) index the main process's catalog-index job writes the vectors.
  const search = new CatalogSearch({ embedder, vectors, vectorWriter: shared ? "index-job" : "search", logger: logger.child({ component: "search" }), metrics: searchMetrics(metrics) });
  const engine = createBotEngine({
    classifier: defaultIntentClassifier(),
    search,
    knowledge: search.knowledge,
    config,
    metrics,
    logger,
    tokenBudget: remote.tokenBudget,
    attempts: remote.attempts,
  });
  return { engine, store, catalogEvents: search, metrics, close: () => lifecycle.close() };
});
