// Tracing decorators over the queue and realtime ports: the composition root wraps them only when
// tracing is on, so nothing here runs when it is off.
import { JOB_TRACE_KEY, jobTraceOf } from "../contracts/jobs.js";
import type { JobQueue, JobSchemas } from "../ports/queue.js";
import type { RealtimeEmitter } from "../ports/realtime.js";
import type { Tracing } from "../ports/tracing.js";

/**
 * `add` runs in a producer span and stores its context in the payload (contracts/jobs.ts); each
 * job runs in a consumer span that continues that trace, so the worker's logs share its trace id.
 */
export function tracedQueue<M extends JobSchemas>(queue: JobQueue<M>, tracing: Tracing): JobQueue<M> {
  return {
    schemas: queue.schemas,
    add: (name, data, options) =>
      tracing.inSpan(`queue.add ${name}`, { kind: "producer", attributes: { "messaging.destination.name": name } }, () => {
        const trace = tracing.carrier();
        // The payload's type is the schema's; the trace key is the queue envelope's (kept by validateJobInput).
        const traced = trace && data && typeof data === "object" ? ({ ...data, [JOB_TRACE_KEY]: trace } as typeof data) : data;
        return queue.add(name, traced, options);
      }),
    process(name, handler, options) {
      const wrapped: typeof handler = (job) => {
        const parent = jobTraceOf(job.data);
        return tracing.inSpan(
          `job ${name}`,
          { kind: "consumer", ...(parent ? { parent } : {}), attributes: { "messaging.destination.name": name, "messaging.message.id": job.id, "job.attempt": job.attempt } },
          () => handler(job),
        );
      };
      queue.process(name, wrapped, options);
    },
    deadLetters: (name, scope) => queue.deadLetters(name, scope),
    retryDeadLetter: (name, id, scope) => queue.retryDeadLetter(name, id, scope),
    removeDeadLetter: (name, id, scope) => queue.removeDeadLetter(name, id, scope),
    depth: (name) => queue.depth(name),
    groupDepth: (name, group) => queue.groupDepth(name, group),
    close: () => queue.close(),
  };
}

/** Each emit is an event on the active span (the job or request that caused it). */
export function tracedEmitter(emitter: RealtimeEmitter, tracing: Tracing): RealtimeEmitter {
  const roomsOf = (rooms: string | readonly string[]): number => (typeof rooms === "string" ? 1 : rooms.length);
  return {
    toWidget(rooms, event, payload) {
      tracing.event("hub.emit", { "realtime.namespace": "widget", "realtime.event": event, "realtime.rooms": roomsOf(rooms) });
      emitter.toWidget(rooms, event, payload);
    },
    toInbox(rooms, event, payload) {
      tracing.event("hub.emit", { "realtime.namespace": "inbox", "realtime.event": event, "realtime.rooms": roomsOf(rooms) });
      emitter.toInbox(rooms, event, payload);
    },
    disconnectRoom(namespace, room) {
      tracing.event("hub.disconnect", { "realtime.namespace": namespace });
      emitter.disconnectRoom(namespace, room);
    },
  };
}
