// Typed calls to the REST API (/api/v1; see /api/v1/openapi.json). dashboard/README.md lists every
// endpoint the dashboard uses. The answers' types are the views the routes declare and answer with
// (@kaleem/shared/contracts, shared/src/contracts/api/); none is written again here.
import { storeChoiceDetailsSchema } from "@kaleem/shared/contracts";
import type {
  AttachmentLink,
  AnalyticsSummary,
  AuditLog,
  BotSettings,
  CannedReplyView,
  Category,
  ChannelType,
  ChannelView,
  CommerceConnectionView,
  CommercePlatform,
  DeadLetterRetry,
  DeadLetterView,
  Conversation,
  ConversationChannel,
  ConversationStatus,
  ConversationSummary,
  Customer,
  IdentitySecretResponse,
  ImportReport,
  Items,
  KnowledgeData,
  KnowledgeItem,
  LoginResponse,
  MeResponse,
  Message,
  OrderDetail,
  OrderListItem,
  OrderStatus,
  Page,
  Product,
  ProductImageUpload,
  SignupAccepted,
  SignupResponse,
  StoreChoice,
  TeamInviteResponse,
  TeamMember,
  User,
  OutgoingEventType,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEndpointWithSecret,
  Visitor,
  WidgetKeyResponse,
  WidgetSettingsView,
} from "@kaleem/shared/contracts";
import { api, ApiError } from "./client";
import { toPair } from "./session";

// ---- auth -----------------------------------------------------------------------------------

/** One of the stores a password opens, when it opens several (login answers 409 store_choice_required). */
export function storeChoices(err: unknown): StoreChoice[] | null {
  if (!(err instanceof ApiError) || err.code !== "store_choice_required") return null;
  const parsed = storeChoiceDetailsSchema.safeParse(err.details);
  return parsed.success ? parsed.data.stores : null;
}

export async function signIn(email: string, password: string, merchantId?: string): Promise<void> {
  const res = await api.request<LoginResponse>("POST", "/auth/login", {
    body: { email, password, ...(merchantId ? { merchantId } : {}) },
    anonymous: true,
  });
  api.session.set(toPair(res));
}

/** Asks for a confirmation link; the store is created when it is opened (the answer is the same for every address). */
export async function signUp(storeName: string, email: string, password: string): Promise<SignupAccepted> {
  return api.request<SignupAccepted>("POST", "/auth/signup", { body: { storeName, email, password }, anonymous: true });
}

/** Opens the emailed signup link: creates the store and signs in. */
export async function confirmSignup(token: string): Promise<void> {
  const res = await api.request<SignupResponse>("POST", "/auth/signup/confirm", { body: { token }, anonymous: true });
  api.session.set(toPair(res));
}

export async function signOut(): Promise<void> {
  const pair = api.session.current;
  try {
    if (pair) await api.post<void>("/auth/logout", { refreshToken: pair.refreshToken });
  } finally {
    api.session.set(null);
  }
}

export const getMe = () => api.get<MeResponse>("/me");

// ---- team -----------------------------------------------------------------------------------

/** Agents get `{id, name, role}` per member; owners and admins the full record. */
export const listTeam = () => api.get<Page<TeamMember>>("/team", { limit: 100 });
/** For owners and admins only (the pages that call it are theirs): full records. */
export const listTeamFull = () => api.get<Page<User>>("/team", { limit: 100 });
export const inviteMember = (input: { email: string; name: string; role: "admin" | "agent"; password?: string }) =>
  api.post<TeamInviteResponse>("/team", input);
export const updateMember = (id: string, patch: { role?: "admin" | "agent"; name?: string }) => api.patch<User>(`/team/${encodeURIComponent(id)}`, patch);
export const removeMember = (id: string) => api.delete(`/team/${encodeURIComponent(id)}`);

// ---- catalog --------------------------------------------------------------------------------

export interface ProductQuery {
  q?: string;
  status?: Product["status"] | "";
  category?: string;
  minPrice?: string;
  maxPrice?: string;
  cursor?: string | null;
  limit?: number;
}
export const listProducts = (query: ProductQuery, signal?: AbortSignal) =>
  api.get<Page<Product>>("/products", { ...query, limit: query.limit ?? 20 }, signal);
export const listCategories = () => api.get<Page<Category>>("/categories", { limit: 100 });
export interface ProductInput {
  name: { en: string; ar: string };
  description: { en: string; ar: string };
  price: number;
  stock: number;
  status: Product["status"];
  tags: string[];
  imageUrl: string | null;
  category?: string | null;
}
export const updateProduct = (id: string, patch: Partial<ProductInput>) => api.patch<Product>(`/products/${encodeURIComponent(id)}`, patch);
export const createProduct = (input: ProductInput) => api.post<Product>("/products", input);
/** Stores an image (base64) in the store's object storage; answers the imageUrl to save on a product. */
export const uploadProductImage = (contentType: string, data: string) => api.post<ProductImageUpload>("/products/images", { contentType, data });
export const deleteProduct = (id: string) => api.delete(`/products/${encodeURIComponent(id)}`);

