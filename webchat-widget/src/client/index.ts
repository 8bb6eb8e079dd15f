// Public API of the Kaleem shopper client (web widget, React Native, any JS runtime).
export { createKaleemClient, KaleemClientError } from "./client.js";
export { storageKeys } from "./keys.js";
export type {
  ConnectionStatus,
  KaleemClient,
  KaleemClientEvents,
  KaleemClientOptions,
  KaleemState,
  KaleemStorage,
  MessageOrigin,
} from "./client.js";
export type { ClientMessage } from "./client.js";
export { ConversationThread } from "@kaleem/shared/client";
export type { Delivery, DeltaOutcome } from "@kaleem/shared/client";
