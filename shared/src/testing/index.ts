// Test helpers and the contract suites every adapter of a port runs: the adapters' test files here
// and in other packages import them, and so will the adapters still to come (MongoDB, Qdrant,
// MinIO), each running the suite of its port against its own server.
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
export * from "./media-files.js";
