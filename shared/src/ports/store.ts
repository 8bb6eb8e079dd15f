// The storage port. Every adapter (SQLite embedded, MongoDB cluster) implements it and passes
// the contract suite in ./contract.ts.
//
// Tenant isolation by construction: repositories only exist on a TenantStore, which is bound to
// one merchant when it is created. No repository method accepts a merchantId, so a query that
// forgets the scope cannot be written. The few lookups that must happen before the tenant is
// known (login by email, widget key, refresh token, channel webhook) live on `lookup` and return
// the scope, never another tenant's data.
import type {
  AuditLog,
  BotSettings,
  CannedReply,
  Category,
  Channel,
  ChannelType,
  CommerceConnection,
  CommercePlatform,
  CommerceSyncState,
  Conversation,
  ConversationChannel,
  ConversationStatus,
  Customer,
  KnowledgeData,
  KnowledgeItem,
  LocalizedText,
  Locale,
  Merchant,
  AttachmentPart,
  Message,
  MessagePart,
  MessageRole,
  MessageStatus,
  Order,
  OrderItem,
  Page,
  Product,
  Role,
  User,
  Visitor,
  WidgetSettings,
} from "../contracts/domain.js";
import type { AttachmentSettings } from "../contracts/attachments.js";
import type { JsonText } from "../contracts/api/envelopes.js";
import type { ConversationSummary } from "../contracts/socket.js";
import type { ChannelDelivery } from "../contracts/domain.js";
import type { NewOutboxEvent } from "../contracts/jobs.js";
import type { OutgoingEventType, WebhookDelivery, WebhookEndpoint } from "../contracts/outgoing-webhooks.js";

declare const merchantIdBrand: unique symbol;
/** A merchant id that has been resolved from an authenticated source. */
export type MerchantId = string & { readonly [merchantIdBrand]: true };
export const asMerchantId = (id: string): MerchantId => id as MerchantId;

export interface PageRequest {
  limit?: number;
  /** Opaque cursor from a previous page's nextCursor. */
  cursor?: string | null;
}
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

// ---- inputs ----------------------------------------------------------------------------------

export interface NewMerchant {
  name: string;
  currency?: string;
  defaultLocale?: Locale;
  widget?: Partial<WidgetSettings>;
  bot?: Partial<BotSettings>;
  attachments?: Partial<AttachmentSettings>;
}
export interface MerchantPatch {
  name?: string;
  defaultLocale?: Locale;
  widget?: Partial<WidgetSettings>;
  bot?: Partial<BotSettings>;
  attachments?: Partial<AttachmentSettings>;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}
