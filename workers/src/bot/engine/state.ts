// The bot's private per-conversation state, stored through ConversationRepo.getBotState. Parsed
// leniently: a field that does not validate falls back to its default instead of breaking the
// conversation.
import { z } from "zod";
import type { TenantStore } from "@kaleem/shared";

const langSchema = z.enum(["en", "ar"]);
export type Lang = z.infer<typeof langSchema>;

const cartLineSchema = z.object({ productId: z.string(), quantity: z.number().int().positive() });
export type CartLine = z.infer<typeof cartLineSchema>;

const checkoutSchema = z.object({
  step: z.enum(["name", "phone", "address", "city", "confirm"]),
  name: z.string().optional(),
  /** E.164. */
  phone: z.string().optional(),
  address: z.string().optional(),
  /** The delivery city, when the address alone did not say it. */
  city: z.string().optional(),
});
export type CheckoutState = z.infer<typeof checkoutSchema>;

export const TOPICS = ["products", "product", "shipping", "returns_refunds", "payment", "order_status", "faq", "contact"] as const;
const topicSchema = z.enum(TOPICS);
export type Topic = z.infer<typeof topicSchema>;

export const botStateSchema = z.object({
  lang: langSchema.nullable().catch(null).default(null),
  /** Products shown in the last answer with cards, best first ("the black one" resolves here). */
  lastShown: z.array(z.string()).catch([]).default([]),
  /** The last product search, so a follow-up that only adds constraints can narrow it. */
  lastQuery: z.string().max(500).nullable().catch(null).default(null),
  /** The one product the last answer was about ("add it", "yes"). */
  focus: z.string().nullable().catch(null).default(null),
  /** What the last answer was about, so a short follow-up ("and Hail?", "وتابي؟") keeps to it. */
  topic: topicSchema.nullable().catch(null).default(null),
  /** The delivery place last answered (its English name), for "is it free if I spend 500?". */
  place: z.string().max(80).nullable().catch(null).default(null),
  /** An order amount the shopper gave in a delivery question, kept for "and for Dammam?". */
  amount: z.number().nonnegative().nullable().catch(null).default(null),
  cart: z.array(cartLineSchema).catch([]).default([]),
  checkout: checkoutSchema.nullable().catch(null).default(null),
  /** A yes/no question the last answer asked ("want me to add one?"), so "yes" can act on it. */
  offer: z.enum(["add"]).nullable().catch(null).default(null),
  /** Consecutive messages the classifier was unsure about. */
  lowConfidenceStreak: z.number().int().nonnegative().catch(0).default(0),
  /** True after asking for an order number, until one arrives. */
  awaitingOrderNumber: z.boolean().catch(false).default(false),
  /** Order number waiting for the shopper to prove the phone or email on it. */
  verifying: z.string().nullable().catch(null).default(null),
  failedVerifications: z.number().int().nonnegative().catch(0).default(0),
  /** Set after too many failed verifications: no more order look-ups in this conversation. */
  ordersLocked: z.boolean().catch(false).default(false),
  /** Order numbers this conversation has proven it may see. */
  verifiedOrders: z.array(z.string()).catch([]).default([]),
});
export type BotState = z.infer<typeof botStateSchema>;

export function parseBotState(raw: Record<string, unknown>): BotState {
  const parsed = botStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : botStateSchema.parse({});
}

export async function loadBotState(store: TenantStore, conversationId: string): Promise<BotState> {
  return parseBotState(await store.conversations.getBotState(conversationId));
}

export async function saveBotState(store: TenantStore, conversationId: string, state: BotState): Promise<void> {
  await store.conversations.setBotState(conversationId, state as unknown as Record<string, unknown>);
}

/** Failed verifications after which order look-ups stop in this conversation. */
export const MAX_VERIFICATION_ATTEMPTS = 3;
