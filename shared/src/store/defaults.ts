// Adapter-independent rules of the store: a new merchant's settings, order totals and numbers,
// previews. Every adapter (SQLite, Mongo) uses these so their records agree field for field.
import { defaultAttachmentSettings } from "../contracts/attachments.js";
import type { BotSettings, Merchant, MessageRole, OrderItem, WidgetSettings } from "../contracts/domain.js";
import { randomSecret } from "../ids.js";
import { normalizeArabic, toWesternDigits } from "../text/normalize.js";
import { ValidationError } from "../errors.js";
import { toE164 } from "../phone.js";
import type { MerchantPatch, NewMerchant } from "../ports/store.js";

export const DEFAULT_CURRENCY = "SAR";
export const DEFAULT_LOCALE = "en" as const;
export const DEFAULT_WIDGET_COLOR = "#0f766e";
export const DEFAULT_GREETING = {
  en: "Hi! How can we help you today?",
  ar: "أهلاً! كيف نقدر نساعدك اليوم؟",
} as const;
/** Order numbers start here so the first order does not look like a test record. */
export const FIRST_ORDER_NUMBER = 1001;
export const PREVIEW_LENGTH = 140;
/** Bot order limits a new store starts with (SAR, units, orders). */
export const DEFAULT_HANDOFF_ORDER_VALUE = 3000;
export const DEFAULT_MAX_ORDER_VALUE = 20000;
export const DEFAULT_MAX_ORDER_QUANTITY = 20;
export const DEFAULT_MAX_OPEN_COD_ORDERS = 2;
/** Default `limit` of MessageRepo.listAfter. */
export const DEFAULT_LIST_AFTER_LIMIT = 200;

export function newWidgetKey(): string {
  return `wk_${randomSecret(18)}`;
}

export function defaultWidgetSettings(): WidgetSettings {
  return {
    key: newWidgetKey(),
    allowedOrigins: [],
    allowApps: false,
    color: DEFAULT_WIDGET_COLOR,
    greeting: { ...DEFAULT_GREETING },
    languages: ["en", "ar"],
    identitySecret: randomSecret(32),
  };
}

export function defaultBotSettings(): BotSettings {
  return {
    lowConfidence: "clarify",
    handoffKeywords: [],
    // A large order is confirmed by a person unless the merchant says otherwise.
    handoffOrderValue: DEFAULT_HANDOFF_ORDER_VALUE,
    checkout: "cod",
    platformCheckoutUrl: null,
    llmMonthlyTokenBudget: 0,
    intentExamples: [],
    whileWaiting: "answer",
    arabicDigits: "western",
    maxOrderQuantity: DEFAULT_MAX_ORDER_QUANTITY,
    maxOrderValue: DEFAULT_MAX_ORDER_VALUE,
    maxOpenCodOrders: DEFAULT_MAX_OPEN_COD_ORDERS,
  };
}

/** The merchant record createMerchant stores: defaults overlaid with the caller's choices. */
export function buildMerchant(id: string, input: NewMerchant, now: string): Merchant {
  const widget = { ...defaultWidgetSettings(), ...stripUndefined(input.widget ?? {}) };
  return {
    id,
    name: input.name,
    currency: input.currency ?? DEFAULT_CURRENCY,
    defaultLocale: input.defaultLocale ?? DEFAULT_LOCALE,
    widget: { ...widget, greeting: { ...DEFAULT_GREETING, ...stripUndefined(input.widget?.greeting ?? {}) } },
    bot: { ...defaultBotSettings(), ...stripUndefined(input.bot ?? {}) },
    attachments: { ...defaultAttachmentSettings(), ...stripUndefined(input.attachments ?? {}) },
    createdAt: now,
    updatedAt: now,
  };
}

/** Nested settings merge field by field so a patch of one widget option keeps the others. */
export function applyMerchantPatch(current: Merchant, patch: MerchantPatch, now: string): Merchant {
  return {
    ...current,
    name: patch.name ?? current.name,
    defaultLocale: patch.defaultLocale ?? current.defaultLocale,
    widget: { ...current.widget, ...stripUndefined(patch.widget ?? {}) },
    bot: { ...current.bot, ...stripUndefined(patch.bot ?? {}) },
    attachments: { ...current.attachments, ...stripUndefined(patch.attachments ?? {}) },
    updatedAt: now,
  };
}

/** Emails are compared and stored lower-cased (unique across the installation). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Money is SAR with 2 decimals; rounding here keeps float sums like 0.1 + 0.2 out of records. */
export function roundMoney(amount: number): number {
  return Math.round((amount + Number.EPSILON) * 100) / 100;
}

export function orderTotal(items: readonly OrderItem[]): number {
  return roundMoney(items.reduce((sum, item) => sum + item.price * item.quantity, 0));
}

/** The money fields of an order: items, fees, and what the shopper pays. */
export function orderAmounts(items: readonly OrderItem[], fees: { deliveryFee?: number; codFee?: number }): { subtotal: number; deliveryFee: number; codFee: number; total: number } {
  const subtotal = orderTotal(items);
  const deliveryFee = roundMoney(fees.deliveryFee ?? 0);
  const codFee = roundMoney(fees.codFee ?? 0);
  if (deliveryFee < 0 || codFee < 0) throw new ValidationError("Order fees cannot be negative");
  return { subtotal, deliveryFee, codFee, total: roundMoney(subtotal + deliveryFee + codFee) };
}

/** A phone as stored: E.164 when it reads as one, else trimmed as given (never lost). */
export function storedPhone(phone: string | null | undefined): string | null | undefined {
  if (phone === null || phone === undefined) return phone;
  const trimmed = phone.trim();
  return trimmed === "" ? null : (toE164(trimmed) ?? trimmed);
}

export function previewOf(text: string): string {
  return text.length > PREVIEW_LENGTH ? text.slice(0, PREVIEW_LENGTH) : text;
}

/** Notes are private to agents, so they never become the inbox preview or the last activity. */
export function roleUpdatesPreview(role: MessageRole): boolean {
  return role !== "note";
}

/** Shopper messages are the ones agents have to read. */
export function roleCountsAsUnread(role: MessageRole): boolean {
  return role === "shopper";
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Lower-cased text the product `q` filter matches against (names, descriptions, tags, external id). */
export function productSearchText(p: {
  name: { en: string; ar: string };
  description: { en: string; ar: string };
  tags: readonly string[];
  externalId: string | null;
}): string {
  return [p.name.en, p.name.ar, p.description.en, p.description.ar, ...p.tags, p.externalId ?? ""]
    .join("\n")
    .toLowerCase();
}

/** How long an in-flight idempotency claim blocks retries before it counts as abandoned (crash). */
export const IDEMPOTENCY_LEASE_MS = 120_000;

/**
 * Text as the inbox search compares it: lower-cased, with normalizeArabic's folding (diacritics,
 * tatweel, letter variants) and Western digits. Both the query and the searched fields go through
 * it. (normalizeText does more, e.g. punctuation to spaces, which would break email and phone
 * substrings.)
 */
export function foldSearchText(text: string): string {
  return normalizeArabic(toWesternDigits(text)).toLowerCase();
}

/** A LIKE pattern matching `text` literally (with `ESCAPE '\'`): % and _ in a search are not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
