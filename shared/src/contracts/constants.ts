// Protocol constants with no schema library behind them, so browser bundles that only need these
// (the widget loader and chat) do not pull zod in. socket.ts re-exports them.
export const PROTOCOL_VERSION = 1;
export const WIDGET_NAMESPACE = "/widget";
export const INBOX_NAMESPACE = "/inbox";
/** Largest text a client may send in one message (characters). */
export const MAX_MESSAGE_TEXT = 4000;
/** Largest socket frame the hub accepts (bytes). */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;
// Zod-free too: what a tapped action reads as (the widget's bubbles, the inbox timeline).
export { actionText, isActionPayload, parseActionPayload, type ActionPayload } from "./actions.js";
