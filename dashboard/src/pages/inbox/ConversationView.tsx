import { inboxFire, type CannedReplyView, type Conversation, type User } from "@kaleem/shared/contracts";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useSignedIn } from "../../app/auth";
import { useI18n } from "../../i18n/i18n";
import type { ListConversation } from "../../realtime/conversation-list";
import { request } from "../../realtime/inbox-socket";
import { useInbox } from "../../realtime/InboxProvider";
import { Button, ErrorState, Loading, StatusPill, errorMessage } from "../../ui/components";
import { ChannelBadge } from "../../ui/ChannelBadge";
import { Icon } from "../../ui/icons";
import { Composer } from "./Composer";
import { Labels } from "./Labels";
import { actionText } from "@kaleem/shared/contracts";
import { windowState } from "./delivery";
import { MessageItem } from "./MessageItem";
import { SidePanel } from "./SidePanel";
import { useThread } from "./useThread";

export const statusTone = (status: Conversation["status"]) =>
  status === "waiting_human" ? "amber" : status === "human" ? "blue" : status === "bot" ? "green" : "grey";

type Action = "conversation:takeover" | "conversation:release" | "conversation:close" | "conversation:reopen";

export function ConversationView({
  conversation,
  team,
  canned,
  onBack,
}: {
  conversation: ListConversation;
  team: Pick<User, "id" | "name">[];
  canned: CannedReplyView[];
  onBack: () => void;
}) {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const { socket, presence, upsert } = useInbox();
  const { messages, loading, error, shopperTyping, agentsTyping, addLocal } = useThread(conversation.id, user.id);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const m of team) map.set(m.id, m.name);
    for (const a of presence.online) map.set(a.agentId, a.name);
    return map;
  }, [team, presence.online]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const here = presence.conversations[conversation.id];
  const otherViewers = (here?.viewers ?? []).filter((id) => id !== user.id).map(nameOf);
  const typingNames = [...new Set([...(here?.typing ?? []).filter((id) => id !== user.id).map(nameOf), ...agentsTyping])];

  // Keep the newest message in view while the agent is at the bottom; leave them be when reading back.
  const serviceWindow = useMemo(() => windowState(messages), [messages]);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);
  // The composer grows (a window notice, the note tab) and takes room from the timeline: stay at the bottom then too.
  useEffect(() => {
    const el = listRef.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const last = messages.at(-1);
  useEffect(() => {
    if (!socket || !last || last.seq === null) return;
    inboxFire(socket, "message:read", { conversationId: conversation.id, seq: last.seq });
  }, [socket, conversation.id, last?.seq]);

  const act = async (event: Action) => {
    if (!socket) return;
    setBusy(true);
    setActionError(null);
    try {
      const result = await request(socket, event, { conversationId: conversation.id });
      upsert({ ...conversation, ...result.conversation });
    } catch (err) {
      setActionError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const assign = async (agentId: string | null) => {
    if (!socket) return;
    setActionError(null);
    try {
      const result = await request(socket, "conversation:assign", { conversationId: conversation.id, agentId });
      upsert({ ...conversation, ...result.conversation });
    } catch (err) {
      setActionError(errorMessage(err, t("common.error")));
    }
  };

  const status = conversation.status;
  const title = conversation.customerName ?? t("inbox.visitor", { id: (conversation.visitorId ?? conversation.id).slice(-6) });
  const assigneeOptions = useMemo(() => {
    const ids = new Set<string>([user.id, ...team.map((m) => m.id), ...presence.online.map((a) => a.agentId)]);
    if (conversation.assigneeId) ids.add(conversation.assigneeId);
    return [...ids].map((id) => ({ id, name: id === user.id ? `${user.name} (${t("team.you")})` : nameOf(id) }));
  }, [team, presence.online, conversation.assigneeId, user.id]);

  return (
    <div className="conversation" data-testid="conversation" data-conversation-id={conversation.id} data-status={status}>
      <div className="conversation-main">
        <header className="conversation-head">
          <div className="conversation-title">
            <button type="button" className="back-link" onClick={onBack} aria-label={t("inbox.back")}>
              <Icon name="back" className="flip-rtl" />
            </button>
            <h2 dir="auto">{title}</h2>
            <ChannelBadge channel={conversation.channel} />
            <StatusPill tone={statusTone(status)}>
              <span data-testid="conversation-status">{t(`inbox.status.${status}`)}</span>
            </StatusPill>
          </div>
          <div className="conversation-actions">
            <select
              aria-label={t("inbox.assign")}
              value={conversation.assigneeId ?? ""}
              onChange={(e) => void assign(e.target.value || null)}
              disabled={status === "closed"}
            >
              <option value="">{t("inbox.unassigned")}</option>
              {assigneeOptions.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            {status === "bot" || status === "waiting_human" ? (
              <Button variant="primary" disabled={busy} onClick={() => void act("conversation:takeover")} data-testid="takeover">
                {t("inbox.takeover")}
              </Button>
            ) : null}
            {status === "human" ? (
              <Button disabled={busy} onClick={() => void act("conversation:release")} data-testid="handback">
                {t("inbox.handBack")}
              </Button>
            ) : null}
            {status !== "closed" ? (
              <Button variant="ghost" disabled={busy} onClick={() => void act("conversation:close")} data-testid="close">
                {t("inbox.close")}
              </Button>
            ) : (
              <Button disabled={busy} onClick={() => void act("conversation:reopen")} data-testid="reopen">
                {t("inbox.reopen")}
              </Button>
            )}
          </div>
        </header>
        <Labels conversation={conversation} onChange={upsert} />
        {otherViewers.length > 0 || typingNames.length > 0 ? (
          <div className="collision" data-testid="collision" role="status">
            {otherViewers.length > 0 ? <span><Icon name="eye" size={15} /> {t("inbox.alsoViewing", { names: otherViewers.join(", ") })}</span> : null}
            {typingNames.length > 0 ? <span><Icon name="pencil" size={15} /> {t("inbox.isTyping", { names: typingNames.join(", ") })}</span> : null}
          </div>
        ) : null}
        {actionError ? <div className="error-box error-compact" role="alert">{actionError}</div> : null}
        {error ? <ErrorState compact error={error} /> : null}
        <ol
          className="timeline"
          data-testid="timeline"
          ref={listRef}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
          }}
        >
          {loading ? <Loading /> : null}
          {!loading && messages.length === 0 ? <li className="muted timeline-empty">{t("inbox.noMessages")}</li> : null}
          {messages.map((m, i) => (
            <MessageItem
              key={m.id}
              message={m}
              // A tapped quick reply or card button reads as what it did, not its raw payload.
              shownText={m.role === "shopper" ? actionText(m.text, messages.slice(0, i), (name) => t("inbox.addedToCart", { name })) : null}
            />
          ))}
          {shopperTyping ? <li className="typing-line">{t("inbox.shopperTyping")}</li> : null}
        </ol>
        {socket ? (
          <Composer
            socket={socket}
            conversationId={conversation.id}
            // Replying to a bot-handled conversation takes it over (the hub does that on send).
            canReply={status !== "closed"}
            disabledHint={t("inbox.closedHint")}
            serviceWindow={serviceWindow}
            channel={conversation.channel}
            canned={canned}
            onSent={addLocal}
          />
        ) : null}
      </div>
      <SidePanel conversation={conversation} messages={messages} />
    </div>
  );
}
