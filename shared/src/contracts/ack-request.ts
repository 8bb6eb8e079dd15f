// Requests over a socket that the server acknowledges with `{ ok, data } | { ok: false, error }`.
// Zod-free and DOM-free, so the widget bundle, the mobile client library and the dashboard all use
// this one helper. Event names, payloads and ack data are read from the protocol's event maps.
import type { Ack, AckFn, ErrorCode } from "./acks.js";
import type { InboxClientToServerEvents, WidgetClientToServerEvents } from "./socket.js";

/** Events of `M` whose acknowledgement is required: the ones a client awaits. */
export type AckedEventOf<M> = {
  [E in keyof M & string]: M[E] extends (payload: never, ...rest: infer R) => void ? (R extends [AckFn<never>] ? E : never) : never;
}[keyof M & string];
/** Events of `M` a client may fire without waiting (typing, read receipts). */
export type FireEventOf<M> = Exclude<keyof M & string, AckedEventOf<M>>;
export type EventPayloadOf<M, E extends keyof M> = M[E] extends (payload: infer P, ...rest: never[]) => void ? P : never;
export type AckDataOf<M, E extends keyof M> = M[E] extends (payload: never, ack: AckFn<infer T>) => void ? T : never;

/**
 * What requests need of a socket.io-client Socket: one whose emit side is left untyped
 * (`Socket<ServerToClientEvents>`), because every emit goes through the typed helpers below.
 */
export interface AckTransport {
  readonly connected: boolean;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

export type AckRequestErrorCode = ErrorCode | "timeout" | "not_ready";
export class AckRequestError extends Error {
  constructor(
    readonly code: AckRequestErrorCode,
    message: string,
    /** With `rate_limited`: how long the server asked to wait (seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AckRequestError";
  }
}

export interface AckRequestOptions {
  timeoutMs: number;
}

function isAck(value: unknown): value is Ack<unknown> {
  if (!value || typeof value !== "object" || !("ok" in value)) return false;
  const v = value as { ok: unknown; error?: unknown };
  if (v.ok === true) return "data" in v;
  return v.ok === false && !!v.error && typeof v.error === "object";
}

/**
 * Emits `event` and resolves with the ack's data; rejects with an AckRequestError carrying the
 * server's code, `timeout` when no ack came in time, `not_ready` when the socket is not connected.
 */
export function ackRequest<M, E extends AckedEventOf<M>>(
  socket: AckTransport,
  event: E,
  payload: EventPayloadOf<M, E>,
  options: AckRequestOptions,
): Promise<AckDataOf<M, E>> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) {
      reject(new AckRequestError("not_ready", `${event}: not connected`));
      return;
    }
    socket.timeout(options.timeoutMs).emit(event, payload, (err: unknown, response: unknown) => {
      if (err) reject(new AckRequestError("timeout", `${event}: the server did not answer in time`));
      else if (!isAck(response)) reject(new AckRequestError("internal", `${event}: malformed acknowledgement`));
      else if (response.ok) resolve(response.data as AckDataOf<M, E>);
      else reject(new AckRequestError(response.error.code, response.error.message, response.error.retryAfterSeconds));
    });
  });
}

/** Fires an event that needs no answer; dropped while disconnected (the next state sync covers it). */
export function fireEvent<M, E extends FireEventOf<M>>(socket: AckTransport, event: E, payload: EventPayloadOf<M, E>): boolean {
  if (!socket.connected) return false;
  socket.emit(event, payload);
  return true;
}

/** The two namespaces' helpers, bound to their event maps. */
export const widgetRequest = <E extends AckedEventOf<WidgetClientToServerEvents>>(
  socket: AckTransport,
  event: E,
  payload: EventPayloadOf<WidgetClientToServerEvents, E>,
  options: AckRequestOptions,
) => ackRequest<WidgetClientToServerEvents, E>(socket, event, payload, options);
export const widgetFire = <E extends FireEventOf<WidgetClientToServerEvents>>(socket: AckTransport, event: E, payload: EventPayloadOf<WidgetClientToServerEvents, E>) =>
  fireEvent<WidgetClientToServerEvents, E>(socket, event, payload);
export const inboxRequest = <E extends AckedEventOf<InboxClientToServerEvents>>(
  socket: AckTransport,
  event: E,
  payload: EventPayloadOf<InboxClientToServerEvents, E>,
  options: AckRequestOptions,
) => ackRequest<InboxClientToServerEvents, E>(socket, event, payload, options);
export const inboxFire = <E extends FireEventOf<InboxClientToServerEvents>>(socket: AckTransport, event: E, payload: EventPayloadOf<InboxClientToServerEvents, E>) =>
  fireEvent<InboxClientToServerEvents, E>(socket, event, payload);
