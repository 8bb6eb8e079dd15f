// Turns the route table into a @koa/router: rate limit, authenticate, authorize, validate params,
// query and body with the route's zod schemas, then call the handler and write its reply.
import { Router } from "@koa/router";
import {
  ForbiddenError,
  JsonText,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  type AccessClaims,
} from "@kaleem/shared";
import type Koa from "koa";
import { assertPlainQueryKeys, readJsonBody } from "./body.js";
import { MethodNotAllowedError, MethodNotImplementedError } from "./errors.js";
import { API_PREFIX, type AnyRoute, type RestServices } from "./route.js";
import type { Caller, RestContext, RestState } from "./state.js";

const WINDOW_SECONDS = 60;

/** Counts one request against `key`'s per-minute budget; throws 429 once it is spent. */
export async function limit(services: RestServices, key: string, max: number): Promise<void> {
  const result = await services.deps.rateLimiter.hit(`rl:${key}`, max, WINDOW_SECONDS);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}

function bearerToken(ctx: RestContext): string | null {
  const header = ctx.get("authorization");
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

export async function authenticate(ctx: RestContext, services: RestServices): Promise<Caller> {
  const token = bearerToken(ctx);
  if (!token) throw new UnauthorizedError("Missing bearer token");
  const claims: AccessClaims = await services.tokens.verifyAccess(token);
  const store = services.deps.store.forMerchant(claims.merchantId);
  // The store, not the token, is the authority on whether the user still exists and on their role.
  const user = await store.users.get(claims.userId);
  if (!user) throw new UnauthorizedError("User no longer exists");
  return { claims, user, role: user.role, store };
}


function routeMiddleware(route: AnyRoute, services: RestServices): Koa.Middleware<RestState> {
  const { config } = services.deps;
  const template = API_PREFIX + route.path;
  return async (rawCtx) => {
    const ctx = rawCtx as RestContext;
    ctx.state.route = template;
    const ip = ctx.ip;

    let caller: Caller | undefined;
    if (route.rateLimit === "auth") await limit(services, `auth:ip:${ip}`, config.limits.authRequestsPerMinute);
    if (route.auth) {
      try {
        caller = await authenticate(ctx, services);
      } catch (err) {
        // Failed authentications count against the IP so token guessing is throttled too.
        await limit(services, `api:ip:${ip}`, config.limits.requestsPerMinute);
        throw err;
      }
      ctx.state.caller = caller;
      ctx.state.log = ctx.state.log.child({ merchantId: caller.claims.merchantId, userId: caller.user.id });
      if (route.rateLimit !== "auth") await limit(services, `api:user:${caller.user.id}`, config.limits.requestsPerMinute);
      if (route.roles && !route.roles.includes(caller.role)) {
        throw new ForbiddenError(`This action needs one of the roles: ${route.roles.join(", ")}`);
      }
    } else if (route.rateLimit !== "auth") {
      await limit(services, `api:ip:${ip}`, config.limits.requestsPerMinute);
    }

    const rawQuery = { ...ctx.query } as Record<string, unknown>;
    // Every route, with a query schema or without: an operator-shaped parameter is an error, never ignored.
    assertPlainQueryKeys(rawQuery);
    const params = route.params ? route.params.parse((ctx as unknown as { params: unknown }).params) : undefined;
    const query = route.query ? route.query.parse(rawQuery) : undefined;
    const body = route.body ? route.body.parse(await readJsonBody(ctx, config.limits.bodyBytes)) : undefined;

    const reply = await route.handler({ ctx, params, query, body, caller, services, ip });
    for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
    ctx.status = reply.status ?? 200;
    if (reply.body instanceof JsonText) {
      // Already the view's JSON (a store page): sent as it is, with the type Koa gives an object body.
      // (Sending it as a Buffer instead measured no different: the encode moves, it does not go away.)
      ctx.type = "application/json";
      ctx.body = reply.body.text;
    } else if (reply.body !== undefined) ctx.body = reply.body;
  };
}

export function buildApiRouter(routes: readonly AnyRoute[], services: RestServices): Router<RestState> {
  const router = new Router<RestState>({ prefix: API_PREFIX });
  for (const route of routes) router.register(route.path, [route.method.toUpperCase()], routeMiddleware(route, services));
  return router;
}

export function methodNotAllowed(router: Router<RestState>): Koa.Middleware<RestState> {
  return router.allowedMethods({
    throw: true,
    methodNotAllowed: () => new MethodNotAllowedError(),
    notImplemented: () => new MethodNotImplementedError(),
  }) as unknown as Koa.Middleware<RestState>;
}

/** The methods some route answers; anything else (TRACE, PROPFIND, MKCOL, ...) is a 501 on every path. */
const SERVED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Requests that reach no route — unknown paths, wrong or unknown methods — are answered with the
 * one error shape and counted against the caller's IP like any anonymous request, so that a
 * scanner cannot flood the log for free.
 */
export function unmatchedRequests(services: RestServices): Koa.Middleware<RestState> {
  const perIp = (ctx: RestContext) => limit(services, `api:ip:${ctx.ip}`, services.deps.config.limits.requestsPerMinute);
  return async (rawCtx, next) => {
    const ctx = rawCtx as RestContext;
    if (!SERVED_METHODS.has(ctx.method)) {
      await perIp(ctx);
      throw new MethodNotImplementedError();
    }
    try {
      await next();
    } catch (err) {
      if (err instanceof MethodNotAllowedError || err instanceof MethodNotImplementedError) await perIp(ctx);
      throw err;
    }
    // Nothing downstream answered (a wrong method would have thrown above).
    if (ctx.status === 404 && ctx.body == null) {
      await perIp(ctx);
      throw new NotFoundError("Route");
    }
  };
}