export interface UserPatch {
  name?: string;
  role?: Role;
  passwordHash?: string;
}
/** A user with the secret parts that only auth code may see. */
export interface UserCredentials {
  user: User;
  passwordHash: string;
}

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: string;
}
export interface RefreshTokenRecord extends NewRefreshToken {
  merchantId: string;
  usedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface NewCategory {
  slug: string;
  name?: Partial<LocalizedText>;
}

export interface NewProduct {
  /** The store platform it is synced from; null/omitted: Kaleem's own catalog. (source, externalId) is unique. */
  source?: CommercePlatform | null;
  externalId?: string | null;
  name: LocalizedText;
  description?: LocalizedText;
  categoryId?: string | null;
  price: number;
  currency?: string;
  attributes?: Record<string, string>;
  stock?: number;
  tags?: string[];
  imageUrl?: string | null;
  url?: string | null;
  status?: Product["status"];
}
export type ProductPatch = Partial<NewProduct>;
export interface ProductFilter {
  status?: Product["status"];
  categoryId?: string;
  minPrice?: number;
  maxPrice?: number;
  /** Case-insensitive substring over name/description (both languages), tags and externalId. */
  q?: string;
}

export interface NewOrder {
  customerId?: string | null;
  conversationId?: string | null;
  items: OrderItem[];
  currency?: string;
  status?: Order["status"];
  paymentMethod?: string | null;
  /** Phones are stored in E.164 whatever form they arrive in. */
  contact?: Order["contact"];
  shippingAddress?: string | null;
  /** Added to the items total (default 0). */
  deliveryFee?: number;
  codFee?: number;
  /**
   * Take each item's quantity from product stock in the same transaction as the order. When any
   * item lacks stock nothing is written and InsufficientStockError (a ConflictError) is thrown.
   */
  reserveStock?: boolean;
}
/** An order as a store platform has it, kept in step by webhooks and reconciliation. */
export interface SyncedOrderInput {
  source: CommercePlatform;
  externalId: string;
  number: string;
  items: OrderItem[];
  /** The platform's own figures (discounts and taxes included), not recomputed. */
  subtotal: number;
  deliveryFee: number;
  total: number;
  currency: string;
  status: Order["status"];
  paymentMethod: string | null;
  contact: Order["contact"];
  shippingAddress: string | null;
  /** The platform's creation time, kept as the order's createdAt when given. */
  createdAt?: string | null;
}
export interface CreateOrderOptions {
  /** Outbox events about the new order (they may name it), written in the same transaction. */
  outbox?: (order: Order) => NewOutboxEvent[];
}
export interface OrderFilter {
  status?: Order["status"];
  customerId?: string;
  conversationId?: string;
  /** Orders placed in a conversation on this channel (orders without a conversation have none). */
  channel?: ConversationChannel;
  /** Created at or after (ISO). */
  createdFrom?: string;
  /** Created before (ISO), exclusive. */
  createdBefore?: string;
  /**
   * Search: the order number (a leading "#" ignored), the phone given at checkout or the
   * customer's, normalized to E.164 as stored, or part of the contact's email or name; case-insensitive.
   */
  q?: string;
}
export interface OrderStatusOptions {
  /** Change only from one of these (compare-and-set); otherwise ConflictError and nothing written. */
  onlyFrom?: readonly Order["status"][];
  /** Outbox rows written in the same transaction as the change (given the order before and after). */
  outbox?: (order: Order, previous: Order) => NewOutboxEvent[];
}
/** Stored response of an idempotent request. */
export interface IdempotentResponse {
  status: number;
  body: unknown;
}
export type IdempotencyBegin =
  /** The key is new and is now held (in flight) by this caller. */
  | { state: "started" }
  /** The key finished earlier with the same request: replay this. */
  | { state: "replay"; response: IdempotentResponse }
  /** The key was used with a different request body. */
  | { state: "mismatch" }
  /** The key is held by a request that has not finished. */
  | { state: "in_flight" };

export interface NewCustomer {
  name?: string | null;
  email?: string | null;
  /** Stored in E.164 when it reads as a phone number. */
  phone?: string | null;
  channel: ConversationChannel;
  externalId?: string | null;
}
export type CustomerPatch = Partial<Omit<NewCustomer, "channel">>;

export interface NewConversation {
  channel: ConversationChannel;
  channelId?: string | null;
  customerId?: string | null;
  visitorId?: string | null;
  locale?: Locale | null;
  status?: ConversationStatus;
}
export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  locale?: Locale | null;
  labels?: string[];
  customerId?: string | null;
  unreadCount?: number;
  shopperReadSeq?: number;
  /** The page a webchat shopper is on (http(s) only, set by the conversation service). */
  pageUrl?: string | null;
}
export interface ConversationFilter {
  status?: ConversationStatus;
  assigneeId?: string;
  channel?: ConversationChannel;
  visitorId?: string;
  customerId?: string;
  /**
   * Search: a case-insensitive substring of the customer's name, email or phone or of the last
   * message preview (Arabic letter variants folded, see foldSearchText), or a prefix of the
   * conversation id. % and _ are literal characters.
   */
  q?: string;
}

export interface NewMessage {
  role: MessageRole;
  text: string;
  parts?: MessagePart[];
  status?: MessageStatus;
  authorId?: string | null;
  authorName?: string | null;
  /** With a clientMessageId, appending the same id twice returns the first message. */
  clientMessageId?: string | null;
  intent?: string | null;
  /** A message to a channel customer starts "queued". */
  channelDelivery?: ChannelDelivery | null;
}
export interface MessagePatch {
  text?: string;
  parts?: MessagePart[];
  status?: MessageStatus;
  intent?: string | null;
  /** Where a message sent to a channel stands (queued, sent, delivered, read, failed). */
  channelDelivery?: ChannelDelivery | null;
}

