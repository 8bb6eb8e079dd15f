// Server-side inbox search: `GET /conversations?q=` with the open tab's filter, debounced while the
// agent types; a newer query aborts the request of the one before.
import { useCallback, useEffect, useRef, useState } from "react";
import { listConversations } from "../../api/endpoints";
import type { InboxTab, ListConversation } from "../../realtime/conversation-list";
import { tabQuery } from "../../realtime/InboxProvider";

export const SEARCH_DEBOUNCE_MS = 300;

export interface ConversationSearch {
  /** The query the items answer ("" when not searching). */
  query: string;
  items: ListConversation[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
}

export function useConversationSearch(input: string, tab: InboxTab, me: string): ConversationSearch {
  const [query, setQuery] = useState(input.trim());
  const [items, setItems] = useState<ListConversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const inflight = useRef<AbortController | null>(null);

  useEffect(() => {
    const next = input.trim();
    if (next === "") {
      setQuery("");
      return;
    }
    const timer = setTimeout(() => setQuery(next), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const fetchPage = useCallback(
    async (after: string | null) => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      setLoading(true);
      setError(null);
      try {
        const page = await listConversations({ ...tabQuery(tab, me), q: query, cursor: after, limit: 50 }, controller.signal);
        if (controller.signal.aborted) return;
        setItems((previous) => (after ? [...previous, ...page.items.filter((c) => !previous.some((p) => p.id === c.id))] : page.items));
        setCursor(page.nextCursor);
        setLoading(false);
      } catch (err) {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      }
    },
    [query, tab, me],
  );

  useEffect(() => {
    setItems([]);
    setCursor(null);
    if (query === "") {
      inflight.current?.abort();
      setLoading(false);
      setError(null);
      return;
    }
    void fetchPage(null);
  }, [fetchPage, query]);

  useEffect(() => () => inflight.current?.abort(), []);

  const loadMore = useCallback(() => {
    if (cursor) void fetchPage(cursor);
  }, [cursor, fetchPage]);

  return { query, items, loading, error, hasMore: cursor !== null, loadMore };
}
