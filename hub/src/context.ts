import type {
  AttachmentService,
  Config,
  ConversationService,
  InboxClientToServerEvents,
  InboxServerToClientEvents,
  InboxSocketData,
  InterServerEvents,
  Logger,
  PresenceStore,
  RealtimeEmitter,
  RealtimeMetrics,
  Store,
  MerchantProfiles,
  TokenService,
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  WidgetSocketData,
} from "@kaleem/shared";
import type { Namespace, Socket } from "socket.io";
import type { VisitorTokens } from "./visitor-token.js";
import type { WidgetLimits } from "./widget-limits.js";

export type WidgetNamespace = Namespace<WidgetClientToServerEvents, WidgetServerToClientEvents, InterServerEvents, WidgetSocketData>;
export type WidgetSocket = Socket<WidgetClientToServerEvents, WidgetServerToClientEvents, InterServerEvents, WidgetSocketData>;
export type InboxNamespace = Namespace<InboxClientToServerEvents, InboxServerToClientEvents, InterServerEvents, InboxSocketData>;
export type InboxSocket = Socket<InboxClientToServerEvents, InboxServerToClientEvents, InterServerEvents, InboxSocketData>;

/** Everything the namespace handlers use, wired once by createHub. */
export interface HubContext {
  config: Config;
  store: Store;
  /** The merchant without secrets, read through the cache (widget connects). */
  merchantProfiles: MerchantProfiles;
  conversations: ConversationService;
  attachments: AttachmentService;
  emitter: RealtimeEmitter;
  presence: PresenceStore;
  tokens: Pick<TokenService, "verifyAccess">;
  visitorTokens: VisitorTokens;
  /** Per-address and per-store budgets of anonymous widget traffic. */
  widgetLimits: WidgetLimits;
  metrics: RealtimeMetrics;
  logger: Logger;
}