export const importProducts = (products: unknown[]) => api.post<ImportReport>("/products/import", { products });

// ---- knowledge ------------------------------------------------------------------------------

export const listKnowledge = () => api.get<Page<KnowledgeItem>>("/knowledge", { limit: 100 });
export const createKnowledge = (title: string, data: KnowledgeData) => api.post<KnowledgeItem>("/knowledge", { title, data });
export const updateKnowledge = (id: string, title: string, data: KnowledgeData) =>
  api.patch<KnowledgeItem>(`/knowledge/${encodeURIComponent(id)}`, { title, data });
export const deleteKnowledge = (id: string) => api.delete(`/knowledge/${encodeURIComponent(id)}`);

// ---- conversations, customers, orders -------------------------------------------------------

export interface ConversationQuery {
  status?: ConversationStatus;
  /** An agent id, or "me". */
  assignee?: string;
  /** Server-side search: the shopper's name, email, phone, the last message, the id prefix. */
  q?: string;
  cursor?: string | null;
  limit?: number;
}
export const listConversations = (query: ConversationQuery, signal?: AbortSignal) =>
  api.get<Page<ConversationSummary>>("/conversations", { ...query, limit: query.limit ?? 50 }, signal);
/** A 5-minute link to read one attachment of the conversation (ask again rather than keeping it). */
export const getAttachmentLink = (conversationId: string, key: string) =>
  api.get<AttachmentLink>(`/conversations/${encodeURIComponent(conversationId)}/attachments/link`, { key });
export const getConversation = (id: string) => api.get<Conversation>(`/conversations/${encodeURIComponent(id)}`);
export const listMessages = (conversationId: string, cursor?: string | null) =>
  api.get<Page<Message>>(`/conversations/${encodeURIComponent(conversationId)}/messages`, { cursor, limit: 100 });
/** Labels: `PATCH /conversations/:id {labels}` → the updated conversation. */
export const setLabels = (conversationId: string, labels: string[]) =>
  api.patch<Conversation>(`/conversations/${encodeURIComponent(conversationId)}`, { labels });
export const getCustomer = (id: string) => api.get<Customer>(`/customers/${encodeURIComponent(id)}`);
export const getVisitor = (visitorId: string) => api.get<Visitor>(`/visitors/${encodeURIComponent(visitorId)}`);
export const blockVisitor = (visitorId: string, reason?: string) =>
  api.put<Visitor>(`/visitors/${encodeURIComponent(visitorId)}/block`, reason ? { reason } : {});
export const unblockVisitor = (visitorId: string) => api.delete<Visitor>(`/visitors/${encodeURIComponent(visitorId)}/block`);
export interface OrderQuery {
  status?: OrderStatus | "";
  channel?: ConversationChannel | "";
  customerId?: string;
  conversationId?: string;
  /** UTC days (YYYY-MM-DD), `to` inclusive. */
  from?: string;
  to?: string;
  /** Order number, phone (any way it is typed), email or name. */
  q?: string;
  cursor?: string | null;
  limit?: number;
}
export const listOrders = (query: OrderQuery, signal?: AbortSignal) => api.get<Page<OrderListItem>>("/orders", { ...query, limit: query.limit ?? 20 }, signal);
export const getOrder = (id: string) => api.get<OrderDetail>(`/orders/${encodeURIComponent(id)}`);
export const setOrderStatus = (id: string, status: Exclude<OrderStatus, "pending">) =>
  api.post<OrderDetail>(`/orders/${encodeURIComponent(id)}/status`, { status });

// ---- canned replies -------------------------------------------------------------------------

/** The whole list (no paging: a store has at most a few hundred). */
export const listCannedReplies = () => api.get<Items<CannedReplyView>>("/canned-replies");
export const createCannedReply = (input: { shortcut: string; text: string }) => api.post<CannedReplyView>("/canned-replies", input);
export const updateCannedReply = (id: string, input: { shortcut?: string; text?: string }) =>
  api.patch<CannedReplyView>(`/canned-replies/${encodeURIComponent(id)}`, input);
export const deleteCannedReply = (id: string) => api.delete(`/canned-replies/${encodeURIComponent(id)}`);

// ---- channels and commerce ------------------------------------------------------------------

export const listChannels = () => api.get<Items<ChannelView>>("/channels");
/**
 * The server checks the credentials with the provider first (422: refused, with its reason; 502:
 * unreachable). The form's Idempotency-Key is kept across retries of the same values, so a double
 * submit never connects twice.
 */
