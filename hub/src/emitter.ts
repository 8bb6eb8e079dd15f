// RealtimeEmitter for a process that runs the hub: emits through the Socket.IO server, whose
// adapter (in-memory or Redis) carries the event to every node.
import {
  INBOX_NAMESPACE,
  WIDGET_NAMESPACE,
  type InboxEventName,
  type InboxPayload,
  type NamespaceName,
  type RealtimeEmitter,
  type RealtimeMetrics,
  type WidgetEventName,
  type WidgetPayload,
} from "@kaleem/shared";
import type { Server } from "socket.io";

export class SocketIoEmitter implements RealtimeEmitter {
  constructor(
    private readonly io: Server,
    private readonly metrics?: RealtimeMetrics,
  ) {}

  toWidget<E extends WidgetEventName>(rooms: string | readonly string[], event: E, payload: WidgetPayload<E>): void {
    this.io.of(WIDGET_NAMESPACE).to(rooms as string | string[]).emit(event, payload);
    this.metrics?.eventsOut.inc({ namespace: "widget", event });
  }

  toInbox<E extends InboxEventName>(rooms: string | readonly string[], event: E, payload: InboxPayload<E>): void {
    this.io.of(INBOX_NAMESPACE).to(rooms as string | string[]).emit(event, payload);
    this.metrics?.eventsOut.inc({ namespace: "inbox", event });
  }

  disconnectRoom(namespace: NamespaceName, room: string): void {
    const ns = this.io.of(namespace === "widget" ? WIDGET_NAMESPACE : INBOX_NAMESPACE);
    if (namespace === "inbox") ns.to(room).emit("session:revoked", { reason: "revoked" });
    ns.in(room).disconnectSockets(true);
  }
}
