// The inbox list as a pure value: summaries from REST and from `conversation:new/updated` are merged
// by id (the newer `updatedAt` wins) and ordered by last activity.
import type { Conversation, ConversationStatus } from "@kaleem/shared/contracts";

export type ListConversation = Conversation & { customerName?: string | null };

export type InboxTab = "waiting" | "mine" | "bot" | "all" | "closed";
export const INBOX_TABS: InboxTab[] = ["waiting", "mine", "bot", "all", "closed"];

const activity = (c: ListConversation) => c.lastMessageAt ?? c.updatedAt ?? c.createdAt;

export function sortByActivity(list: ListConversation[]): ListConversation[] {
  return [...list].sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : a.id < b.id ? 1 : -1));
}

export function upsertConversation(list: ListConversation[], next: ListConversation): ListConversation[] {
  const index = list.findIndex((c) => c.id === next.id);
  if (index === -1) return sortByActivity([...list, next]);
  const current = list[index]!;
  if (current.updatedAt > next.updatedAt) return list;
  const merged = { ...current, ...next, customerName: next.customerName ?? current.customerName ?? null };
  return sortByActivity(list.map((c, i) => (i === index ? merged : c)));
}

export function mergeConversations(list: ListConversation[], incoming: ListConversation[]): ListConversation[] {
  return incoming.reduce(upsertConversation, list);
}

export function matchesTab(c: ListConversation, tab: InboxTab, me: string): boolean {
  switch (tab) {
    case "waiting":
      return c.status === "waiting_human";
    case "mine":
      return c.assigneeId === me && c.status !== "closed";
    case "bot":
      return c.status === "bot";
    case "closed":
      return c.status === "closed";
    case "all":
      return c.status !== "closed";
  }
}

export function matchesSearch(c: ListConversation, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [c.customerName, c.lastMessagePreview, c.id, c.channel, ...c.labels].some((v) => (v ?? "").toLowerCase().includes(q));
}

export function countWaiting(list: ListConversation[]): number {
  return list.filter((c) => c.status === "waiting_human").length;
}

/** True when this update is the moment a conversation starts waiting for a human. */
export function becameWaiting(previous: ListConversation | undefined, next: ListConversation): boolean {
  const was: ConversationStatus | undefined = previous?.status;
  return next.status === "waiting_human" && was !== "waiting_human";
}
