export * from "./redis.js";
export * from "../store/contract.js";
