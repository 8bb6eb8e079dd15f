// Outgoing webhooks (POST/PATCH/DELETE /webhook-endpoints, /webhook-deliveries): endpoints with the
// events they take, the signing secret shown once, "send test event", and the delivery log.
import type { OutgoingEventType, WebhookDeliveryView, WebhookEndpointView } from "@kaleem/shared/contracts";
import { OUTGOING_EVENT_TYPES } from "@kaleem/shared/contracts";
import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
} from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import type { StringKey } from "../i18n/strings";
import { Button, Card, CopyField, ErrorState, Field, Loading, Notice, PageHeader, StatusPill, errorMessage } from "../ui/components";
import { useAsync } from "../ui/useAsync";

const eventLabel = (type: OutgoingEventType): StringKey => `webhooks.event.${type}` as StringKey;

function EventChecks({ value, onChange }: { value: OutgoingEventType[]; onChange: (next: OutgoingEventType[]) => void }) {
  const { t } = useI18n();
  return (
    <div className="check-list" role="group">
      {OUTGOING_EVENT_TYPES.map((type) => (
        <label key={type} className="check">
          <input
            type="checkbox"
            checked={value.includes(type)}
            onChange={(e) => onChange(e.target.checked ? [...value, type] : value.filter((v) => v !== type))}
            data-testid={`event-${type}`}
          />
          <span>{t(eventLabel(type))}</span> <code dir="ltr" className="muted small">{type}</code>
        </label>
      ))}
    </div>
  );
}

