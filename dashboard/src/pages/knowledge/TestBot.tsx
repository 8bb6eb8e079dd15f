// "Test the bot": asks through a real /widget connection with the store's public widget key, so the
// merchant sees exactly what a shopper sees, streamed token by token. (There is no REST endpoint
// for a dry-run answer; the first question starts a webchat conversation in the inbox, as a
// shopper's first message does.)
import {
  ConversationThread,
  LOAD_BALANCING_QUERY,
  PROTOCOL_VERSION,
  WIDGET_NAMESPACE,
  widgetRequest,
  type Message,
  type MessageDelta,
  type ThreadMessage,
  type WidgetServerToClientEvents,
} from "@kaleem/shared/contracts";
import { io, type Socket } from "socket.io-client";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useI18n } from "../../i18n/i18n";
import { Button, Card, errorMessage } from "../../ui/components";
import { MessageItem } from "../inbox/MessageItem";

type WidgetSocket = Socket<WidgetServerToClientEvents>;
const ASK_TIMEOUT_MS = 15_000;

export function TestBot({ widgetKey }: { widgetKey: string }) {
  const { t, lang } = useI18n();
  const [question, setQuestion] = useState("");
  const [messages, setMessages] = useState<ThreadMessage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const socketRef = useRef<WidgetSocket | null>(null);
  /** Null until the first question creates the conversation (opening creates none). */
  const conversation = useRef<string | null>(null);
  const thread = useRef<ConversationThread | null>(null);

  useEffect(
    () => () => {
      socketRef.current?.disconnect();
    },
    [],
  );

  const connect = async (): Promise<WidgetSocket> => {
    if (socketRef.current && thread.current) return socketRef.current;
    const socket: WidgetSocket = io(WIDGET_NAMESPACE, { auth: { widgetKey, protocol: PROTOCOL_VERSION }, query: { [LOAD_BALANCING_QUERY]: crypto.randomUUID() } });
    socketRef.current = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    });
    const opened = await widgetRequest(socket, "conversation:open", { locale: lang, pageUrl: window.location.href }, { timeoutMs: ASK_TIMEOUT_MS });
    conversation.current = opened.conversationId;
    // Only this session's questions are shown, not the test conversation's earlier history. Without
    // a conversation yet, the fold takes the one the first answer names.
    const fold = new ConversationThread({ audience: "shopper", conversationId: opened.conversationId });
    thread.current = fold;
    setMessages([]);
    const show = (changed: boolean) => {
      if (changed && thread.current === fold) setMessages(fold.list());
    };
    socket.on("message:new", ({ message }: { message: Message }) => show(fold.upsert(message)));
    socket.on("message:delta", (delta: MessageDelta) => show(fold.applyDelta(delta) === "applied"));
    socket.on("message:done", ({ message }: { message: Message }) => show(fold.upsert(message)));
    return socket;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = question.trim();
    if (!text) return;
    setBusy(true);
    setError(null);
    try {
      const socket = await connect();
      const { message } = await widgetRequest(
        socket,
        "message:send",
        { conversationId: conversation.current, clientMessageId: crypto.randomUUID(), text },
        { timeoutMs: ASK_TIMEOUT_MS },
      );
      conversation.current = message.conversationId;
      const fold = thread.current;
      if (fold?.upsert(message)) setMessages(fold.list());
      setQuestion("");
    } catch (err) {
      socketRef.current?.disconnect();
      socketRef.current = null;
      thread.current = null;
      conversation.current = null;
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t("knowledge.testBot")} className="test-bot">
      <p className="muted small">{t("knowledge.testHelp")}</p>
      <form className="test-bot-form" onSubmit={(e) => void submit(e)}>
        {/* A textarea, so the example question wraps instead of being cut off in the narrow card; Enter asks, Shift+Enter breaks the line. */}
        <textarea
          dir="auto"
          rows={2}
          value={question}
          placeholder={t("knowledge.askPlaceholder")}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          data-testid="testbot-input"
        />
        <Button type="submit" variant="primary" disabled={busy || !question.trim()}>
          {t("knowledge.ask")}
        </Button>
      </form>
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {messages.length > 0 ? (
        <ol className="timeline timeline-compact" data-testid="testbot-thread">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ol>
      ) : null}
    </Card>
  );
}
