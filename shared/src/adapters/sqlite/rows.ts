// Row shapes as SQLite returns them and their mapping to domain records. JSON columns hold
// nested fields; they are written only by this adapter, so they are trusted on the way out.
import type { PiiVault } from "../../pii.js";
import { defaultAttachmentSettings, type AttachmentSettings } from "../../contracts/attachments.js";
import type {
  AuditLog,
  BotSettings,
  Category,
  Channel,
  ChannelDelivery,
  ChannelType,
  CommercePlatform,
  Conversation,
  ConversationChannel,
  ConversationStatus,
  Customer,
  KnowledgeData,
  KnowledgeItem,
  LocalizedText,
  Locale,
  Merchant,
  Message,
  MessagePart,
  MessageRole,
  MessageStatus,
  Order,
  OrderItem,
  Product,
  Role,
  User,
  WidgetSettings,
} from "../../contracts/domain.js";
import type { DeliveryAttempt, OutboxEventRecord, RefreshTokenRecord, WebhookEventRecord } from "../../ports/store.js";
import { fromJson } from "./db.js";
import { defaultBotSettings } from "../../store/defaults.js";

export interface MerchantRow {
  id: string;
  name: string;
  currency: string;
  default_locale: Locale;
  widget_key: string;
  widget: string;
  bot: string;
  /** JSON; NULL on rows written before attachment settings existed (migration 70). */
  attachments: string | null;
  next_order_number: number;
  created_at: string;
  updated_at: string;
}
export const toMerchant = (r: MerchantRow): Merchant => ({
  id: r.id,
  name: r.name,
  currency: r.currency,
  defaultLocale: r.default_locale,
  widget: fromJson<WidgetSettings>(r.widget),
  // Defaults first: rows written before a setting existed still read as complete settings.
  bot: { ...defaultBotSettings(), ...fromJson<Partial<BotSettings>>(r.bot) },
  attachments: { ...defaultAttachmentSettings(), ...(r.attachments ? fromJson<Partial<AttachmentSettings>>(r.attachments) : {}) },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface UserRow {
  id: string;
  merchant_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  updated_at: string;
}
export const toUser = (r: UserRow): User => ({
  id: r.id,
  merchantId: r.merchant_id,
  email: r.email,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface RefreshTokenRow {
  id: string;
  merchant_id: string;
  user_id: string;
  family_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}
export const toRefreshToken = (r: RefreshTokenRow): RefreshTokenRecord => ({
  id: r.id,
  merchantId: r.merchant_id,
  userId: r.user_id,
  familyId: r.family_id,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
  createdAt: r.created_at,
});

export interface CategoryRow {
  id: string;
  merchant_id: string;
  slug: string;
  name: string;
  created_at: string;
}
export const toCategory = (r: CategoryRow): Category => ({
  id: r.id,
  merchantId: r.merchant_id,
  slug: r.slug,
  name: fromJson<LocalizedText>(r.name),
  createdAt: r.created_at,
});

export interface ProductRow {
  id: string;
  merchant_id: string;
  source: CommercePlatform | null;
  external_id: string | null;
  name: string;
  description: string;
  category_id: string | null;
  price: number;
  currency: string;
  attributes: string;
  stock: number;
  tags: string;
  image_url: string | null;
  url: string | null;
  status: Product["status"];
  search_text: string;
  created_at: string;
  updated_at: string;
}
export const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  merchantId: r.merchant_id,
  source: r.source ?? null,
  externalId: r.external_id,
  name: fromJson<LocalizedText>(r.name),
  description: fromJson<LocalizedText>(r.description),
  categoryId: r.category_id,
  price: r.price,
  currency: r.currency,
  attributes: fromJson<Record<string, string>>(r.attributes),
  stock: r.stock,
  tags: fromJson<string[]>(r.tags),
  imageUrl: r.image_url,
  url: r.url,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * A product row as its record's JSON, built by SQLite (json_object): the keys of toProduct in its
 * order, the JSON columns spliced in as they are stored. Keep the two in step; the store contract
 * suite checks that both give the same record.
 */
export const PRODUCT_JSON = `json_object('id', id, 'merchantId', merchant_id, 'source', source, 'externalId', external_id,
  'name', json(name), 'description', json(description), 'categoryId', category_id, 'price', price, 'currency', currency,
  'attributes', json(attributes), 'stock', stock, 'tags', json(tags), 'imageUrl', image_url, 'url', url, 'status', status,
  'createdAt', created_at, 'updatedAt', updated_at)`;

export interface OrderRow {
  id: string;
  merchant_id: string;
  source: CommercePlatform | null;
  external_id: string | null;
  number: string;
  customer_id: string | null;
  conversation_id: string | null;
  items: string;
  subtotal: number | null;
  delivery_fee: number;
  cod_fee: number;
  total: number;
  currency: string;
  status: Order["status"];
  payment_method: string | null;
  contact: string;
  shipping_address: string | null;
  created_at: string;
  updated_at: string;
}
/** An order's contact as the API gives it: its email and phone opened. */
function openContact(stored: Order["contact"], pii: PiiVault): Order["contact"] {
  const { email, phone, ...rest } = stored;
  return { ...rest, ...(email !== undefined ? { email: pii.open(email) } : {}), ...(phone !== undefined ? { phone: pii.open(phone) } : {}) };
}
export const toOrder = (r: OrderRow, pii: PiiVault): Order => ({
  id: r.id,
  merchantId: r.merchant_id,
  source: r.source ?? null,
  externalId: r.external_id ?? null,
  number: r.number,
  customerId: r.customer_id,
  conversationId: r.conversation_id,
  items: fromJson<OrderItem[]>(r.items),
  subtotal: r.subtotal ?? r.total,
  deliveryFee: r.delivery_fee,
  codFee: r.cod_fee,
  total: r.total,
  currency: r.currency,
  status: r.status,
  paymentMethod: r.payment_method,
  contact: openContact(fromJson<Order["contact"]>(r.contact), pii),
  shippingAddress: r.shipping_address,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface IdempotencyRow {
  merchant_id: string;
  key: string;
  request_hash: string;
  state: "in_flight" | "completed";
  response: string | null;
  locked_until: number;
  expires_at: number;
  created_at: string;
}

export interface CustomerRow {
  id: string;
  merchant_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  channel: ConversationChannel;
  external_id: string | null;
  created_at: string;
  updated_at: string;
}
export const toCustomer = (r: CustomerRow, pii: PiiVault): Customer => ({
  id: r.id,
  merchantId: r.merchant_id,
  name: r.name,
  email: pii.openOrNull(r.email),
  phone: pii.openOrNull(r.phone),
  channel: r.channel,
  externalId: r.external_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ConversationRow {
  id: string;
  merchant_id: string;
  channel: ConversationChannel;
  channel_id: string | null;
  customer_id: string | null;
  visitor_id: string | null;
  status: ConversationStatus;
  assignee_id: string | null;
  locale: Locale | null;
  labels: string;
  last_seq: number;
  last_message_at: string | null;
  last_message_preview: string | null;
  preview_seq: number | null;
  activity_at: string;
  unread_count: number;
  shopper_read_seq: number;
  bot_state: string;
  page_url: string | null;
  created_at: string;
  updated_at: string;
}
export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  merchantId: r.merchant_id,
  channel: r.channel,
  channelId: r.channel_id,
  customerId: r.customer_id,
  visitorId: r.visitor_id,
  status: r.status,
  assigneeId: r.assignee_id,
  locale: r.locale,
  labels: fromJson<string[]>(r.labels),
  lastSeq: r.last_seq,
  lastMessageAt: r.last_message_at,
  lastMessagePreview: r.last_message_preview,
  unreadCount: r.unread_count,
  shopperReadSeq: r.shopper_read_seq,
  pageUrl: r.page_url ?? null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * A conversation row (alias `c`) with its customer's name (alias `cu`, LEFT JOINed) as the inbox's
 * summary JSON: toConversation's keys in its order, then customerName (see conversationSummaries).
 * Only the customer's name is read: their sealed contact details are never selected.
 */
export const CONVERSATION_SUMMARY_JSON = `json_object('id', c.id, 'merchantId', c.merchant_id, 'channel', c.channel,
  'channelId', c.channel_id, 'customerId', c.customer_id, 'visitorId', c.visitor_id, 'status', c.status,
  'assigneeId', c.assignee_id, 'locale', c.locale, 'labels', json(c.labels), 'lastSeq', c.last_seq,
  'lastMessageAt', c.last_message_at, 'lastMessagePreview', c.last_message_preview, 'unreadCount', c.unread_count,
  'shopperReadSeq', c.shopper_read_seq, 'pageUrl', c.page_url, 'createdAt', c.created_at, 'updatedAt', c.updated_at,
  'customerName', cu.name)`;

export interface MessageRow {
  id: string;
  merchant_id: string;
  conversation_id: string;
  seq: number;
  role: MessageRole;
  text: string;
  parts: string;
  status: MessageStatus;
  author_id: string | null;
  author_name: string | null;
  client_message_id: string | null;
  intent: string | null;
  delivery: string | null;
  created_at: string;
}
export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  role: r.role,
  text: r.text,
  parts: fromJson<MessagePart[]>(r.parts),
  status: r.status,
  authorId: r.author_id,
  authorName: r.author_name,
  clientMessageId: r.client_message_id,
  intent: r.intent,
  // Only messages sent to a channel carry a delivery.
  ...(r.delivery ? { channelDelivery: fromJson<ChannelDelivery>(r.delivery) } : {}),
  createdAt: r.created_at,
});

export interface KnowledgeRow {
  id: string;
  merchant_id: string;
  title: string;
  data: string;
  created_at: string;
  updated_at: string;
}
export const toKnowledgeItem = (r: KnowledgeRow): KnowledgeItem => ({
  id: r.id,
  merchantId: r.merchant_id,
  title: r.title,
  data: fromJson<KnowledgeData>(r.data),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ChannelRow {
  id: string;
  merchant_id: string;
  type: ChannelType;
  name: string;
  public_config: string;
  secrets_ciphertext: string;
  status: Channel["status"];
  last_event_at: string | null;
  last_error: string | null;
  failure_streak: number;
  breaker_open_until: string | null;
  created_at: string;
  updated_at: string;
}
export const toChannel = (r: ChannelRow): Channel => ({
  id: r.id,
  merchantId: r.merchant_id,
  type: r.type,
  name: r.name,
  publicConfig: fromJson<Record<string, string>>(r.public_config),
  status: r.status,
  lastEventAt: r.last_event_at,
  lastError: r.last_error,
  failureStreak: r.failure_streak,
  breakerOpenUntil: r.breaker_open_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface WebhookEventRow {
  id: string;
  merchant_id: string;
  source: string;
  dedupe_key: string;
  payload: string;
  status: WebhookEventRecord["status"];
  error: string | null;
  received_at: string;
  processed_at: string | null;
}
export const toWebhookEvent = (r: WebhookEventRow): WebhookEventRecord => ({
  id: r.id,
  merchantId: r.merchant_id,
  source: r.source,
  dedupeKey: r.dedupe_key,
  payload: fromJson<unknown>(r.payload),
  status: r.status,
  error: r.error,
  receivedAt: r.received_at,
  processedAt: r.processed_at,
});

export interface OutboxRow {
  id: string;
  merchant_id: string;
  topic: string;
  payload: string;
  attempts: number;
  created_at: string;
  published_at: string | null;
  claimed_until: string | null;
  claimed_by: string | null;
  available_at: string | null;
  last_error: string | null;
}
export const toOutboxEvent = (r: OutboxRow): OutboxEventRecord => ({
  id: r.id,
  merchantId: r.merchant_id,
  topic: r.topic,
  payload: fromJson<unknown>(r.payload),
  attempts: r.attempts,
  createdAt: r.created_at,
  publishedAt: r.published_at,
  claimedUntil: r.claimed_until,
  lastError: r.last_error,
});

export interface DeliveryAttemptRow {
  merchant_id: string;
  key: string;
  message_id: string;
  state: DeliveryAttempt["state"];
  provider_message_ids: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  in_flight: number | null;
}
export const toDeliveryAttempt = (r: DeliveryAttemptRow): DeliveryAttempt => ({
  key: r.key,
  messageId: r.message_id,
  state: r.state,
  providerMessageIds: fromJson<string[]>(r.provider_message_ids),
  error: r.error,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  inFlight: r.in_flight,
});

export interface AuditRow {
  id: string;
  merchant_id: string;
  actor_id: string | null;
  action: string;
  target: string | null;
  data: string;
  ip: string | null;
  created_at: string;
}
export const toAuditLog = (r: AuditRow): AuditLog => ({
  id: r.id,
  merchantId: r.merchant_id,
  actorId: r.actor_id,
  action: r.action,
  target: r.target,
  data: fromJson<Record<string, unknown>>(r.data),
  ip: r.ip,
  createdAt: r.created_at,
});
