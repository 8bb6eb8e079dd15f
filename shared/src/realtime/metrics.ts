// Realtime instruments, declared once; hub, emitters and bot jobs record into the same names.
import type { Metrics } from "../metrics.js";

export function realtimeMetrics(metrics: Metrics) {
  return {
    connected: metrics.gauge("kaleem_socket_connected", "Connected sockets by namespace", ["namespace"]),
    eventsIn: metrics.counter("kaleem_socket_events_in_total", "Client events received by namespace and name", ["namespace", "event"]),
    eventsOut: metrics.counter("kaleem_socket_events_out_total", "Events emitted to rooms by namespace and name", ["namespace", "event"]),
    rejected: metrics.counter("kaleem_socket_rejected_total", "Events or connections refused, by reason", ["namespace", "reason"]),
    resumes: metrics.counter("kaleem_socket_resumes_total", "conversation:resume calls by namespace", ["namespace"]),
    emitFailures: metrics.counter("kaleem_socket_emit_failures_total", "Emits into hub rooms that Redis did not take (an outage): clients recover them by resume", []),
    deltaLag: metrics.histogram(
      "kaleem_stream_delta_lag_seconds",
      "Time from the engine producing a delta to its emission into the rooms",
      [],
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    ),
    firstDelta: metrics.histogram(
      "kaleem_stream_first_delta_seconds",
      "Time from the shopper's message being stored to the first delta of the answer",
      [],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    streams: metrics.counter("kaleem_stream_answers_total", "Bot answers by outcome", ["outcome"]),
  };
}
export type RealtimeMetrics = ReturnType<typeof realtimeMetrics>;
