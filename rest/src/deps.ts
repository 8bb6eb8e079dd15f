import type {
  AttemptThrottle,
  Tracing,
  CatalogEvents,
  ChannelConnector,
  ChannelWebhooks,
  CommerceWebhooks,
  Config,
  JobQueue,
  Logger,
  Mailer,
  Metrics,
  ObjectStore,
  ProductSearch,
  RateLimiter,
  Store,
  MerchantProfiles,
  TokenBlacklist,
  TokenService,
} from "@kaleem/shared";

/** What REST tells the realtime side about; the composition root wires it to the emitter and the conversation service. */
export interface RestRealtimeHooks {
  /** An access token was logged out: sockets authenticated with it should be disconnected. */
  sessionRevoked(tokenId: string): void;
  /** A user's sessions ended (removed from the team, or password changed): drop all of their sockets. */
  userRemoved(merchantId: string, userId: string): void;
  /** The widget key was rotated: shoppers still connected with the old key are disconnected. */
  widgetKeyRotated(merchantId: string, oldKey: string): void;
  /** A widget visitor was blocked: their sockets are disconnected on every node. */
  visitorBlocked(merchantId: string, visitorId: string): void;
  /** A conversation changed outside the hub (labels): refresh its inbox summary. */
  conversationChanged(merchantId: string, conversationId: string): void;
}

export interface RestDeps {
  config: Config;
  store: Store;
  /** The merchant without secrets, read through the cache (GET /settings/widget). Writes invalidate it through the store. */
  merchantProfiles: MerchantProfiles;
  logger: Logger;
  metrics: Metrics;
  blacklist: TokenBlacklist;
  /** Issues and verifies access/refresh tokens (the same service the hub verifies sockets with). */
  tokens: TokenService;
  rateLimiter: RateLimiter;
  /** Per-account sign-in spacing: in memory in one process, Redis in a cluster. */
  attemptThrottle: AttemptThrottle;
  /** Account emails (signup confirmation, sign-in lock, invitation). */
  mailer: Mailer;
  productSearch: ProductSearch;
  catalogEvents: CatalogEvents;
  /** Where stored webhook events and other background work are queued. */
  queue: JobQueue;
  /** Verifies and parses messaging-provider webhooks. */
  channelWebhooks: ChannelWebhooks;
  /** Media of every merchant (attachments customers sent); read through short-lived presigned links. */
  objects: ObjectStore;
  /** Proves a channel's credentials with its provider on connect and on credential edits. */
  channelConnector: ChannelConnector;
  /** Verifies and parses store-platform webhooks (Shopify, Salla, Zid). */
  commerceWebhooks: CommerceWebhooks;
  realtime: RestRealtimeHooks;
  /** A server span per request (no-op when tracing is off); jobs it queues continue its trace. */
  tracing: Tracing;
  redisPing?: () => Promise<void>;
}
