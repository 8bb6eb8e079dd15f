// A conversation as the inbox lists it: the stored record and the shopper's name. One home for the
// socket events (the conversation service) and REST's list, so a reload shows the same names as live.
import type { Conversation } from "../contracts/domain.js";
import type { ConversationSummary } from "../contracts/socket.js";
import type { TenantStore } from "../ports/store.js";

/** Each customer is read once, however many of their conversations are listed. */
export async function conversationSummaries(tenant: TenantStore, conversations: readonly Conversation[]): Promise<ConversationSummary[]> {
  const ids = [...new Set(conversations.flatMap((c) => (c.customerId ? [c.customerId] : [])))];
  const names = new Map(await Promise.all(ids.map(async (id) => [id, (await tenant.customers.get(id))?.name ?? null] as const)));
  return conversations.map((c) => ({ ...c, customerName: c.customerId ? (names.get(c.customerId) ?? null) : null }));
}
