// Binding client events: validate with the protocol's schema, run, answer with one ack shape.
import { AppError, RateLimitedError, type Ack, type AckError, type AckFn, type ErrorCode, type Logger } from "@kaleem/shared";
import { z } from "zod";

/** The data type an event's ack carries, read from the event map. */
export type AckData<F> = F extends (payload: never, ack: infer A) => void ? (NonNullable<A> extends AckFn<infer R> ? R : never) : never;

const KNOWN_CODES = new Set<ErrorCode>(["validation_failed", "unauthorized", "forbidden", "not_found", "conflict", "rate_limited", "payload_too_large", "internal"]);

export function toAckError(err: unknown): AckError {
  if (err instanceof z.ZodError) {
    const tooBig = err.issues.some((i) => i.code === "too_big");
    return { code: tooBig ? "payload_too_large" : "validation_failed", message: z.prettifyError(err) };
  }
  if (err instanceof RateLimitedError) return { code: "rate_limited", message: err.message };
  if (err instanceof AppError && KNOWN_CODES.has(err.code as ErrorCode)) return { code: err.code as ErrorCode, message: err.message };
  if (err instanceof AppError) return { code: "validation_failed", message: err.message };
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

/**
 * Registers `event` on `socket`: the payload is parsed with `schema`; the result or the error
 * goes back as {ok:true,data} | {ok:false,error}. A handler never throws into socket.io.
 */
export function bindEvent<S extends z.ZodType, R>(
  socket: Listening,
  event: string,
  schema: S,
  handler: (data: z.output<S>) => Promise<R>,
  logger?: Logger,
): void {
  socket.on(event, (...args: unknown[]) => {
    const { payload, ack } = splitArgs(args);
    void inOrder(socket, async () => {
      let reply: Ack<R>;
      try {
        const parsed = schema.safeParse(payload ?? {});
        if (!parsed.success) throw parsed.error;
        reply = { ok: true, data: await handler(parsed.data) };
      } catch (err) {
        const error = toAckError(err);
        if (error.code === "internal") logger?.error({ err, event }, "socket event failed");
        reply = { ok: false, error };
      }
      ack?.(reply);
    });
  });
}
