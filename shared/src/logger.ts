import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs to stdout; child loggers carry request/trace ids. */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    name: options.name ?? "kaleem",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
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
  });
}
