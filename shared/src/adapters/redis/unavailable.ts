// While Redis is down, its client rejects commands with driver errors ("Connection is closed.",
// "Stream isn't writeable...", MaxRetriesPerRequestError, ECONNREFUSED). Above the adapters these
// would be unexpected errors: a 500 / `internal` ack that a client does not retry. Mapped here to
// ServiceUnavailableError, they become 503 with Retry-After, an `unavailable` ack the widget retries
// with the same clientMessageId, and a retried job — the promise that nothing acknowledged is lost
// during an outage rests on the client being told to try again.
import { ServiceUnavailableError } from "../../errors.js";

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTCONN", "EHOSTUNREACH", "ENETUNREACH"]);
const CONNECTION_MESSAGES = [/connection is closed/i, /stream isn't writeable/i, /max retries per request/i, /enableOfflineQueue/i, /redis did not become ready/i, /redis connection closed/i];
/** Seconds a client is told to wait before trying again. */
export const REDIS_RETRY_AFTER_SECONDS = 2;

/** True for the errors the Redis client gives while it has no connection. */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ServiceUnavailableError) return false;
  if (err.name === "MaxRetriesPerRequestError") return true;
  const code = (err as Error & { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  return CONNECTION_MESSAGES.some((re) => re.test(err.message));
}

/** The error to throw for `err`: a ServiceUnavailableError when Redis is unreachable, else `err` itself. */
export function redisUnavailable(err: unknown): unknown {
  if (!isRedisConnectionError(err)) return err;
  return new ServiceUnavailableError("A service this needs is unavailable; retry shortly", { retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS, cause: err });
}

/**
 * The same object, with every method's rejection (or throw) passed through `redisUnavailable`. The
 * composition root wraps each Redis-backed adapter with it, so no adapter method can leak a driver
 * error upwards. Methods run on the real object (private state intact).
 */
export function withRedisUnavailable<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof value !== "function") return value;
      return function (this: unknown, ...args: unknown[]) {
        try {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(redisUnavailable(err)));
          return result;
        } catch (err) {
          throw redisUnavailable(err);
        }
      };
    },
  });
}
