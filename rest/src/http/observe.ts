// Request ids, per-request child loggers, the HTTP duration histogram and the request's server span.
import { newId, type Logger, type Metrics, type SpanHandle, type Tracing } from "@kaleem/shared";
import type Koa from "koa";
import type { RestState } from "./state.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function observe(logger: Logger, metrics: Metrics, tracing: Tracing): Koa.Middleware<RestState> {
  const duration = metrics.histogram(
    "http_request_duration_seconds",
    "HTTP request duration by method, route template and status",
    ["method", "route", "status"] as const,
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  // The whole request runs in the span, the request log line included (it then carries the trace id).
  return (ctx, next) => tracing.inSpan(`HTTP ${ctx.method}`, { kind: "server", attributes: { "http.request.method": ctx.method } }, (span) => handle(ctx, next, span));

  async function handle(ctx: Parameters<Koa.Middleware<RestState>>[0], next: Koa.Next, span: SpanHandle): Promise<void> {
    const started = process.hrtime.bigint();
    const incoming = ctx.get("x-request-id");
    const requestId = REQUEST_ID.test(incoming) ? incoming : newId();
    ctx.state.requestId = requestId;
    ctx.state.route = null;
    ctx.state.log = logger.child({ reqId: requestId });
    ctx.set("X-Request-Id", requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Unmatched paths share one label so that scanners cannot blow up the series count.
      const route = ctx.state.route ?? "unmatched";
      duration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
      // Named by the route template (never the raw path: ids would make every span name unique).
      span.setAttributes({ "http.route": route, "http.response.status_code": ctx.status });
      if (ctx.status >= 500) span.markError(`HTTP ${ctx.status}`);
      ctx.state.log.info(
        {
          method: ctx.method,
          route,
          url: ctx.path,
          status: ctx.status,
          ms: Math.round(seconds * 1000),
          ...(ctx.state.errorCode ? { code: ctx.state.errorCode } : {}),
        },
        "request",
      );
    }
  }
}
