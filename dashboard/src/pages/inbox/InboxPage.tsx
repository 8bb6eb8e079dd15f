import { isActionPayload, type CannedReplyView, type User } from "@kaleem/shared/contracts";
import { useEffect, useMemo, useState } from "react";
import { navigate } from "../../app/router";
import { useSignedIn } from "../../app/auth";
import { getConversation, listCannedReplies, listTeam } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import { INBOX_TABS, matchesSearch, matchesTab, sortByActivity, type InboxTab, type ListConversation } from "../../realtime/conversation-list";
import { useInbox } from "../../realtime/InboxProvider";
import { Button, ErrorState, StatusPill } from "../../ui/components";
import { ChannelBadge } from "../../ui/ChannelBadge";
import { useAsync } from "../../ui/useAsync";
import { ConversationView, statusTone } from "./ConversationView";
import { useConversationSearch } from "./useConversationSearch";

export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const { t, formatTime } = useI18n();
  const { user } = useSignedIn();
  const { conversations, listError, waitingCount, loadMore, hasMore, upsert, connected } = useInbox();
  const [tab, setTab] = useState<InboxTab>("all");
  const [search, setSearch] = useState("");
  const [loadingMore, setLoadingMore] = useState(false);

  // Every role may list the team (agents get names only), so anyone can assign to a colleague.
  const team = useAsync<Pick<User, "id" | "name">[]>(async () => (await listTeam()).items, []);
  const canned = useAsync<CannedReplyView[]>(async () => (await listCannedReplies()).items, []);

  // The first visit to a tab fetches that tab's first page (e.g. closed ones are not in "all").
  useEffect(() => {
    if (hasMore(tab)) void loadMore(tab, user.id);
  }, [tab]);

  // Searching asks the server (it also knows the shopper's email and phone, and conversations not
  // loaded here); the live list still contributes matches that arrived after the answer.
  const found = useConversationSearch(search, tab, user.id);
  const visible = useMemo(() => {
    const live = conversations.filter((c) => matchesTab(c, tab, user.id) && matchesSearch(c, search));
    if (!found.query) return live;
    const byId = new Map(conversations.map((c) => [c.id, c]));
    const hits = found.items.map((hit) => byId.get(hit.id) ?? hit).filter((c) => matchesTab(c, tab, user.id));
    const seen = new Set(hits.map((c) => c.id));
    return sortByActivity([...hits, ...live.filter((c) => !seen.has(c.id))]);
  }, [conversations, tab, user.id, search, found]);
  const open = conversationId ? conversations.find((c) => c.id === conversationId) : undefined;
  const searching = found.query !== "";

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
        {searching && found.error ? <ErrorState compact error={found.error} /> : null}
        {searching ? (
          <div className="search-status muted small" data-testid="search-status" data-state={found.loading ? "loading" : "done"} role="status">
            {found.loading ? t("inbox.searching") : t("inbox.searchResults", { n: visible.length })}
          </div>
        ) : null}
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
                  {c.lastMessagePreview && isActionPayload(c.lastMessagePreview) ? t("inbox.actionPreview") : (c.lastMessagePreview ?? "")}
                </div>
                <div className="conv-row">
                  <StatusPill tone={statusTone(c.status)}>{t(`inbox.status.${c.status}`)}</StatusPill>
                  <ChannelBadge channel={c.channel} />
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
        {searching && found.hasMore ? (
          <div className="list-more">
            <Button size="sm" disabled={found.loading} onClick={found.loadMore}>
              {t("common.loadMore")}
            </Button>
          </div>
        ) : null}
        {!searching && hasMore(tab) ? (
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
