// The RealtimeEmitter contract on the hub's own emitter: emits through the in-process Socket.IO
// server (embedded mode: REST, workers and the hub in one process).
import { emitterContract, startSocketIoNode } from "@kaleem/shared/testing";
import { SocketIoEmitter } from "./emitter.js";

emitterContract({
  name: "SocketIoEmitter on the in-process server",
  async create() {
    const node = await startSocketIoNode();
    return { nodes: [node], emitter: new SocketIoEmitter(node.io) };
  },
});
