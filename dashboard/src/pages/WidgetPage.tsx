import { safeColor, textOn, WIDGET_BOT_SUBTITLE, type Locale, type WidgetSettingsView } from "@kaleem/shared/contracts";
import { useEffect, useState } from "react";
import { getWidgetSettings, issueIdentitySecret, rotateWidgetKey, updateWidgetSettings } from "../api/endpoints";
import { useAuth } from "../app/auth";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../ui/icons";
import { Button, Card, CopyField, ErrorState, Field, Loading, Notice, PageHeader, errorMessage } from "../ui/components";
import { useAsync } from "../ui/useAsync";

export function embedSnippet(origin: string, key: string): string {
  return `<script src="${origin}/widget.js" data-widget-key="${key}" async></script>`;
}

/** The widget as a shopper first sees it: the same header (store name, the bot's line, ×), colours and text colour rule. */
function Preview({ settings, storeName }: { settings: WidgetSettingsView; storeName: string }) {
  const { t, lang } = useI18n();
  const previewLang: Locale = settings.languages.includes(lang) ? lang : settings.languages[0] ?? "en";
  const greeting = settings.greeting[previewLang] || settings.greeting.en || settings.greeting.ar;
  const color = safeColor(settings.color);
  const fg = textOn(color);
  return (
    <div className="widget-preview" data-testid="widget-preview" dir={previewLang === "ar" ? "rtl" : "ltr"}>
      <div className="wp-panel">
        <div className="wp-head" data-testid="widget-preview-head" style={{ background: color, color: fg }}>
          <div className="wp-head-t">
            <strong>{storeName || t("widget.previewTitle")}</strong>
            <span>{WIDGET_BOT_SUBTITLE[previewLang]}</span>
          </div>
          <span className="wp-x" aria-hidden="true">
            ×
          </span>
        </div>
        <div className="wp-body">
          <div className="wp-bubble">{greeting}</div>
        </div>
        <div className="wp-input">
          <span>{t("widget.previewInput")}</span>
          <span className="wp-send" style={{ background: color, color: fg }}>
            <Icon name="send" size={14} />
          </span>
        </div>
      </div>
      <div className="wp-launcher" style={{ background: color, color: fg }} aria-hidden="true">
        <Icon name="chat" size={26} />
      </div>
    </div>
  );
}

export function WidgetPage() {
  const { t } = useI18n();
  const { reload: reloadMe, merchant } = useAuth();
  const settings = useAsync(getWidgetSettings, []);
  const [draft, setDraft] = useState<WidgetSettingsView | null>(null);
  const [origins, setOrigins] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  /** Only the response to "issue" carries it; it is gone once the page is left. */
  const [identitySecret, setIdentitySecret] = useState<string | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    setDraft(settings.data);
    setOrigins(settings.data.allowedOrigins.join("\n"));
  }, [settings.data]);

  if (settings.loading && !draft) return <Loading />;
  if (settings.error) return (
    <div className="page">
      <PageHeader title={t("widget.title")} />
      <ErrorState error={settings.error} onRetry={settings.reload} />
    </div>
  );
  if (!draft) return null;

  const set = (patch: Partial<WidgetSettingsView>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const toggleLang = (l: Locale) => {
    const has = draft.languages.includes(l);
    const languages = has ? draft.languages.filter((x) => x !== l) : [...draft.languages, l];
    if (languages.length > 0) set({ languages });
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await updateWidgetSettings({
        allowedOrigins: origins.split(/\s+/).map((o) => o.trim()).filter(Boolean),
        allowApps: draft.allowApps,
        color: draft.color,
        greeting: draft.greeting,
        languages: draft.languages,
      });
      settings.setData(next);
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    if (!window.confirm(t("widget.rotateConfirm"))) return;
    setError(null);
    try {
      const res = await rotateWidgetKey();
      if (res.key) settings.setData({ ...draft, ...res, key: res.key });
      else settings.reload();
      void reloadMe();
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  const newIdentitySecret = async () => {
    if (!window.confirm(t("widget.identityConfirm"))) return;
    setError(null);
    try {
      setIdentitySecret((await issueIdentitySecret()).identitySecret);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  return (
    <div className="page page-split">
      <div className="page-main">
        <PageHeader title={t("widget.title")} />
        <Card>
          <div className="key-row">
            <CopyField label={t("widget.key")} value={draft.key} />
            <Button variant="danger" onClick={() => void rotate()} data-testid="rotate-key">
              {t("widget.rotate")}
            </Button>
          </div>
          <CopyField label={t("widget.snippet")} value={embedSnippet(window.location.origin, draft.key)} multiline />
          <p className="muted small">{t("widget.snippetHelp")}</p>
        </Card>
        <Card title={t("widget.identity")}>
          <p className="muted small">{t("widget.identityHelp")}</p>
          {identitySecret ? <CopyField label={t("widget.identity")} value={identitySecret} /> : null}
          <div className="form-actions">
            <Button onClick={() => void newIdentitySecret()} data-testid="identity-secret">
              {t("widget.identityNew")}
            </Button>
          </div>
        </Card>
        <Card>
          <div className="form-grid">
            <Field label={t("widget.origins")} wide>
              <textarea dir="ltr" rows={4} value={origins} onChange={(e) => { setSaved(false); setOrigins(e.target.value); }} />
            </Field>
            <label className="check field-wide">
              <input type="checkbox" checked={draft.allowApps} onChange={(e) => set({ allowApps: e.target.checked })} />
              {t("widget.allowApps")}
            </label>
            <Field label={t("widget.color")}>
              <div className="color-row">
                <input type="color" value={/^#[0-9a-fA-F]{6}$/.test(draft.color) ? draft.color : "#0f766e"} onChange={(e) => set({ color: e.target.value })} />
                <input dir="ltr" value={draft.color} onChange={(e) => set({ color: e.target.value })} />
              </div>
            </Field>
            <fieldset className="field">
              <legend className="field-label">{t("widget.languages")}</legend>
              <label className="check">
                <input type="checkbox" checked={draft.languages.includes("en")} onChange={() => toggleLang("en")} />
                {t("common.english")}
              </label>
              <label className="check">
                <input type="checkbox" checked={draft.languages.includes("ar")} onChange={() => toggleLang("ar")} />
                {t("common.arabic")}
              </label>
            </fieldset>
            <Field label={t("widget.greetingEn")} wide>
              <textarea dir="ltr" rows={2} value={draft.greeting.en} onChange={(e) => set({ greeting: { ...draft.greeting, en: e.target.value } })} />
            </Field>
            <Field label={t("widget.greetingAr")} wide>
              <textarea dir="rtl" rows={2} value={draft.greeting.ar} onChange={(e) => set({ greeting: { ...draft.greeting, ar: e.target.value } })} />
            </Field>
          </div>
          {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
          {saved ? <Notice tone="success">{t("common.saved")}</Notice> : null}
          <div className="form-actions">
            <Button variant="primary" disabled={busy} onClick={() => void save()}>
              {t("common.save")}
            </Button>
          </div>
        </Card>
      </div>
      <div className="page-aside">
        <Card title={t("widget.preview")}>
          <Preview settings={{ ...draft }} storeName={merchant?.name ?? ""} />
        </Card>
      </div>
    </div>
  );
}
