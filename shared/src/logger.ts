import { trace } from "@opentelemetry/api";
import { pino, type DestinationStream, type Logger } from "pino";
import { redactValue } from "./log-redaction.js";

export type { Logger };

/** JSON logs to stdout (or `destination`); child loggers carry request/trace ids. */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? "kaleem",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The active span's ids on every line, so logs and traces join. With tracing off no context
    // manager is registered and the API's no-op answers undefined: nothing is added.
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { traceId, spanId };
    },
    // Every argument of an enabled log call, messages included (see log-redaction.ts).
    hooks: {
      logMethod(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
        // An error logged on its own keeps pino's shape ({ err: ... }) once it is a plain object.
        const scrubbed = args.map((a, i) => (i === 0 && a instanceof Error ? { err: redactValue(a) } : redactValue(a))) as Parameters<pino.LogFn>;
        return method.apply(this, scrubbed);
      },
    },
    // Errors are already plain objects by then (the hook serialized them); keep them as they are.
    serializers: { err: (value: unknown) => value },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "*.password",
        "*.passwordHash",
        "*.accessToken",
        "*.refreshToken",
        "*.botToken",
        "*.appSecret",
      ],
      censor: "[redacted]",
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
