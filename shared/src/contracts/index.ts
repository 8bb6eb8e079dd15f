// Browser-safe contracts: schemas and types only.
export * from "./domain.js";
export * from "./socket.js";
export * from "./actions.js";
