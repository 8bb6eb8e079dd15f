// "Test the bot": asks through a real /widget connection with the store's public widget key, so the
// merchant sees exactly what a shopper sees, streamed token by token. (There is no REST endpoint
// for a dry-run answer; the test shows up in the inbox as a webchat conversation.)
import {
  WIDGET_NAMESPACE,
  type Ack,
  type ConversationOpenResult,
  type Message,
  type MessageDelta,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
} from "@kaleem/shared/contracts";
import { io, type Socket } from "socket.io-client";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useI18n } from "../../i18n/i18n";
import { AckFailure } from "../../realtime/inbox-socket";
import { Button, Card, errorMessage } from "../../ui/components";
import { MessageItem } from "../inbox/MessageItem";
import { applyDelta, applyDone, applyMessage, emptyThread, type Thread } from "../../realtime/thread";

type WidgetSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;
interface AckEmitter {
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
}

async function ask<T>(socket: WidgetSocket, event: string, payload: unknown): Promise<T> {
  let ack: Ack<T>;
  try {
    ack = (await (socket as unknown as AckEmitter).timeout(15_000).emitWithAck(event, payload)) as Ack<T>;
  } catch {
    throw new AckFailure("timeout", "The server did not answer in time");
  }
  if (!ack.ok) throw new AckFailure(ack.error.code, ack.error.message);
  return ack.data;
}

export function TestBot({ widgetKey }: { widgetKey: string }) {
  const { t, lang } = useI18n();
  const [question, setQuestion] = useState("");
  const [thread, setThread] = useState<Thread | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const socketRef = useRef<WidgetSocket | null>(null);
  const conversation = useRef<string | null>(null);

  useEffect(
    () => () => {
      socketRef.current?.disconnect();
    },
    [],
  );

  const connect = async (): Promise<{ socket: WidgetSocket; conversationId: string }> => {
    if (socketRef.current && conversation.current) return { socket: socketRef.current, conversationId: conversation.current };
    const socket: WidgetSocket = io(WIDGET_NAMESPACE, { auth: { widgetKey } });
    socketRef.current = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    });
    const opened = await ask<ConversationOpenResult>(socket, "conversation:open", { locale: lang, pageUrl: window.location.href });
    conversation.current = opened.conversationId;
    setThread(emptyThread(opened.conversationId));
    socket.on("message:new", ({ message }: { message: Message }) => setThread((th) => (th ? applyMessage(th, message) : th)));
    socket.on("message:delta", (delta: MessageDelta) => setThread((th) => (th ? applyDelta(th, delta) : th)));
    socket.on("message:done", ({ message }: { message: Message }) => setThread((th) => (th ? applyDone(th, message) : th)));
    return { socket, conversationId: opened.conversationId };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = question.trim();
    if (!text) return;
    setBusy(true);
    setError(null);
    try {
      const { socket, conversationId } = await connect();
      const { message } = await ask<{ message: Message }>(socket, "message:send", {
        conversationId,
        clientMessageId: crypto.randomUUID(),
        text,
      });
      setThread((th) => (th ? applyMessage(th, message) : th));
      setQuestion("");
    } catch (err) {
      socketRef.current?.disconnect();
      socketRef.current = null;
      conversation.current = null;
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t("knowledge.testBot")} className="test-bot">
      <p className="muted small">{t("knowledge.testHelp")}</p>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <input dir="auto" value={question} placeholder={t("knowledge.askPlaceholder")} onChange={(e) => setQuestion(e.target.value)} data-testid="testbot-input" />
        <Button type="submit" variant="primary" disabled={busy || !question.trim()}>
          {t("knowledge.ask")}
        </Button>
      </form>
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {thread && thread.messages.length > 0 ? (
        <ol className="timeline timeline-compact" data-testid="testbot-thread">
          {thread.messages.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ol>
      ) : null}
    </Card>
  );
}
