// Tracing port: spans around a REST request, a job's producer and consumer, and the realtime emits
// in between. Domain code only sees this; the OpenTelemetry SDK and its OTLP exporter are an
// adapter (adapters/otel/) started by the composition root when an endpoint is configured. Off,
// `noTracing` runs the work as it is: no SDK, no context storage, no carrier in job payloads.
import type { JobTrace } from "../contracts/jobs.js";

export type SpanKind = "server" | "client" | "producer" | "consumer" | "internal";
export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: SpanAttributes;
  /** Continues the trace a job payload carried instead of the active one. */
  parent?: JobTrace;
}

/** The span `inSpan` runs in, for what is only known at the end (an HTTP status). */
export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed without an exception (a 5xx answered by an error handler). */
  markError(message: string): void;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` in a new span, the child of `options.parent` or of the active span; a throw marks it failed. */
  inSpan<T>(name: string, options: SpanOptions, fn: (span: SpanHandle) => Promise<T>): Promise<T>;
  /** The active span's context for a job payload; undefined when there is none. */
  carrier(): JobTrace | undefined;
  /** Records a point in time on the active span (a realtime emit). */
  event(name: string, attributes?: SpanAttributes): void;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

const noSpan: SpanHandle = { setAttributes() {}, markError() {} };

export const noTracing: Tracing = {
  enabled: false,
  inSpan: (_name, _options, fn) => fn(noSpan),
  carrier: () => undefined,
  event() {},
  shutdown: async () => {},
};
