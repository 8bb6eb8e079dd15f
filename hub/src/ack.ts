// Binding client events from the protocol's runtime tables: the payload is validated with the
// table's schema, the handler's input and result types come from the table and the event map, and
// every outcome goes back as {ok:true,data} | {ok:false,error}. A handler never throws into socket.io.
import {
  AppError,
  RateLimitedError,
  errorCodeSchema,
  type Ack,
  type AckDataOf,
  type AckError,
  type ClientEventSpec,
  type ErrorCode,
  type Logger,
} from "@kaleem/shared";
import { z } from "zod";

export function toAckError(err: unknown): AckError {
  if (err instanceof z.ZodError) {
    const tooBig = err.issues.some((i) => i.code === "too_big");
    return { code: tooBig ? "payload_too_large" : "validation_failed", message: z.prettifyError(err) };
  }
  if (err instanceof RateLimitedError) return { code: "rate_limited", message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  if (err instanceof AppError) {
    const known = errorCodeSchema.safeParse(err.code);
    return { code: known.success ? known.data : ("validation_failed" satisfies ErrorCode), message: err.message };
  }
  return { code: "internal", message: "Something went wrong" };
}

/** Splits socket.io's variadic args into (payload, ack) whatever the client sent. */
export function splitArgs(args: unknown[]): { payload: unknown; ack: ((r: Ack<unknown>) => void) | null } {
  const last = args[args.length - 1];
  const ack = typeof last === "function" ? (last as (r: Ack<unknown>) => void) : null;
  return { payload: ack ? (args.length > 1 ? args[0] : undefined) : args[0], ack };
}

interface Listening {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Per-socket chain: a client's events are handled in the order it sent them (sends keep their
 * order). An idle socket's entry is dropped once its last task settles, so an idle socket holds none.
 */
const chains = new WeakMap<object, Promise<unknown>>();
function inOrder<T>(socket: object, task: () => Promise<T>): Promise<T> {
  const run = (chains.get(socket) ?? Promise.resolve()).then(task, task);
  const tail: Promise<void> = run.then(
    (): void => settled(socket, tail),
    (): void => settled(socket, tail),
  );
  chains.set(socket, tail);
  return run;
}
function settled(socket: object, tail: Promise<unknown>): void {
  if (chains.get(socket) === tail) chains.delete(socket);
}
/** Whether a socket has events being handled or waiting (tests: idle sockets keep no chain). */
export const hasPendingEvents = (socket: object): boolean => chains.has(socket);

/** Runs one event: validates its payload, calls the handler, answers the ack (if any) in every case. */
function handleEvent(socket: object, event: string, schema: z.ZodType, args: unknown[], logger: Logger, run: (data: unknown) => Promise<unknown>): void {
  const { payload, ack } = splitArgs(args);
  void inOrder(socket, async () => {
    let reply: Ack<unknown>;
    try {
      const parsed = schema.safeParse(payload ?? {});
      if (!parsed.success) throw parsed.error;
      reply = { ok: true, data: await run(parsed.data) };
    } catch (err) {
      const error = toAckError(err);
      if (error.code === "internal") logger.error({ err, event }, "socket event failed");
      reply = { ok: false, error };
    }
    ack?.(reply);
  });
}

type SpecTable = Record<string, ClientEventSpec<unknown, boolean>>;
/** What the handler of `E` receives: the table schema's output. */
export type EventInput<T extends SpecTable, E extends keyof T> = z.output<T[E]["schema"]>;
/** What the handler of `E` returns: the ack data of the event map, or null for events without one. */
export type EventResult<M, E extends keyof M> = [AckDataOf<M, E>] extends [never] ? null : AckDataOf<M, E>;

/**
 * Binds handlers for one namespace. `bind(socket, event, handler)` takes the event name from the
 * table (a name the table does not know does not compile) and types the handler from it.
 */
export function eventBinder<M, T extends SpecTable & { [E in keyof M]: unknown }>(table: T, logger: Logger) {
  return function bind<E extends keyof M & keyof T & string>(
    socket: Listening,
    event: E,
    handler: (data: EventInput<T, E>) => Promise<EventResult<M, E>>,
  ): void {
    const schema = table[event]!.schema;
    socket.on(event, (...args: unknown[]) => handleEvent(socket, event, schema, args, logger, (data) => handler(data as EventInput<T, E>)));
  };
}

/** The handlers of one namespace, shared by all its sockets: a handler gets the socket it runs for. */
export interface EventRouter<S extends object> {
  /** Handles a known event and returns true; false for a name it has no handler for. */
  dispatch(socket: S, event: string, args: unknown[]): boolean;
}

/**
 * Like eventBinder, but built once per namespace instead of once per socket: a socket holds no
 * listener or closure per event (idle widget sockets are many; see BENCHMARKS.md row 4). The
 * namespace's event guard calls `dispatch` with every packet it lets through.
 */
export function eventRouter<M, T extends SpecTable & { [E in keyof M]: unknown }, S extends object>(
  table: T,
  logger: Logger,
  handlers: { [E in keyof M & keyof T & string]: (socket: S, data: EventInput<T, E>) => Promise<EventResult<M, E>> },
): EventRouter<S> {
  const routes = new Map<string, { schema: z.ZodType; handler: (socket: S, data: unknown) => Promise<unknown> }>();
  for (const event of Object.keys(handlers) as Array<keyof M & keyof T & string>) {
    const handler = handlers[event] as (socket: S, data: unknown) => Promise<unknown>;
    routes.set(event, { schema: table[event]!.schema, handler });
  }
  return {
    dispatch(socket, event, args) {
      const route = routes.get(event);
      if (!route) return false;
      handleEvent(socket, event, route.schema, args, logger, (data) => route.handler(socket, data));
      return true;
    },
  };
}

/** The event names a namespace accepts, from its table (for counting and refusing unknown events). */
export const eventNames = (table: SpecTable): ReadonlySet<string> => new Set(Object.keys(table));
