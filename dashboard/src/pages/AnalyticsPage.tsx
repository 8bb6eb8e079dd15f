import { useMemo, useState } from "react";
import { getAnalytics } from "../api/endpoints";
import { navigate } from "../app/router";
import { useI18n } from "../i18n/i18n";
import { isStringKey } from "../i18n/strings";
import { BarChart, HorizontalBars } from "../ui/charts";
import { Button, Card, ErrorState, Loading, PageHeader } from "../ui/components";
import { useAsync } from "../ui/useAsync";

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
function daysAgo(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return isoDate(d);
}

export function AnalyticsPage() {
  const { t, formatNumber, formatMoney, formatDateTime } = useI18n();
  const [range, setRange] = useState({ from: daysAgo(29), to: isoDate(new Date()) });
  const [draft, setDraft] = useState(range);
  const summary = useAsync(() => getAnalytics(range.from, range.to), [range.from, range.to]);

  const duration = (seconds: number | null | undefined) => {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds < 90) return t("analytics.seconds", { n: formatNumber(Math.round(seconds)) });
    if (seconds < 5400) return t("analytics.minutes", { n: formatNumber(Math.round(seconds / 60)) });
    return t("analytics.hours", { n: formatNumber(Math.round((seconds / 3600) * 10) / 10) });
  };
  const intentLabel = (intent: string) => {
    const key = `intent.${intent}`;
    return isStringKey(key) ? t(key) : intent.replace(/_/g, " ");
  };
  const pct = (v: number) => formatNumber(v, { style: "percent", maximumFractionDigits: 1 });
  const preset = (days: number) => {
    const next = { from: daysAgo(days - 1), to: isoDate(new Date()) };
    setDraft(next);
    setRange(next);
  };

  const perDay = useMemo(
    () => (summary.data?.conversationsPerDay ?? []).map((d) => ({ label: d.date.slice(5), value: d.count })),
    [summary.data],
  );
  const data = summary.data;

  return (
    <div className="page">
      <PageHeader title={t("analytics.title")} />
      <div className="filters">
        <Button size="sm" onClick={() => preset(7)}>{t("analytics.last7")}</Button>
        <Button size="sm" onClick={() => preset(30)}>{t("analytics.last30")}</Button>
        <Button size="sm" onClick={() => preset(90)}>{t("analytics.last90")}</Button>
        <label className="inline-field">
          {t("common.from")} <input type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label className="inline-field">
          {t("common.to")} <input type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <Button size="sm" variant="primary" onClick={() => setRange(draft)}>{t("common.apply")}</Button>
      </div>
      {summary.loading ? <Loading /> : null}
      {summary.error ? <ErrorState error={summary.error} onRetry={summary.reload} /> : null}
      {data ? (
        <>
          <div className="kpis" data-testid="kpis">
            <div className="kpi"><span>{t("analytics.firstResponseBot")}</span><strong>{duration(data.firstResponse.botSeconds)}</strong></div>
            <div className="kpi"><span>{t("analytics.firstResponseHuman")}</span><strong>{duration(data.firstResponse.humanSeconds)}</strong></div>
            <div className="kpi"><span>{t("analytics.resolution")}</span><strong>{duration(data.resolutionSeconds)}</strong></div>
            <div className="kpi"><span>{t("analytics.botCoverage")}</span><strong>{pct(data.botCoverage)}</strong><Meter value={data.botCoverage} /></div>
            <div className="kpi"><span>{t("analytics.handoffRate")}</span><strong>{pct(data.handoffRate)}</strong><Meter value={data.handoffRate} tone="amber" /></div>
            <div className="kpi">
              <span>{t("analytics.orders")}</span>
              <strong>{formatNumber(data.ordersFromConversations.count)}</strong>
              <small>{t("analytics.revenue")}: {formatMoney(data.ordersFromConversations.revenue, data.ordersFromConversations.currency)}</small>
            </div>
          </div>
          <Card title={t("analytics.conversationsPerDay")}>
            {perDay.length === 0 ? <p className="muted">{t("analytics.noData")}</p> : <BarChart data={perDay} label={t("analytics.conversationsPerDay")} />}
          </Card>
          <div className="grid-2">
            <Card title={t("analytics.topIntents")}>
              {data.topIntents.length === 0 ? <p className="muted">{t("analytics.noData")}</p> : <HorizontalBars data={data.topIntents.map((i) => ({ label: intentLabel(i.intent), value: i.count }))} />}
            </Card>
            <Card title={t("analytics.unanswered")}>
              {data.unanswered.length === 0 ? <p className="muted">{t("analytics.noData")}</p> : null}
              <ul className="unanswered">
                {data.unanswered.map((u, i) => (
                  <li key={`${u.conversationId}-${i}`}>
                    <span dir="auto">{u.text}</span>
                    <span className="muted small">{formatDateTime(u.at)}</span>
                    <Button size="sm" variant="ghost" onClick={() => navigate({ page: "inbox", conversationId: u.conversationId })}>
                      {t("analytics.open")}
                    </Button>
                  </li>
                ))}
              </ul>
            </Card>
          </div>
        </>
      ) : null}
    </div>
  );
}

function Meter({ value, tone }: { value: number; tone?: "amber" }) {
  const v = Math.max(0, Math.min(1, value));
  return (
    <svg className={`meter ${tone ? `meter-${tone}` : ""}`} viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
      <rect x="0" y="0" width="100" height="6" rx="3" className="hbar-track" />
      <rect x="0" y="0" width={v * 100} height="6" rx="3" className="meter-fill" />
    </svg>
  );
}
