// Typed calls to the REST API (/api/v1; see /api/v1/openapi.json). dashboard/README.md lists every
// endpoint the dashboard uses.
import type {
  AuditLog,
  BotSettings,
  Category,
  Channel,
  ChannelType,
  Conversation,
  ConversationStatus,
  Customer,
  KnowledgeData,
  KnowledgeItem,
  Merchant,
  Message,
  Order,
  Page,
  Product,
  User,
  WidgetSettings,
} from "@kaleem/shared/contracts";
import { api, ApiError } from "./client";
import { toPair } from "./session";

export type PublicWidgetSettings = Omit<WidgetSettings, "identitySecret">;
export type PublicMerchant = Omit<Merchant, "widget"> & { widget: PublicWidgetSettings };

interface SessionBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

// ---- auth -----------------------------------------------------------------------------------

/** One of the stores a password opens, when it opens several (login answers 409 store_choice_required). */
export interface StoreChoice {
  merchantId: string;
  name: string;
}
export function storeChoices(err: unknown): StoreChoice[] | null {
  if (!(err instanceof ApiError) || err.code !== "store_choice_required") return null;
  const stores = (err.details as { stores?: StoreChoice[] } | undefined)?.stores;
  return Array.isArray(stores) ? stores : null;
}

export async function signIn(email: string, password: string, merchantId?: string): Promise<void> {
  const res = await api.request<SessionBody & { user: User }>("POST", "/auth/login", {
    body: { email, password, ...(merchantId ? { merchantId } : {}) },
    anonymous: true,
  });
  api.session.set(toPair(res));
}

/** Asks for a confirmation link; the store is created when it is opened (the answer is the same for every address). */
export async function signUp(storeName: string, email: string, password: string): Promise<{ email: string }> {
  return api.request<{ email: string }>("POST", "/auth/signup", { body: { storeName, email, password }, anonymous: true });
}

