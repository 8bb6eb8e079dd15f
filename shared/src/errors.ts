// Small typed errors. `code` and `status` steer HTTP answers and socket acks; the retry classes
// steer job handling (retry with backoff, stop for good, or wait for the rate limit).

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  constructor(code: string, status: number, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super("validation_failed", 400, message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "Authentication required") {
    super("unauthorized", 401, message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this") {
    super("forbidden", 403, message);
  }
}
export class NotFoundError extends AppError {
  constructor(what = "Resource") {
    super("not_found", 404, `${what} not found`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super("conflict", 409, message, details);
  }
}
export class InsufficientStockError extends ConflictError {
  readonly items: Array<{ productId: string; requested: number; available: number }>;
  constructor(items: Array<{ productId: string; requested: number; available: number }>) {
    super(
      `Not enough stock for: ${items.map((i) => `${i.productId} (requested ${i.requested}, available ${i.available})`).join(", ")}`,
      { items },
    );
    this.items = items;
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super("payload_too_large", 413, `Body larger than ${limitBytes} bytes`);
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super("unsupported_media_type", 415, `Content-Type must be ${expected}`);
  }
}
/** A file refused for what it is (sniffed type not allowed, active content, unreadable image). */
export class UnsupportedFileError extends AppError {
  constructor(message: string) {
    super("unsupported_media_type", 415, message);
  }
}
/** The merchant's storage quota for attachments is used up. */
export class QuotaExceededError extends AppError {
  constructor(message = "The store's attachment storage is full") {
    super("quota_exceeded", 413, message);
  }
}
export class UnprocessableError extends AppError {
  constructor(message: string, details?: unknown) {
    super("unprocessable", 422, message, details);
  }
}
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = "Too many requests") {
    super("rate_limited", 429, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A dependency cannot serve the request right now (503 on REST with `Retry-After`, the
 * `unavailable` ack code on sockets, retried with backoff in jobs). Retrying the same request is
 * safe: nothing was written, or what was is deduplicated by its id (a message's clientMessageId).
 */
export class ServiceUnavailableError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super("unavailable", 503, message);
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
/**
 * Why the store refused a statement: another writer holds the lock, the disk took no more, or
 * (MongoDB) the server could not be reached in time.
 */
export type StoreFault = "busy" | "full" | "io" | "read_only" | "unreachable";
/**
 * The store engine refused the statement (SQLite BUSY/FULL/IOERR/READONLY; MongoDB connection
 * loss, timeouts, no writable primary): the write did not happen, or (a lost connection) it is
 * not known to have happened and the caller retries it as a whole.
 */
export class StoreUnavailableError extends ServiceUnavailableError {
  readonly fault: StoreFault;
  constructor(fault: StoreFault, cause?: unknown) {
    super(fault === "busy" ? "The store is busy; retry shortly" : "The store cannot take writes right now; retry later", { cause });
    this.fault = fault;
  }
}

/** A job failure that must not be retried (bad payload, unknown tenant). */
export class UnrecoverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnrecoverableError";
  }
}
/**
 * "Not now, in `delayMs`": a provider's 429 or throttling answer (Telegram retry_after, Meta
 * rate-limit codes). The queue runs the job again after that delay and does not count the try
 * as a failed attempt, so a busy provider never exhausts a job's attempts.
 */
export class RetryAfterError extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, message = `retry after ${delayMs} ms`) {
    super(message);
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`RetryAfterError needs a delay of 0 ms or more, got ${delayMs}`);
    this.name = "RetryAfterError";
    this.delayMs = Math.ceil(delayMs);
  }
}
/** A job failure worth retrying with backoff (timeouts, 5xx). */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryableError";
  }
}

/** Invalid configuration: start-up stops with this message. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