export const createChannel = (input: { type: ChannelType; name: string; config: Record<string, string> }, idempotencyKey: string) =>
  api.post<ChannelView>("/channels", input, { headers: { "Idempotency-Key": idempotencyKey } });
/** A config patch: values replace, null clears an optional public field, omitted fields (and secrets) are kept. */
export type ConfigPatch = Record<string, string | null>;
export const updateChannel = (id: string, patch: { name?: string; config?: ConfigPatch; status?: "active" | "disabled" }) =>
  api.patch<ChannelView>(`/channels/${encodeURIComponent(id)}`, patch);
export const deleteChannel = (id: string) => api.delete(`/channels/${encodeURIComponent(id)}`);

export const listCommerce = () => api.get<Items<CommerceConnectionView>>("/commerce-connections");
export const createCommerce = (input: { platform: CommercePlatform; config: Record<string, string> }) =>
  api.post<CommerceConnectionView>("/commerce-connections", input);
export const updateCommerce = (id: string, patch: { config?: ConfigPatch; status?: "active" | "disabled" }) =>
  api.patch<CommerceConnectionView>(`/commerce-connections/${encodeURIComponent(id)}`, patch);
export const deleteCommerce = (id: string) => api.delete(`/commerce-connections/${encodeURIComponent(id)}`);
/** Queues an import (or a reconciliation); an unfinished run resumes from its checkpoint. Progress is the connection's `sync`. */
export const syncCommerce = (id: string, mode: "import" | "reconcile") =>
  api.post<CommerceConnectionView>(`/commerce-connections/${encodeURIComponent(id)}/sync`, { mode });

// ---- outgoing webhooks ----------------------------------------------------------------------

export const listWebhookEndpoints = () => api.get<Items<WebhookEndpointView>>("/webhook-endpoints");
/** The answer is the only one that carries the signing secret. */
export const createWebhookEndpoint = (input: { url: string; events: OutgoingEventType[]; description?: string }) =>
  api.post<WebhookEndpointWithSecret>("/webhook-endpoints", input);
export const updateWebhookEndpoint = (id: string, patch: { url?: string; events?: OutgoingEventType[]; description?: string; status?: "active" | "disabled" }) =>
  api.patch<WebhookEndpointView>(`/webhook-endpoints/${encodeURIComponent(id)}`, patch);
export const rotateWebhookSecret = (id: string) => api.post<WebhookEndpointWithSecret>(`/webhook-endpoints/${encodeURIComponent(id)}/rotate-secret`);
export const sendTestWebhook = (id: string) => api.post<{ eventId: string }>(`/webhook-endpoints/${encodeURIComponent(id)}/test`, {});
export const deleteWebhookEndpoint = (id: string) => api.delete(`/webhook-endpoints/${encodeURIComponent(id)}`);
export const listWebhookDeliveries = (cursor?: string | null) => api.get<Page<WebhookDeliveryView>>("/webhook-deliveries", { cursor, limit: 50 });

/** Failed deliveries (channel-deliver dead letters), each naming its conversation and channel. */
export const listFailedDeliveries = () => api.get<Items<DeadLetterView>>("/dead-letters", { job: "channel-deliver" });
export const retryDeadLetter = (letter: Pick<DeadLetterView, "job" | "id">) =>
  api.post<DeadLetterRetry>(`/dead-letters/${encodeURIComponent(letter.job)}/${encodeURIComponent(letter.id)}/retry`);

// ---- settings -------------------------------------------------------------------------------

export const getWidgetSettings = () => api.get<WidgetSettingsView>("/settings/widget");
export const updateWidgetSettings = (patch: Partial<Omit<WidgetSettingsView, "key">>) =>
  api.patch<WidgetSettingsView>("/settings/widget", patch);
export const rotateWidgetKey = () => api.post<WidgetKeyResponse>("/settings/widget/rotate-key");
/** The secret is returned by this call only; the server never shows it again. */
export const issueIdentitySecret = () => api.post<IdentitySecretResponse>("/settings/widget/identity-secret");

export const getBotSettings = () => api.get<BotSettings>("/settings/bot");
export type BotSettingsPatch = Partial<BotSettings>;
export const updateBotSettings = (patch: BotSettingsPatch) => api.patch<BotSettings>("/settings/bot", patch);

// ---- audit ----------------------------------------------------------------------------------

export const listAudit = (cursor?: string | null) => api.get<Page<AuditLog>>("/audit", { cursor, limit: 50 });

// ---- analytics ------------------------------------------------------------------------------

export const getAnalytics = (from: string, to: string) => api.get<AnalyticsSummary>("/analytics/summary", { from, to });
