// Test helpers and the contract suites every adapter of a port runs: the adapters' test files here
// and in other packages import them, each running the suite of its port against its own server
// (Qdrant's when QDRANT_URL is set; MongoDB's is still to come). The fake Qdrant REST server is
// for the Qdrant adapter's transport tests only.
export * from "./redis.js";
export * from "./s3rver.js";
export * from "./wait.js";
export * from "./contracts/suite.js";
export * from "./contracts/store/index.js";
export * from "./contracts/kv.js";
export * from "./contracts/lock.js";
export * from "./contracts/token-budget.js";
export * from "./contracts/queue.js";
export * from "./contracts/stream-registry.js";
export * from "./contracts/presence.js";
export * from "./contracts/vector-index.js";
export * from "./socket-io.js";
export * from "./contracts/emitter.js";
export * from "./contracts/object-store.js";
export * from "./store-crypto.js";
export * from "./fake-qdrant.js";
export * from "./attacks/jwt.js";
export * from "./build-once.js";
export * from "./media-files.js";
export * from "./contracts/read-cache.js";
