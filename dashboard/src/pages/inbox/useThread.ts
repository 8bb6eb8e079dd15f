// Watches one conversation over the inbox socket and keeps its timeline gap-free: the watch snapshot,
// live events, and a resume from the last contiguous seq after every reconnect or detected gap.
import type { Message, TypingEvent } from "@kaleem/shared/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { request } from "../../realtime/inbox-socket";
import { useInbox } from "../../realtime/InboxProvider";
import { applyDelta, applyDone, applyMessage, applySnapshot, emptyThread, resumePoint, type Thread } from "../../realtime/thread";

export interface ThreadState {
  thread: Thread;
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
  const [thread, setThread] = useState<Thread>(() => emptyThread(conversationId));
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [shopperTyping, setShopperTyping] = useState(false);
  const [agentsTyping, setAgentsTyping] = useState<string[]>([]);
  const threadRef = useRef(thread);
  threadRef.current = thread;
  const resuming = useRef(false);

  const resume = useCallback(async () => {
    if (!socket || resuming.current) return;
    resuming.current = true;
    try {
      const result = await request(socket, "conversation:resume", { conversationId, afterSeq: resumePoint(threadRef.current) });
      setThread((current) => applySnapshot(current, result.messages, result.streaming));
    } catch (err) {
      setError(err);
    } finally {
      resuming.current = false;
    }
  }, [socket, conversationId]);

  // Watch on open and again on every reconnect (the new socket is in no room yet), then resume
  // from what we already have so nothing is lost in between.
  useEffect(() => {
    if (!socket || !socket.connected) return;
    let cancelled = false;
    const hadMessages = threadRef.current.conversationId === conversationId && threadRef.current.messages.length > 0;
    setLoading(!hadMessages);
    request(socket, "conversation:watch", { conversationId })
      .then(async (result) => {
        if (cancelled) return;
        setThread((current) =>
          applySnapshot(current.conversationId === conversationId ? current : emptyThread(conversationId), result.messages, result.streaming),
        );
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
  }, [socket, connection, conversationId, resume]);

  useEffect(() => {
    setThread(emptyThread(conversationId));
    setShopperTyping(false);
    setAgentsTyping([]);
    return () => {
      if (socket?.connected) socket.emit("conversation:unwatch", { conversationId });
    };
  }, [socket, conversationId]);

  useEffect(() => {
    if (!socket) return;
    const onNew = ({ message }: { message: Message }) => setThread((t) => applyMessage(t, message));
    const onDone = ({ message }: { message: Message }) => setThread((t) => applyDone(t, message));
    const onDelta = (delta: Parameters<typeof applyDelta>[1]) => setThread((t) => applyDelta(t, delta));
    const onTyping = (event: TypingEvent) => {
      if (event.conversationId !== conversationId) return;
      if (event.role === "shopper") setShopperTyping(event.isTyping);
      if (event.role === "agent" && event.agentId !== myId) {
        const name = event.name ?? event.agentId ?? "";
        setAgentsTyping((list) => (event.isTyping ? [...new Set([...list, name])] : list.filter((n) => n !== name)));
      }
    };
    socket.on("message:new", onNew);
    socket.on("message:done", onDone);
    socket.on("message:delta", onDelta);
    socket.on("typing", onTyping);
    return () => {
      socket.off("message:new", onNew);
      socket.off("message:done", onDone);
      socket.off("message:delta", onDelta);
      socket.off("typing", onTyping);
    };
  }, [socket, conversationId, myId]);

  useEffect(() => {
    if (thread.gap) void resume();
  }, [thread.gap, resume]);

  // A shopper typing flag that never got its "stopped" event expires on its own.
  useEffect(() => {
    if (!shopperTyping) return;
    const timer = setTimeout(() => setShopperTyping(false), 8000);
    return () => clearTimeout(timer);
  }, [shopperTyping]);

  const addLocal = useCallback((message: Message) => setThread((t) => applyMessage(t, message)), []);

  return { thread, loading, error, shopperTyping, agentsTyping, addLocal };
}
