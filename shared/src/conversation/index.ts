export * from "./service.js";
export * from "./summary.js";
export * from "./system-text.js";
export * from "./events.js";
export * from "./socket-listener.js";
export * from "./outgoing-webhooks-listener.js";
