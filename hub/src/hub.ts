// createHub: Socket.IO on an existing HTTP server, the two namespaces, the conversation service
// that socket events drive, and the emitter the rest of the process uses to reach rooms.
import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import {
  ConversationService,
  INBOX_NAMESPACE,
  MAX_SOCKET_PAYLOAD_BYTES,
  WIDGET_NAMESPACE,
  realtimeMetrics,
  socketIoRedisKey,
  type Config,
  type JobQueue,
  type Logger,
  type Metrics,
  type PresenceStore,
  type RealtimeEmitter,
  type Store,
  type StreamRegistry,
  type TokenService,
} from "@kaleem/shared";
import type { HubContext, InboxNamespace, WidgetNamespace } from "./context.js";
import { SocketIoEmitter } from "./emitter.js";
import { setupInboxNamespace } from "./inbox.js";
import { createAllowRequest, createCorsDelegate } from "./origin.js";
import { VisitorTokens } from "./visitor-token.js";
import { setupWidgetNamespace } from "./widget.js";

export interface HubDeps {
  httpServer: HttpServer;
  config: Config;
  store: Store;
  queue: JobQueue;
  streams: StreamRegistry;
  presence: PresenceStore;
  tokens: Pick<TokenService, "verifyAccess">;
  metrics: Metrics;
  logger: Logger;
  /** Cluster mode: pub/sub clients for the Socket.IO Redis adapter (the hub owns neither). */
  redis?: { pub: Redis; sub: Redis; prefix: string } | null;
  /** How often agent presence entries are refreshed (ms). */
  presenceHeartbeatMs?: number;
}

export interface Hub {
  io: Server;
  /** Emits into rooms of every node (through the adapter). */
  emitter: RealtimeEmitter;
  conversations: ConversationService;
  visitorTokens: VisitorTokens;
  /** Disconnects every socket and stops timers; the HTTP server stays the caller's. */
  close(): Promise<void>;
}

export function createHub(deps: HubDeps): Hub {
  const allowRequest = createAllowRequest(deps.config, deps.store);
  const io = new Server(deps.httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    // allowRequest enforces the Origin allow-lists; CORS headers only let allowed pages read replies.
    allowRequest,
    cors: createCorsDelegate(allowRequest),
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  if (deps.redis) io.adapter(createAdapter(deps.redis.pub, deps.redis.sub, { key: socketIoRedisKey(deps.redis.prefix) }));

  const metrics = realtimeMetrics(deps.metrics);
  const emitter = new SocketIoEmitter(io, metrics);
  const conversations = new ConversationService({
    presence: deps.presence,
    store: deps.store,
    emitter,
    queue: deps.queue,
    streams: deps.streams,
    metrics: deps.metrics,
    logger: deps.logger,
  });
  const visitorTokens = new VisitorTokens(deps.config.secrets.visitorTokenSecret);
  const ctx: HubContext = {
    config: deps.config,
    store: deps.store,
    conversations,
    emitter,
    presence: deps.presence,
    tokens: deps.tokens,
    visitorTokens,
    metrics,
    logger: deps.logger.child({ component: "hub" }),
  };
  setupWidgetNamespace(io.of(WIDGET_NAMESPACE) as unknown as WidgetNamespace, ctx);
  const inbox = setupInboxNamespace(io.of(INBOX_NAMESPACE) as unknown as InboxNamespace, ctx);
  const heartbeat = setInterval(() => {
    inbox.heartbeat().catch((err: unknown) => ctx.logger.warn({ err }, "presence heartbeat failed"));
  }, deps.presenceHeartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    io,
    emitter,
    conversations,
    visitorTokens,
    async close() {
      clearInterval(heartbeat);
      io.of(WIDGET_NAMESPACE).local.disconnectSockets(true);
      io.of(INBOX_NAMESPACE).local.disconnectSockets(true);
      // io.close() would also close the HTTP server, which belongs to the launcher.
      io.engine.close();
    },
  };
}
