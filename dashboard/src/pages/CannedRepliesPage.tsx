import type { CannedReplyView } from "@kaleem/shared/contracts";
import { useState, type FormEvent } from "react";
import { useSignedIn } from "../app/auth";
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply } from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import { Button, Card, ErrorState, Field, Loading, PageHeader, errorMessage } from "../ui/components";
import { useAsync } from "../ui/useAsync";

function Row({ reply, onSaved, onDeleted }: { reply: CannedReplyView; onSaved: (r: CannedReplyView) => void; onDeleted: () => void }) {
  const { t } = useI18n();
  // Shared replies are changed by owners and admins only (the API refuses agents).
  const { canManage } = useSignedIn();
  const [editing, setEditing] = useState(false);
  const [shortcut, setShortcut] = useState(reply.shortcut);
  const [text, setText] = useState(reply.text);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      onSaved(await updateCannedReply(reply.id, { shortcut, text }));
      setEditing(false);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };
  const remove = async () => {
    if (!window.confirm(t("common.confirmDelete"))) return;
    try {
      await deleteCannedReply(reply.id);
      onDeleted();
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };
  return (
    <li className="canned-row">
      {editing ? (
        <div className="form-grid">
          <Field label={t("replies.shortcut")}>
            <input dir="ltr" value={shortcut} onChange={(e) => setShortcut(e.target.value.replace(/\s/g, ""))} />
          </Field>
          <Field label={t("replies.text")} wide>
            <textarea dir="auto" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
        </div>
      ) : (
        <div>
          <code dir="ltr">/{reply.shortcut}</code>
          <p dir="auto">{reply.text}</p>
        </div>
      )}
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {canManage ? (
        <div className="row-actions">
          {editing ? (
            <>
              <Button size="sm" onClick={() => setEditing(false)}>{t("common.cancel")}</Button>
              <Button size="sm" variant="primary" onClick={() => void save()}>{t("common.save")}</Button>
            </>
          ) : (
            <>
              <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>{t("common.edit")}</Button>
              <Button size="sm" variant="danger" onClick={() => void remove()}>{t("common.delete")}</Button>
            </>
          )}
        </div>
      ) : null}
    </li>
  );
}

export function CannedRepliesPage() {
  const { t } = useI18n();
  const replies = useAsync(async () => (await listCannedReplies()).items, []);
  const [shortcut, setShortcut] = useState("");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const created = await createCannedReply({ shortcut, text });
      replies.setData((list) => [...(list ?? []), created]);
      setShortcut("");
      setText("");
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  return (
    <div className="page">
      <PageHeader title={t("replies.title")}>
        <p className="muted">{t("replies.help")}</p>
      </PageHeader>
      <Card>
        {replies.loading ? <Loading /> : null}
        {replies.error ? <ErrorState error={replies.error} onRetry={replies.reload} /> : null}
        {replies.data && replies.data.length === 0 ? <p className="muted">{t("replies.empty")}</p> : null}
        <ul className="canned-list">
          {replies.data?.map((r) => (
            <Row
              key={r.id}
              reply={r}
              onSaved={(saved) => replies.setData((list) => (list ?? []).map((x) => (x.id === saved.id ? saved : x)))}
              onDeleted={() => replies.setData((list) => (list ?? []).filter((x) => x.id !== r.id))}
            />
          ))}
        </ul>
      </Card>
      <Card title={t("common.new")}>
        <form className="form-grid" onSubmit={(e) => void add(e)}>
          <Field label={t("replies.shortcut")}>
            <input required dir="ltr" maxLength={40} value={shortcut} onChange={(e) => setShortcut(e.target.value.replace(/\s/g, ""))} />
          </Field>
          <Field label={t("replies.text")} wide>
            <textarea required dir="auto" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
          {error ? <div className="error-box error-compact field-wide" role="alert">{error}</div> : null}
          <div className="form-actions field-wide">
            <Button type="submit" variant="primary">{t("common.add")}</Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
