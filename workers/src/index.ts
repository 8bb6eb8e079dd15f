export * from "./jobs/index.js";
export * from "./bot/index.js";
export { CatalogSearch } from "./bot/search/catalog-search.js";
export { CatalogVectorIndexer, embeddingText } from "./bot/search/vector-indexer.js";
export { embedderFromConfig } from "./bot/search/openai-embedder.js";
export { defaultIntentClassifier } from "./bot/intents/classifier.js";
export { embeddedSearch } from "./bot/search/embedded-search.js";
export { EnginePool, fromThreadError, type EnginePoolOptions } from "./bot/pool/engine-pool.js";
export { serveEngineThread, type RemotePorts, type ThreadEngine } from "./bot/pool/serve-thread.js";
