export * from "./service.js";
export * from "./jobs.js";
export * from "./system-text.js";
