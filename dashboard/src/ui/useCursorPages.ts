// A list read page by page with a cursor: the first page again whenever `deps` change (a newer
// request aborts the one before), more pages appended without repeats.
import type { Page } from "@kaleem/shared/contracts";
import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from "react";

export interface CursorPages<T> {
  items: T[];
  setItems: Dispatch<SetStateAction<T[]>>;
  loading: boolean;
  error: unknown;
  /** The cursor of the next page; null on the last one. */
  cursor: string | null;
  /** Reads the first page again. */
  reload: () => void;
  loadMore: () => void;
}

export function useCursorPages<T extends { id: string }>(fetch: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>, deps: readonly unknown[]): CursorPages<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const load = async (from: string | null) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setLoading(true);
    setError(null);
    try {
      const page = await fetch(from, controller.signal);
      setItems((prev) => (from ? [...prev, ...page.items.filter((item) => !prev.some((p) => p.id === item.id))] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      if (!controller.signal.aborted) setError(err);
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
    return () => abort.current?.abort();
  }, deps);

  return {
    items,
    setItems,
    loading,
    error,
    cursor,
    reload: () => void load(null),
    loadMore: () => {
      if (cursor) void load(cursor);
    },
  };
}
