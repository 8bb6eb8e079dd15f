// The RealtimeEmitter contract: real socket.io-client sockets connected to real Socket.IO servers
// ("hub nodes"), rooms joined on the server side, and the emitter under test addressing them:
// events reach exactly the sockets of the named rooms in the named namespace, on every node, and
// disconnectRoom ends exactly those sockets (agents told why first). Runs against the hub's own
// emitter (in-process server) and the Redis emitter (workers/REST -> Redis adapter -> hub nodes).
import { io as connect, type Socket } from "socket.io-client";
import { expect, it } from "vitest";
import { INBOX_NAMESPACE, WIDGET_NAMESPACE } from "../../contracts/constants.js";
import type { MessageDelta } from "../../contracts/socket.js";
import type { NamespaceName, RealtimeEmitter } from "../../ports/realtime.js";
import type { SocketIoNode } from "../socket-io.js";
import { waitFor } from "../wait.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface EmitterRig {
  /** Listening Socket.IO servers that the emitter must reach (one, or several sharing an adapter). */
  nodes: SocketIoNode[];
  emitter: RealtimeEmitter;
  /** Closes the emitter's side (clients, connections); the suite closes the nodes. */
  close?(): Promise<void>;
}

export interface EmitterFactory extends ContractFactory {
  create(): Promise<EmitterRig>;
}

interface Received {
  event: string;
  payload: unknown;
}

interface TestSocket {
  label: string;
  socket: Socket;
  received: Received[];
  disconnectReason: string | null;
}

/** Every socket joins this room too: the fences and readiness probes go there. */
const EVERYONE = "contract:everyone";

const delta = (conversationId: string, text: string): MessageDelta => ({ conversationId, messageId: `msg-${conversationId}`, offset: 0, text });

