// Document shapes as the MongoDB store keeps them, and their mapping to domain records. Fields
// the domain does not show (search copies, look-up hashes, openKey, bot state, secrets, TTL dates)
// stay here: each mapper picks the public fields by name, so nothing internal leaks onto a record.
// Customers' and order contacts' emails and phones are stored sealed (shared/src/pii.ts): the
// mappers open them, the field builders below seal them.
import type {
  AuditLog,
  BotSettings,
  CannedReply,
  Category,
  Channel,
  ChannelDelivery,
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
  Message,
  MessagePart,
  MessageRole,
  MessageStatus,
  Order,
  OrderItem,
  Product,
  Role,
  User,
  Visitor,
  WidgetSettings,
} from "../../contracts/domain.js";
import type { OutgoingEventType, WebhookDelivery, WebhookEndpoint } from "../../contracts/outgoing-webhooks.js";
import type { DeliveryAttempt, OutboxEventRecord, RefreshTokenRecord, WebhookEventRecord } from "../../ports/store.js";
import type { PiiVault } from "../../pii.js";
import { defaultAttachmentSettings, type AttachmentSettings } from "../../contracts/attachments.js";
import { defaultBotSettings, foldSearchText, productSearchText } from "../../store/defaults.js";
import { sealedContact } from "../../store/sealed-contact.js";

