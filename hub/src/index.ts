export { createHub, type Hub, type HubDeps } from "./hub.js";
export { SocketIoEmitter } from "./emitter.js";
export { VisitorTokens, type VisitorClaims } from "./visitor-token.js";
export { normalizeOrigin, originAllowed } from "./origin.js";
export { SocketRateLimit } from "./rate-limit.js";