export function emitterContract(f: EmitterFactory): void {
  contractSuite("RealtimeEmitter", f, () => {
    /** Connects sockets to the rig's nodes in turn; each joins `rooms` (and EVERYONE) on the server. */
    async function world(layout: Array<{ label: string; ns: NamespaceName; rooms: string[] }>) {
      const rig = await f.create();
      const sockets: TestSocket[] = [];
      for (const node of rig.nodes) {
        for (const ns of [WIDGET_NAMESPACE, INBOX_NAMESPACE]) {
          node.io.of(ns).use((socket, next) => {
            const rooms = (socket.handshake.auth as { rooms?: unknown }).rooms;
            if (Array.isArray(rooms)) void socket.join([...rooms.map(String), EVERYONE]);
            next();
          });
        }
      }
      const close = async () => {
        for (const s of sockets) s.socket.disconnect();
        try {
          await rig.close?.();
        } finally {
          await Promise.all(rig.nodes.map((n) => n.close()));
        }
      };
      try {
        for (const [i, spec] of layout.entries()) {
          const node = rig.nodes[i % rig.nodes.length]!;
          const socket = connect(`${node.url}${spec.ns === "widget" ? WIDGET_NAMESPACE : INBOX_NAMESPACE}`, {
            auth: { rooms: spec.rooms },
            transports: ["websocket"],
            reconnection: false,
            forceNew: true,
          });
          const entry: TestSocket = { label: spec.label, socket, received: [], disconnectReason: null };
          socket.onAny((event: string, payload: unknown) => entry.received.push({ event, payload }));
          socket.on("disconnect", (reason) => (entry.disconnectReason = reason));
          sockets.push(entry);
          await new Promise<void>((resolve, reject) => {
            socket.once("connect", () => resolve());
            socket.once("connect_error", reject);
          });
        }
        // Adapters subscribe asynchronously: probe until every socket hears the emitter.
        let probe = 0;
        await waitFor(() => {
          probe += 1;
          const typing = { conversationId: `probe-${probe}`, isTyping: false, role: "bot" as const, name: null, agentId: null };
          rig.emitter.toWidget(EVERYONE, "typing", typing);
          rig.emitter.toInbox(EVERYONE, "typing", typing);
          return sockets.every((s) => s.received.some((r) => r.event === "typing"));
        }, "every socket to hear the emitter");
      } catch (err) {
        await close();
        throw err;
      }
      const by = (label: string) => sockets.find((s) => s.label === label)!;
      let fences = 0;
      return {
        emitter: rig.emitter,
        by,
        close,
        /** Deltas a socket received for `conversationId` (the probes and fences are other events or ids). */
        deltas: (label: string, conversationId: string) =>
          by(label)
            .received.filter((r) => r.event === "message:delta" && (r.payload as MessageDelta).conversationId === conversationId)
            .map((r) => r.payload),
        /**
         * Emits a marker to every connected socket and waits until they all have it: whatever was
         * emitted before it has been delivered (one channel, in order), so absences are now facts.
         */
        async fence() {
          const id = `fence-${++fences}`;
          rig.emitter.toWidget(EVERYONE, "message:delta", delta(id, "fence"));
          rig.emitter.toInbox(EVERYONE, "message:delta", delta(id, "fence"));
          await waitFor(
            () =>
              sockets
                .filter((s) => s.socket.connected)
                .every((s) => s.received.some((r) => r.event === "message:delta" && (r.payload as MessageDelta).conversationId === id)),
            "the fence",
          );
        },
      };
    }

    it("toWidget reaches the sockets of the named room on every node, and no one else", async () => {
      const w = await world([
        { label: "shopper-a", ns: "widget", rooms: ["m:1:c:a"] },
        { label: "shopper-a-other-tab", ns: "widget", rooms: ["m:1:c:a"] },
        { label: "shopper-b", ns: "widget", rooms: ["m:1:c:b"] },
        { label: "agent-same-room-name", ns: "inbox", rooms: ["m:1:c:a"] },
      ]);
      try {
        const payload = delta("c-a", "أهلاً، كيف أساعدك؟");
        w.emitter.toWidget("m:1:c:a", "message:delta", payload);
        await w.fence();
        expect(w.deltas("shopper-a", "c-a")).toEqual([payload]);
        expect(w.deltas("shopper-a-other-tab", "c-a")).toEqual([payload]);
        expect(w.deltas("shopper-b", "c-a")).toEqual([]);
        // Namespaces are separate worlds: an /inbox room of the same name hears nothing.
        expect(w.deltas("agent-same-room-name", "c-a")).toEqual([]);
      } finally {
        await w.close();
      }
    });

    it("toInbox with several rooms reaches each socket once, even one in several of them", async () => {
      const w = await world([
        { label: "agent-inbox", ns: "inbox", rooms: ["m:1:inbox"] },
        { label: "agent-watching", ns: "inbox", rooms: ["m:1:watch:c"] },
        { label: "agent-both", ns: "inbox", rooms: ["m:1:inbox", "m:1:watch:c"] },
        { label: "agent-other-merchant", ns: "inbox", rooms: ["m:2:inbox"] },
        { label: "shopper-same-room-name", ns: "widget", rooms: ["m:1:inbox"] },
      ]);
      try {
        const payload = delta("c-multi", "partial answer");
        w.emitter.toInbox(["m:1:inbox", "m:1:watch:c"], "message:delta", payload);
        await w.fence();
        expect(w.deltas("agent-inbox", "c-multi")).toEqual([payload]);
        expect(w.deltas("agent-watching", "c-multi")).toEqual([payload]);
        expect(w.deltas("agent-both", "c-multi")).toEqual([payload]);
        expect(w.deltas("agent-other-merchant", "c-multi")).toEqual([]);
        expect(w.deltas("shopper-same-room-name", "c-multi")).toEqual([]);
      } finally {
        await w.close();
      }
    });

    it("disconnectRoom on /inbox tells the room's agents why, then ends exactly their sockets", async () => {
      const w = await world([
        { label: "revoked-1", ns: "inbox", rooms: ["m:1:user:u1"] },
        { label: "revoked-2", ns: "inbox", rooms: ["m:1:user:u1"] },
        { label: "colleague", ns: "inbox", rooms: ["m:1:user:u2"] },
        { label: "shopper-same-room-name", ns: "widget", rooms: ["m:1:user:u1"] },
      ]);
      try {
        w.emitter.disconnectRoom("inbox", "m:1:user:u1");
        await waitFor(() => w.by("revoked-1").disconnectReason && w.by("revoked-2").disconnectReason, "the revoked sockets to close");
        for (const label of ["revoked-1", "revoked-2"]) {
          expect(w.by(label).disconnectReason).toBe("io server disconnect");
          expect(w.by(label).received.filter((r) => r.event === "session:revoked")).toEqual([{ event: "session:revoked", payload: { reason: "revoked" } }]);
        }
        await w.fence();
        expect(w.by("colleague").socket.connected).toBe(true);
        expect(w.by("shopper-same-room-name").socket.connected).toBe(true);
        expect(w.by("colleague").received.some((r) => r.event === "session:revoked")).toBe(false);
      } finally {
        await w.close();
      }
    });

    it("disconnectRoom on /widget ends the room's shopper sockets only", async () => {
      const w = await world([
        { label: "rotated-key", ns: "widget", rooms: ["m:1:widget"] },
        { label: "other-store", ns: "widget", rooms: ["m:2:widget"] },
        { label: "agent-same-room-name", ns: "inbox", rooms: ["m:1:widget"] },
      ]);
      try {
        w.emitter.disconnectRoom("widget", "m:1:widget");
        await waitFor(() => w.by("rotated-key").disconnectReason, "the shopper socket to close");
        expect(w.by("rotated-key").disconnectReason).toBe("io server disconnect");
        await w.fence();
        expect(w.by("other-store").socket.connected).toBe(true);
        expect(w.by("agent-same-room-name").socket.connected).toBe(true);
        expect(w.by("agent-same-room-name").received.some((r) => r.event === "session:revoked")).toBe(false);
      } finally {
        await w.close();
      }
    });
  });
}
