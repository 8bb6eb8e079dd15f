export * from "./attachments.js";
export * from "./image.js";
export * from "./sniff.js";
export * from "./channel-limits.js";