/** Opens the emailed signup link: creates the store and signs in. */
export async function confirmSignup(token: string): Promise<void> {
  const res = await api.request<SessionBody & { user: User }>("POST", "/auth/signup/confirm", { body: { token }, anonymous: true });
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

export const getMe = () => api.get<{ user: User; merchant: PublicMerchant }>("/me");

// ---- team -----------------------------------------------------------------------------------

/** Agents get `{id, name, role}` per member; owners and admins the full record. */
export type TeamMember = Pick<User, "id" | "name" | "role"> & Partial<User>;
export const listTeam = () => api.get<Page<TeamMember>>("/team", { limit: 100 });
export const listTeamFull = () => api.get<Page<User>>("/team", { limit: 100 });
export const inviteMember = (input: { email: string; name: string; role: "admin" | "agent"; password?: string }) =>
  api.post<{ user: User; password?: string }>("/team", input);
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
export const deleteProduct = (id: string) => api.delete(`/products/${encodeURIComponent(id)}`);

export interface ImportRowError {
  index: number;
  externalId: string | null;
  message: string;
}
/** `POST /products/import` answer: counts plus the rows that were rejected, by index. */
export interface ImportResult {
  created: number;
  updated: number;
  failed: number;
  errors: ImportRowError[];
}
export const importProducts = (products: unknown[]) => api.post<ImportResult>("/products/import", { products });

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
  api.get<Page<Conversation & { customerName?: string | null }>>("/conversations", { ...query, limit: query.limit ?? 50 }, signal);
export const getConversation = (id: string) => api.get<Conversation & { customerName?: string | null }>(`/conversations/${encodeURIComponent(id)}`);
export const listMessages = (conversationId: string, cursor?: string | null) =>
  api.get<Page<Message>>(`/conversations/${encodeURIComponent(conversationId)}/messages`, { cursor, limit: 100 });
/** Labels: `PATCH /conversations/:id {labels}` → the updated conversation. */
export const setLabels = (conversationId: string, labels: string[]) =>
  api.patch<Conversation>(`/conversations/${encodeURIComponent(conversationId)}`, { labels });
export const getCustomer = (id: string) => api.get<Customer>(`/customers/${encodeURIComponent(id)}`);
export const listOrders = (filter: { customerId?: string; conversationId?: string }) =>
  api.get<Page<Order>>("/orders", { ...filter, limit: 20 });

// ---- canned replies -------------------------------------------------------------------------

export interface CannedReply {
  id: string;
  shortcut: string;
  text: string;
}
export const listCannedReplies = () => api.get<Page<CannedReply>>("/canned-replies", { limit: 100 });
export const createCannedReply = (input: { shortcut: string; text: string }) => api.post<CannedReply>("/canned-replies", input);
export const updateCannedReply = (id: string, input: { shortcut?: string; text?: string }) =>
  api.patch<CannedReply>(`/canned-replies/${encodeURIComponent(id)}`, input);
export const deleteCannedReply = (id: string) => api.delete(`/canned-replies/${encodeURIComponent(id)}`);

// ---- channels and commerce ------------------------------------------------------------------

/** A channel as the API shows it: public config only, secrets never. */
export type ChannelView = Pick<Channel, "id" | "type" | "name" | "status" | "lastEventAt" | "lastError" | "createdAt" | "updatedAt"> & {
  webhookUrl: string;
  verifyToken?: string;
  config: Record<string, string>;
};
export const listChannels = () => api.get<Page<ChannelView>>("/channels");
export const createChannel = (input: { type: ChannelType; name: string; config: Record<string, string> }) =>
  api.post<ChannelView>("/channels", input);
/** A config patch: values replace, null clears an optional public field, omitted fields (and secrets) are kept. */
export type ConfigPatch = Record<string, string | null>;
export const updateChannel = (id: string, patch: { name?: string; config?: ConfigPatch; status?: "active" | "disabled" }) =>
  api.patch<ChannelView>(`/channels/${encodeURIComponent(id)}`, patch);
export const deleteChannel = (id: string) => api.delete(`/channels/${encodeURIComponent(id)}`);

export type CommercePlatform = "shopify" | "salla" | "zid";
export interface CommerceConnection {
  id: string;
  platform: CommercePlatform;
  webhookUrl: string;
  config: Record<string, string>;
  status: "active" | "error" | "disabled";
  lastEventAt: string | null;
  lastError: string | null;
  createdAt: string;
}
export const listCommerce = () => api.get<Page<CommerceConnection>>("/commerce-connections");
export const createCommerce = (input: { platform: CommercePlatform; config: Record<string, string> }) =>
  api.post<CommerceConnection>("/commerce-connections", input);
export const updateCommerce = (id: string, patch: { config?: ConfigPatch; status?: "active" | "disabled" }) =>
  api.patch<CommerceConnection>(`/commerce-connections/${encodeURIComponent(id)}`, patch);
export const deleteCommerce = (id: string) => api.delete(`/commerce-connections/${encodeURIComponent(id)}`);

// ---- settings -------------------------------------------------------------------------------

export const getWidgetSettings = () => api.get<PublicWidgetSettings>("/settings/widget");
export const updateWidgetSettings = (patch: Partial<Omit<PublicWidgetSettings, "key">>) =>
  api.patch<PublicWidgetSettings>("/settings/widget", patch);
export const rotateWidgetKey = () => api.post<Partial<PublicWidgetSettings> & { key?: string }>("/settings/widget/rotate-key");
/** The secret is returned by this call only; the server never shows it again. */
export const issueIdentitySecret = () => api.post<{ identitySecret: string }>("/settings/widget/identity-secret");

export const getBotSettings = () => api.get<BotSettings>("/settings/bot");
export type BotSettingsPatch = Partial<BotSettings>;
export const updateBotSettings = (patch: BotSettingsPatch) => api.patch<BotSettings>("/settings/bot", patch);

// ---- audit ----------------------------------------------------------------------------------

export const listAudit = (cursor?: string | null) => api.get<Page<AuditLog>>("/audit", { cursor, limit: 50 });

// ---- analytics ------------------------------------------------------------------------------

export interface AnalyticsSummary {
  conversationsPerDay: { date: string; count: number }[];
  firstResponse: { botSeconds: number | null; humanSeconds: number | null };
  resolutionSeconds: number | null;
  botCoverage: number;
  handoffRate: number;
  topIntents: { intent: string; count: number }[];
  unanswered: { text: string; conversationId: string; at: string }[];
  ordersFromConversations: { count: number; revenue: number; currency: string };
}
export const getAnalytics = (from: string, to: string) => api.get<AnalyticsSummary>("/analytics/summary", { from, to });
