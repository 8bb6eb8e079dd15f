export * from "./memory.js";
export * from "./bullmq.js";
export * from "./errors.js";
