// Reply and private-note box. Sends are idempotent: a failed send keeps its clientMessageId, so a
// retry can never create a second message. `/shortcut` offers saved replies.
import type { CannedReplyView, ConversationChannel, Message } from "@kaleem/shared/contracts";
import { MAX_MESSAGE_TEXT } from "@kaleem/shared/contracts";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useI18n } from "../../i18n/i18n";
import { inboxFire } from "@kaleem/shared/contracts";
import { putUpload } from "@kaleem/shared/client";
import { formatBytes } from "./Attachment";
import { request, type InboxSocket } from "../../realtime/inbox-socket";
import { Button, errorMessage } from "../../ui/components";
import { Icon } from "../../ui/icons";
import type { WindowState } from "./delivery";

const TYPING_IDLE_MS = 3000;

function newClientId(): string {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** A file picked for the reply: uploaded at once, sent with the message once ready. */
interface PendingFile {
  localId: string;
  file: File;
  state: "uploading" | "ready" | "failed";
  progress: number;
  uploadId: string | null;
  error: string | null;
}

/** The `/word` being typed at the start of the box, if any. */
export function cannedQuery(text: string): string | null {
  const match = /^\/(\S*)$/.exec(text);
  return match ? (match[1] ?? "") : null;
}

export function Composer({
  socket,
  conversationId,
  canReply,
  disabledHint,
  canned,
  onSent,
  serviceWindow = null,
  channel = "webchat",
}: {
  socket: InboxSocket;
  conversationId: string;
  canReply: boolean;
  disabledHint: string | null;
  canned: CannedReplyView[];
  onSent: (message: Message) => void;
  /** The channel's customer-service window, when a send showed it has closed. */
  serviceWindow?: WindowState;
  channel?: ConversationChannel;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  const pendingId = useRef<{ text: string; id: string } | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typingSent = useRef(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  useEffect(() => setFiles([]), [conversationId]);
  const patchFile = (localId: string, patch: Partial<PendingFile>) => setFiles((all) => all.map((f) => (f.localId === localId ? { ...f, ...patch } : f)));

  /** Asks for an upload URL over the socket and PUTs the file there (PROTOCOL.md §10). */
  const upload = async (pending: PendingFile) => {
    patchFile(pending.localId, { state: "uploading", progress: 0, error: null });
    try {
      const ticket = await request(socket, "upload:create", {
        conversationId,
        name: pending.file.name,
        contentType: pending.file.type || "application/octet-stream",
        size: pending.file.size,
      });
      await putUpload(ticket, pending.file, (progress) => patchFile(pending.localId, { progress }));
      patchFile(pending.localId, { state: "ready", uploadId: ticket.uploadId, progress: 1 });
    } catch (err) {
      patchFile(pending.localId, { state: "failed", error: errorMessage(err, t("common.error")) });
    }
  };
  const addFiles = (list: FileList | null) => {
    const added = Array.from(list ?? []).map((file) => ({ localId: newClientId(), file, state: "uploading" as const, progress: 0, uploadId: null, error: null }));
    setFiles((all) => [...all, ...added].slice(0, 5));
    for (const f of added) void upload(f);
  };
  const ready = files.filter((f) => f.state === "ready" && f.uploadId);
  const busy = files.some((f) => f.state === "uploading");

  const windowClosed = serviceWindow === "closed";
  const query = cannedQuery(text);
  const matches = useMemo(
    () => (query === null ? [] : canned.filter((c) => c.shortcut.toLowerCase().startsWith(query.toLowerCase())).slice(0, 6)),
    [canned, query],
  );

  const stopTyping = () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = null;
    if (typingSent.current) inboxFire(socket, "typing", { conversationId, isTyping: false });
    typingSent.current = false;
  };
  useEffect(() => stopTyping, [conversationId]);

  const onChange = (value: string) => {
    setText(value);
    setHighlight(0);
    if (mode !== "reply") return;
    if (!typingSent.current && value.trim()) {
      inboxFire(socket, "typing", { conversationId, isTyping: true });
      typingSent.current = true;
    }
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const insertCanned = (reply: CannedReplyView) => {
    setText(reply.text);
    inputRef.current?.focus();
  };

  const send = async () => {
    const body = text.trim();
    // Files go with replies only (notes carry none).
    const attachments = mode === "reply" ? ready.map((f) => ({ uploadId: f.uploadId! })) : [];
    if ((!body && attachments.length === 0) || sending || (mode === "reply" && busy)) return;
    if (mode === "reply" && (!canReply || windowClosed)) return;
    // The same text and files again keep their clientMessageId: a retry is the same message.
    const signature = `${body}\u0000${attachments.map((a) => a.uploadId).join(",")}`;
    if (pendingId.current?.text !== signature) pendingId.current = { text: signature, id: newClientId() };
    const clientMessageId = pendingId.current.id;
    setSending(true);
    setError(null);
    try {
      const result =
        mode === "reply"
          ? await request(socket, "message:send", { conversationId, clientMessageId, text: body, ...(attachments.length ? { attachments } : {}) })
          : await request(socket, "note:add", { conversationId, clientMessageId, text: body });
      onSent(result.message);
      pendingId.current = null;
      setText("");
      if (mode === "reply") setFiles([]);
      stopTyping();
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (matches.length > 0) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        setHighlight((h) => (h + 1) % matches.length);
        return;
      }
      if (e.key === "ArrowUp") {
        e.preventDefault();
        setHighlight((h) => (h - 1 + matches.length) % matches.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        const pick = matches[highlight] ?? matches[0];
        if (pick) insertCanned(pick);
        return;
      }
    }
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  };

  const blocked = mode === "reply" && (!canReply || windowClosed);
  return (
    <div className={`composer composer-${mode}`}>
      <div className="composer-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === "reply"} className={mode === "reply" ? "active" : ""} onClick={() => setMode("reply")}>
          {t("inbox.reply")}
        </button>
        <button type="button" role="tab" aria-selected={mode === "note"} className={mode === "note" ? "active" : ""} onClick={() => setMode("note")} data-testid="note-tab">
          {t("inbox.note")}
        </button>
      </div>
      {mode === "reply" && canReply && serviceWindow ? <WindowNotice state={serviceWindow} channel={channel} /> : null}
      {mode === "reply" && !canReply && disabledHint ? <div className="composer-hint">{disabledHint}</div> : null}
      <div className="composer-box">
        {query !== null && mode === "reply" ? (
          <ul className="canned-menu" role="listbox">
            {matches.length === 0 ? <li className="canned-empty">{t("inbox.cannedNone")}</li> : null}
            {matches.map((reply, i) => (
              <li
                key={reply.id}
                role="option"
                aria-selected={i === highlight}
                className={i === highlight ? "active" : ""}
                onMouseDown={(e) => {
                  e.preventDefault();
                  insertCanned(reply);
                }}
              >
                <strong dir="ltr">/{reply.shortcut}</strong>
                <span>{reply.text}</span>
              </li>
            ))}
          </ul>
        ) : null}
        <textarea
          ref={inputRef}
          data-testid="composer-input"
          value={text}
          maxLength={MAX_MESSAGE_TEXT}
          disabled={blocked}
          dir="auto"
          rows={3}
          placeholder={mode === "reply" ? (windowClosed ? t("inbox.windowPlaceholder") : t("inbox.replyPlaceholder")) : t("inbox.notePlaceholder")}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {mode === "reply" && files.length > 0 ? (
          <ul className="composer-files" data-testid="composer-files">
            {files.map((f) => (
              <li key={f.localId} className={`file-chip file-chip-${f.state}`} data-testid="composer-file" data-state={f.state}>
                <Icon name="file" size={14} />
                <bdi className="file-chip-name">{f.file.name}</bdi>
                <span className="file-chip-size" dir="ltr">
                  {f.state === "uploading" ? `${Math.round(f.progress * 100)}%` : formatBytes(f.file.size)}
                </span>
                {f.state === "failed" ? (
                  <>
                    <span className="file-chip-error" role="alert" title={f.error ?? undefined}>
                      {f.error}
                    </span>
                    <button type="button" className="link-button" onClick={() => void upload(f)} data-testid="composer-file-retry">
                      {t("inbox.retryUpload")}
                    </button>
                  </>
                ) : null}
                <button type="button" className="file-chip-remove" aria-label={t("inbox.removeFile")} onClick={() => setFiles((all) => all.filter((x) => x.localId !== f.localId))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="composer-actions">
          {error ? <span className="composer-error" role="alert">{error}</span> : <span />}
          {mode === "reply" ? (
            <>
              <input ref={fileRef} type="file" hidden multiple data-testid="composer-file-input" onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = "";
              }} />
              <Button variant="ghost" disabled={blocked || files.length >= 5} onClick={() => fileRef.current?.click()} data-testid="composer-attach" aria-label={t("inbox.attach")} title={t("inbox.attach")}>
                <Icon name="paperclip" size={16} />
              </Button>
            </>
          ) : null}
          <Button variant="primary" disabled={blocked || sending || (mode === "reply" && busy) || (!text.trim() && (mode !== "reply" || ready.length === 0))} onClick={() => void send()} data-testid="composer-send">
            {mode === "reply" ? t("inbox.send") : t("inbox.addNote")}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** Outside the customer-service window nothing typed here would reach the customer: say so, and what to do. */
function WindowNotice({ state, channel }: { state: NonNullable<WindowState>; channel: ConversationChannel }) {
  const { t } = useI18n();
  const meta = channel === "messenger" || channel === "instagram";
  return (
    <div className={`composer-window${state === "bot_only" ? " composer-window-info" : ""}`} role="status" data-testid="window-notice" data-state={state}>
      <Icon name={state === "bot_only" ? "clock" : "alert"} size={18} />
      <div>
        <strong>{state === "bot_only" ? t("inbox.windowBotOnly") : meta ? t("inbox.windowClosedMeta") : t("inbox.windowClosed")}</strong>
        <p>{state === "bot_only" ? t("inbox.windowBotOnlyHelp") : meta ? t("inbox.windowClosedMetaHelp") : t("inbox.windowClosedHelp")}</p>
      </div>
    </div>
  );
}
