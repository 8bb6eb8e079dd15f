// Browser-safe contracts: schemas and types only.
export * from "./domain.js";
export * from "./attachments.js";
export * from "./socket.js";
export * from "./ack-request.js";
export * from "./thread.js";
export * from "./api/index.js";
export * from "./channels.js";
export * from "./commerce.js";
export * from "./outgoing-webhooks.js";
export * from "./text.js";
export * from "./actions.js";
export * from "./images.js";
export * from "./money.js";
export * from "./widget-look.js";
export * from "./upload-put.js";
