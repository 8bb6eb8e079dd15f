export * from "./memory.js";
export * from "./redis.js";
export * from "./presence.js";
export * from "./metrics.js";
export * from "./catalog-events.js";
export * from "./room-emitter.js";
export * from "./lock.js";
