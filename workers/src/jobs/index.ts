export * from "./bot-reply.js";
export * from "./stream-sweeper.js";
export * from "./channel-inbound.js";
export * from "./channel-deliver.js";
export * from "./outbox-relay.js";
export * from "./commerce-inbound.js";
export * from "./commerce-sync.js";
export * from "./outgoing-webhooks.js";