/** Writes that must leave the process (channel delivery, outgoing webhooks) go out through the outbox in the same transaction. */
export interface WriteOptions {
  outbox?: NewOutboxEvent[];
}
export interface AppendOptions {
  /** Outbox events about the new message (they may name its id); not written for a duplicate. */
  outbox?: (message: Message) => NewOutboxEvent[];
}
export interface AppendResult {
  message: Message;
  /** true when clientMessageId matched an earlier message and nothing was written. */
  duplicate: boolean;
}

export interface NewKnowledgeItem {
  title: string;
  data: KnowledgeData;
}
export type KnowledgeItemPatch = Partial<NewKnowledgeItem>;

export interface NewChannel {
  /** Chosen by the caller when the provider must be told the webhook URL (which holds the id) before the row exists. */
  id?: string;
  type: ChannelType;
  name: string;
  publicConfig: Record<string, string>;
  /** Already encrypted by the caller (see shared/crypto). */
  secretsCiphertext: string;
}
export interface ChannelPatch {
  name?: string;
  publicConfig?: Record<string, string>;
  secretsCiphertext?: string;
  status?: Channel["status"];
  lastEventAt?: string | null;
  lastError?: string | null;
}

export interface NewCommerceConnection {
  platform: CommercePlatform;
  publicConfig: Record<string, string>;
  /** Already encrypted by the caller (see shared/crypto). */
  secretsCiphertext: string;
}
export interface CommerceConnectionPatch {
  publicConfig?: Record<string, string>;
  secretsCiphertext?: string;
  status?: CommerceConnection["status"];
  lastEventAt?: string | null;
  lastError?: string | null;
  /** The import/reconciliation state and checkpoint. */
  sync?: CommerceSyncState | null;
}

export interface NewWebhookEndpoint {
  url: string;
  description?: string;
  events: OutgoingEventType[];
  /** Already encrypted by the caller: the signing secret. */
  secretCiphertext: string;
}
export interface WebhookEndpointPatch {
  url?: string;
  description?: string;
  events?: OutgoingEventType[];
  status?: WebhookEndpoint["status"];
  secretCiphertext?: string;
}
export interface NewWebhookDelivery {
  endpointId: string;
  eventId: string;
  eventType: OutgoingEventType;
  body: string;
  test: boolean;
}

export interface NewCannedReply {
  shortcut: string;
  text: string;
}
export type CannedReplyPatch = Partial<NewCannedReply>;

export interface WebhookEventRecord {
  id: string;
  merchantId: string;
  source: string;
  dedupeKey: string;
  payload: unknown;
  status: "received" | "processed" | "failed";
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
}
export interface OutboxEventRecord {
  id: string;
  merchantId: string;
  topic: string;
  payload: unknown;
  attempts: number;
  createdAt: string;
  publishedAt: string | null;
  /** A relay holds the row until then; after it, another relay may claim it. */
  claimedUntil: string | null;
  lastError: string | null;
}

