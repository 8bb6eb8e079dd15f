// The REST application factory. The launcher owns the HTTP server, the config and the store; this
// module only wires them into Koa.
import { Router } from "@koa/router";
import { AttachmentService, clientAddress, type TokenService } from "@kaleem/shared";
import { LoginThrottle } from "./auth/login-throttle.js";
import Koa from "koa";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RestDeps } from "./deps.js";
import { errorHandler } from "./http/errors.js";
import { observe } from "./http/observe.js";
import { buildApiRouter, methodNotAllowed, unmatchedRequests } from "./http/router.js";
import type { RestServices } from "./http/route.js";
import { cors, securityHeaders } from "./http/security.js";
import type { RestState } from "./http/state.js";
import { apiRoutes } from "./routes/index.js";
import { channelWebhookRouter } from "./webhooks/channels.js";
import { commerceWebhookRouter } from "./webhooks/commerce.js";
import { productImageRouter } from "./images.js";

export interface RestApp {
  app: Koa<RestState>;
  callback: () => (req: IncomingMessage, res: ServerResponse) => void;
  tokens: TokenService;
}

function opsRouter(deps: RestDeps): Router<RestState> {
  const router = new Router<RestState>();
  router.get("/healthz", (ctx) => {
    ctx.state.route = "/healthz";
    ctx.body = { status: "ok" };
  });
  router.get("/readyz", async (ctx) => {
    ctx.state.route = "/readyz";
    const checks: Record<string, "ok" | "fail"> = {};
    const run = async (name: string, probe: () => Promise<void>) => {
      try {
        await probe();
        checks[name] = "ok";
      } catch (err) {
        ctx.state.log.warn({ err, check: name }, "readiness check failed");
        checks[name] = "fail";
      }
    };
    await run("store", () => deps.store.ping());
    if (deps.redisPing) await run("redis", deps.redisPing);
    const ready = Object.values(checks).every((c) => c === "ok");
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? "ok" : "fail", checks };
  });
  router.get("/metrics", async (ctx) => {
    ctx.state.route = "/metrics";
    const { contentType, body } = await deps.metrics.render();
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}

export function createRestApp(deps: RestDeps): RestApp {
  const { tokens, mailer } = deps;
  const loginThrottle = new LoginThrottle(deps.config, deps.attemptThrottle, mailer);
  const attachments = new AttachmentService({ store: deps.store, objects: deps.objects, logger: deps.logger });
  const services: RestServices = { deps, tokens, loginThrottle, mailer, attachments };
  // X-Forwarded-* are believed only for the proxies the operator declared (TRUST_PROXY_HOPS); the
  // client address is read by the one helper the realtime hub uses too.
  const hops = deps.config.http.trustProxyHops;
  const app = new Koa<RestState>({ proxy: hops > 0, maxIpsCount: hops });
  // Koa would print errors to stderr; ours are answered and logged by errorHandler.
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.request.ip = clientAddress(ctx.req, hops);
    await next();
  });

  const api = buildApiRouter(apiRoutes, services);
  const ops = opsRouter(deps);
  const webhooks = channelWebhookRouter(services);
  const commerceWebhooks = commerceWebhookRouter(services);
  const images = productImageRouter(services);

  app.use(observe(deps.logger, deps.metrics, deps.tracing));
  app.use(securityHeaders({ production: deps.config.production }));
  app.use(errorHandler());
  app.use(cors(deps.config.cors.origins));
  app.use(unmatchedRequests(services));
  app.use(ops.routes() as unknown as Koa.Middleware<RestState>);
  app.use(webhooks.routes() as unknown as Koa.Middleware<RestState>);
  app.use(commerceWebhooks.routes() as unknown as Koa.Middleware<RestState>);
  app.use(images.routes() as unknown as Koa.Middleware<RestState>);
  app.use(api.routes() as unknown as Koa.Middleware<RestState>);
  app.use(methodNotAllowed(api));

  return { app, callback: () => app.callback(), tokens };
}
