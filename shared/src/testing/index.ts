export * from "./redis.js";
export * from "./wait.js";
export * from "./contracts/store.js";
