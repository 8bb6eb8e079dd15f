// Domain records as every package sees them. Browser-safe: schemas and types only.
import { z } from "zod";
import { attachmentSettingsSchema } from "./attachments.js";

export const idSchema = z.string().min(1).max(64);

export const localizedTextSchema = z.object({
  en: z.string().max(5000).default(""),
  ar: z.string().max(5000).default(""),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const roleSchema = z.enum(["owner", "admin", "agent"]);
export type Role = z.infer<typeof roleSchema>;

export const localeSchema = z.enum(["en", "ar"]);
export type Locale = z.infer<typeof localeSchema>;

export const widgetSettingsSchema = z.object({
  key: z.string(),
  allowedOrigins: z.array(z.string()),
  /** Accept connections without an Origin header (mobile apps) even without a visitor token. */
  allowApps: z.boolean(),
  color: z.string(),
  greeting: localizedTextSchema,
  languages: z.array(localeSchema).min(1),
  /** HMAC secret for Kaleem.identify signatures; never sent to browsers. */
  identitySecret: z.string(),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** What the bot recognises in a shopper's message. */
export const BOT_INTENTS = [
  "product_search",
  "product_question",
  "shipping",
  "returns_refunds",
  "payment",
  "order_status",
  "order_change",
  "purchase",
  "human",
  "account",
  "invoice",
  "newsletter",
  "feedback",
  "greeting",
  "other",
] as const;
export const botIntentSchema = z.enum(BOT_INTENTS);
export type BotIntent = z.infer<typeof botIntentSchema>;
export const intentExampleSchema = z.object({ text: z.string().trim().min(1).max(300), intent: botIntentSchema });
export type IntentExampleInput = z.infer<typeof intentExampleSchema>;

export const botSettingsSchema = z.object({
  /** What the bot does when it is unsure of the intent. */
  lowConfidence: z.enum(["clarify", "handoff"]),
  handoffKeywords: z.array(z.string()),
  /** Orders at or above this value (SAR) are handed to a human before placing. */
  handoffOrderValue: z.number().nonnegative().nullable(),
  checkout: z.enum(["cod", "platform"]),
  platformCheckoutUrl: z.string().nullable(),
  /** Monthly LLM token budget; 0 disables the LLM for this merchant. */
  llmMonthlyTokenBudget: z.number().int().nonnegative(),
  /** The merchant's own phrasings of intents (e.g. their product slang), used on top of the built-in model. */
  intentExamples: z.array(intentExampleSchema).max(500),
  /**
   * While a handed-off shopper waits and no agent is online: "answer" factual questions from the
   * store's data, only "notice" when a person will reply, or stay "silent".
   */
  whileWaiting: z.enum(["answer", "notice", "silent"]),
  /** Digits in the bot's Arabic answers: Western (420) or Arabic-Indic (٤٢٠), never mixed. */
  arabicDigits: z.enum(["western", "arabic"]),
  /** Most units one bot order may hold (cash on delivery is unverified). */
  maxOrderQuantity: z.number().int().positive(),
  /** Highest items value (SAR) the bot takes as one order; above it a person takes over. */
  maxOrderValue: z.number().positive(),
  /** Unconfirmed cash-on-delivery orders one visitor or phone may have open at once. */
  maxOpenCodOrders: z.number().int().nonnegative(),
});
export type BotSettings = z.infer<typeof botSettingsSchema>;

export const merchantSchema = z.object({
  id: idSchema,
  name: z.string(),
  currency: z.string(),
  defaultLocale: localeSchema,
  widget: widgetSettingsSchema,
  bot: botSettingsSchema,
  attachments: attachmentSettingsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Merchant = z.infer<typeof merchantSchema>;

export const userSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const channelTypeSchema = z.enum(["telegram", "whatsapp", "messenger", "instagram"]);
export type ChannelType = z.infer<typeof channelTypeSchema>;
/** Where a conversation came from: a connected channel or the web widget / mobile SDK. */
export const conversationChannelSchema = z.enum(["webchat", "telegram", "whatsapp", "messenger", "instagram"]);
export type ConversationChannel = z.infer<typeof conversationChannelSchema>;

export const channelSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  type: channelTypeSchema,
  name: z.string(),
  /** Non-secret configuration (ids, base URLs). Secrets live encrypted beside it in the store. */
  publicConfig: z.record(z.string(), z.string()),
  status: z.enum(["active", "error", "disabled"]),
  lastEventAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Consecutive failed deliveries the provider answered with a server error. */
  failureStreak: z.number().int().nonnegative(),
  /** Deliveries pause until then (circuit breaker open after repeated provider 5xx). */
  breakerOpenUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof channelSchema>;

export const commercePlatformSchema = z.enum(["shopify", "salla", "zid"]);
export type CommercePlatform = z.infer<typeof commercePlatformSchema>;
/** Where an import or reconciliation of a connection stands (stored on the connection: its checkpoint). */
export const commerceSyncStateSchema = z.object({
  mode: z.enum(["import", "reconcile"]),
  state: z.enum(["running", "done", "failed"]),
  /** What is being walked now. */
  phase: z.enum(["products", "orders"]),
  /** The next page to fetch (the platform's cursor or page number); null: start of the phase. */
  cursor: z.string().nullable(),
  /** Reconciliation: changes since this instant (the previous run's start). */
  since: z.string().nullable(),
  products: z.number().int().nonnegative(),
  orders: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** When the last run that finished began: the next reconciliation asks for changes since then. */
  lastCompletedStartedAt: z.string().nullable(),
});
export type CommerceSyncState = z.infer<typeof commerceSyncStateSchema>;

/** A store platform feeding orders/products by webhook; at most one per platform per merchant. */
export const commerceConnectionSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  platform: commercePlatformSchema,
  /** Non-secret configuration (shop domain, store ids, base URLs). Secrets live encrypted beside it. */
  publicConfig: z.record(z.string(), z.string()),
  status: z.enum(["active", "error", "disabled"]),
  lastEventAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** The last or current import/reconciliation, with its checkpoint; null before the first. */
  sync: commerceSyncStateSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CommerceConnection = z.infer<typeof commerceConnectionSchema>;

/** Lower-case letters, digits, "_" and "-": what an agent types after "/" in the composer. */
export const CANNED_REPLY_SHORTCUT = /^[a-z0-9_-]{1,32}$/;
export const cannedReplySchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  shortcut: z.string(),
  text: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CannedReply = z.infer<typeof cannedReplySchema>;

export const categorySchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  slug: z.string(),
  name: localizedTextSchema,
  createdAt: z.string(),
});
export type Category = z.infer<typeof categorySchema>;

export const productStatusSchema = z.enum(["active", "draft", "archived"]);
export const productSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  /** The store platform the product is synced from; null for Kaleem's own catalog (dashboard, CSV imports). */
  source: commercePlatformSchema.nullable(),
  /** Unique per (source, externalId): a SKU in Kaleem's catalog, the platform's product id when synced. */
  externalId: z.string().nullable(),
  name: localizedTextSchema,
  description: localizedTextSchema,
  categoryId: z.string().nullable(),
  price: z.number().nonnegative(),
  currency: z.string(),
  attributes: z.record(z.string(), z.string()),
  stock: z.number().int(),
  tags: z.array(z.string()),
  imageUrl: z.string().nullable(),
  url: z.string().nullable(),
  status: productStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof productSchema>;

export const orderStatusSchema = z.enum(["pending", "confirmed", "shipped", "delivered", "cancelled"]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;
/**
 * Where an order may go from each status: confirm → ship → deliver, or cancel before it is
 * delivered (a cash-on-delivery parcel refused at the door is cancelled once shipped).
 */
export const ORDER_STATUS_NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered", "cancelled"],
  delivered: [],
  cancelled: [],
};
export const orderItemSchema = z.object({
  productId: z.string(),
  name: z.string(),
  price: z.number().nonnegative(),
  quantity: z.number().int().positive(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;
export const orderSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  /** The store platform the order is synced from; null for orders placed through Kaleem. */
  source: commercePlatformSchema.nullable(),
  /** The platform's order id (unique per source); null for Kaleem's own orders. */
  externalId: z.string().nullable(),
  /** Human-facing order number, unique per merchant and source (a synced order keeps the platform's number). */
  number: z.string(),
  customerId: z.string().nullable(),
  conversationId: z.string().nullable(),
  items: z.array(orderItemSchema),
  /** Items total (price × quantity). */
  subtotal: z.number().nonnegative(),
  /** Delivery for the shopper's city (0 when free: a free zone, or above its threshold). */
  deliveryFee: z.number().nonnegative(),
  /** The cash-on-delivery surcharge, when paid that way. */
  codFee: z.number().nonnegative(),
  /** What the shopper pays: subtotal + delivery + cash-on-delivery fee. */
  total: z.number().nonnegative(),
  currency: z.string(),
  status: orderStatusSchema,
  paymentMethod: z.string().nullable(),
  /** The phone is stored in E.164 ("+966551234567"). */
  contact: z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() }),
  shippingAddress: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof orderSchema>;

export const customerSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  channel: conversationChannelSchema,
  /** Visitor id (webchat) or the channel's user id. */
  externalId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

/**
 * What the store keeps of a widget visitor (the id in their visitor token): the customer they
 * identified as, the token generation in force (identify starts a new one, so earlier tokens stop
 * working) and whether the store blocked them.
 */
export const visitorSchema = z.object({
  visitorId: z.string(),
  merchantId: idSchema,
  customerId: z.string().nullable(),
  tokenGeneration: z.number().int().nonnegative(),
  blockedAt: z.string().nullable(),
  blockedBy: z.string().nullable(),
  blockReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Visitor = z.infer<typeof visitorSchema>;

export const conversationStatusSchema = z.enum(["bot", "waiting_human", "human", "closed"]);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;
export const conversationSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  channel: conversationChannelSchema,
  channelId: z.string().nullable(),
  customerId: z.string().nullable(),
  visitorId: z.string().nullable(),
  status: conversationStatusSchema,
  assigneeId: z.string().nullable(),
  locale: localeSchema.nullable(),
  labels: z.array(z.string()),
  lastSeq: z.number().int().nonnegative(),
  lastMessageAt: z.string().nullable(),
  lastMessagePreview: z.string().nullable(),
  /** Shopper messages an agent has not read yet. */
  unreadCount: z.number().int().nonnegative(),
  /** Highest seq the shopper has read. */
  shopperReadSeq: z.number().int().nonnegative(),
  /** The store page a webchat shopper last opened the chat on (agents see it beside the conversation). */
  pageUrl: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const messageRoleSchema = z.enum(["shopper", "bot", "agent", "system", "note"]);
export type MessageRole = z.infer<typeof messageRoleSchema>;
export const messageStatusSchema = z.enum(["streaming", "complete", "stopped"]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const productCardPartSchema = z.object({
  type: z.literal("product_card"),
  productId: z.string(),
  name: z.string(),
  price: z.number(),
  currency: z.string(),
  imageUrl: z.string().nullable(),
  url: z.string().nullable(),
  inStock: z.boolean(),
});
export const quickReplyPartSchema = z.object({
  type: z.literal("quick_replies"),
  replies: z.array(
    z.object({
      label: z.string(),
      payload: z.string(),
      /** What the shopper's bubble reads once tapped ("Added Midnight Crepe Abaya to the cart"); the label when absent. */
      echo: z.string().optional(),
    }),
  ),
});
export const handoffPartSchema = z.object({ type: z.literal("handoff"), reason: z.string() });
export const cartPartSchema = z.object({
  type: z.literal("cart"),
  items: z.array(orderItemSchema),
  total: z.number(),
  currency: z.string(),
});
export const orderPartSchema = z.object({
  type: z.literal("order"),
  orderId: z.string(),
  number: z.string(),
  status: orderStatusSchema,
  total: z.number(),
  currency: z.string(),
});
export const linkPartSchema = z.object({ type: z.literal("link"), url: z.string(), label: z.string() });
/**
 * A file kept in the merchant's object store (a photo or document a shopper, a channel customer
 * or an agent sent). The key is scoped to the merchant; clients ask for a short-lived link to read
 * it (REST for agents, `attachment:link` on the widget socket for shoppers).
 */
export const attachmentPartSchema = z.object({
  type: z.literal("attachment"),
  kind: z.enum(["image", "audio", "video", "document", "sticker"]),
  key: z.string().min(1).max(500),
  contentType: z.string().max(200),
  size: z.number().int().nonnegative(),
  name: z.string().max(500).nullable(),
  /** Images: pixel size, read from the file (absent on channel media stored before it was kept). */
  width: z.number().int().positive().nullable().optional(),
  height: z.number().int().positive().nullable().optional(),
});
export type AttachmentPart = z.infer<typeof attachmentPartSchema>;
export const messagePartSchema = z.discriminatedUnion("type", [
  productCardPartSchema,
  quickReplyPartSchema,
  handoffPartSchema,
  cartPartSchema,
  orderPartSchema,
  linkPartSchema,
  attachmentPartSchema,
]);
export type MessagePart = z.infer<typeof messagePartSchema>;
export type ProductCardPart = z.infer<typeof productCardPartSchema>;

/** Delivery state of a message Kaleem sent to a channel, as the inbox shows it. */
export const deliveryStateSchema = z.enum(["queued", "sent", "delivered", "read", "failed"]);
export type DeliveryState = z.infer<typeof deliveryStateSchema>;
/**
 * Why a delivery failed, for what the inbox does about it: window_closed (outside the customer-service
 * window: WhatsApp 24 h, Messenger/Instagram 24 h for the bot and 7 days for a person; the customer
 * must write first), auth (the channel's credentials), blocked (the customer cannot be messaged),
 * rejected (the provider refused this message), unavailable (the provider kept failing),
 * unconfirmed (the sender stopped mid-call: it may or may not have arrived).
 */
export const deliveryFailureSchema = z.enum(["window_closed", "auth", "blocked", "rejected", "unavailable", "unconfirmed"]);
export type DeliveryFailure = z.infer<typeof deliveryFailureSchema>;
export const channelDeliverySchema = z.object({
  channel: channelTypeSchema,
  state: deliveryStateSchema,
  providerMessageId: z.string().nullable(),
  /** The provider's reason when failed, or why it is held ("window closed — send a template"). */
  error: z.string().nullable(),
  /** When failed: the kind of failure (absent on records written before it was kept). */
  failure: deliveryFailureSchema.nullable().optional(),
  updatedAt: z.string(),
});
export type ChannelDelivery = z.infer<typeof channelDeliverySchema>;

export const messageSchema = z.object({
  id: idSchema,
  conversationId: idSchema,
  seq: z.number().int().positive(),
  role: messageRoleSchema,
  text: z.string(),
  parts: z.array(messagePartSchema),
  status: messageStatusSchema,
  /** Agent who wrote it (agent, note) or null. */
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  clientMessageId: z.string().nullable(),
  /** Shopper messages: the intent the bot detected. Bot answers: the intent served, or "fallback" for a don't-know. */
  intent: z.string().nullable(),
  /** Messages sent to a channel customer: where the delivery stands. Absent or null elsewhere. */
  channelDelivery: channelDeliverySchema.nullable().optional(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const knowledgeKindSchema = z.enum(["shipping", "returns", "payment", "faq", "contact"]);
export type KnowledgeKind = z.infer<typeof knowledgeKindSchema>;

export const shippingPolicySchema = z.object({
  zones: z
    .array(
      z.object({
        name: localizedTextSchema,
        /** City or region names (any language) this zone covers. */
        areas: z.array(z.string()).default([]),
        fee: z.number().nonnegative(),
        freeAbove: z.number().nonnegative().nullable().default(null),
        minDays: z.number().int().nonnegative(),
        maxDays: z.number().int().nonnegative(),
      }),
    )
    .min(1),
  notes: localizedTextSchema.optional(),
});
export const returnsPolicySchema = z.object({
  windowDays: z.number().int().nonnegative(),
  conditions: z.array(localizedTextSchema).default([]),
  refundMethod: localizedTextSchema.optional(),
  refundDays: z.number().int().nonnegative().nullable().default(null),
  cancellationFee: z.number().nonnegative().nullable().default(null),
  nonReturnable: z.array(localizedTextSchema).default([]),
});
export const paymentPolicySchema = z.object({
  methods: z
    .array(
      z.object({
        code: z.string(),
        name: localizedTextSchema,
        /** Extra fee for this method (e.g. cash on delivery), SAR. */
        fee: z.number().nonnegative().nullable().default(null),
      }),
    )
    .min(1),
  cashOnDelivery: z.boolean(),
  notes: localizedTextSchema.optional(),
});
export const faqSchema = z.object({ question: localizedTextSchema, answer: localizedTextSchema });
/** How shoppers reach the store; the bot answers "what's your number?" from here instead of handing off. */
export const contactDetailsSchema = z.object({
  phone: z.string().trim().max(40).default(""),
  whatsapp: z.string().trim().max(40).default(""),
  email: z.string().trim().max(200).default(""),
  address: localizedTextSchema.default({ en: "", ar: "" }),
  /** When the team answers ("Sat–Thu, 10 am to 10 pm"): told to shoppers who wait for a person. */
  hours: localizedTextSchema.default({ en: "", ar: "" }),
});

export const knowledgeDataSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("shipping"), policy: shippingPolicySchema }),
  z.object({ kind: z.literal("returns"), policy: returnsPolicySchema }),
  z.object({ kind: z.literal("payment"), policy: paymentPolicySchema }),
  z.object({ kind: z.literal("faq"), faq: faqSchema }),
  z.object({ kind: z.literal("contact"), contact: contactDetailsSchema }),
]);
export type KnowledgeData = z.infer<typeof knowledgeDataSchema>;
export type ShippingPolicy = z.infer<typeof shippingPolicySchema>;
export type ReturnsPolicy = z.infer<typeof returnsPolicySchema>;
export type PaymentPolicy = z.infer<typeof paymentPolicySchema>;
export type Faq = z.infer<typeof faqSchema>;
export type ContactDetails = z.infer<typeof contactDetailsSchema>;

export const knowledgeItemSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  title: z.string(),
  data: knowledgeDataSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KnowledgeItem = z.infer<typeof knowledgeItemSchema>;

export const auditLogSchema = z.object({
  id: idSchema,
  merchantId: idSchema,
  actorId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditLog = z.infer<typeof auditLogSchema>;

// The store's list methods return the REST page envelope; it is declared with the other views.
export type { Page } from "./api/envelopes.js";
