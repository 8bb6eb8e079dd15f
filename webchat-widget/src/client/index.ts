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
export { ConversationLog } from "./log.js";
export type { ClientMessage, Delivery, DeltaOutcome } from "./log.js";
