// Security headers and the CORS allow-list.
import type Koa from "koa";
import { errorBody } from "./errors.js";
import type { RestState } from "./state.js";

export function securityHeaders(options: { production: boolean }): Koa.Middleware<RestState> {
  return async (ctx, next) => {
    // API responses are data, never documents: nothing in them may load or run.
    ctx.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.set("Referrer-Policy", "no-referrer");
    ctx.set("X-Frame-Options", "DENY");
    ctx.set("Cache-Control", "no-store");
    if (options.production) ctx.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    await next();
  };
}

const ALLOWED_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";
const ALLOWED_HEADERS = "Authorization,Content-Type,Idempotency-Key,X-Request-Id";
const EXPOSED_HEADERS = "X-Request-Id,Retry-After,Idempotent-Replayed";

/**
 * Only origins listed in config get CORS headers. Other origins get none (the browser then blocks
 * the response), and their preflights are refused outright.
 */
export function cors(origins: readonly string[]): Koa.Middleware<RestState> {
  const allowed = new Set(origins);
  return async (ctx, next) => {
    const origin = ctx.get("origin");
    ctx.vary("Origin");
    const isPreflight = ctx.method === "OPTIONS" && ctx.get("access-control-request-method") !== "";
    if (origin === "" || !allowed.has(origin)) {
      if (isPreflight) {
        ctx.status = 403;
        ctx.body = errorBody("cors_denied", "Origin not allowed");
        return;
      }
      await next();
      return;
    }
    ctx.set("Access-Control-Allow-Origin", origin);
    ctx.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    if (isPreflight) {
      ctx.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
      ctx.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      ctx.set("Access-Control-Max-Age", "600");
      ctx.status = 204;
      return;
    }
    await next();
  };
}
