// Who did what in this store, newest first (GET /audit, cursor-paged).
import type { AuditLog } from "@kaleem/shared/contracts";
import { useMemo, useState } from "react";
import { listAudit, listTeamFull } from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import { isStringKey } from "../i18n/strings";
import { Button, ErrorState, Loading, PageHeader } from "../ui/components";
import { useAsync } from "../ui/useAsync";

/** The row's data as short `key: value` pairs (values are what the server recorded, never secrets). */
export function auditDetails(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const [rows, setRows] = useState<AuditLog[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const first = useAsync(async () => {
    const page = await listAudit();
    setRows(page.items);
    setCursor(page.nextCursor);
    return page;
  }, []);
  const team = useAsync(async () => (await listTeamFull()).items, []);
  const names = useMemo(() => new Map((team.data ?? []).map((u) => [u.id, u.name])), [team.data]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listAudit(cursor);
      setRows((list) => [...list, ...page.items.filter((r) => !list.some((x) => x.id === r.id))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const actionLabel = (action: string) => {
    const key = `audit.action.${action}`;
    return isStringKey(key) ? t(key) : action;
  };
  const actorLabel = (id: string | null) => (id === null ? t("audit.system") : names.get(id) ?? id);

  return (
    <div className="page">
      <PageHeader title={t("audit.title")}>
        <p className="muted">{t("audit.help")}</p>
      </PageHeader>
      {first.error ? <ErrorState error={first.error} onRetry={first.reload} /> : null}
      {first.loading ? <Loading /> : null}
      {!first.loading && !first.error && rows.length === 0 ? <p className="muted">{t("audit.empty")}</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t("audit.time")}</th>
                <th>{t("audit.action")}</th>
                <th>{t("audit.actor")}</th>
                <th>{t("audit.target")}</th>
                <th>{t("audit.details")}</th>
                <th>{t("audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const details = auditDetails(row.data);
                return (
                  <tr key={row.id} data-testid="audit-row" data-action={row.action}>
                    <td className="nowrap">{formatDateTime(row.createdAt)}</td>
                    <td>
                      <div>{actionLabel(row.action)}</div>
                      <code dir="ltr">{row.action}</code>
                    </td>
                    <td className="nowrap" dir="auto">{actorLabel(row.actorId)}</td>
                    <td>{row.target ? <code className="audit-id" dir="ltr" title={row.target}>{row.target}</code> : <span className="muted">—</span>}</td>
                    <td className="audit-details muted small" dir="ltr" title={details}>
                      <bdi>{details || "—"}</bdi>
                    </td>
                    <td className="nowrap">{row.ip ? <code dir="ltr">{row.ip}</code> : <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {moreError ? <ErrorState compact error={moreError} /> : null}
      {cursor ? (
        <div className="list-more">
          <Button size="sm" disabled={loadingMore} onClick={() => void more()} data-testid="audit-more">
            {t("common.loadMore")}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
