// RealtimeEmitter for a process that runs the hub: emits through the Socket.IO server, whose
// adapter (in-memory or Redis) carries the event to every node.
import { RoomEmitter, type RealtimeMetrics, type RoomBroadcaster } from "@kaleem/shared";
import type { Server } from "socket.io";

export class SocketIoEmitter extends RoomEmitter {
  constructor(io: Server, metrics?: RealtimeMetrics) {
    // The namespaces' typed emit narrows event names; RoomEmitter only passes names of the protocol's maps.
    super((namespace) => io.of(namespace) as unknown as RoomBroadcaster, metrics);
  }
}
