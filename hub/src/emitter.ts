// RealtimeEmitter for a process that runs the hub: emits through the Socket.IO server, whose
// adapter (in-memory or Redis) carries the event to every node.
import { RoomEmitter, type RealtimeMetrics, type RoomBroadcaster } from "@kaleem/shared";
import type { Namespace, Server } from "socket.io";

export interface SocketIoEmitterOptions {
  /**
   * True when this server's adapter is the in-memory one, so its room table is the whole truth:
   * an emit into rooms nobody is in is then dropped before Socket.IO encodes the packet (a
   * broadcast encodes first and looks for sockets after). Behind the Redis adapter members may
   * sit on other nodes, so every emit goes to the adapter.
   */
  localRooms?: boolean;
}

const SILENT = { emit: () => false };

/** Narrows `to(rooms)` to rooms with at least one local member; nothing left → nothing encoded. */
function occupiedOnly(nsp: Namespace): RoomBroadcaster {
  return {
    to(rooms) {
      const table = nsp.adapter.rooms;
      if (typeof rooms === "string") return table.get(rooms)?.size ? nsp.to(rooms) : SILENT;
      const live = rooms.filter((r) => (table.get(r)?.size ?? 0) > 0);
      return live.length === 0 ? SILENT : nsp.to(live);
    },
    in: (room) => nsp.in(room),
  };
}

export class SocketIoEmitter extends RoomEmitter {
  constructor(io: Server, metrics?: RealtimeMetrics, options: SocketIoEmitterOptions = {}) {
    const cache = new Map<string, RoomBroadcaster>();
    super((namespace) => {
      // The namespaces' typed emit narrows event names; RoomEmitter only passes names of the protocol's maps.
      if (!options.localRooms) return io.of(namespace) as unknown as RoomBroadcaster;
      let b = cache.get(namespace);
      if (!b) cache.set(namespace, (b = occupiedOnly(io.of(namespace))));
      return b;
    }, metrics);
  }
}
