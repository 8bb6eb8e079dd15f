import { useState } from "react";
import { setLabels } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import type { ListConversation } from "../../realtime/conversation-list";
import { errorMessage } from "../../ui/components";

export function Labels({ conversation, onChange }: { conversation: ListConversation; onChange: (c: ListConversation) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  const save = async (labels: string[]) => {
    setError(null);
    try {
      const updated = await setLabels(conversation.id, labels);
      onChange({ ...conversation, ...updated });
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  const add = () => {
    const label = draft.trim().toLowerCase().slice(0, 40);
    setDraft("");
    if (!label || conversation.labels.includes(label)) return;
    void save([...conversation.labels, label]);
  };

  return (
    <div className="labels" aria-label={t("inbox.labels")}>
      {conversation.labels.map((label) => (
        <span key={label} className="chip chip-label">
          {label}
          <button type="button" aria-label={`${t("common.remove")} ${label}`} onClick={() => void save(conversation.labels.filter((l) => l !== label))}>
            ×
          </button>
        </span>
      ))}
      <input
        className="label-input"
        value={draft}
        placeholder={t("inbox.addLabel")}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add();
          }
        }}
      />
      {error ? <span className="inline-error" role="alert" title={error}>⚠ {error}</span> : null}
    </div>
  );
}
