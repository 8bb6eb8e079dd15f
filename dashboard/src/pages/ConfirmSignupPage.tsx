// Where the "confirm your new store" email links to: /dashboard/confirm#token=… (the token rides in
// the fragment, which browsers never send to a server). Opening it creates the store and signs in.
import { useEffect, useRef, useState } from "react";
import { useAuth } from "../app/auth";
import { navigate } from "../app/router";
import { ApiError } from "../api/client";
import { confirmSignup } from "../api/endpoints";
import { useI18n } from "../i18n/i18n";
import { Button, errorMessage } from "../ui/components";
import { AuthBrand, AuthShell } from "./AuthShell";

function tokenFromFragment(): string | null {
  const value = new URLSearchParams(window.location.hash.replace(/^#/, "")).get("token");
  return value && value.trim() !== "" ? value : null;
}

export function ConfirmSignupPage() {
  const { t } = useI18n();
  const auth = useAuth();
  const [error, setError] = useState<{ message: string; used: boolean } | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Once, even under React's double-invoked effects: a second call would answer "already used".
    if (started.current) return;
    started.current = true;
    const token = tokenFromFragment();
    // The link is single-use; keep it out of the history from now on.
    window.history.replaceState(null, "", window.location.pathname);
    if (!token) {
      setError({ message: t("confirm.missing"), used: false });
      return;
    }
    void (async () => {
      try {
        await confirmSignup(token);
        await auth.reload();
        navigate({ page: "inbox", conversationId: null }, true);
      } catch (err) {
        const used = err instanceof ApiError && err.status === 409;
        setError({ message: used ? t("confirm.used") : errorMessage(err, t("common.error")), used });
      }
    })();
  }, [auth, t]);

  return (
    <AuthShell>
      <div className="auth-card" data-testid="confirm-page">
        <AuthBrand />
        {error ? (
          <>
            <div className="error-box error-compact" role="alert">
              {error.message}
            </div>
            <Button variant="primary" className="btn-block" onClick={() => navigate({ page: error.used ? "login" : "signup" })}>
              {error.used ? t("auth.signIn") : t("auth.signUp")}
            </Button>
          </>
        ) : (
          <p className="muted">{t("confirm.working")}</p>
        )}
      </div>
    </AuthShell>
  );
}
