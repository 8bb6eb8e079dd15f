export * from "./presence.js";
export * from "./metrics.js";
export * from "./room-emitter.js";
