export * from "./summary.js";
