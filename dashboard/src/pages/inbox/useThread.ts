// Watches one conversation over the inbox socket and keeps its timeline gap-free: the watch snapshot,
// live events, and a resume from the last contiguous seq after every reconnect or detected gap. The
// folding itself is the protocol's shared ConversationThread (the widget uses the same one).
import { ConversationThread, inboxFire, type Message, type MessageDelta, type ThreadMessage, type TypingEvent } from "@kaleem/shared/contracts";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { request } from "../../realtime/inbox-socket";
import { useInbox } from "../../realtime/InboxProvider";

export interface ThreadState {
  /** Ordered by seq; a message whose seq is not known yet (seq null) comes last. */
  messages: ThreadMessage[];
  loading: boolean;
  error: unknown;
  /** Shopper typing right now. */
  shopperTyping: boolean;
  /** Agents typing (names) from typing events, besides presence. */
  agentsTyping: string[];
  addLocal: (message: Message) => void;
}

export function useThread(conversationId: string, myId: string): ThreadState {
  const { socket, connection } = useInbox();
  const fold = useRef(new ConversationThread({ audience: "agent", conversationId }));
  // The fold is mutable; a version bump re-reads it.
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [shopperTyping, setShopperTyping] = useState(false);
  const [agentsTyping, setAgentsTyping] = useState<string[]>([]);
  const resuming = useRef(false);
  const changed = useCallback((didChange: boolean) => {
    if (didChange) bump();
  }, []);

  const resume = useCallback(async () => {
    if (!socket || resuming.current) return;
    resuming.current = true;
    try {
      const result = await request(socket, "conversation:resume", { conversationId, afterSeq: fold.current.resumeAfterSeq() });
      if (fold.current.conversationId === conversationId) changed(fold.current.applySnapshot(result.messages, result.streaming));
    } catch (err) {
      setError(err);
    } finally {
      resuming.current = false;
    }
  }, [socket, conversationId, changed]);

  // Watch on open and again on every reconnect (the new socket is in no room yet), then resume
  // from what we already have so nothing is lost in between.
  useEffect(() => {
    if (!socket || !socket.connected) return;
    let cancelled = false;
    const hadMessages = fold.current.conversationId === conversationId && fold.current.lastSeq() > 0;
    setLoading(!hadMessages);
    request(socket, "conversation:watch", { conversationId })
      .then(async (result) => {
        if (cancelled) return;
        if (fold.current.conversationId !== conversationId) fold.current.reset(conversationId);
        changed(fold.current.applySnapshot(result.messages, result.streaming));
        setError(null);
        setLoading(false);
        if (hadMessages) await resume();
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setError(err);
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [socket, connection, conversationId, resume, changed]);

  useEffect(() => {
    fold.current.reset(conversationId);
    bump();
    setShopperTyping(false);
    setAgentsTyping([]);
    return () => {
      if (socket) inboxFire(socket, "conversation:unwatch", { conversationId });
    };
  }, [socket, conversationId]);

  useEffect(() => {
    if (!socket) return;
    const onMessage = ({ message }: { message: Message }) => changed(fold.current.upsert(message));
    const onDelta = (delta: MessageDelta) => {
      const outcome = fold.current.applyDelta(delta);
      if (outcome === "gap") void resume();
      changed(outcome === "applied");
    };
    const onTyping = (event: TypingEvent) => {
      if (event.conversationId !== conversationId) return;
      if (event.role === "shopper") setShopperTyping(event.isTyping);
      if (event.role === "agent" && event.agentId !== myId) {
        const name = event.name ?? event.agentId ?? "";
        setAgentsTyping((list) => (event.isTyping ? [...new Set([...list, name])] : list.filter((n) => n !== name)));
      }
    };
    socket.on("message:new", onMessage);
    socket.on("message:done", onMessage);
    // A channel delivery moved on (sent, delivered, read, failed): the same message, newer state.
    socket.on("message:updated", onMessage);
    socket.on("message:delta", onDelta);
    socket.on("typing", onTyping);
    return () => {
      socket.off("message:new", onMessage);
      socket.off("message:done", onMessage);
      socket.off("message:updated", onMessage);
      socket.off("message:delta", onDelta);
      socket.off("typing", onTyping);
    };
  }, [socket, conversationId, myId, resume, changed]);

  // A shopper typing flag that never got its "stopped" event expires on its own.
  useEffect(() => {
    if (!shopperTyping) return;
    const timer = setTimeout(() => setShopperTyping(false), 8000);
    return () => clearTimeout(timer);
  }, [shopperTyping]);

  const addLocal = useCallback((message: Message) => changed(fold.current.upsert(message)), [changed]);

  const messages = useMemoList(fold.current, version);
  return { messages, loading, error, shopperTyping, agentsTyping, addLocal };
}

/** The fold's list, re-read only when its version changes. */
function useMemoList(fold: ConversationThread, version: number): ThreadMessage[] {
  const cache = useRef<{ version: number; list: ThreadMessage[] } | null>(null);
  if (!cache.current || cache.current.version !== version) cache.current = { version, list: fold.list() };
  return cache.current.list;
}
