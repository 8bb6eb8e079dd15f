// The zod-free corner of the contracts, for clients that must stay small (the widget, the mobile
// client library): protocol constants, acknowledgement types, the request helper and the thread fold.
export * from "./constants.js";
export * from "./acks.js";
export * from "./ack-request.js";
export * from "./thread.js";
export * from "./money.js";
export * from "./widget-look.js";
export * from "./upload-put.js";
