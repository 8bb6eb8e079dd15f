// Structured editors for the policies the bot answers from. They edit the shared contract's shapes
// directly, and the page validates with the same zod schema the server uses before saving.
import type { ContactDetails, Faq, LocalizedText, PaymentPolicy, ReturnsPolicy, ShippingPolicy } from "@kaleem/shared/contracts";
import { useI18n } from "../../i18n/i18n";
import { Button, Field } from "../../ui/components";

const numOrNull = (v: string): number | null => (v.trim() === "" ? null : Number(v));

function Bilingual({
  value,
  onChange,
  labelEn,
  labelAr,
  multiline,
}: {
  value: LocalizedText;
  onChange: (v: LocalizedText) => void;
  labelEn: string;
  labelAr: string;
  multiline?: boolean;
}) {
  const Input = multiline ? "textarea" : "input";
  return (
    <>
      <Field label={labelEn}>
        <Input dir="ltr" value={value.en} rows={multiline ? 3 : undefined} onChange={(e) => onChange({ ...value, en: e.target.value })} />
      </Field>
      <Field label={labelAr}>
        <Input dir="rtl" value={value.ar} rows={multiline ? 3 : undefined} onChange={(e) => onChange({ ...value, ar: e.target.value })} />
      </Field>
    </>
  );
}

function TextList({ items, onChange, addLabel }: { items: LocalizedText[]; onChange: (v: LocalizedText[]) => void; addLabel: string }) {
  const { t } = useI18n();
  return (
    <div className="text-list">
      {items.map((item, i) => (
        <div key={i} className="text-list-row">
          <input dir="ltr" aria-label="EN" placeholder="EN" value={item.en} onChange={(e) => onChange(items.map((x, j) => (j === i ? { ...x, en: e.target.value } : x)))} />
          <input dir="rtl" aria-label="AR" placeholder="AR" value={item.ar} onChange={(e) => onChange(items.map((x, j) => (j === i ? { ...x, ar: e.target.value } : x)))} />
          <Button size="sm" variant="ghost" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-label={t("common.remove")}>
            ×
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...items, { en: "", ar: "" }])}>
        + {addLabel}
      </Button>
    </div>
  );
}

export function ShippingEditor({ value, onChange, currency }: { value: ShippingPolicy; onChange: (v: ShippingPolicy) => void; currency: string }) {
  const { t } = useI18n();
  const setZone = (i: number, patch: Partial<ShippingPolicy["zones"][number]>) =>
    onChange({ ...value, zones: value.zones.map((z, j) => (j === i ? { ...z, ...patch } : z)) });
  return (
    <div className="editor">
      <h3>{t("knowledge.zones")}</h3>
      {value.zones.map((zone, i) => (
        <fieldset key={i} className="zone">
          <legend>
            {t("knowledge.zone")} {i + 1}
          </legend>
          <div className="form-grid">
            <Bilingual value={zone.name} onChange={(name) => setZone(i, { name })} labelEn={t("knowledge.zoneNameEn")} labelAr={t("knowledge.zoneNameAr")} />
            <Field label={t("knowledge.areas")} wide>
              <input dir="auto" value={zone.areas.join(", ")} onChange={(e) => setZone(i, { areas: e.target.value.split(/[,،]/).map((s) => s.trim()).filter(Boolean) })} />
            </Field>
            <Field label={`${t("knowledge.fee")} (${currency})`}>
              <input type="number" min={0} step="0.01" value={zone.fee} onChange={(e) => setZone(i, { fee: Number(e.target.value) })} />
            </Field>
            <Field label={`${t("knowledge.freeAbove")} (${currency})`}>
              <input type="number" min={0} step="0.01" value={zone.freeAbove ?? ""} onChange={(e) => setZone(i, { freeAbove: numOrNull(e.target.value) })} />
            </Field>
            <Field label={t("knowledge.minDays")}>
              <input type="number" min={0} step="1" value={zone.minDays} onChange={(e) => setZone(i, { minDays: Number(e.target.value) })} />
            </Field>
            <Field label={t("knowledge.maxDays")}>
              <input type="number" min={0} step="1" value={zone.maxDays} onChange={(e) => setZone(i, { maxDays: Number(e.target.value) })} />
            </Field>
          </div>
          {value.zones.length > 1 ? (
            <Button size="sm" variant="danger" onClick={() => onChange({ ...value, zones: value.zones.filter((_, j) => j !== i) })}>
              {t("common.remove")}
            </Button>
          ) : null}
        </fieldset>
      ))}
      <Button size="sm" onClick={() => onChange({ ...value, zones: [...value.zones, { name: { en: "", ar: "" }, areas: [], fee: 0, freeAbove: null, minDays: 1, maxDays: 3 }] })}>
        + {t("knowledge.addZone")}
      </Button>
      <div className="form-grid">
        <Bilingual value={value.notes ?? { en: "", ar: "" }} onChange={(notes) => onChange({ ...value, notes })} labelEn={t("knowledge.notesEn")} labelAr={t("knowledge.notesAr")} multiline />
      </div>
    </div>
  );
}

