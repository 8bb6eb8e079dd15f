// The frame of the signed-out pages (sign in, sign up, the emailed signup link).
import type { ReactNode } from "react";
import { LanguageSwitch } from "../app/LanguageSwitch";
import { useI18n } from "../i18n/i18n";

export function AuthShell({ children }: { children: ReactNode }) {
  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageSwitch />
      </div>
      {children}
    </div>
  );
}

export function AuthBrand() {
  const { t } = useI18n();
  return (
    <div className="brand brand-lg">
      <span className="brand-mark" aria-hidden="true">K</span>
      <span>{t("appName")}</span>
    </div>
  );
}