/** JSON text fields hold free-form records whose keys BSON could not take as field names. */
export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const fromJson = <T>(text: string | null | undefined, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

export interface MerchantDoc {
  _id: string;
  name: string;
  currency: string;
  defaultLocale: Locale;
  widgetKey: string;
  widget: WidgetSettings;
  bot: Partial<BotSettings>;
  /** Absent on documents written before attachment settings existed. */
  attachments?: Partial<AttachmentSettings>;
  /** Bytes of stored uploads (the quota counter); absent means none yet. */
  uploadBytes?: number;
  nextOrderNumber: number;
  createdAt: string;
  updatedAt: string;
}
export const toMerchant = (d: MerchantDoc): Merchant => ({
  id: d._id,
  name: d.name,
  currency: d.currency,
  defaultLocale: d.defaultLocale,
  widget: d.widget,
  // Defaults first: documents written before a setting existed still read as complete settings.
  bot: { ...defaultBotSettings(), ...d.bot },
  attachments: { ...defaultAttachmentSettings(), ...d.attachments },
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
export function merchantDoc(m: Merchant, nextOrderNumber: number): MerchantDoc {
  return {
    _id: m.id,
    name: m.name,
    currency: m.currency,
    defaultLocale: m.defaultLocale,
    widgetKey: m.widget.key,
    widget: m.widget,
    bot: m.bot,
    attachments: m.attachments,
    uploadBytes: 0,
    nextOrderNumber,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export interface UserDoc {
  _id: string;
  merchantId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}
export const toUser = (d: UserDoc): User => ({
  id: d._id,
  merchantId: d.merchantId,
  email: d.email,
  name: d.name,
  role: d.role,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface RefreshTokenDoc {
  _id: string;
  merchantId: string;
  userId: string;
  familyId: string;
  expiresAt: string;
  purgeAt: Date;
  usedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
export const toRefreshToken = (d: RefreshTokenDoc): RefreshTokenRecord => ({
  id: d._id,
  merchantId: d.merchantId,
  userId: d.userId,
  familyId: d.familyId,
  expiresAt: d.expiresAt,
  usedAt: d.usedAt ?? null,
  revokedAt: d.revokedAt ?? null,
  createdAt: d.createdAt,
});

export interface CategoryDoc {
  _id: string;
  merchantId: string;
  slug: string;
  name: LocalizedText;
  createdAt: string;
}
export const toCategory = (d: CategoryDoc): Category => ({
  id: d._id,
  merchantId: d.merchantId,
  slug: d.slug,
  name: d.name,
  createdAt: d.createdAt,
});

export interface ProductDoc {
  _id: string;
  merchantId: string;
  source: CommercePlatform | null;
  externalId: string | null;
  name: LocalizedText;
  description: LocalizedText;
  categoryId: string | null;
  price: number;
  currency: string;
  attributesJson: string;
  stock: number;
  tags: string[];
  imageUrl: string | null;
  url: string | null;
  status: Product["status"];
  searchText: string;
  createdAt: string;
  updatedAt: string;
}
export const toProduct = (d: ProductDoc): Product => ({
  id: d._id,
  merchantId: d.merchantId,
  source: d.source ?? null,
  externalId: d.externalId ?? null,
  name: d.name,
  description: d.description,
  categoryId: d.categoryId ?? null,
  price: d.price,
  currency: d.currency,
  attributes: fromJson<Record<string, string>>(d.attributesJson, {}),
  stock: d.stock,
  tags: [...(d.tags ?? [])],
  imageUrl: d.imageUrl ?? null,
  url: d.url ?? null,
  status: d.status,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
/** The stored fields of a product (search text derived here, so insert and update agree). */
export function productFields(p: Omit<Product, "id" | "merchantId" | "createdAt">): Omit<ProductDoc, "_id" | "merchantId" | "createdAt"> {
  return {
    source: p.source,
    externalId: p.externalId,
    name: p.name,
    description: p.description,
    categoryId: p.categoryId,
    price: p.price,
    currency: p.currency,
    attributesJson: toJson(p.attributes),
    stock: p.stock,
    tags: p.tags,
    imageUrl: p.imageUrl,
    url: p.url,
    status: p.status,
    searchText: productSearchText(p),
    updatedAt: p.updatedAt,
  };
}

export interface OrderDoc {
  _id: string;
  merchantId: string;
  source: CommercePlatform | null;
  externalId: string | null;
  number: string;
  customerId: string | null;
  conversationId: string | null;
  conversationChannel: ConversationChannel | null;
  items: OrderItem[];
  subtotal: number;
  deliveryFee: number;
  codFee: number;
  total: number;
  currency: string;
  status: Order["status"];
  paymentMethod: string | null;
  /** Email and phone inside are sealed. */
  contact: Order["contact"];
  contactEmailHash: string | null;
  contactPhoneHash: string | null;
  contactNameFolded: string | null;
  shippingAddress: string | null;
  createdAt: string;
  updatedAt: string;
}
/** A stored contact with its email and phone opened (a value stored before sealing reads as it is). */
function openContact(stored: Order["contact"] | undefined, pii: PiiVault): Order["contact"] {
  const { email, phone, ...rest } = stored ?? {};
  return { ...rest, ...(email !== undefined ? { email: pii.open(email) } : {}), ...(phone !== undefined ? { phone: pii.open(phone) } : {}) };
}
export const toOrder = (d: OrderDoc, pii: PiiVault): Order => ({
  id: d._id,
  merchantId: d.merchantId,
  source: d.source ?? null,
  externalId: d.externalId ?? null,
  number: d.number,
  customerId: d.customerId ?? null,
  conversationId: d.conversationId ?? null,
  items: d.items,
  subtotal: d.subtotal,
  deliveryFee: d.deliveryFee,
  codFee: d.codFee,
  total: d.total,
  currency: d.currency,
  status: d.status,
  paymentMethod: d.paymentMethod ?? null,
  contact: openContact(d.contact, pii),
  shippingAddress: d.shippingAddress ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
/**
 * An order's contact as stored: its phone in E.164, email and phone sealed, their keyed hashes
 * beside it, and the name's folded copy (names are searched by a part, emails and phones whole).
 */
export function orderContactFields(pii: PiiVault, contact: Order["contact"]): Pick<OrderDoc, "contact" | "contactEmailHash" | "contactPhoneHash" | "contactNameFolded"> {
  const { email, phone, ...rest } = contact;
  const sealed = sealedContact(pii, { email: email ?? null, phone: phone ?? null });
  return {
    contact: { ...rest, ...(sealed.email ? { email: sealed.email } : {}), ...(sealed.phone ? { phone: sealed.phone } : {}) },
    contactEmailHash: sealed.emailHash,
    contactPhoneHash: sealed.phoneHash,
    contactNameFolded: contact.name ? foldSearchText(contact.name) : null,
  };
}

export interface IdempotencyDoc {
  _id: string;
  merchantId: string;
  key: string;
  requestHash: string;
  state: "in_flight" | "completed";
  responseJson: string | null;
  lockedUntil: number;
  expiresAt: number;
  purgeAt: Date;
  createdAt: string;
}

export interface CustomerDoc {
  _id: string;
  merchantId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  channel: ConversationChannel;
  externalId: string | null;
  identityKey: string | null;
  emailHash: string | null;
  phoneHash: string | null;
  nameFolded: string | null;
  createdAt: string;
  updatedAt: string;
}
export const toCustomer = (d: CustomerDoc, pii: PiiVault): Customer => ({
  id: d._id,
  merchantId: d.merchantId,
  name: d.name ?? null,
  email: pii.openOrNull(d.email),
  phone: pii.openOrNull(d.phone),
  channel: d.channel,
  externalId: d.externalId ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
/** The sealed email and phone of a customer with their look-up hashes (phone in E.164). */
export function customerContactFields(pii: PiiVault, contact: { email?: string | null; phone?: string | null }): Pick<CustomerDoc, "email" | "emailHash" | "phone" | "phoneHash"> {
  return sealedContact(pii, contact);
}
/** The name's folded search copy. */
export const nameFolded = (name: string | null): string | null => (name === null ? null : foldSearchText(name));
/** The channel identity key: externalId when it names one person on a messaging channel (not webchat). */
export const identityKeyOf = (c: { channel: ConversationChannel; externalId: string | null }): string | null =>
  c.channel !== "webchat" && c.externalId !== null ? c.externalId : null;

/** Every stored field of a customer from its plain values: details sealed, hashes, search copy, identity key. */
export function customerFields(
  pii: PiiVault,
  c: { name: string | null; email: string | null; phone: string | null; channel: ConversationChannel; externalId: string | null },
): Omit<CustomerDoc, "_id" | "merchantId" | "createdAt" | "updatedAt"> {
  return {
    name: c.name,
    ...customerContactFields(pii, c),
    channel: c.channel,
    externalId: c.externalId,
    identityKey: identityKeyOf(c),
    nameFolded: nameFolded(c.name),
  };
}

export interface ConversationDoc {
  _id: string;
  merchantId: string;
  channel: ConversationChannel;
  channelId: string | null;
  customerId: string | null;
  visitorId: string | null;
  status: ConversationStatus;
  openKey: string | null;
  assigneeId: string | null;
  locale: Locale | null;
  labels: string[];
  lastSeq: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  previewFolded: string | null;
  previewSeq: number | null;
  activityAt: string;
  unreadCount: number;
  shopperReadSeq: number;
  botStateJson: string;
  pageUrl: string | null;
  createdAt: string;
  updatedAt: string;
}
export const toConversation = (d: ConversationDoc): Conversation => ({
  id: d._id,
  merchantId: d.merchantId,
  channel: d.channel,
  channelId: d.channelId ?? null,
  customerId: d.customerId ?? null,
  visitorId: d.visitorId ?? null,
  status: d.status,
  assigneeId: d.assigneeId ?? null,
  locale: d.locale ?? null,
  labels: [...(d.labels ?? [])],
  lastSeq: d.lastSeq,
  lastMessageAt: d.lastMessageAt ?? null,
  lastMessagePreview: d.lastMessagePreview ?? null,
  unreadCount: d.unreadCount,
  shopperReadSeq: d.shopperReadSeq,
  pageUrl: d.pageUrl ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
/**
 * The key of "the one open conversation" a find-or-create looks for: the visitor's (webchat), or
 * the channel customer's; none once closed. The unique partial index on it makes two concurrent
 * creates collide instead of both succeeding.
 */
export function openKeyOf(c: { status: ConversationStatus; visitorId: string | null; customerId: string | null; channel: ConversationChannel }): string | null {
  if (c.status === "closed") return null;
  if (c.visitorId !== null) return `v:${c.visitorId}`;
  if (c.customerId !== null) return `c:${c.channel}:${c.customerId}`;
  return null;
}

export interface MessageDoc {
  _id: string;
  merchantId: string;
  conversationId: string;
  seq: number;
  role: MessageRole;
  text: string;
  parts: MessagePart[];
  status: MessageStatus;
  authorId: string | null;
  authorName: string | null;
  clientMessageId: string | null;
  intent: string | null;
  channelDelivery: ChannelDelivery | null;
  createdAt: string;
}
export const toMessage = (d: MessageDoc): Message => ({
  id: d._id,
  conversationId: d.conversationId,
  seq: d.seq,
  role: d.role,
  text: d.text,
  parts: d.parts ?? [],
  status: d.status,
  authorId: d.authorId ?? null,
  authorName: d.authorName ?? null,
  clientMessageId: d.clientMessageId ?? null,
  intent: d.intent ?? null,
  // Only messages sent to a channel carry a delivery (as in the SQLite adapter).
  ...(d.channelDelivery ? { channelDelivery: d.channelDelivery } : {}),
  createdAt: d.createdAt,
});

export interface KnowledgeDoc {
  _id: string;
  merchantId: string;
  title: string;
  data: KnowledgeData;
  createdAt: string;
  updatedAt: string;
}
export const toKnowledgeItem = (d: KnowledgeDoc): KnowledgeItem => ({
  id: d._id,
  merchantId: d.merchantId,
  title: d.title,
  data: d.data,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface ChannelDoc {
  _id: string;
  merchantId: string;
  type: ChannelType;
  name: string;
  publicConfigJson: string;
  secretsCiphertext: string;
  status: Channel["status"];
  lastEventAt: string | null;
  lastError: string | null;
  failureStreak: number;
  breakerOpenUntil: string | null;
  createdAt: string;
  updatedAt: string;
}
export const toChannel = (d: ChannelDoc): Channel => ({
  id: d._id,
  merchantId: d.merchantId,
  type: d.type,
  name: d.name,
  publicConfig: fromJson<Record<string, string>>(d.publicConfigJson, {}),
  status: d.status,
  lastEventAt: d.lastEventAt ?? null,
  lastError: d.lastError ?? null,
  failureStreak: d.failureStreak ?? 0,
  breakerOpenUntil: d.breakerOpenUntil ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface CommerceConnectionDoc {
  _id: string;
  merchantId: string;
  platform: CommercePlatform;
  publicConfigJson: string;
  secretsCiphertext: string;
  status: CommerceConnection["status"];
  lastEventAt: string | null;
  lastError: string | null;
  syncJson: string | null;
  createdAt: string;
  updatedAt: string;
}
export const toCommerceConnection = (d: CommerceConnectionDoc): CommerceConnection => ({
  id: d._id,
  merchantId: d.merchantId,
  platform: d.platform,
  publicConfig: fromJson<Record<string, string>>(d.publicConfigJson, {}),
  status: d.status,
  lastEventAt: d.lastEventAt ?? null,
  lastError: d.lastError ?? null,
  sync: fromJson<CommerceSyncState | null>(d.syncJson, null),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface CannedReplyDoc {
  _id: string;
  merchantId: string;
  shortcut: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}
export const toCannedReply = (d: CannedReplyDoc): CannedReply => ({
  id: d._id,
  merchantId: d.merchantId,
  shortcut: d.shortcut,
  text: d.text,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface WebhookEndpointDoc {
  _id: string;
  merchantId: string;
  url: string;
  description: string;
  events: OutgoingEventType[];
  status: WebhookEndpoint["status"];
  secretCiphertext: string;
  createdAt: string;
  updatedAt: string;
}
export const toWebhookEndpoint = (d: WebhookEndpointDoc): WebhookEndpoint => ({
  id: d._id,
  merchantId: d.merchantId,
  url: d.url,
  description: d.description,
  events: [...d.events],
  status: d.status,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface WebhookDeliveryDoc {
  _id: string;
  merchantId: string;
  endpointId: string;
  eventId: string;
  eventType: OutgoingEventType;
  body: string;
  status: WebhookDelivery["status"];
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  test: boolean;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}
export const toWebhookDelivery = (d: WebhookDeliveryDoc): WebhookDelivery => ({
  id: d._id,
  merchantId: d.merchantId,
  endpointId: d.endpointId,
  eventId: d.eventId,
  eventType: d.eventType,
  body: d.body,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus ?? null,
  lastError: d.lastError ?? null,
  test: d.test === true,
  createdAt: d.createdAt,
  lastAttemptAt: d.lastAttemptAt ?? null,
  deliveredAt: d.deliveredAt ?? null,
});

export interface WebhookEventDoc {
  _id: string;
  merchantId: string;
  source: string;
  dedupeKey: string;
  payloadJson: string;
  status: WebhookEventRecord["status"];
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
}
export const toWebhookEvent = (d: WebhookEventDoc): WebhookEventRecord => ({
  id: d._id,
  merchantId: d.merchantId,
  source: d.source,
  dedupeKey: d.dedupeKey,
  payload: fromJson<unknown>(d.payloadJson, null),
  status: d.status,
  error: d.error ?? null,
  receivedAt: d.receivedAt,
  processedAt: d.processedAt ?? null,
});

export interface OutboxDoc {
  _id: string;
  merchantId: string;
  topic: string;
  payloadJson: string;
  attempts: number;
  createdAt: string;
  publishedAt: string | null;
  claimedUntil: string | null;
  claimedBy: string | null;
  availableAt: string;
  lastError: string | null;
}
export const toOutboxEvent = (d: OutboxDoc): OutboxEventRecord => ({
  id: d._id,
  merchantId: d.merchantId,
  topic: d.topic,
  payload: fromJson<unknown>(d.payloadJson, null),
  attempts: d.attempts,
  createdAt: d.createdAt,
  publishedAt: d.publishedAt ?? null,
  claimedUntil: d.claimedUntil ?? null,
  lastError: d.lastError ?? null,
});

export interface DeliveryAttemptDoc {
  _id: string;
  merchantId: string;
  key: string;
  messageId: string;
  state: DeliveryAttempt["state"];
  providerMessageIds: string[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  inFlight: number | null;
}
export const toDeliveryAttempt = (d: DeliveryAttemptDoc): DeliveryAttempt => ({
  key: d.key,
  messageId: d.messageId,
  state: d.state,
  providerMessageIds: [...(d.providerMessageIds ?? [])],
  error: d.error ?? null,
  startedAt: d.startedAt,
  finishedAt: d.finishedAt ?? null,
  inFlight: d.inFlight ?? null,
});

export interface VisitorDoc {
  _id: string;
  merchantId: string;
  visitorId: string;
  customerId: string | null;
  tokenGeneration: number;
  blockedAt: string | null;
  blockedBy: string | null;
  blockReason: string | null;
  createdAt: string;
  updatedAt: string;
}
export const toVisitor = (d: VisitorDoc): Visitor => ({
  visitorId: d.visitorId,
  merchantId: d.merchantId,
  customerId: d.customerId ?? null,
  tokenGeneration: d.tokenGeneration,
  blockedAt: d.blockedAt ?? null,
  blockedBy: d.blockedBy ?? null,
  blockReason: d.blockReason ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export interface AuditDoc {
  _id: string;
  merchantId: string;
  actorId: string | null;
  action: string;
  target: string | null;
  dataJson: string;
  ip: string | null;
  createdAt: string;
}
export const toAuditLog = (d: AuditDoc): AuditLog => ({
  id: d._id,
  merchantId: d.merchantId,
  actorId: d.actorId ?? null,
  action: d.action,
  target: d.target ?? null,
  data: fromJson<Record<string, unknown>>(d.dataJson, {}),
  ip: d.ip ?? null,
  createdAt: d.createdAt,
});
