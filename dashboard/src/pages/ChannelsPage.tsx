import type { ChannelType, ChannelView, CommerceConnectionView, CommercePlatform, DeadLetterView } from "@kaleem/shared/contracts";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import {
  createChannel,
  createCommerce,
  deleteChannel,
  deleteCommerce,
  listChannels,
  listCommerce,
  listFailedDeliveries,
  retryDeadLetter,
  syncCommerce,
  updateChannel,
  updateCommerce,
  type ConfigPatch,
} from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import type { StringKey } from "../i18n/strings";
import { Button, Card, CopyField, ErrorState, Field, Loading, Notice, PageHeader, StatusPill, errorMessage } from "../ui/components";
import { Icon } from "../ui/icons";
import { configToSend, type ConfigField } from "./channel-config";
import { RouteLink } from "../ui/RouteLink";
import { useAsync } from "../ui/useAsync";

const CHANNEL_FIELDS: Record<ChannelType, ConfigField[]> = {
  telegram: [
    { key: "botToken", label: "cfg.botToken", secret: true },
    { key: "secretToken", label: "cfg.secretToken", secret: true, generated: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
  whatsapp: [
    { key: "phoneNumberId", label: "cfg.phoneNumberId" },
    { key: "accessToken", label: "cfg.accessToken", secret: true },
    { key: "appSecret", label: "cfg.appSecret", secret: true },
    { key: "verifyToken", label: "cfg.verifyToken", generated: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
  messenger: [
    { key: "pageId", label: "cfg.pageId" },
    { key: "accessToken", label: "cfg.pageAccessToken", secret: true },
    { key: "appSecret", label: "cfg.appSecret", secret: true },
    { key: "verifyToken", label: "cfg.verifyToken", generated: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
  instagram: [
    { key: "pageId", label: "cfg.pageId" },
    { key: "accessToken", label: "cfg.pageAccessToken", secret: true },
    { key: "appSecret", label: "cfg.appSecret", secret: true },
    { key: "verifyToken", label: "cfg.verifyToken", generated: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
};

const COMMERCE_FIELDS: Record<CommercePlatform, ConfigField[]> = {
  shopify: [
    { key: "shopDomain", label: "cfg.shopDomain" },
    { key: "webhookSecret", label: "cfg.webhookSigningSecret", secret: true },
    { key: "accessToken", label: "cfg.platformAccessToken", secret: true, optional: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
  salla: [
    { key: "merchantId", label: "cfg.sallaMerchantId" },
    { key: "securityStrategy", label: "cfg.securityStrategy", choices: ["signature", "token"] },
    { key: "webhookSecret", label: "cfg.webhookSecret", secret: true, generated: true },
    { key: "accessToken", label: "cfg.platformAccessToken", secret: true, optional: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
  zid: [
    { key: "storeId", label: "cfg.storeId" },
    { key: "username", label: "cfg.webhookUsername" },
    { key: "password", label: "cfg.webhookPassword", secret: true, generated: true },
    { key: "accessToken", label: "cfg.platformAccessToken", secret: true, optional: true },
    { key: "managerToken", label: "cfg.zidManagerToken", secret: true, optional: true },
    { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
  ],
};

const CHANNEL_NAMES: Record<ChannelType, string> = { telegram: "Telegram", whatsapp: "WhatsApp", messenger: "Messenger", instagram: "Instagram" };
const PLATFORM_NAMES: Record<CommercePlatform, string> = { shopify: "Shopify", salla: "Salla", zid: "Zid" };

function randomToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The fields' values as the form starts: stored public values when editing, blank secrets. */
function initialValues(fields: ConfigField[], stored: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    fields.map((f) => {
      if (stored) return [f.key, f.secret ? "" : (stored[f.key] ?? f.choices?.[0] ?? "")];
      return [f.key, f.generated ? randomToken() : (f.choices?.[0] ?? "")];
    }),
  );
}

/** A create form's values (it never clears a field, so there are no nulls). */
function filled(config: ConfigPatch): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter((e): e is [string, string] => e[1] !== null));
}

function ConfigForm({
  fields,
  withName,
  stored,
  onSubmit,
  onCancel,
  busyLabel,
}: {
  fields: ConfigField[];
  withName?: boolean;
  /** Editing a connection: its name and stored public config. Secret fields then start blank. */
  stored?: { name?: string; config: Record<string, string> };
  onSubmit: (name: string, config: ConfigPatch) => Promise<void>;
  onCancel?: () => void;
  /** Shown on the submit button while the request runs (connecting asks the provider first). */
  busyLabel?: string;
}) {
  const { t } = useI18n();
  const editing = stored !== undefined;
  const [name, setName] = useState(stored?.name ?? "");
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(fields, stored?.config));
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A second press (or Enter) while the first is with the server does nothing.
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim(), configToSend(fields, values, stored?.config));
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} data-testid={editing ? "config-edit-form" : "config-form"}>
      {editing && fields.some((f) => f.secret) ? (
        <p className="field-wide muted small secret-hint" data-testid="secret-hint">
          <Icon name="lock" size={13} /> {t("channels.secretKeepHint")}
        </p>
      ) : null}
      {withName ? (
        <Field label={t("common.name")} wide>
          <input required maxLength={80} dir="auto" value={name} onChange={(e) => setName(e.target.value)} data-testid="config-name" />
        </Field>
      ) : null}
      {fields.map((f) => (
        <Field
          key={f.key}
          label={`${t(f.label)}${f.optional ? ` (${t("common.optional")})` : ""}`}
          hint={editing && f.secret ? t("channels.secretKeep") : undefined}
        >
          {f.choices ? (
            <select name={f.key} value={values[f.key] ?? f.choices[0]} onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}>
              {f.choices.map((c) => (
                <option key={c} value={c}>
                  {t(`cfg.choice.${c}` as StringKey)}
                </option>
              ))}
            </select>
          ) : (
          <div className="input-with-button">
            <input
              dir="ltr"
              name={f.key}
              required={!f.optional && !(editing && f.secret)}
              type={f.secret && !f.generated ? "password" : "text"}
              autoComplete="off"
              placeholder={editing && f.secret ? "••••••••" : undefined}
              value={values[f.key] ?? ""}
              onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
            />
            {f.generated ? (
              <Button size="sm" onClick={() => setValues((v) => ({ ...v, [f.key]: randomToken() }))}>
                {t("channels.generate")}
              </Button>
            ) : null}
          </div>
          )}
        </Field>
      ))}
      {error ? <div className="error-box error-compact field-wide" role="alert">{error}</div> : null}
      <div className="form-actions field-wide">
        {onCancel ? <Button onClick={onCancel}>{t("common.cancel")}</Button> : null}
        <Button type="submit" variant="primary" disabled={busy} aria-busy={busy} data-testid={editing ? "config-save" : "config-connect"}>
          {busy && busyLabel ? busyLabel : editing ? t("common.save") : t("channels.connect")}
        </Button>
      </div>
    </form>
  );
}

function StatusLine({ status, lastEventAt, lastError, pausedUntil }: { status?: string; lastEventAt?: string | null; lastError?: string | null; pausedUntil?: string | null }) {
  const { t, formatDateTime } = useI18n();
  const s = (status ?? "active") as "active" | "error" | "disabled";
  // The breaker holds deliveries back after repeated provider errors; past its time it is closed.
  const paused = pausedUntil && Date.parse(pausedUntil) > Date.now() ? pausedUntil : null;
  return (
    <div className="status-line" data-testid="status-line">
      <StatusPill tone={s === "active" ? "green" : s === "error" ? "red" : "grey"}>
        <span data-testid="channel-status" data-status={s}>{t(`channels.status.${s}`)}</span>
      </StatusPill>
      <span className="muted small" data-testid="last-event">
        {t("channels.lastEvent")}: {lastEventAt ? formatDateTime(lastEventAt) : t("channels.never")}
      </span>
      {paused ? (
        <span className="pill pill-amber" data-testid="breaker" role="status">
          {t("channels.pausedUntil", { time: formatDateTime(paused) })}
        </span>
      ) : null}
      {lastError ? (
        <span className="inline-error small status-error" data-testid="last-error">
          {t("channels.lastError")}: <bdi>{lastError}</bdi>
        </span>
      ) : null}
    </div>
  );
}

/** What the provider said about the account when it was connected (bot username, verified name, page). */
function accountLabel(c: ChannelView): string | null {
  const f = c.config;
  switch (c.type) {
    case "telegram":
      return f.botUsername ? `@${f.botUsername}` : (f.botName ?? null);
    case "whatsapp":
      return [f.verifiedName, f.displayPhoneNumber].filter(Boolean).join(" · ") || null;
    case "messenger":
      return f.pageName ?? null;
    case "instagram":
      return f.username ? `@${f.username}` : null;
  }
}

/** A channel's dead deliveries: what failed, why, a retry, and the conversation it belongs to. */
function FailedDeliveries({ letters, onRetried }: { letters: DeadLetterView[]; onRetried: (letter: DeadLetterView) => void }) {
  const { t, formatDateTime } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (letters.length === 0) return null;
  const retry = async (letter: DeadLetterView) => {
    setBusy(letter.id);
    setError(null);
    try {
      await retryDeadLetter(letter);
      onRetried(letter);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="failed-deliveries" data-testid="failed-deliveries">
      <h3>{t("channels.failedDeliveries", { n: letters.length })}</h3>
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      <ul className="failed-list">
        {letters.map((letter) => (
          <li key={letter.id} className="failed-item" data-testid="failed-delivery" data-letter-id={letter.id}>
            <div className="failed-main">
              <div className="failed-error" dir="auto">
                <bdi>{letter.error}</bdi>
              </div>
              <div className="muted small">
                {formatDateTime(letter.failedAt)} · {t("channels.attempts", { n: letter.attempts })}
                {letter.conversationId ? (
                  <>
                    {" · "}
                    <RouteLink route={{ page: "inbox", conversationId: letter.conversationId }} data-testid="failed-open-conversation">
                      {t("channels.openConversation")}
                    </RouteLink>
                  </>
                ) : null}
              </div>
            </div>
            <Button size="sm" disabled={busy !== null} onClick={() => void retry(letter)} data-testid="failed-retry">
              {busy === letter.id ? t("common.loading") : t("channels.retryDelivery")}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Where the connection's import or reconciliation stands, and the buttons that start one. */
function SyncPanel({ connection, onQueued }: { connection: CommerceConnectionView; onQueued: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sync = connection.sync;
  // The "queued" note goes once the run it announced has ended.
  useEffect(() => {
    if (sync?.finishedAt) setMessage(null);
  }, [sync?.finishedAt]);
  const start = async (mode: "import" | "reconcile") => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await syncCommerce(connection.id, mode);
      setMessage(t("sync.queued"));
      onQueued();
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };
  const tone = sync?.state === "done" ? "green" : sync?.state === "failed" ? "red" : "blue";
  return (
    <div className="sync-panel" data-testid="commerce-sync">
      <div className="sync-head">
        <strong className="small">{t("sync.title")}</strong>
        <div className="row-actions">
          <Button size="sm" disabled={busy || connection.status === "disabled"} onClick={() => void start("import")} data-testid="sync-import">
            {t("sync.import")}
          </Button>
          <Button size="sm" disabled={busy || connection.status === "disabled" || sync === null} onClick={() => void start("reconcile")} data-testid="sync-reconcile">
            {t("sync.reconcile")}
          </Button>
        </div>
      </div>
      {sync === null ? (
        <p className="muted small">{t("sync.never")}</p>
      ) : (
        <div className="status-line" data-testid="sync-state">
          <StatusPill tone={tone}>
            {t(`sync.mode.${sync.mode}`)} · {t(`sync.state.${sync.state}`)}
          </StatusPill>
          <span className="small">{t("sync.counts", { products: String(sync.products), orders: String(sync.orders), pages: String(sync.pages) })}</span>
          {sync.state === "running" ? <span className="muted small">{t("sync.walking", { phase: t(`sync.phase.${sync.phase}`) })}</span> : null}
          <span className="muted small">
            {t("sync.started", { time: formatDateTime(sync.startedAt) })}
            {sync.finishedAt ? ` · ${t("sync.finished", { time: formatDateTime(sync.finishedAt) })}` : ""}
          </span>
          {sync.error ? (
            <span className="inline-error small" dir="auto">
              {sync.error}
              {sync.state === "running" ? ` — ${t("sync.resumes")}` : ""}
            </span>
          ) : null}
        </div>
      )}
      {message ? <p className="muted small">{message}</p> : null}
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
    </div>
  );
}

export function ChannelsPage() {
  const { t } = useI18n();
  const channels = useAsync(async () => (await listChannels()).items, []);
  const failed = useAsync(async () => (await listFailedDeliveries()).items, []);
  /** The connect form's Idempotency-Key, kept while the same values are submitted again. */
  const connectKey = useRef<{ body: string; key: string } | null>(null);
  const [justConnected, setJustConnected] = useState<string | null>(null);
  const commerce = useAsync(async () => (await listCommerce()).items, []);
  const [type, setType] = useState<ChannelType>("telegram");
  const [platform, setPlatform] = useState<CommercePlatform>("shopify");
  const [justCreated, setJustCreated] = useState<{ webhookUrl: string; verifyToken?: string } | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  /** The connection whose edit form is open (one at a time). */
  const [editing, setEditing] = useState<string | null>(null);
  // While a sync runs, its progress is read again every few seconds.
  const running = commerce.data?.some((c) => c.sync?.state === "running") ?? false;
  const { setData: setCommerce } = commerce;
  /** Reads the connections again without the loading state (progress updates in place). */
  const refreshCommerce = useCallback(() => {
    listCommerce().then((r) => setCommerce(r.items), () => undefined);
  }, [setCommerce]);
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(refreshCommerce, 3000);
    return () => window.clearInterval(timer);
  }, [running, refreshCommerce]);

  const toggleCommerce = async (c: CommerceConnectionView) => {
    setRowError(null);
    try {
      const updated = await updateCommerce(c.id, { status: c.status === "disabled" ? "active" : "disabled" });
      commerce.setData((list) => (list ?? []).map((x) => (x.id === c.id ? { ...x, ...updated } : x)));
    } catch (err) {
      setRowError(errorMessage(err, t("common.error")));
    }
  };

  const toggle = async (c: ChannelView) => {
    setRowError(null);
    try {
      const updated = await updateChannel(c.id, { status: c.status === "disabled" ? "active" : "disabled" });
      channels.setData((list) => (list ?? []).map((x) => (x.id === c.id ? { ...x, ...updated } : x)));
    } catch (err) {
      setRowError(errorMessage(err, t("common.error")));
    }
  };
  const removeChannel = async (id: string) => {
    if (!window.confirm(t("common.confirmDelete"))) return;
    try {
      await deleteChannel(id);
      channels.setData((list) => (list ?? []).filter((x) => x.id !== id));
    } catch (err) {
      setRowError(errorMessage(err, t("common.error")));
    }
  };
  const removeCommerce = async (id: string) => {
    if (!window.confirm(t("common.confirmDelete"))) return;
    try {
      await deleteCommerce(id);
      commerce.setData((list) => (list ?? []).filter((x) => x.id !== id));
    } catch (err) {
      setRowError(errorMessage(err, t("common.error")));
    }
  };

  return (
    <div className="page">
      <PageHeader title={t("channels.title")} />
      {rowError ? <div className="error-box error-compact" role="alert">{rowError}</div> : null}
      {justCreated ? (
        <Notice tone="success">
          {justConnected ? <strong data-testid="connected-as">{t("channels.verifiedAs", { account: justConnected })}</strong> : null}
          <div>{t("channels.pasteHint")}</div>
          <CopyField label={t("channels.webhookUrl")} value={justCreated.webhookUrl} />
          {justCreated.verifyToken ? <CopyField label={t("channels.verifyToken")} value={justCreated.verifyToken} /> : null}
        </Notice>
      ) : null}
      <div className="grid-2">
        <Card title={t("channels.messaging")}>
          {channels.loading ? <Loading /> : null}
          {channels.error ? <ErrorState error={channels.error} onRetry={channels.reload} /> : null}
          {channels.data && channels.data.length === 0 ? <p className="muted">{t("channels.none")}</p> : null}
          <ul className="conn-list">
            {channels.data?.map((c: ChannelView) => (
              <li key={c.id} className="conn-item" data-testid="channel-item" data-channel-id={c.id} data-channel-type={c.type}>
                <div className="conn-item-head">
                  <strong>
                    {CHANNEL_NAMES[c.type]} · <bdi>{c.name}</bdi>
                  </strong>
                  <div className="row-actions">
                    <Button size="sm" onClick={() => setEditing(editing === c.id ? null : c.id)} aria-expanded={editing === c.id} data-testid="channel-edit">
                      {t("common.edit")}
                    </Button>
                    <Button size="sm" onClick={() => void toggle(c)} data-testid="channel-toggle">
                      {c.status === "disabled" ? t("channels.enable") : t("channels.disable")}
                    </Button>
                    <Button size="sm" variant="danger" onClick={() => void removeChannel(c.id)}>
                      {t("common.delete")}
                    </Button>
                  </div>
                </div>
                {accountLabel(c) ? (
                  <div className="small conn-account" data-testid="channel-account">
                    {t("channels.connectedAs")} <bdi dir="auto">{accountLabel(c)}</bdi>
                  </div>
                ) : null}
                <StatusLine status={c.status} lastEventAt={c.lastEventAt} lastError={c.lastError} pausedUntil={c.breakerOpenUntil} />
                {editing === c.id ? (
                  <ConfigForm
                    fields={CHANNEL_FIELDS[c.type]}
                    withName
                    stored={{ name: c.name, config: { ...c.config, ...(c.verifyToken !== undefined && { verifyToken: c.verifyToken }) } }}
                    onCancel={() => setEditing(null)}
                    onSubmit={async (name, config) => {
                      const updated = await updateChannel(c.id, { ...(name !== c.name && { name }), ...(Object.keys(config).length > 0 && { config }) });
                      channels.setData((list) => (list ?? []).map((x) => (x.id === c.id ? updated : x)));
                      setEditing(null);
                    }}
                  />
                ) : (
                  <>
                    <CopyField label={t("channels.webhookUrl")} value={c.webhookUrl} />
                    {c.verifyToken ? <CopyField label={t("channels.verifyToken")} value={c.verifyToken} /> : null}
                  </>
                )}
                <FailedDeliveries
                  letters={(failed.data ?? []).filter((l) => l.channelId === c.id)}
                  onRetried={(letter) => {
                    failed.setData((list) => (list ?? []).filter((l) => l.id !== letter.id));
                    failed.reload();
                  }}
                />
              </li>
            ))}
          </ul>
          <div className="segmented" role="tablist">
            {(Object.keys(CHANNEL_FIELDS) as ChannelType[]).map((k) => (
              <button key={k} type="button" role="tab" aria-selected={type === k} className={type === k ? "active" : ""} onClick={() => setType(k)}>
                {CHANNEL_NAMES[k]}
              </button>
            ))}
          </div>
          <ConfigForm
            key={type}
            fields={CHANNEL_FIELDS[type]}
            withName
            onSubmit={async (name, config) => {
              const input = { type, name: name || CHANNEL_NAMES[type], config: filled(config) };
              const body = JSON.stringify(input);
              if (connectKey.current?.body !== body) connectKey.current = { body, key: randomToken() };
              const created = await createChannel(input, connectKey.current.key);
              connectKey.current = null;
              channels.setData((list) => [...(list ?? []).filter((c) => c.id !== created.id), created]);
              setJustConnected(accountLabel(created));
              setJustCreated({ webhookUrl: created.webhookUrl, verifyToken: created.verifyToken ?? config.verifyToken ?? undefined });
            }}
            busyLabel={t("channels.checking")}
          />
        </Card>
        <Card title={t("channels.commerce")}>
          {commerce.loading ? <Loading /> : null}
          {commerce.error ? <ErrorState error={commerce.error} onRetry={commerce.reload} /> : null}
          {commerce.data && commerce.data.length === 0 ? <p className="muted">{t("channels.noneCommerce")}</p> : null}
          <ul className="conn-list">
            {commerce.data?.map((c: CommerceConnectionView) => (
              <li key={c.id} className="conn-item" data-testid="commerce-item">
                <div className="conn-item-head">
                  <strong>{PLATFORM_NAMES[c.platform]}</strong>
                  <div className="row-actions">
                    <Button size="sm" onClick={() => setEditing(editing === c.id ? null : c.id)} aria-expanded={editing === c.id} data-testid="commerce-edit">
                      {t("common.edit")}
                    </Button>
                    <Button size="sm" onClick={() => void toggleCommerce(c)} data-testid="commerce-toggle">
                      {c.status === "disabled" ? t("channels.enable") : t("channels.disable")}
                    </Button>
                    <Button size="sm" variant="danger" onClick={() => void removeCommerce(c.id)}>
                      {t("common.delete")}
                    </Button>
                  </div>
                </div>
                <StatusLine status={c.status} lastEventAt={c.lastEventAt} lastError={c.lastError} />
                {editing === c.id ? (
                  <ConfigForm
                    fields={COMMERCE_FIELDS[c.platform]}
                    stored={{ config: c.config }}
                    onCancel={() => setEditing(null)}
                    onSubmit={async (_name, config) => {
                      const updated = Object.keys(config).length > 0 ? await updateCommerce(c.id, { config }) : c;
                      commerce.setData((list) => (list ?? []).map((x) => (x.id === c.id ? updated : x)));
                      setEditing(null);
                    }}
                  />
                ) : (
                  <CopyField label={t("channels.webhookUrl")} value={c.webhookUrl} />
                )}
                <SyncPanel connection={c} onQueued={() => window.setTimeout(refreshCommerce, 500)} />
              </li>
            ))}
          </ul>
          <div className="segmented" role="tablist">
            {(Object.keys(COMMERCE_FIELDS) as CommercePlatform[]).map((k) => (
              <button key={k} type="button" role="tab" aria-selected={platform === k} className={platform === k ? "active" : ""} onClick={() => setPlatform(k)}>
                {PLATFORM_NAMES[k]}
              </button>
            ))}
          </div>
          <ConfigForm
            key={platform}
            fields={COMMERCE_FIELDS[platform]}
            onSubmit={async (_name, config) => {
              const created = await createCommerce({ platform, config: filled(config) });
              commerce.setData((list) => [...(list ?? []), created]);
              setJustCreated({ webhookUrl: created.webhookUrl });
            }}
          />
        </Card>
      </div>
    </div>
  );
}
