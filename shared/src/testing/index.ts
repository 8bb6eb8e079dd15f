// Test helpers and the contract suites every adapter of a port runs (imported by the adapters'
// test files here and in other packages, and by future adapters: MongoDB, Qdrant, MinIO).
export * from "./redis.js";
export * from "./wait.js";
export * from "./contracts/store.js";
export * from "./contracts/queue.js";
export * from "./contracts/realtime.js";
