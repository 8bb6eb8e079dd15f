export * from "./service.js";
export * from "./system-text.js";
