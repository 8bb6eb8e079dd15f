export { PING_INTERVAL_MS, PING_TIMEOUT_MS, createHub, createSocketServer, type Hub, type HubDeps, type SocketServer, type SocketServerDeps } from "./hub.js";
export { SocketIoEmitter } from "./emitter.js";
export { VisitorTokens, type VisitorClaims } from "./visitor-token.js";
export { normalizeOrigin, originAllowed } from "./origin.js";
export { SocketRateLimit } from "./rate-limit.js";
// Diagnostics for the connection-density test (launcher/src/realtime.density.test.ts).
export { hasPendingEvents } from "./ack.js";
