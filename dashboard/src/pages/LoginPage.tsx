import { useState, type FormEvent } from "react";
import { useAuth } from "../app/auth";
import { navigate } from "../app/router";
import type { StoreChoice } from "@kaleem/shared/contracts";
import { signIn, signUp, storeChoices } from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import { Button, Field, errorMessage } from "../ui/components";
import { AuthBrand, AuthShell } from "./AuthShell";

export function LoginPage({ mode }: { mode: "login" | "signup" }) {
  const { t } = useI18n();
  const auth = useAuth();
  const [storeName, setStoreName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Signup asked for: the address it was sent to. */
  const [sentTo, setSentTo] = useState<string | null>(null);
  /** The password opens several stores: which one? */
  const [choices, setChoices] = useState<StoreChoice[] | null>(null);

  const enter = async (merchantId?: string) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password, merchantId);
      await auth.reload();
      navigate({ page: "inbox", conversationId: null }, true);
    } catch (err) {
      const stores = storeChoices(err);
      if (stores) setChoices(stores);
      else setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mode === "login") return enter();
    setBusy(true);
    setError(null);
    try {
      setSentTo((await signUp(storeName, email, password)).email);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  if (mode === "signup" && sentTo) {
    return (
      <AuthShell>
        <div className="auth-card" data-testid="signup-sent">
          <AuthBrand />
          <div className="notice notice-success" role="status">
            <strong>{t("signup.sentTitle")}</strong>
            <span>{t("signup.sent", { email: sentTo })}</span>
          </div>
          <p className="muted">{t("signup.sentWhy")}</p>
          <p className="muted">{t("signup.sentLocal")}</p>
          <a
            className="auth-switch"
            href="login"
            onClick={(e) => {
              e.preventDefault();
              navigate({ page: "login" });
            }}
          >
            {t("auth.haveAccount")}
          </a>
        </div>
      </AuthShell>
    );
  }

  return (
    <AuthShell>
      <form className="auth-card" onSubmit={(e) => void submit(e)} data-testid={`${mode}-form`}>
        <AuthBrand />
        <p className="muted">{t("auth.tagline")}</p>
        {auth.expired ? <div className="notice notice-info">{t("auth.expired")}</div> : null}
        {mode === "signup" ? (
          <Field label={t("auth.storeName")}>
            <input name="storeName" required maxLength={120} value={storeName} onChange={(e) => setStoreName(e.target.value)} />
          </Field>
        ) : null}
        <Field label={t("auth.email")}>
          <input name="email" type="email" required autoComplete="username" dir="ltr" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label={t("auth.password")}>
          <input
            name="password"
            type="password"
            required
            minLength={mode === "signup" ? 10 : 1}
            autoComplete={mode === "signup" ? "new-password" : "current-password"}
            dir="ltr"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setChoices(null);
            }}
          />
        </Field>
        {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
        {choices ? (
          <div className="notice notice-info" data-testid="store-choice">
            <span>{t("auth.chooseStore")}</span>
            {choices.map((c) => (
              <Button key={c.merchantId} disabled={busy} onClick={() => void enter(c.merchantId)}>
                <span dir="auto">{c.name}</span>
              </Button>
            ))}
          </div>
        ) : null}
        <Button type="submit" variant="primary" disabled={busy} className="btn-block">
          {busy ? t("auth.working") : mode === "signup" ? t("auth.signUp") : t("auth.signIn")}
        </Button>
        <a
          className="auth-switch"
          href={mode === "signup" ? "login" : "signup"}
          onClick={(e) => {
            e.preventDefault();
            navigate({ page: mode === "signup" ? "login" : "signup" });
          }}
        >
          {mode === "signup" ? t("auth.haveAccount") : t("auth.noAccount")}
        </a>
      </form>
    </AuthShell>
  );
}
