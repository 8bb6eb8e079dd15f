// One error shape for every failure: {"error":{"code","message","details"?}}. Typed AppErrors keep
// their status; zod errors become 400 validation_failed; anything else is a 500 whose details stay
// in the log, never in the response.
import { AppError, RateLimitedError, ServiceUnavailableError, type ErrorBody } from "@kaleem/shared";
import type Koa from "koa";
import { z } from "zod";
import type { RestState } from "./state.js";

export { ServiceUnavailableError };
export class MethodNotAllowedError extends AppError {
  constructor() {
    super("method_not_allowed", 405, "Method not allowed");
  }
}
/** A method this server implements nowhere (TRACE, WebDAV's PROPFIND/MKCOL, ...). */
export class MethodNotImplementedError extends AppError {
  constructor() {
    super("method_not_implemented", 501, "Method not implemented");
  }
}
export class BadJsonError extends AppError {
  constructor() {
    super("invalid_json", 400, "Body is not valid JSON");
  }
}

export type { ErrorBody };

/** A body within the size limit whose shape (nesting, key count) no legitimate request has. */
export class BodyTooComplexError extends AppError {
  constructor(message: string) {
    super("body_too_complex", 400, message);
  }
}

export function zodDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

/** http-errors thrown by Koa itself (e.g. ctx.throw) carry a status and an `expose` flag. */
function isHttpError(err: unknown): err is { status: number; expose?: boolean; message: string } {
  return typeof err === "object" && err !== null && typeof (err as { status?: unknown }).status === "number";
}

export function errorHandler(): Koa.Middleware<RestState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      let status: number;
      let body: ErrorBody;
      if (err instanceof AppError) {
        status = err.status;
        body = errorBody(err.code, err.message, err.details);
        if (err instanceof RateLimitedError || err instanceof ServiceUnavailableError) ctx.set("Retry-After", String(err.retryAfterSeconds));
      } else if (err instanceof z.ZodError) {
        status = 400;
        body = errorBody("validation_failed", "Request is invalid", zodDetails(err));
      } else if (isHttpError(err) && err.status >= 400 && err.status < 500) {
        status = err.status;
        body = errorBody("http_error", err.expose ? err.message : "Request failed");
      } else {
        status = 500;
        body = errorBody("internal", "Internal server error");
      }
      // Only our own failures page someone (error). A missing dependency (503) is worth a warning;
      // what a client got wrong (4xx, an unknown method's 501) is in the request line observe()
      // writes at info, with its code.
      if (status === 500) ctx.state.log.error({ err }, "request failed");
      else if (status === 503) ctx.state.log.warn({ code: body.error.code, reason: body.error.message }, "request not served");
      ctx.state.errorCode = body.error.code;
      ctx.status = status;
      ctx.body = body;
    }
  };
}
