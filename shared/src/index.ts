// Server-side entry of @kaleem/shared. Browser code imports "@kaleem/shared/contracts" instead.
export * from "./contracts/index.js";
export * from "./config.js";
export * from "./errors.js";
export * from "./ids.js";
export * from "./cursor.js";
export * from "./crypto.js";
export * from "./logger.js";
export * from "./metrics.js";
export * from "./ports/kv.js";
export * from "./kv/memory.js";
export * from "./kv/redis.js";
export * from "./store/port.js";
export * from "./ports/bot.js";
export * from "./ports/search.js";
export * from "./auth/passwords.js";
export * from "./auth/tokens.js";
