// A real Socket.IO server on a free loopback port, for tests of anything that emits into rooms.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "socket.io";

export interface SocketIoNode {
  io: Server;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Disconnects every socket and stops listening. */
  close(): Promise<void>;
}

export async function startSocketIoNode(options: Partial<ServerOptions> = {}): Promise<SocketIoNode> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, ...options });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    io,
    url: `http://127.0.0.1:${port}`,
    // io.close() closes the HTTP server too, after disconnecting the sockets.
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
