// The /inbox socket: authenticated with the current access token on every (re)connect, refreshed
// once when the server refuses it, and every request awaited as an `{ok, data | error}` ack.
import {
  INBOX_NAMESPACE,
  type Ack,
  type AckFn,
  type InboxClientToServerEvents,
  type InboxServerToClientEvents,
} from "@kaleem/shared/contracts";
import { io, type Socket } from "socket.io-client";
import { SessionExpiredError, type Session } from "../api/session";

export type InboxSocket = Socket<InboxServerToClientEvents, InboxClientToServerEvents>;

export class AckFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AckFailure";
  }
}

type ClientEvent = keyof InboxClientToServerEvents;
type PayloadOf<E extends ClientEvent> = Parameters<InboxClientToServerEvents[E]>[0];
type AckDataOf<E extends ClientEvent> = NonNullable<Parameters<InboxClientToServerEvents[E]>[1]> extends AckFn<infer T> ? T : never;

interface AckEmitter {
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
}

const ACK_TIMEOUT_MS = 15_000;
const RETRY_CONNECT_MS = 3_000;

/** Emit a request and resolve with the ack's data, or reject with the server's error. */
export async function request<E extends ClientEvent>(socket: InboxSocket, event: E, payload: PayloadOf<E>): Promise<AckDataOf<E>> {
  let ack: Ack<AckDataOf<E>>;
  try {
    ack = (await (socket as unknown as AckEmitter).timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<AckDataOf<E>>;
  } catch {
    throw new AckFailure("timeout", "The server did not answer in time");
  }
  if (!ack || typeof ack !== "object") throw new AckFailure("bad_ack", "Malformed answer from the server");
  if (!ack.ok) throw new AckFailure(ack.error.code, ack.error.message);
  return ack.data;
}

export function connectInbox(session: Session, onRevoked: () => void): InboxSocket {
  const socket: InboxSocket = io(INBOX_NAMESPACE, {
    auth: (cb) => cb({ token: session.accessToken ?? "" }),
    reconnectionDelayMax: 5000,
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
