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

/** Per-socket chain: a client's events are handled in the order it sent them (sends keep their order). */
const chains = new WeakMap<object, Promise<unknown>>();
function inOrder<T>(socket: object, task: () => Promise<T>): Promise<T> {
  const run = (chains.get(socket) ?? Promise.resolve()).then(task, task);
  chains.set(socket, run.catch(() => undefined));
  return run;
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
    socket.on(event, (...args: unknown[]) => {
      const { payload, ack } = splitArgs(args);
      void inOrder(socket, async () => {
        let reply: Ack<unknown>;
        try {
          const parsed = schema.safeParse(payload ?? {});
          if (!parsed.success) throw parsed.error;
          reply = { ok: true, data: await handler(parsed.data as EventInput<T, E>) };
        } catch (err) {
          const error = toAckError(err);
          if (error.code === "internal") logger.error({ err, event }, "socket event failed");
          reply = { ok: false, error };
        }
        ack?.(reply);
      });
    });
  };
}

/** The event names a namespace accepts, from its table (for counting and refusing unknown events). */
export const eventNames = (table: SpecTable): ReadonlySet<string> => new Set(Object.keys(table));
