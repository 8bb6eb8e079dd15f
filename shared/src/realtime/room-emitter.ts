// RealtimeEmitter over anything that can address Socket.IO rooms by namespace: the hub's own
// Server (through its adapter) and @socket.io/redis-emitter (processes without sockets). Both
// speak the same `of(ns).to(rooms).emit(...)`, so the event routing and the revocation notice
// live here once.
import { INBOX_NAMESPACE, WIDGET_NAMESPACE } from "../contracts/constants.js";
import type {
  InboxEventName,
  InboxPayload,
  NamespaceName,
  RealtimeEmitter,
  WidgetEventName,
  WidgetPayload,
} from "../ports/realtime.js";
import type { RealtimeMetrics } from "./metrics.js";

/** The slice of a Socket.IO namespace (or an emitter's) that emitting into rooms needs. */
export interface RoomBroadcaster {
  to(rooms: string | string[]): { emit(event: string, payload: unknown): unknown };
  in(room: string): { disconnectSockets(close?: boolean): void };
}

export class RoomEmitter implements RealtimeEmitter {
  constructor(
    private readonly of: (namespace: string) => RoomBroadcaster,
    private readonly metrics?: RealtimeMetrics,
  ) {}

  toWidget<E extends WidgetEventName>(rooms: string | readonly string[], event: E, payload: WidgetPayload<E>): void {
    this.of(WIDGET_NAMESPACE).to(rooms as string | string[]).emit(event, payload);
    this.metrics?.eventsOut.inc({ namespace: "widget", event });
  }

  toInbox<E extends InboxEventName>(rooms: string | readonly string[], event: E, payload: InboxPayload<E>): void {
    this.of(INBOX_NAMESPACE).to(rooms as string | string[]).emit(event, payload);
    this.metrics?.eventsOut.inc({ namespace: "inbox", event });
  }

  disconnectRoom(namespace: NamespaceName, room: string): void {
    const ns = this.of(namespace === "widget" ? WIDGET_NAMESPACE : INBOX_NAMESPACE);
    // Agents learn why before the socket closes, so the dashboard logs out instead of reconnecting.
    if (namespace === "inbox") ns.to(room).emit("session:revoked", { reason: "revoked" } satisfies InboxPayload<"session:revoked">);
    ns.in(room).disconnectSockets(true);
  }
}
