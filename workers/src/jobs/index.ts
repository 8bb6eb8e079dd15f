export * from "./bot-reply.js";
export * from "./recovery.js";
