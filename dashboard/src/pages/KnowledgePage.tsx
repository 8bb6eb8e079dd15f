import { knowledgeDataSchema, type KnowledgeData, type KnowledgeItem, type KnowledgeKind } from "@kaleem/shared/contracts";
import { useState } from "react";
import { createKnowledge, deleteKnowledge, listKnowledge, updateKnowledge } from "../api/endpoints";
import { useSignedIn } from "../app/auth";
import { useI18n } from "../i18n/i18n";
import { Button, Card, ErrorState, Loading, Notice, PageHeader, errorMessage } from "../ui/components";
import { useAsync } from "../ui/useAsync";
import { ContactEditor, FaqEditor, PaymentEditor, ReturnsEditor, ShippingEditor } from "./knowledge/editors";
import { TestBot } from "./knowledge/TestBot";

const KINDS: KnowledgeKind[] = ["shipping", "returns", "payment", "faq", "contact"];

function template(kind: KnowledgeKind): KnowledgeData {
  switch (kind) {
    case "shipping":
      return { kind, policy: { zones: [{ name: { en: "", ar: "" }, areas: [], fee: 0, freeAbove: null, minDays: 1, maxDays: 3 }], notes: { en: "", ar: "" } } };
    case "returns":
      return { kind, policy: { windowDays: 14, conditions: [], refundDays: null, cancellationFee: null, nonReturnable: [] } };
    case "payment":
      return { kind, policy: { methods: [{ code: "cod", name: { en: "Cash on delivery", ar: "الدفع عند الاستلام" }, fee: null }], cashOnDelivery: true } };
    case "faq":
      return { kind, faq: { question: { en: "", ar: "" }, answer: { en: "", ar: "" } } };
    case "contact":
      return { kind, contact: { phone: "", whatsapp: "", email: "", address: { en: "", ar: "" }, hours: { en: "", ar: "" } } };
  }
}

function ItemEditor({ item, kind, onSaved, onDeleted }: { item: KnowledgeItem | null; kind: KnowledgeKind; onSaved: (item: KnowledgeItem) => void; onDeleted?: () => void }) {
  const { t } = useI18n();
  const { merchant } = useSignedIn();
  const [title, setTitle] = useState(item?.title ?? t(`knowledge.${kind}`));
  const [data, setData] = useState<KnowledgeData>(item?.data ?? template(kind));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setError(null);
    setSaved(false);
    const parsed = knowledgeDataSchema.safeParse(data);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      return;
    }
    setBusy(true);
    try {
      const result = item ? await updateKnowledge(item.id, title, parsed.data) : await createKnowledge(title, parsed.data);
      onSaved(result);
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!item || !window.confirm(t("common.confirmDelete"))) return;
    try {
      await deleteKnowledge(item.id);
      onDeleted?.();
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  return (
    <div className="knowledge-item" data-testid={`knowledge-${kind}`}>
      <label className="field">
        <span className="field-label">{t("knowledge.titleField")}</span>
        <input dir="auto" value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      {data.kind === "shipping" ? <ShippingEditor value={data.policy} currency={merchant.currency} onChange={(policy) => setData({ kind: "shipping", policy })} /> : null}
      {data.kind === "returns" ? <ReturnsEditor value={data.policy} onChange={(policy) => setData({ kind: "returns", policy })} /> : null}
      {data.kind === "payment" ? <PaymentEditor value={data.policy} currency={merchant.currency} onChange={(policy) => setData({ kind: "payment", policy })} /> : null}
      {data.kind === "faq" ? <FaqEditor value={data.faq} onChange={(faq) => setData({ kind: "faq", faq })} /> : null}
      {data.kind === "contact" ? <ContactEditor value={data.contact} onChange={(contact) => setData({ kind: "contact", contact })} /> : null}
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {saved ? <Notice tone="success">{t("common.saved")}</Notice> : null}
      <div className="form-actions">
        {item && onDeleted ? (
          <Button variant="danger" onClick={() => void remove()}>
            {t("common.delete")}
          </Button>
        ) : null}
        <Button variant="primary" disabled={busy} onClick={() => void save()}>
          {item ? t("common.save") : t("knowledge.create")}
        </Button>
      </div>
    </div>
  );
}

export function KnowledgePage() {
  const { t } = useI18n();
  const { merchant } = useSignedIn();
  const [kind, setKind] = useState<KnowledgeKind>("shipping");
  const items = useAsync(async () => (await listKnowledge()).items, []);
  const [newFaqs, setNewFaqs] = useState(0);

  const ofKind = (items.data ?? []).filter((i) => i.data.kind === kind);
  const upsert = (saved: KnowledgeItem) => items.setData((list) => [...(list ?? []).filter((i) => i.id !== saved.id), saved]);

  return (
    <div className="page page-split">
      <div className="page-main">
        <PageHeader title={t("knowledge.title")} />
        <div className="tabs tabs-page" role="tablist">
          {KINDS.map((k) => (
            <button key={k} type="button" role="tab" aria-selected={kind === k} className={kind === k ? "active" : ""} onClick={() => setKind(k)}>
              {t(`knowledge.${k}`)}
            </button>
          ))}
        </div>
        {items.loading ? <Loading /> : null}
        {items.error ? <ErrorState error={items.error} onRetry={items.reload} /> : null}
        {items.data ? (
          <Card>
            {kind === "faq" ? (
              <div className="faq-list">
                {ofKind.map((item) => (
                  <ItemEditor key={item.id} item={item} kind="faq" onSaved={upsert} onDeleted={() => items.setData((list) => (list ?? []).filter((i) => i.id !== item.id))} />
                ))}
                {Array.from({ length: newFaqs }, (_, i) => (
                  <ItemEditor key={`new-${i}`} item={null} kind="faq" onSaved={(s) => { upsert(s); setNewFaqs((n) => n - 1); }} />
                ))}
                <Button onClick={() => setNewFaqs((n) => n + 1)}>+ {t("knowledge.addFaq")}</Button>
              </div>
            ) : (
              <ItemEditor key={`${kind}-${ofKind[0]?.id ?? "new"}`} item={ofKind[0] ?? null} kind={kind} onSaved={upsert} />
            )}
          </Card>
        ) : null}
      </div>
      <div className="page-aside">
        <TestBot widgetKey={merchant.widget.key} />
      </div>
    </div>
  );
}
