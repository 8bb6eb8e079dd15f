import type { User } from "@kaleem/shared/contracts";
import { useState, type FormEvent } from "react";
import { inviteMember, listTeamFull, removeMember, updateMember } from "../api/endpoints";
import { useSignedIn } from "../app/auth";
import { useI18n } from "../i18n/i18n";
import { Button, Card, ErrorState, Field, Loading, Notice, PageHeader, errorMessage } from "../ui/components";
import { useAsync } from "../ui/useAsync";

export function TeamPage() {
  const { t, formatDateTime } = useI18n();
  // Controls mirror the API: only the owner makes, changes or removes admins.
  const { user: me } = useSignedIn();
  const team = useAsync(async () => (await listTeamFull()).items, []);
  const [form, setForm] = useState({ email: "", name: "", role: "agent" as "agent" | "admin", password: "" });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const invite = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await inviteMember({ email: form.email, name: form.name, role: form.role, ...(form.password ? { password: form.password } : {}) });
      team.setData((list) => [...(list ?? []), res.user]);
      if (res.password) setNotice(t("team.generated", { email: res.user.email, password: res.password }));
      setForm({ email: "", name: "", role: "agent", password: "" });
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const changeRole = async (member: User, role: "agent" | "admin") => {
    setError(null);
    try {
      const updated = await updateMember(member.id, { role });
      team.setData((list) => (list ?? []).map((u) => (u.id === updated.id ? updated : u)));
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  const remove = async (member: User) => {
    if (!window.confirm(t("common.confirmDelete"))) return;
    setError(null);
    try {
      await removeMember(member.id);
      team.setData((list) => (list ?? []).filter((u) => u.id !== member.id));
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    }
  };

  return (
    <div className="page">
      <PageHeader title={t("team.title")} />
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
      {notice ? <Notice tone="success"><span dir="auto">{notice}</span></Notice> : null}
      <Card>
        {team.loading ? <Loading /> : null}
        {team.error ? <ErrorState error={team.error} onRetry={team.reload} /> : null}
        {team.data ? (
          <table className="table" data-testid="team-table">
            <thead>
              <tr>
                <th>{t("common.name")}</th>
                <th>{t("team.email")}</th>
                <th>{t("team.role")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {team.data.map((u) => (
                <tr key={u.id}>
                  <td dir="auto">
                    {u.name} {u.id === me.id ? <span className="muted">({t("team.you")})</span> : null}
                    <div className="muted small">{formatDateTime(u.createdAt)}</div>
                  </td>
                  <td dir="ltr">{u.email}</td>
                  <td>
                    {u.role === "owner" || u.id === me.id ? (
                      t(`role.${u.role}`)
                    ) : (
                      <select value={u.role} onChange={(e) => void changeRole(u, e.target.value as "agent" | "admin")} disabled={me.role !== "owner" && u.role === "admin"}>
                        <option value="agent">{t("role.agent")}</option>
                        <option value="admin" disabled={me.role !== "owner"}>{t("role.admin")}</option>
                      </select>
                    )}
                  </td>
                  <td className="actions-cell">
                    {u.role !== "owner" && u.id !== me.id && (me.role === "owner" || u.role !== "admin") ? (
                      <Button size="sm" variant="danger" onClick={() => void remove(u)}>
                        {t("common.remove")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
      <Card title={t("team.inviteTitle")}>
        <form className="form-grid" onSubmit={(e) => void invite(e)}>
          <Field label={t("common.name")}>
            <input required maxLength={120} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
          <Field label={t("team.email")}>
            <input required type="email" dir="ltr" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          </Field>
          <Field label={t("team.role")}>
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as "agent" | "admin" })}>
              <option value="agent">{t("role.agent")}</option>
              {me.role === "owner" ? <option value="admin">{t("role.admin")}</option> : null}
            </select>
          </Field>
          <Field label={t("team.password")}>
            <input type="password" minLength={10} dir="ltr" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          </Field>
          <div className="form-actions field-wide">
            <Button type="submit" variant="primary" disabled={busy}>
              {t("team.invite")}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
