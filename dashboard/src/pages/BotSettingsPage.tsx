// How the bot behaves for this store: when it hands off, how checkout works, its LLM budget, and
// the merchant's own phrasings of intents (used on top of the built-in model).
import { BOT_INTENTS, type BotIntent } from "@kaleem/shared/contracts";
import { useEffect, useState, type FormEvent } from "react";
import { getBotSettings, updateBotSettings } from "../api/endpoints";
import { draftToPatch, MAX_EXAMPLE_LENGTH, MAX_EXAMPLES, newExampleKey, toDraft, type Draft } from "./bot-settings";
import { useSignedIn } from "../app/auth";
import { useI18n } from "../i18n/i18n";
import { Button, Card, ErrorState, Field, Loading, Notice, PageHeader, errorMessage } from "../ui/components";
import { useAsync } from "../ui/useAsync";

export function BotSettingsPage() {
  const { t, formatNumber } = useI18n();
  const { merchant } = useSignedIn();
  const settings = useAsync(getBotSettings, []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (settings.data) setDraft(toDraft(settings.data));
  }, [settings.data]);

  if (settings.error)
    return (
      <div className="page">
        <PageHeader title={t("bot.title")} />
        <ErrorState error={settings.error} onRetry={settings.reload} />
      </div>
    );
  if (!draft) return <Loading />;

  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const setExample = (key: number, patch: Partial<Draft["examples"][number]>) =>
    set({ examples: draft.examples.map((e) => (e.key === key ? { ...e, ...patch } : e)) });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const result = draftToPatch(draft);
    if ("error" in result) {
      setError(t(result.error));
      return;
    }
    setBusy(true);
    try {
      settings.setData(await updateBotSettings(result.patch));
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const budget = Number(draft.budget || "0");

  return (
    <form className="page" onSubmit={(e) => void save(e)} data-testid="bot-settings">
      <PageHeader
        title={t("bot.title")}
        actions={
          <Button type="submit" variant="primary" disabled={busy} data-testid="bot-save">
            {t("common.save")}
          </Button>
        }
      >
        <p className="muted">{t("bot.help")}</p>
      </PageHeader>
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {saved ? (
        <Notice tone="success">
          <span data-testid="bot-saved">{t("common.saved")}</span>
        </Notice>
      ) : null}
      <div className="grid-2">
        <Card title={t("bot.handoff")}>
          <fieldset className="field">
            <legend className="field-label">{t("bot.lowConfidence")}</legend>
            {(["clarify", "handoff"] as const).map((value) => (
              <label key={value} className="check">
                <input type="radio" name="lowConfidence" value={value} checked={draft.lowConfidence === value} onChange={() => set({ lowConfidence: value })} />
                {t(`bot.lowConfidence.${value}`)}
              </label>
            ))}
          </fieldset>
          <Field label={t("bot.keywords")} hint={t("bot.keywordsHint")}>
            <textarea dir="auto" rows={4} value={draft.keywords} onChange={(e) => set({ keywords: e.target.value })} data-testid="bot-keywords" />
          </Field>
          <Field label={t("bot.orderValue", { currency: merchant.currency })} hint={t("bot.orderValueHint")}>
            <input type="number" min={0} step="any" dir="ltr" value={draft.handoffOrderValue} onChange={(e) => set({ handoffOrderValue: e.target.value })} data-testid="bot-order-value" />
          </Field>
          <fieldset className="field">
            <legend className="field-label">{t("bot.whileWaiting")}</legend>
            {(["answer", "notice", "silent"] as const).map((value) => (
              <label key={value} className="check">
                <input type="radio" name="whileWaiting" value={value} checked={draft.whileWaiting === value} onChange={() => set({ whileWaiting: value })} />
                {t(`bot.whileWaiting.${value}`)}
              </label>
            ))}
          </fieldset>
        </Card>
        <Card title={t("bot.limits")}>
          <Field label={t("bot.maxOrderQuantity")}>
            <input type="number" min={1} step={1} dir="ltr" value={draft.maxOrderQuantity} onChange={(e) => set({ maxOrderQuantity: e.target.value })} data-testid="bot-max-quantity" />
          </Field>
          <Field label={t("bot.maxOrderValue", { currency: merchant.currency })}>
            <input type="number" min={1} step="any" dir="ltr" value={draft.maxOrderValue} onChange={(e) => set({ maxOrderValue: e.target.value })} data-testid="bot-max-value" />
          </Field>
          <Field label={t("bot.maxOpenCodOrders")} hint={t("bot.maxOpenCodOrdersHint")}>
            <input type="number" min={0} step={1} dir="ltr" value={draft.maxOpenCodOrders} onChange={(e) => set({ maxOpenCodOrders: e.target.value })} data-testid="bot-max-open" />
          </Field>
        </Card>
        <Card title={t("bot.language")}>
          <fieldset className="field">
            <legend className="field-label">{t("bot.arabicDigits")}</legend>
            {(["western", "arabic"] as const).map((value) => (
              <label key={value} className="check">
                <input type="radio" name="arabicDigits" value={value} checked={draft.arabicDigits === value} onChange={() => set({ arabicDigits: value })} data-testid={`bot-digits-${value}`} />
                {t(`bot.arabicDigits.${value}`)}
              </label>
            ))}
          </fieldset>
        </Card>
        <Card title={t("bot.checkoutAndLlm")}>
          <fieldset className="field">
            <legend className="field-label">{t("bot.checkout")}</legend>
            {(["cod", "platform"] as const).map((value) => (
              <label key={value} className="check">
                <input type="radio" name="checkout" value={value} checked={draft.checkout === value} onChange={() => set({ checkout: value })} />
                {t(`bot.checkout.${value}`)}
              </label>
            ))}
          </fieldset>
          <Field label={t("bot.checkoutUrl")} hint={t("bot.checkoutUrlHint")}>
            <input
              type="url"
              dir="ltr"
              placeholder="https://shop.example.com/checkout"
              required={draft.checkout === "platform"}
              value={draft.platformCheckoutUrl}
              onChange={(e) => set({ platformCheckoutUrl: e.target.value })}
              data-testid="bot-checkout-url"
            />
          </Field>
          <Field
            label={t("bot.budget")}
            hint={budget === 0 ? t("bot.budgetOff") : t("bot.budgetHint", { n: Number.isFinite(budget) ? formatNumber(budget) : draft.budget })}
          >
            <input type="number" min={0} step={1000} dir="ltr" value={draft.budget} onChange={(e) => set({ budget: e.target.value })} data-testid="bot-budget" />
          </Field>
        </Card>
      </div>
      <Card
        title={t("bot.examples")}
        actions={
          <Button
            size="sm"
            disabled={draft.examples.length >= MAX_EXAMPLES}
            onClick={() => set({ examples: [...draft.examples, { key: newExampleKey(), text: "", intent: "product_search" }] })}
            data-testid="example-add"
          >
            {t("bot.addExample")}
          </Button>
        }
      >
        <p className="muted small">{t("bot.examplesHelp")}</p>
        {draft.examples.length === 0 ? <p className="muted">{t("bot.noExamples")}</p> : null}
        <ul className="example-list" data-testid="example-list">
          {draft.examples.map((example, i) => (
            <li key={example.key} className="example-row" data-testid="example-row">
              <input
                dir="auto"
                maxLength={MAX_EXAMPLE_LENGTH}
                placeholder={t("bot.examplePlaceholder")}
                aria-label={t("bot.exampleText", { n: i + 1 })}
                value={example.text}
                onChange={(e) => setExample(example.key, { text: e.target.value })}
                data-testid="example-text"
              />
              <select
                aria-label={t("bot.exampleIntent", { n: i + 1 })}
                value={example.intent}
                onChange={(e) => setExample(example.key, { intent: e.target.value as BotIntent })}
                data-testid="example-intent"
              >
                {BOT_INTENTS.map((intent) => (
                  <option key={intent} value={intent}>
                    {t(`intent.${intent}`)}
                  </option>
                ))}
              </select>
              <Button size="sm" variant="ghost" onClick={() => set({ examples: draft.examples.filter((e) => e.key !== example.key) })} aria-label={t("common.remove")}>
                {t("common.remove")}
              </Button>
            </li>
          ))}
        </ul>
      </Card>
    </form>
  );
}
