// The /inbox socket: authenticated with the current access token on every (re)connect, refreshed
// once when the server refuses it, and every request awaited as an `{ok, data | error}` ack.
import {
  AckRequestError,
  INBOX_NAMESPACE,
  LOAD_BALANCING_QUERY,
  PROTOCOL_VERSION,
  inboxRequest,
  type AckDataOf,
  type AckedEventOf,
  type EventPayloadOf,
  type InboxClientToServerEvents,
  type InboxServerToClientEvents,
} from "@kaleem/shared/contracts";
import { io, type Socket } from "socket.io-client";
import { SessionExpiredError, type Session } from "../api/session";

/** Listening is typed by the protocol; every emit goes through inboxRequest / inboxFire. */
export type InboxSocket = Socket<InboxServerToClientEvents>;

/** What a refused or unanswered request rejects with. */
export { AckRequestError };

const ACK_TIMEOUT_MS = 15_000;
const RETRY_CONNECT_MS = 3_000;

/** Emit a request and resolve with the ack's data, or reject with the server's error. */
export function request<E extends AckedEventOf<InboxClientToServerEvents>>(
  socket: InboxSocket,
  event: E,
  payload: EventPayloadOf<InboxClientToServerEvents, E>,
): Promise<AckDataOf<InboxClientToServerEvents, E>> {
  return inboxRequest(socket, event, payload, { timeoutMs: ACK_TIMEOUT_MS });
}

export function connectInbox(session: Session, onRevoked: () => void): InboxSocket {
  const socket: InboxSocket = io(INBOX_NAMESPACE, {
    auth: (cb) => cb({ token: session.accessToken ?? "", protocol: PROTOCOL_VERSION }),
    reconnectionDelayMax: 5000,
    // nginx's sticky key (nginx/nginx.conf): this tab's long-polling requests stay on one hub.
    query: { [LOAD_BALANCING_QUERY]: crypto.randomUUID() },
  });
  let refreshedAfterRefusal = false;
  socket.on("connect", () => {
    refreshedAfterRefusal = false;
  });
  socket.on("connect_error", (err) => {
    // A refused handshake (expired token) does not retry by itself: refresh once, then reconnect.
    if (socket.active) return;
    if (refreshedAfterRefusal) {
      onRevoked();
      return;
    }
    refreshedAfterRefusal = true;
    session
      .refresh()
      .then(() => socket.connect())
      .catch((refreshErr: unknown) => {
        if (refreshErr instanceof SessionExpiredError) {
          onRevoked();
          return;
        }
        // The refresh itself failed (offline, server hiccup): the session may be fine, try again.
        refreshedAfterRefusal = false;
        setTimeout(() => {
          if (!socket.connected && session.current) socket.connect();
        }, RETRY_CONNECT_MS);
      });
    void err;
  });
  socket.on("session:revoked", () => onRevoked());
  return socket;
}
