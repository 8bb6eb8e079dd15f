import type { Conversation } from "@kaleem/shared/contracts";
import { describe, expect, it } from "vitest";
import { becameWaiting, countWaiting, matchesSearch, matchesTab, mergeConversations, upsertConversation } from "./conversation-list";

function conv(id: string, patch: Partial<Conversation> = {}): Conversation {
  return {
    id,
    merchantId: "m",
    channel: "webchat",
    channelId: null,
    customerId: null,
    visitorId: `v-${id}`,
    status: "bot",
    assigneeId: null,
    locale: "en",
    labels: [],
    lastSeq: 0,
    lastMessageAt: "2025-01-01T00:00:00.000Z",
    lastMessagePreview: null,
    unreadCount: 0,
    shopperReadSeq: 0,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    ...patch,
  };
}

describe("conversation list", () => {
  it("orders by last activity and moves an updated conversation to the top", () => {
    let list = mergeConversations([], [conv("a", { lastMessageAt: "2025-01-01T00:00:01.000Z" }), conv("b", { lastMessageAt: "2025-01-01T00:00:02.000Z" })]);
    expect(list.map((c) => c.id)).toEqual(["b", "a"]);
    list = upsertConversation(list, conv("a", { lastMessageAt: "2025-01-01T00:00:03.000Z", updatedAt: "2025-01-01T00:00:03.000Z", lastMessagePreview: "new" }));
    expect(list.map((c) => c.id)).toEqual(["a", "b"]);
    expect(list[0]?.lastMessagePreview).toBe("new");
    expect(list).toHaveLength(2);
  });

  it("an older summary never overwrites a newer one", () => {
    let list = [conv("a", { updatedAt: "2025-01-02T00:00:00.000Z", status: "human" })];
    list = upsertConversation(list, conv("a", { updatedAt: "2025-01-01T00:00:00.000Z", status: "bot" }));
    expect(list[0]?.status).toBe("human");
  });

  it("keeps a known customer name when an update carries none", () => {
    let list = upsertConversation([], { ...conv("a"), customerName: "Sara" });
    list = upsertConversation(list, { ...conv("a", { updatedAt: "2025-01-03T00:00:00.000Z" }), customerName: null });
    expect(list[0]?.customerName).toBe("Sara");
  });

  it("filters tabs", () => {
    const me = "u1";
    expect(matchesTab(conv("a", { status: "waiting_human" }), "waiting", me)).toBe(true);
    expect(matchesTab(conv("a", { status: "human", assigneeId: me }), "mine", me)).toBe(true);
    expect(matchesTab(conv("a", { status: "closed", assigneeId: me }), "mine", me)).toBe(false);
    expect(matchesTab(conv("a", { status: "bot" }), "bot", me)).toBe(true);
    expect(matchesTab(conv("a", { status: "closed" }), "all", me)).toBe(false);
    expect(matchesTab(conv("a", { status: "closed" }), "closed", me)).toBe(true);
  });

  it("searches name, preview and labels", () => {
    const c = { ...conv("a", { lastMessagePreview: "Do you have abayas?", labels: ["vip"] }), customerName: "Noura" };
    expect(matchesSearch(c, "abaya")).toBe(true);
    expect(matchesSearch(c, "NOURA")).toBe(true);
    expect(matchesSearch(c, "vip")).toBe(true);
    expect(matchesSearch(c, "shoes")).toBe(false);
  });

  it("detects the moment a conversation starts waiting", () => {
    expect(becameWaiting(undefined, conv("a", { status: "waiting_human" }))).toBe(true);
    expect(becameWaiting(conv("a", { status: "bot" }), conv("a", { status: "waiting_human" }))).toBe(true);
    expect(becameWaiting(conv("a", { status: "waiting_human" }), conv("a", { status: "waiting_human" }))).toBe(false);
    expect(countWaiting([conv("a", { status: "waiting_human" }), conv("b")])).toBe(1);
  });
});
