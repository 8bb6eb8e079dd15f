// RealtimeEmitter for processes without sockets (workers, REST in cluster): publishes into the
// hubs' rooms through the Redis adapter's channel.
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import {
  INBOX_NAMESPACE,
  WIDGET_NAMESPACE,
  socketIoRedisKey,
  type InboxEventName,
  type InboxPayload,
  type NamespaceName,
  type RealtimeEmitter,
  type RealtimeMetrics,
  type WidgetEventName,
  type WidgetPayload,
} from "@kaleem/shared";

export class RedisRealtimeEmitter implements RealtimeEmitter {
  private readonly emitter: Emitter;
  constructor(
    redis: Redis,
    prefix: string,
    private readonly metrics?: RealtimeMetrics,
  ) {
    this.emitter = new Emitter(redis, { key: socketIoRedisKey(prefix) });
  }

  toWidget<E extends WidgetEventName>(rooms: string | readonly string[], event: E, payload: WidgetPayload<E>): void {
    this.emitter.of(WIDGET_NAMESPACE).to(rooms as string | string[]).emit(event, payload);
    this.metrics?.eventsOut.inc({ namespace: "widget", event });
  }

  toInbox<E extends InboxEventName>(rooms: string | readonly string[], event: E, payload: InboxPayload<E>): void {
    this.emitter.of(INBOX_NAMESPACE).to(rooms as string | string[]).emit(event, payload);
    this.metrics?.eventsOut.inc({ namespace: "inbox", event });
  }

  disconnectRoom(namespace: NamespaceName, room: string): void {
    const ns = this.emitter.of(namespace === "widget" ? WIDGET_NAMESPACE : INBOX_NAMESPACE);
    if (namespace === "inbox") ns.to(room).emit("session:revoked", { reason: "revoked" });
    ns.in(room).disconnectSockets(true);
  }
}