export function WebhooksPage() {
  const { t, formatDateTime } = useI18n();
  const endpoints = useAsync(async () => (await listWebhookEndpoints()).items, []);
  const deliveries = useAsync(async () => listWebhookDeliveries(), []);
  const { setData: setDeliveries } = deliveries;
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<OutgoingEventType[]>(["conversation.started", "order.created"]);
  const [secret, setSecret] = useState<{ endpointId: string; value: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const urls = useMemo(() => new Map((endpoints.data ?? []).map((e) => [e.id, e.url])), [endpoints.data]);

  /** The log again, in place (a test event shows up within a second or two). */
  const refreshLog = useCallback(() => {
    listWebhookDeliveries().then(setDeliveries, () => undefined);
  }, [setDeliveries]);
  /** A test event just sent: the log is read every second until its delivery shows (at most 20 s). */
  const [awaiting, setAwaiting] = useState<{ eventId: string; until: number } | null>(null);
  const retrying = deliveries.data?.items.some((d) => d.status === "pending") ?? false;
  const arrived = awaiting !== null && (deliveries.data?.items.some((d) => d.eventId === awaiting.eventId && d.status !== "pending") ?? false);
  useEffect(() => {
    if (arrived) setAwaiting(null);
  }, [arrived]);
  useEffect(() => {
    if (!retrying && !awaiting) return;
    const timer = window.setInterval(() => {
      if (awaiting && Date.now() > awaiting.until) setAwaiting(null);
      refreshLog();
    }, awaiting ? 1000 : 3000);
    return () => window.clearInterval(timer);
  }, [retrying, awaiting, refreshLog]);

  const act = async (fn: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    await act(async () => {
      const created = await createWebhookEndpoint({ url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) });
      const { secret: value, ...view } = created;
      endpoints.setData((list) => [...(list ?? []), view]);
      setSecret({ endpointId: created.id, value });
      setUrl("");
      setDescription("");
    });
    setBusy(false);
  };

  const replace = (updated: WebhookEndpointView) => endpoints.setData((list) => (list ?? []).map((x) => (x.id === updated.id ? updated : x)));

  return (
    <div className="page">
      <PageHeader title={t("webhooks.title")}>
        <p className="muted">{t("webhooks.intro")}</p>
        <code className="signature-formula" dir="ltr">
          X-Kaleem-Signature: sha256=hex(HMAC-SHA256(secret, X-Kaleem-Timestamp + "." + body))
        </code>
      </PageHeader>
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {secret ? (
        <Notice tone="success">
          <div>{t("webhooks.secretOnce")}</div>
          <CopyField label={urls.get(secret.endpointId) ?? ""} value={secret.value} />
        </Notice>
      ) : null}
      <div className="stack">
        <Card title={t("webhooks.title")}>
          {endpoints.loading ? <Loading /> : null}
          {endpoints.error ? <ErrorState error={endpoints.error} onRetry={endpoints.reload} /> : null}
          {endpoints.data && endpoints.data.length === 0 ? <p className="muted">{t("webhooks.none")}</p> : null}
          <ul className="conn-list">
            {endpoints.data?.map((endpoint) => (
              <li key={endpoint.id} className="conn-item" data-testid="webhook-item">
                <div className="conn-item-head">
                  <strong className="webhook-url" dir="ltr">
                    <bdi>{endpoint.url}</bdi>
                  </strong>
                  <StatusPill tone={endpoint.status === "active" ? "green" : "grey"}>{t(`channels.status.${endpoint.status}`)}</StatusPill>
                </div>
                {endpoint.description ? (
                  <p className="muted small" dir="auto">
                    {endpoint.description}
                  </p>
                ) : null}
                <EventChecks value={endpoint.events} onChange={(next) => void act(async () => (next.length > 0 ? replace(await updateWebhookEndpoint(endpoint.id, { events: next })) : undefined))} />
                <div className="row-actions">
                  <Button
                    size="sm"
                    variant="primary"
                    data-testid="webhook-test"
                    onClick={() =>
                      void act(async () => {
                        const { eventId } = await sendTestWebhook(endpoint.id);
                        setNotice(t("webhooks.testQueued"));
                        setAwaiting({ eventId, until: Date.now() + 20_000 });
                      })
                    }
                  >
                    {t("webhooks.test")}
                  </Button>
                  <Button size="sm" onClick={() => void act(async () => replace(await updateWebhookEndpoint(endpoint.id, { status: endpoint.status === "active" ? "disabled" : "active" })))}>
                    {endpoint.status === "active" ? t("channels.disable") : t("channels.enable")}
                  </Button>
                  <Button
                    size="sm"
                    onClick={() =>
                      void act(async () => {
                        const rotated = await rotateWebhookSecret(endpoint.id);
                        setSecret({ endpointId: endpoint.id, value: rotated.secret });
                      })
                    }
                  >
                    {t("webhooks.rotate")}
                  </Button>
                  <Button
                    size="sm"
                    variant="danger"
                    onClick={() =>
                      void act(async () => {
                        if (!window.confirm(t("common.confirmDelete"))) return;
                        await deleteWebhookEndpoint(endpoint.id);
                        endpoints.setData((list) => (list ?? []).filter((x) => x.id !== endpoint.id));
                      })
                    }
                  >
                    {t("common.delete")}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          <form className="form-grid" onSubmit={(e) => void add(e)} data-testid="webhook-form">
            <Field label={t("webhooks.url")} wide>
              <input dir="ltr" type="url" required value={url} placeholder="https://n8n.example.com/webhook/kaleem" onChange={(e) => setUrl(e.target.value)} data-testid="webhook-url" />
            </Field>
            <Field label={`${t("webhooks.description")} (${t("common.optional")})`} wide>
              <input dir="auto" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />
            </Field>
            <Field label={t("webhooks.events")} wide>
              <EventChecks value={events} onChange={setEvents} />
            </Field>
            <div className="form-actions field-wide">
              <Button type="submit" variant="primary" disabled={busy || events.length === 0} data-testid="webhook-add">
                {t("webhooks.add")}
              </Button>
            </div>
          </form>
        </Card>
        <Card title={t("webhooks.log")} actions={<Button size="sm" onClick={refreshLog}>{t("webhooks.refresh")}</Button>}>
          {deliveries.loading ? <Loading /> : null}
          {deliveries.error ? <ErrorState error={deliveries.error} onRetry={deliveries.reload} /> : null}
          {deliveries.data && deliveries.data.items.length === 0 ? <p className="muted">{t("webhooks.noDeliveries")}</p> : null}
          {deliveries.data && deliveries.data.items.length > 0 ? (
            <div className="table-wrap">
              <table className="table" data-testid="delivery-table">
                <thead>
                  <tr>
                    <th>{t("webhooks.col.time")}</th>
                    <th>{t("webhooks.col.event")}</th>
                    <th>{t("webhooks.col.status")}</th>
                    <th>{t("webhooks.col.attempts")}</th>
                    <th>{t("webhooks.col.answer")}</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.data.items.map((d: WebhookDeliveryView) => (
                    <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                      <td className="nowrap">{formatDateTime(d.createdAt)}</td>
                      <td>
                        <div>
                          {t(eventLabel(d.eventType))} {d.test ? <StatusPill tone="blue">{t("webhooks.testTag")}</StatusPill> : null}
                        </div>
                        <code dir="ltr" className="muted small" title={urls.get(d.endpointId) ?? d.endpointId}>
                          {urls.get(d.endpointId) ?? d.endpointId}
                        </code>
                      </td>
                      <td>
                        <StatusPill tone={d.status === "delivered" ? "green" : d.status === "failed" ? "red" : "amber"}>{t(`webhooks.status.${d.status}`)}</StatusPill>
                      </td>
                      <td>{d.attempts}</td>
                      <td className="small" dir="ltr">
                        {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : ""} {d.lastError ? <span className="inline-error">{d.lastError}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </Card>
      </div>
    </div>
  );
}
