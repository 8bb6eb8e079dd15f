// OpenTelemetry tracing adapter: spans go to an OTLP/HTTP (JSON) endpoint in batches. Started only
// when OTEL_EXPORTER_OTLP_ENDPOINT is set (launcher/src/factories.ts); it registers the global
// AsyncLocalStorage context manager, which is what lets the logger's mixin (logger.ts) find the
// active span through @opentelemetry/api.
import { context, propagation, ROOT_CONTEXT, SpanKind as OtelSpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapPropagator } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { JobTrace } from "../../contracts/jobs.js";
import type { SpanAttributes, SpanHandle, SpanKind, SpanOptions, Tracing } from "../../ports/tracing.js";

const KINDS: Record<SpanKind, OtelSpanKind> = {
  server: OtelSpanKind.SERVER,
  client: OtelSpanKind.CLIENT,
  producer: OtelSpanKind.PRODUCER,
  consumer: OtelSpanKind.CONSUMER,
  internal: OtelSpanKind.INTERNAL,
};

export interface OtelTracingOptions {
  /** The collector's base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans are POSTed to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
  /** Extra attributes on every span's resource (the role). */
  resource?: SpanAttributes;
}

export function startOtelTracing(options: OtelTracingOptions): Tracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  // One per process; a second start (tests) must not be silently ignored.
  if (!context.setGlobalContextManager(contextManager)) throw new Error("OpenTelemetry context manager already registered in this process");
  const w3c: TextMapPropagator = new W3CTraceContextPropagator();
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName, ...options.resource }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("kaleem");

  const handle = (span: Span): SpanHandle => ({
    setAttributes: (attributes) => void span.setAttributes(attributes),
    markError: (message) => void span.setStatus({ code: SpanStatusCode.ERROR, message }),
  });
  const parentContext = (parent: JobTrace | undefined): Context =>
    parent ? w3c.extract(ROOT_CONTEXT, parent, { get: (c: JobTrace, k) => (k === "traceparent" ? c.traceparent : k === "tracestate" ? c.tracestate : undefined), keys: () => ["traceparent", "tracestate"] }) : context.active();

  return {
    enabled: true,
    inSpan(name, spanOptions: SpanOptions, fn) {
      const span = tracer.startSpan(name, { kind: KINDS[spanOptions.kind ?? "internal"], ...(spanOptions.attributes ? { attributes: spanOptions.attributes } : {}) }, parentContext(spanOptions.parent));
      return context.with(trace.setSpan(context.active(), span), async () => {
        try {
          return await fn(handle(span));
        } catch (err) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          span.end();
        }
      });
    },
    carrier() {
      const carrier: Record<string, string> = {};
      w3c.inject(context.active(), carrier, { set: (c, k, v) => void (c[k] = v) });
      if (!carrier.traceparent) return undefined;
      return { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) };
    },
    event(name, attributes) {
      trace.getActiveSpan()?.addEvent(name, attributes);
    },
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        // Unregisters the global context manager (and propagation, unused) so a later start works.
        context.disable();
        propagation.disable();
      }
    },
  };
}
