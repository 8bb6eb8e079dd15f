// The Socket.IO gateway in two steps, because the rest of the process needs the hub's emitter
// before the hub's handlers exist: createSocketServer attaches Socket.IO to the HTTP server and
// gives the emitter (the composition root builds the conversation service on it), then createHub
// binds the two namespaces to the services it is given. The hub builds no services of its own.
import type { IncomingMessage, Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import {
  type AttachmentService,
  INBOX_NAMESPACE,
  MAX_SOCKET_PAYLOAD_BYTES,
  WIDGET_NAMESPACE,
  realtimeMetrics,
  socketIoRedisKey,
  type Config,
  type ConversationService,
  type Logger,
  type Metrics,
  type PresenceStore,
  type RateLimiter,
  type RealtimeEmitter,
  type Store,
  type MerchantProfiles,
  type TokenService,
} from "@kaleem/shared";
import type { HubContext, InboxNamespace, WidgetNamespace } from "./context.js";
import { SocketIoEmitter } from "./emitter.js";
import { setupInboxNamespace } from "./inbox.js";
import { createOriginGuard } from "./origin.js";
import type { VisitorTokens } from "./visitor-token.js";
import { setupWidgetNamespace } from "./widget.js";
import { WidgetLimits } from "./widget-limits.js";

export interface SocketServerDeps {
  httpServer: HttpServer;
  config: Config;
  store: Store;
  /** The merchant read through the cache: every handshake's origin check reads it. */
  merchantProfiles: MerchantProfiles;
  metrics: Metrics;
  /** Cluster mode: pub/sub clients for the Socket.IO Redis adapter (the hub owns neither). */
  redis: { pub: Redis; sub: Redis; prefix: string } | null;
}

export interface SocketServer {
  io: Server;
  /** Emits into rooms of every node (through the adapter). */
  emitter: RealtimeEmitter;
}

/**
 * Engine.IO heartbeat: a long-poll is held up to the interval, and a silent peer is dropped after
 * interval + timeout. A proxy's read timeout must be above both (nginx/nginx.conf; a test checks).
 */
export const PING_INTERVAL_MS = 20_000;
export const PING_TIMEOUT_MS = 20_000;

/** An Engine.IO session that joined no namespace by then is closed (one refused for its origin, a probe). */
const CONNECT_TIMEOUT_MS = 10_000;

export function createSocketServer(deps: SocketServerDeps): SocketServer {
  // engine.io's table of live sessions is documented (server.clients) but typed protected.
  // A sid is the client's word: only the table's own entries count ("__proto__" is none).
  const handshakeOf = (sid: string) => {
    const clients = (io.engine as unknown as { clients: Record<string, { request: IncomingMessage }> }).clients;
    return Object.hasOwn(clients, sid) ? clients[sid]!.request : undefined;
  };
  const origins = createOriginGuard(deps.config, deps.store, deps.merchantProfiles, handshakeOf);
  const io: Server = new Server(deps.httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    // CORS headers only let allowed pages read replies; the namespaces refuse other origins with a reason.
    cors: origins.cors,
    connectTimeout: CONNECT_TIMEOUT_MS,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
  });
  io.engine.use(origins.sameOrigin);
  if (deps.redis) io.adapter(createAdapter(deps.redis.pub, deps.redis.sub, { key: socketIoRedisKey(deps.redis.prefix) }));
  // Without Redis the local room table is complete, so empty rooms can be skipped before encoding.
  return { io, emitter: new SocketIoEmitter(io, realtimeMetrics(deps.metrics), { localRooms: !deps.redis }) };
}

export interface HubDeps {
  server: SocketServer;
  config: Config;
  store: Store;
  /** The merchant read through the cache (the widget's connect path). */
  merchantProfiles: MerchantProfiles;
  conversations: ConversationService;
  /** Upload URLs and the checks a file passes when a message references it. */
  attachments: AttachmentService;
  presence: PresenceStore;
  tokens: Pick<TokenService, "verifyAccess">;
  visitorTokens: VisitorTokens;
  /** Counters shared by every hub node (Redis in a cluster): anonymous widget traffic per address and store. */
  rateLimiter: RateLimiter;
  metrics: Metrics;
  logger: Logger;
  /** How often agent presence entries are refreshed (ms). */
  presenceHeartbeatMs?: number;
}

export interface Hub {
  io: Server;
  emitter: RealtimeEmitter;
  /** Disconnects every socket and stops timers; the HTTP server stays the caller's. */
  close(): Promise<void>;
}

export function createHub(deps: HubDeps): Hub {
  const { io, emitter } = deps.server;
  const ctx: HubContext = {
    config: deps.config,
    store: deps.store,
    merchantProfiles: deps.merchantProfiles,
    conversations: deps.conversations,
    attachments: deps.attachments,
    emitter,
    presence: deps.presence,
    tokens: deps.tokens,
    visitorTokens: deps.visitorTokens,
    widgetLimits: new WidgetLimits(deps.rateLimiter, deps.config.limits.widget),
    metrics: realtimeMetrics(deps.metrics),
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
    async close() {
      clearInterval(heartbeat);
      io.of(WIDGET_NAMESPACE).local.disconnectSockets(true);
      io.of(INBOX_NAMESPACE).local.disconnectSockets(true);
      // The agents' presence updates the disconnects started publish through the adapter: they
      // end before the launcher closes its Redis connections (else an unhandled "Connection is closed").
      await inbox.settled();
      // io.close() would also close the HTTP server, which belongs to the launcher.
      io.engine.close();
    },
  };
}