/** One send of a message to a channel, keyed by what asked for it (the outbox row): a retried job finds it. */
export interface DeliveryAttempt {
  key: string;
  messageId: string;
  /** started: recorded before the provider call, outcome unknown until finished. */
  state: "started" | "sent" | "failed";
  providerMessageIds: string[];
  /**
   * The piece being sent right now; still set after a crash, it means that piece may or may not
   * have reached the customer (the provider was called, no answer was recorded).
   */
  inFlight: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface NewAuditLog {
  actorId?: string | null;
  action: string;
  target?: string | null;
  data?: Record<string, unknown>;
  ip?: string | null;
}

// ---- repositories ------------------------------------------------------------------------------

export interface MerchantRepo {
  get(): Promise<Merchant>;
  update(patch: MerchantPatch): Promise<Merchant>;
}

export interface UserRepo {
  /** Throws ConflictError when the email is taken (emails are unique across the installation). */
  create(input: NewUser): Promise<User>;
  get(id: string): Promise<User | null>;
  getCredentials(id: string): Promise<UserCredentials | null>;
  list(page?: PageRequest): Promise<Page<User>>;
  update(id: string, patch: UserPatch): Promise<User | null>;
  remove(id: string): Promise<boolean>;
}

export interface RefreshTokenRepo {
  create(input: NewRefreshToken): Promise<RefreshTokenRecord>;
  get(id: string): Promise<RefreshTokenRecord | null>;
  /** Marks the token used; returns false if it was already used or revoked (a reuse). Atomic. */
  markUsed(id: string): Promise<boolean>;
  revokeFamily(familyId: string): Promise<number>;
  revokeAllForUser(userId: string): Promise<number>;
}

export interface CategoryRepo {
  /** Returns the category with this slug, creating it when missing. */
  ensure(input: NewCategory): Promise<Category>;
  get(id: string): Promise<Category | null>;
  getBySlug(slug: string): Promise<Category | null>;
  list(page?: PageRequest): Promise<Page<Category>>;
  update(id: string, patch: Partial<NewCategory>): Promise<Category | null>;
  remove(id: string): Promise<boolean>;
}

export interface ProductRepo {
  create(input: NewProduct): Promise<Product>;
  get(id: string): Promise<Product | null>;
  /** The product with this externalId in `source` (default null: Kaleem's own catalog). */
  getByExternalId(externalId: string, source?: CommercePlatform | null): Promise<Product | null>;
  /** Newest first, stable under concurrent inserts. */
  list(filter?: ProductFilter, page?: PageRequest): Promise<Page<Product>>;
  /**
   * The same page as `list`, as its JSON text (what `GET /products` answers), composed where the
   * rows already hold JSON instead of parsed into records and serialized again.
   */
  listJson(filter?: ProductFilter, page?: PageRequest): Promise<JsonText<Page<Product>>>;
  /** Every product (for indexing); ordered by id. */
  all(): Promise<Product[]>;
  update(id: string, patch: ProductPatch): Promise<Product | null>;
  /** Creates or updates the product with this externalId in `input.source` (default Kaleem's own catalog). */
  upsertByExternalId(externalId: string, input: NewProduct): Promise<{ product: Product; created: boolean }>;
  /** Decrements stock if enough is left; returns false otherwise. Atomic. */
  reserveStock(id: string, quantity: number): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  count(): Promise<number>;
}

export interface OrderRepo {
  /**
   * Creates an order (number assigned per merchant). With `idempotency`, the order and the
   * response built from it are stored in one transaction, and the key leaves the in-flight state.
   */
  create(
    input: NewOrder,
    idempotency?: { key: string; response: (order: Order) => IdempotentResponse },
    options?: CreateOrderOptions,
  ): Promise<Order>;
  get(id: string): Promise<Order | null>;
  /** Kaleem's own order with this number, else the newest synced order with it. */
  getByNumber(number: string): Promise<Order | null>;
  /** Every order with this number (Kaleem's and each platform's own numbering may overlap), Kaleem's first. */
  listByNumber(number: string): Promise<Order[]>;
  getByExternalId(source: CommercePlatform, externalId: string): Promise<Order | null>;
  /** Creates or replaces the synced order (source, externalId); its Kaleem id stays the same. */
  upsertSynced(input: SyncedOrderInput): Promise<{ order: Order; created: boolean }>;
  list(filter?: OrderFilter, page?: PageRequest): Promise<Page<Order>>;
  /** Null when there is no such order; ConflictError when `onlyFrom` does not hold. */
  updateStatus(id: string, status: Order["status"], options?: OrderStatusOptions): Promise<Order | null>;
  /** Orders created in [from, to) — for analytics. */
  listCreatedBetween(from: string, to: string): Promise<Order[]>;
}

export interface IdempotencyRepo {
  /** Claims `key` for a request whose canonical body hashes to `requestHash`. */
  begin(key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyBegin>;
  /** Stores the response of a request that did not go through OrderRepo.create (errors, other routes). */
  complete(key: string, response: IdempotentResponse): Promise<void>;
  /** Releases an in-flight key after a failure that should not be replayed. */
  release(key: string): Promise<void>;
}

export interface CustomerRepo {
  create(input: NewCustomer): Promise<Customer>;
  /**
   * The channel customer with this external id, or a new one — atomically: two quick updates from
   * one person never create two customers. Known fields of `init` fill empty ones on an existing customer.
   */
  findOrCreateByExternalId(
    channel: ConversationChannel,
    externalId: string,
    init: Omit<NewCustomer, "channel" | "externalId">,
  ): Promise<{ customer: Customer; created: boolean }>;
  get(id: string): Promise<Customer | null>;
  findByExternalId(channel: ConversationChannel, externalId: string): Promise<Customer | null>;
  findByContact(contact: { email?: string; phone?: string }): Promise<Customer | null>;
  update(id: string, patch: CustomerPatch): Promise<Customer | null>;
  list(page?: PageRequest): Promise<Page<Customer>>;
}

/** Widget visitors the store knows more of than their token says (identified, blocked). */
export interface VisitorRepo {
  /** The record, or null for a visitor the store has never had to remember (generation 0, not blocked). */
  get(visitorId: string): Promise<Visitor | null>;
  /**
   * Links the visitor to a customer and starts a new token generation, atomically: tokens of the
   * generations before stop being accepted (rotation on identify).
   */
  identify(visitorId: string, customerId: string): Promise<Visitor>;
  /** Blocks the visitor from the widget (idempotent; a second block keeps the first time and author). */
  block(visitorId: string, by: { userId: string; reason: string | null }): Promise<Visitor>;
  /** Lifts a block; null when the visitor was not blocked. */
  unblock(visitorId: string): Promise<Visitor | null>;
  /** Blocked visitors, most recently blocked first; stable cursor. */
  listBlocked(page?: PageRequest): Promise<Page<Visitor>>;
}

export interface ConversationRepo {
  create(input: NewConversation): Promise<Conversation>;
  get(id: string): Promise<Conversation | null>;
  /** The visitor's most recent conversation that is not closed. */
  findOpenByVisitor(visitorId: string): Promise<Conversation | null>;
  /** The visitor's open conversation, or a new one — atomically, so concurrent opens share one. */
  findOrCreateOpenByVisitor(
    visitorId: string,
    input: Omit<NewConversation, "visitorId">,
  ): Promise<{ conversation: Conversation; created: boolean }>;
  /** The most recent open conversation of a customer on a channel. */
  findOpenByCustomer(customerId: string, channel: ConversationChannel): Promise<Conversation | null>;
  /** The customer's one open conversation on the channel, or a new one — atomically, like findOrCreateOpenByVisitor. */
  findOrCreateOpenByCustomer(
    customerId: string,
    input: Omit<NewConversation, "customerId" | "visitorId">,
  ): Promise<{ conversation: Conversation; created: boolean }>;
  /** Ordered by last activity, newest first; stable cursor. */
  list(filter?: ConversationFilter, page?: PageRequest): Promise<Page<Conversation>>;
  /**
   * The same page as `list` as the inbox lists it (each conversation with its customer's name, as
   * conversationSummaries gives it), as JSON text: one query, no customer's sealed details opened.
   */
  listSummariesJson(filter?: ConversationFilter, page?: PageRequest): Promise<JsonText<Page<ConversationSummary>>>;
  update(id: string, patch: ConversationPatch): Promise<Conversation | null>;
  /**
   * Compare-and-set on status: applies `patch` only when the current status is one of `from`.
   * Returns the updated conversation, or null when the status did not match (or not found).
   */
  transition(id: string, from: ConversationStatus[], patch: ConversationPatch): Promise<Conversation | null>;
  /** Private per-conversation state of the bot (cart, pending verification, misses). */
  getBotState(id: string): Promise<Record<string, unknown>>;
  setBotState(id: string, state: Record<string, unknown>): Promise<void>;
  /** Conversations created in [from, to) — for analytics. */
  listCreatedBetween(from: string, to: string): Promise<Conversation[]>;
}

export interface MessageRepo {
  /**
   * Appends a message with the next per-conversation seq (atomic: no gaps, no duplicates under
   * concurrency) and updates the conversation's lastSeq, lastMessageAt, preview and, for shopper
   * messages, unreadCount. Throws NotFoundError if the conversation is not this merchant's.
   */
  append(conversationId: string, input: NewMessage, options?: AppendOptions): Promise<AppendResult>;
  get(id: string): Promise<Message | null>;
  getByClientMessageId(conversationId: string, clientMessageId: string): Promise<Message | null>;
  /**
   * Outbox events in `options` are written only when the message exists, in the same transaction.
   * With `ifStatus`, nothing changes unless the message has that status (the current message is
   * returned as it is), so a sweeper never overwrites an answer its producer finished meanwhile.
   */
  update(id: string, patch: MessagePatch, options?: WriteOptions & { ifStatus?: MessageStatus }): Promise<Message | null>;
  /** Remembers which provider message ids a sent message became (status callbacks name them). */
  linkProviderMessage(messageId: string, providerMessageId: string): Promise<void>;
  findByProviderMessageId(providerMessageId: string): Promise<Message | null>;
  /** Messages with seq > afterSeq, ascending, at most `limit` (default 200). */
  listAfter(conversationId: string, afterSeq: number, limit?: number): Promise<Message[]>;
  /** The last `limit` messages, ascending by seq. */
  listLatest(conversationId: string, limit: number): Promise<Message[]>;
  /** Paged by seq ascending. */
  list(conversationId: string, page?: PageRequest): Promise<Page<Message>>;
  /** Messages still marked streaming (for recovery after a crash). */
  listStreaming(): Promise<Message[]>;
  /** Messages of the merchant created in [from, to) — for analytics. */
  listCreatedBetween(from: string, to: string): Promise<Message[]>;
}

export interface KnowledgeRepo {
  create(input: NewKnowledgeItem): Promise<KnowledgeItem>;
  get(id: string): Promise<KnowledgeItem | null>;
  list(page?: PageRequest): Promise<Page<KnowledgeItem>>;
  all(): Promise<KnowledgeItem[]>;
  update(id: string, patch: KnowledgeItemPatch): Promise<KnowledgeItem | null>;
  remove(id: string): Promise<boolean>;
}

export interface ChannelRepo {
  create(input: NewChannel): Promise<Channel>;
  get(id: string): Promise<Channel | null>;
  getSecrets(id: string): Promise<string | null>;
  list(): Promise<Channel[]>;
  update(id: string, patch: ChannelPatch): Promise<Channel | null>;
  /**
   * Counts a delivery outcome atomically: a success closes the breaker and resets the streak; a
   * provider server error lengthens it and, at `threshold`, opens the breaker for `openMs`.
   */
  recordDelivery(
    id: string,
    outcome: { ok: true } | { ok: false; error: string; serverError: boolean },
    breaker: { threshold: number; openMs: number },
  ): Promise<Channel | null>;
  remove(id: string): Promise<boolean>;
}

export interface CommerceConnectionRepo {
  /** Throws ConflictError when the merchant already has a connection to this platform. */
  create(input: NewCommerceConnection): Promise<CommerceConnection>;
  get(id: string): Promise<CommerceConnection | null>;
  getByPlatform(platform: CommercePlatform): Promise<CommerceConnection | null>;
  getSecrets(id: string): Promise<string | null>;
  /** Ordered by creation. */
  list(): Promise<CommerceConnection[]>;
  update(id: string, patch: CommerceConnectionPatch): Promise<CommerceConnection | null>;
  remove(id: string): Promise<boolean>;
}

export interface WebhookEndpointRepo {
  create(input: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  get(id: string): Promise<WebhookEndpoint | null>;
  getSecret(id: string): Promise<string | null>;
  /** Ordered by creation. */
  list(): Promise<WebhookEndpoint[]>;
  /** Active endpoints subscribed to `type`. */
  listSubscribed(type: OutgoingEventType): Promise<WebhookEndpoint[]>;
  update(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpoint | null>;
  /** Removes the endpoint and its delivery log. */
  remove(id: string): Promise<boolean>;
}

export interface WebhookDeliveryRepo {
  /** One delivery per (eventId, endpointId): a dispatch that runs twice finds the first. */
  recordOnce(input: NewWebhookDelivery): Promise<{ delivery: WebhookDelivery; created: boolean }>;
  get(id: string): Promise<WebhookDelivery | null>;
  /** Newest first; optionally one endpoint's. */
  list(filter?: { endpointId?: string }, page?: PageRequest): Promise<Page<WebhookDelivery>>;
  /** Counts one attempt and its outcome. */
  recordAttempt(id: string, outcome: { status: WebhookDelivery["status"]; httpStatus: number | null; error: string | null }): Promise<WebhookDelivery | null>;
}

export interface CannedReplyRepo {
  /** Throws ConflictError when the shortcut is taken in this store. */
  create(input: NewCannedReply): Promise<CannedReply>;
  get(id: string): Promise<CannedReply | null>;
  getByShortcut(shortcut: string): Promise<CannedReply | null>;
  /** Every canned reply of the store, ordered by shortcut (the composer filters them as you type). */
  list(): Promise<CannedReply[]>;
  count(): Promise<number>;
  /** Throws ConflictError when renaming onto a taken shortcut. */
  update(id: string, patch: CannedReplyPatch): Promise<CannedReply | null>;
  remove(id: string): Promise<boolean>;
}

export interface WebhookEventRepo {
  /** Stores the event unless (source, dedupeKey) was seen; `duplicate` tells which. */
  recordOnce(input: { source: string; dedupeKey: string; payload: unknown }): Promise<{ event: WebhookEventRecord; duplicate: boolean }>;
  get(id: string): Promise<WebhookEventRecord | null>;
  markProcessed(id: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
}

export interface OutboxRepo {
  add(input: NewOutboxEvent): Promise<OutboxEventRecord>;
  get(id: string): Promise<OutboxEventRecord | null>;
  listPending(limit: number): Promise<OutboxEventRecord[]>;
}

export interface DeliveryAttemptRepo {
  /** Records the start of a send unless `key` is known; `fresh` tells whether it was recorded now. */
  begin(key: string, messageId: string): Promise<{ attempt: DeliveryAttempt; fresh: boolean }>;
  /** Marks the piece about to be sent (null: no call in progress, its outcome is known). */
  markInFlight(key: string, piece: number | null): Promise<void>;
  /** One piece of the message the provider accepted (recorded as it happens, so a retry resumes after it); clears the in-flight mark. */
  addPiece(key: string, providerMessageId: string): Promise<void>;
  finish(key: string, outcome: { state: "sent"; providerMessageIds: string[] } | { state: "failed"; error: string }): Promise<void>;
  /** Forgets an attempt that is known not to have reached the provider, so a retry may send. */
  forget(key: string): Promise<void>;
  get(key: string): Promise<DeliveryAttempt | null>;
}

/** An upload URL handed out, and once a message carries it, the stored attachment (quota, sweeping). */
export interface UploadRecord {
  id: string;
  /** Who may reference it: "visitor:<id>" or "user:<id>" (an upload id alone is not enough). */
  owner: string;
  name: string;
  /** The type the client declared (the PUT's Content-Type); the stored type is sniffed. */
  declaredType: string;
  maxBytes: number;
  state: "pending" | "stored";
  /** Once stored: */
  conversationId: string | null;
  key: string | null;
  contentType: string | null;
  size: number | null;
  kind: AttachmentPart["kind"] | null;
  width: number | null;
  height: number | null;
  createdAt: string;
  /** A pending upload no message referenced by then is swept. */
  expiresAt: string;
}
export interface NewUpload {
  id: string;
  owner: string;
  name: string;
  declaredType: string;
  maxBytes: number;
  expiresAt: string;
}
export interface StoredUpload {
  conversationId: string;
  key: string;
  contentType: string;
  size: number;
  kind: AttachmentPart["kind"];
  width: number | null;
  height: number | null;
}

export interface UploadRepo {
  create(input: NewUpload): Promise<UploadRecord>;
  get(id: string): Promise<UploadRecord | null>;
  /**
   * Pending → stored, only while the merchant's stored bytes plus this size stay within
   * `quotaBytes` (checked and written atomically). "quota" changes nothing; "not_pending" when it
   * was stored already or is gone.
   */
  markStored(id: string, stored: StoredUpload, quotaBytes: number): Promise<"stored" | "quota" | "not_pending">;
  /** Idempotent. */
  delete(id: string): Promise<void>;
  /** Bytes of the merchant's stored uploads. */
  usage(): Promise<number>;
}

export interface AuditRepo {
  add(input: NewAuditLog): Promise<AuditLog>;
  list(page?: PageRequest): Promise<Page<AuditLog>>;
}

export interface TenantStore {
  readonly merchantId: MerchantId;
  readonly merchant: MerchantRepo;
  readonly users: UserRepo;
  readonly refreshTokens: RefreshTokenRepo;
  readonly categories: CategoryRepo;
  readonly products: ProductRepo;
  readonly orders: OrderRepo;
  readonly idempotency: IdempotencyRepo;
  readonly customers: CustomerRepo;
  readonly conversations: ConversationRepo;
  readonly visitors: VisitorRepo;
  readonly messages: MessageRepo;
  readonly knowledge: KnowledgeRepo;
  readonly channels: ChannelRepo;
  readonly commerceConnections: CommerceConnectionRepo;
  readonly cannedReplies: CannedReplyRepo;
  readonly webhookEndpoints: WebhookEndpointRepo;
  readonly webhookDeliveries: WebhookDeliveryRepo;
  readonly webhookEvents: WebhookEventRepo;
  readonly outbox: OutboxRepo;
  readonly deliveryAttempts: DeliveryAttemptRepo;
  readonly audit: AuditRepo;
  readonly uploads: UploadRepo;
}

/** Lookups that resolve a tenant from an unauthenticated key. They return scopes, not data sets. */
export interface TenantLookup {
  /**
   * The accounts with this email, oldest first, at most `limit`: an address is unique within a
   * merchant, but one person may belong to several stores.
   */
  usersByEmail(email: string, limit: number): Promise<Array<{ merchantId: MerchantId; userId: string }>>;
  merchantByWidgetKey(widgetKey: string): Promise<MerchantId | null>;
  refreshToken(tokenId: string): Promise<{ merchantId: MerchantId; userId: string } | null>;
  channel(channelId: string): Promise<{ merchantId: MerchantId; type: ChannelType } | null>;
  commerceConnection(connectionId: string): Promise<{ merchantId: MerchantId; platform: CommercePlatform } | null>;
  /** Every merchant id (for background jobs such as reindexing and reconciliation). */
  merchantIds(): Promise<MerchantId[]>;
}

/**
 * Work that spans tenants (the outbox relay, the sweeper of unprocessed webhook events). Adapters
 * hand it to the composition root beside the Store; nothing that serves a request is given it.
 */
export interface SystemStore {
  readonly messages: {
    /** Answers of any tenant stored as streaming since before `olderThanMs` ago (the stream sweeper). */
    listStreaming(input: { olderThanMs: number; limit: number }): Promise<Array<{ merchantId: MerchantId; conversationId: string; id: string }>>;
  };
  readonly outbox: {
    /** Claims up to `limit` unpublished rows of any tenant, whose lease is free, for `leaseMs`. */
    claim(input: { limit: number; leaseMs: number; owner: string }): Promise<OutboxEventRecord[]>;
    /** Done: never claimed again. */
    complete(id: string, owner: string): Promise<void>;
    /** Not done: claimable again after `retryInMs`; the error is kept on the row. */
    release(id: string, owner: string, input: { error: string; retryInMs: number }): Promise<void>;
  };
  readonly webhookEvents: {
    /** Received events not processed for `olderThanMs` (their process died before the job ran). */
    listStale(input: { olderThanMs: number; limit: number }): Promise<Array<{ merchantId: MerchantId; id: string; source: string }>>;
  };
  readonly uploads: {
    /** Pending uploads of any tenant whose expiry has passed (the upload sweeper), oldest first. */
    listExpired(input: { now: string; limit: number }): Promise<Array<{ merchantId: MerchantId; id: string }>>;
  };
}

export interface Store {
  forMerchant(merchantId: MerchantId): TenantStore;
  /** Creates a tenant and its owner in one transaction. Throws ConflictError if the email is taken. */
  createMerchant(input: NewMerchant, owner: NewUser): Promise<{ merchant: Merchant; owner: User }>;
  readonly lookup: TenantLookup;
  /** Throws if the store cannot serve requests (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
