export * from "./redis.js";
export * from "./wait.js";
export * from "../store/contract.js";