export function ReturnsEditor({ value, onChange }: { value: ReturnsPolicy; onChange: (v: ReturnsPolicy) => void }) {
  const { t } = useI18n();
  return (
    <div className="editor">
      <div className="form-grid">
        <Field label={t("knowledge.windowDays")}>
          <input type="number" min={0} step="1" value={value.windowDays} onChange={(e) => onChange({ ...value, windowDays: Number(e.target.value) })} />
        </Field>
        <Field label={t("knowledge.refundDays")}>
          <input type="number" min={0} step="1" value={value.refundDays ?? ""} onChange={(e) => onChange({ ...value, refundDays: numOrNull(e.target.value) })} />
        </Field>
      </div>
      <h3>{t("knowledge.conditions")}</h3>
      <TextList items={value.conditions} onChange={(conditions) => onChange({ ...value, conditions })} addLabel={t("knowledge.addCondition")} />
      <h3>{t("knowledge.nonReturnable")}</h3>
      <TextList items={value.nonReturnable} onChange={(nonReturnable) => onChange({ ...value, nonReturnable })} addLabel={t("knowledge.addNonReturnable")} />
    </div>
  );
}

export function PaymentEditor({ value, onChange, currency }: { value: PaymentPolicy; onChange: (v: PaymentPolicy) => void; currency: string }) {
  const { t } = useI18n();
  const setMethod = (i: number, patch: Partial<PaymentPolicy["methods"][number]>) =>
    onChange({ ...value, methods: value.methods.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  return (
    <div className="editor">
      <label className="check">
        <input type="checkbox" checked={value.cashOnDelivery} onChange={(e) => onChange({ ...value, cashOnDelivery: e.target.checked })} />
        {t("knowledge.cod")}
      </label>
      <h3>{t("knowledge.methods")}</h3>
      <table className="table compact">
        <thead>
          <tr>
            <th>{t("knowledge.methodCode")}</th>
            <th>{t("common.english")}</th>
            <th>{t("common.arabic")}</th>
            <th>
              {t("knowledge.fee")} ({currency})
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {value.methods.map((m, i) => (
            <tr key={i}>
              <td>
                <input dir="ltr" value={m.code} onChange={(e) => setMethod(i, { code: e.target.value })} aria-label={t("knowledge.methodCode")} />
              </td>
              <td>
                <input dir="ltr" value={m.name.en} onChange={(e) => setMethod(i, { name: { ...m.name, en: e.target.value } })} aria-label={t("common.english")} />
              </td>
              <td>
                <input dir="rtl" value={m.name.ar} onChange={(e) => setMethod(i, { name: { ...m.name, ar: e.target.value } })} aria-label={t("common.arabic")} />
              </td>
              <td>
                <input type="number" min={0} step="0.01" value={m.fee ?? ""} onChange={(e) => setMethod(i, { fee: numOrNull(e.target.value) })} aria-label={t("knowledge.fee")} />
              </td>
              <td>
                {value.methods.length > 1 ? (
                  <Button size="sm" variant="ghost" onClick={() => onChange({ ...value, methods: value.methods.filter((_, j) => j !== i) })} aria-label={t("common.remove")}>
                    ×
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button size="sm" onClick={() => onChange({ ...value, methods: [...value.methods, { code: "", name: { en: "", ar: "" }, fee: null }] })}>
        + {t("knowledge.addMethod")}
      </Button>
      <div className="form-grid">
        <Bilingual value={value.notes ?? { en: "", ar: "" }} onChange={(notes) => onChange({ ...value, notes })} labelEn={t("knowledge.notesEn")} labelAr={t("knowledge.notesAr")} multiline />
      </div>
    </div>
  );
}

export function FaqEditor({ value, onChange }: { value: Faq; onChange: (v: Faq) => void }) {
  const { t } = useI18n();
  return (
    <div className="form-grid">
      <Bilingual value={value.question} onChange={(question) => onChange({ ...value, question })} labelEn={t("knowledge.questionEn")} labelAr={t("knowledge.questionAr")} />
      <Bilingual value={value.answer} onChange={(answer) => onChange({ ...value, answer })} labelEn={t("knowledge.answerEn")} labelAr={t("knowledge.answerAr")} multiline />
    </div>
  );
}

export function ContactEditor({ value, onChange }: { value: ContactDetails; onChange: (v: ContactDetails) => void }) {
  const { t } = useI18n();
  const text = (key: "phone" | "whatsapp" | "email", label: string, type: string) => (
    <Field label={label}>
      <input dir="ltr" type={type} value={value[key]} onChange={(e) => onChange({ ...value, [key]: e.target.value })} />
    </Field>
  );
  // Each pair keeps its own row, so English and Arabic of one field sit side by side.
  return (
    <div className="editor" data-testid="contact-editor">
      <div className="form-grid">
        {text("phone", t("knowledge.contactPhone"), "tel")}
        {text("whatsapp", t("knowledge.contactWhatsapp"), "tel")}
        {text("email", t("knowledge.contactEmail"), "email")}
      </div>
      <div className="form-grid">
        <Bilingual value={value.hours} onChange={(hours) => onChange({ ...value, hours })} labelEn={t("knowledge.contactHoursEn")} labelAr={t("knowledge.contactHoursAr")} />
      </div>
      <div className="form-grid">
        <Bilingual value={value.address} onChange={(address) => onChange({ ...value, address })} labelEn={t("knowledge.contactAddressEn")} labelAr={t("knowledge.contactAddressAr")} />
      </div>
    </div>
  );
}
