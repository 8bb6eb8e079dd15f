// Adapters: one implementation of a port per engine. Only the composition root (launcher) and
// tests import this entry; domain code depends on the ports in "@kaleem/shared".
export * from "./memory/kv.js";
export * from "./memory/lock.js";
export * from "./memory/queue.js";
export * from "./memory/realtime.js";
export * from "./memory/token-budget.js";
export * from "./memory/vector-index.js";
export * from "./memory/read-cache.js";
export * from "./redis/kv.js";
export * from "./redis/lock.js";
export * from "./redis/realtime.js";
export * from "./redis/catalog-events.js";
export * from "./redis/emitter.js";
export * from "./redis/token-budget.js";
export * from "./redis/read-cache.js";
export * from "./redis/unavailable.js";
export * from "./bullmq/queue.js";
export * from "./sqlite/index.js";
export * from "./mongo/index.js";
export * from "./local-disk/object-store.js";
export * from "./local-disk/media-handler.js";
export * from "./minio/object-store.js";
export * from "./minio/presign.js";
export * from "./local-disk/mailer.js";
export { collectionName as qdrantCollectionName } from "./qdrant/points.js";
export * from "./qdrant/vector-index.js";
// The OpenTelemetry adapter has its own entry ("@kaleem/shared/otel"), imported only when tracing is on.
