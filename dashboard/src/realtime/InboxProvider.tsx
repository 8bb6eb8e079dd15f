// Owns the /inbox socket for the whole signed-in app, so the waiting badge, the title count and the
// chime work on every page, not just the inbox.
import type { Presence } from "@kaleem/shared/contracts";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { api } from "../api/client";
import { listConversations, type ConversationQuery } from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import { becameWaiting, countWaiting, mergeConversations, upsertConversation, type InboxTab, type ListConversation } from "./conversation-list";
import { connectInbox, type InboxSocket } from "./inbox-socket";
import { chime } from "./notify";

interface InboxState {
  socket: InboxSocket | null;
  connected: boolean;
  /** Increments on every (re)connect, so views can re-watch and resume. */
  connection: number;
  conversations: ListConversation[];
  listError: unknown;
  presence: Presence;
  waitingCount: number;
  loadMore: (tab: InboxTab, me: string) => Promise<void>;
  hasMore: (tab: InboxTab) => boolean;
  upsert: (c: ListConversation) => void;
}

const InboxContext = createContext<InboxState | null>(null);

/** The server-side filter behind an inbox tab (the list view narrows further with matchesTab). */
export const tabQuery = (tab: InboxTab, me: string): ConversationQuery => {
  switch (tab) {
    case "waiting":
      return { status: "waiting_human" };
    case "mine":
      return { assignee: me };
    case "bot":
      return { status: "bot" };
    case "closed":
      return { status: "closed" };
    case "all":
      return {};
  }
};

export function InboxProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [socket, setSocket] = useState<InboxSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [connection, setConnection] = useState(0);
  const [conversations, setConversations] = useState<ListConversation[]>([]);
  const [listError, setListError] = useState<unknown>(null);
  const [presence, setPresence] = useState<Presence>({ online: [], conversations: {} });
  const cursors = useRef(new Map<InboxTab, string | null>());
  const known = useRef(new Map<string, ListConversation>());
  const [, setCursorTick] = useState(0);

  const apply = useCallback((incoming: ListConversation, notify: boolean) => {
    const previous = known.current.get(incoming.id);
    if (previous && previous.updatedAt > incoming.updatedAt) return;
    known.current.set(incoming.id, { ...previous, ...incoming });
    if (notify && becameWaiting(previous, incoming)) chime();
    setConversations((list) => upsertConversation(list, incoming));
  }, []);

  const refreshFirstPage = useCallback(async () => {
    try {
      const page = await listConversations({ limit: 100 });
      for (const c of page.items) known.current.set(c.id, c);
      setConversations((list) => mergeConversations(list, page.items));
      if (!cursors.current.has("all")) cursors.current.set("all", page.nextCursor);
      setListError(null);
    } catch (err) {
      setListError(err);
    }
    setCursorTick((n) => n + 1);
  }, []);

  useEffect(() => {
    const s = connectInbox(api.session, () => api.session.set(null));
    setSocket(s);
    s.on("connect", () => {
      setConnected(true);
      setConnection((n) => n + 1);
      // Anything that changed while we were away comes from the store, not from luck.
      void refreshFirstPage();
    });
    s.on("disconnect", () => setConnected(false));
    s.on("conversation:new", ({ conversation }) => apply(conversation, true));
    s.on("conversation:updated", ({ conversation }) => apply(conversation, true));
    s.on("presence", (p) => setPresence(p));
    void refreshFirstPage();
    return () => {
      s.removeAllListeners();
      s.disconnect();
    };
  }, [apply, refreshFirstPage]);

  const waitingCount = countWaiting(conversations);

  useEffect(() => {
    const base = t("appName");
    document.title = waitingCount > 0 ? `(${waitingCount}) ${base}` : base;
  }, [waitingCount, t]);

  const loadMore = useCallback(
    async (tab: InboxTab, me: string) => {
      const cursor = cursors.current.get(tab);
      if (cursor === null) return;
      try {
        const page = await listConversations({ ...tabQuery(tab, me), cursor: cursor ?? undefined, limit: 50 });
        for (const c of page.items) known.current.set(c.id, c);
        setConversations((list) => mergeConversations(list, page.items));
        cursors.current.set(tab, page.nextCursor);
        setListError(null);
      } catch (err) {
        setListError(err);
      }
      setCursorTick((n) => n + 1);
    },
    [],
  );

  const hasMore = useCallback((tab: InboxTab) => cursors.current.get(tab) !== null, []);
  const upsert = useCallback((c: ListConversation) => apply(c, false), [apply]);

  return (
    <InboxContext.Provider value={{ socket, connected, connection, conversations, listError, presence, waitingCount, loadMore, hasMore, upsert }}>
      {children}
    </InboxContext.Provider>
  );
}

export function useInbox(): InboxState {
  const ctx = useContext(InboxContext);
  if (!ctx) throw new Error("useInbox outside InboxProvider");
  return ctx;
}
