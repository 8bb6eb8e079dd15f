import type { User } from "@kaleem/shared/contracts";
import { useEffect, useMemo, useState } from "react";
import { navigate } from "../../app/router";
import { useSignedIn } from "../../app/auth";
import { getConversation, listCannedReplies, listTeam, type CannedReply } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import { INBOX_TABS, matchesSearch, matchesTab, type InboxTab, type ListConversation } from "../../realtime/conversation-list";
import { useInbox } from "../../realtime/InboxProvider";
import { Button, ErrorState, StatusPill } from "../../ui/components";
import { useAsync } from "../../ui/useAsync";
import { ConversationView, statusTone } from "./ConversationView";

export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const { t, formatTime } = useI18n();
  const { user, canManage } = useSignedIn();
  const { conversations, listError, waitingCount, loadMore, hasMore, upsert, connected } = useInbox();
  const [tab, setTab] = useState<InboxTab>("all");
  const [search, setSearch] = useState("");
  const [loadingMore, setLoadingMore] = useState(false);

  const team = useAsync<Pick<User, "id" | "name">[]>(async () => (canManage ? (await listTeam()).items : []), [canManage]);
  const canned = useAsync<CannedReply[]>(async () => (await listCannedReplies()).items, []);

  // The first visit to a tab fetches that tab's first page (e.g. closed ones are not in "all").
  useEffect(() => {
    if (hasMore(tab)) void loadMore(tab, user.id);
  }, [tab]);

  const visible = useMemo(
    () => conversations.filter((c) => matchesTab(c, tab, user.id) && matchesSearch(c, search)),
    [conversations, tab, user.id, search],
  );
  const open = conversationId ? conversations.find((c) => c.id === conversationId) : undefined;

  const more = async () => {
    setLoadingMore(true);
    try {
      await loadMore(tab, user.id);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className={`inbox ${conversationId ? "has-open" : ""}`}>
      <div className="inbox-list">
        <div className="inbox-list-head">
          <input
            type="search"
            className="search"
            placeholder={t("inbox.search")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label={t("inbox.search")}
          />
          <span className={`conn ${connected ? "conn-on" : "conn-off"}`} data-testid="connection">
            {connected ? t("conn.online") : t("conn.offline")}
          </span>
        </div>
        <div className="tabs" role="tablist">
          {INBOX_TABS.map((key) => (
            <button key={key} type="button" role="tab" aria-selected={tab === key} className={tab === key ? "active" : ""} onClick={() => setTab(key)} data-testid={`tab-${key}`}>
              {t(`inbox.tab.${key}`)}
              {key === "waiting" && waitingCount > 0 ? <span className="badge">{waitingCount}</span> : null}
            </button>
          ))}
        </div>
        {listError ? <ErrorState compact error={listError} /> : null}
        <ul className="conv-list" data-testid="conversation-list">
          {visible.length === 0 ? <li className="muted conv-empty">{t("inbox.empty")}</li> : null}
          {visible.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className={`conv-item ${c.id === conversationId ? "active" : ""} ${c.status === "waiting_human" ? "waiting" : ""}`}
                data-testid="conversation-item"
                data-conversation-id={c.id}
                onClick={() => navigate({ page: "inbox", conversationId: c.id })}
              >
                <div className="conv-row">
                  <span className="conv-name" dir="auto">
                    {c.customerName ?? t("inbox.visitor", { id: (c.visitorId ?? c.id).slice(-6) })}
                  </span>
                  <span className="conv-time">{c.lastMessageAt ? formatTime(c.lastMessageAt) : ""}</span>
                </div>
                <div className="conv-preview" dir="auto" data-testid="conversation-preview">
                  {c.lastMessagePreview ?? ""}
                </div>
                <div className="conv-row">
                  <StatusPill tone={statusTone(c.status)}>{t(`inbox.status.${c.status}`)}</StatusPill>
                  <span className="conv-channel">{c.channel}</span>
                  {c.unreadCount > 0 ? (
                    <span className="badge" title={t("inbox.unread", { n: c.unreadCount })}>
                      {c.unreadCount}
                    </span>
                  ) : null}
                </div>
              </button>
            </li>
          ))}
        </ul>
        {hasMore(tab) ? (
          <div className="list-more">
            <Button size="sm" disabled={loadingMore} onClick={() => void more()}>
              {t("common.loadMore")}
            </Button>
          </div>
        ) : null}
      </div>
      <div className="inbox-detail">
        {open ? (
          <ConversationView
            key={open.id}
            conversation={open}
            team={team.data ?? []}
            canned={canned.data ?? []}
            onBack={() => navigate({ page: "inbox", conversationId: null })}
          />
        ) : conversationId ? (
          <MissingConversation id={conversationId} upsert={upsert} />
        ) : (
          <div className="inbox-placeholder muted">{t("inbox.pick")}</div>
        )}
      </div>
    </div>
  );

}

/** A deep link to a conversation outside the loaded pages: ask the server for it once. */
function MissingConversation({ id, upsert }: { id: string; upsert: (c: ListConversation) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    getConversation(id).then(
      (c) => {
        if (!cancelled) upsert(c);
      },
      (err: unknown) => {
        if (!cancelled) setError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, upsert]);
  return <div className="inbox-placeholder muted">{error ? <ErrorState error={error} /> : t("common.loading")}</div>;
}
