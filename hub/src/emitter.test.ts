// The RealtimeEmitter contract on the hub's own emitter: emits through the in-process Socket.IO
// server (embedded mode: REST, workers and the hub in one process), with and without the
// empty-room shortcut; and the shortcut itself: nothing is encoded for a room nobody is in.
import { INBOX_NAMESPACE, WIDGET_NAMESPACE } from "@kaleem/shared";
import { emitterContract, startSocketIoNode } from "@kaleem/shared/testing";
import { io as connect } from "socket.io-client";
import { describe, expect, it, vi } from "vitest";
import { SocketIoEmitter } from "./emitter.js";

emitterContract({
  name: "SocketIoEmitter on the in-process server",
  async create() {
    const node = await startSocketIoNode();
    return { nodes: [node], emitter: new SocketIoEmitter(node.io) };
  },
});

emitterContract({
  name: "SocketIoEmitter on the in-process server, empty rooms skipped",
  async create() {
    const node = await startSocketIoNode();
    return { nodes: [node], emitter: new SocketIoEmitter(node.io, undefined, { localRooms: true }) };
  },
});

describe("SocketIoEmitter with local rooms", () => {
  it("encodes nothing for rooms nobody is in, and exactly once for an occupied one", async () => {
    const node = await startSocketIoNode();
    node.io.of(INBOX_NAMESPACE).on("connection", (s) => void s.join("m:1:watch:c1"));
    node.io.of(WIDGET_NAMESPACE);
    const emitter = new SocketIoEmitter(node.io, undefined, { localRooms: true });
    const encode = vi.spyOn(node.io.encoder, "encode");
    // Only event packets count: the namespace's CONNECT packet is encoded too.
    const events = () => encode.mock.calls.filter(([packet]) => (packet as { type: number }).type === 2).length;
    const client = connect(`${node.url}${INBOX_NAMESPACE}`, { transports: ["websocket"], forceNew: true, reconnection: false });
    try {
      const delta = { conversationId: "c1", messageId: "m1", offset: 0, text: "hi" };
      emitter.toInbox("m:1:watch:c2", "message:delta", delta);
      emitter.toInbox(["m:1:inbox", "m:1:watch:c2"], "message:delta", delta);
      emitter.toWidget("m:1:c:c1", "message:delta", delta);
      expect(events()).toBe(0);

      await new Promise<void>((resolve) => client.once("connect", () => resolve()));
      // The join runs in the connection handler; wait until the room holds the socket.
      await vi.waitFor(() => expect(node.io.of(INBOX_NAMESPACE).adapter.rooms.get("m:1:watch:c1")?.size).toBe(1));
      const got = new Promise<unknown>((resolve) => client.once("message:delta", resolve));
      emitter.toInbox(["m:1:watch:c1", "m:1:watch:c2"], "message:delta", delta);
      expect(await got).toEqual(delta);
      expect(events()).toBe(1);
    } finally {
      client.disconnect();
      encode.mockRestore();
      await node.close();
    }
  });

  it("without localRooms (the Redis adapter's case) every emit reaches the adapter", async () => {
    const node = await startSocketIoNode();
    const emitter = new SocketIoEmitter(node.io);
    const broadcast = vi.spyOn(node.io.of(INBOX_NAMESPACE).adapter, "broadcast");
    try {
      emitter.toInbox("m:1:watch:nobody", "message:delta", { conversationId: "c", messageId: "m", offset: 0, text: "x" });
      expect(broadcast).toHaveBeenCalledTimes(1);
    } finally {
      await node.close();
    }
  });
});
