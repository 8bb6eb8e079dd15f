import { useState, type ButtonHTMLAttributes, type ReactNode } from "react";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { AckRequestError } from "@kaleem/shared/contracts";

export function Button({
  variant = "secondary",
  size,
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" | "ghost"; size?: "sm" }) {
  return <button type="button" {...rest} className={["btn", `btn-${variant}`, size === "sm" ? "btn-sm" : "", className ?? ""].join(" ").trim()} />;
}

export function Field({ label, children, hint, wide }: { label: string; children: ReactNode; hint?: ReactNode; wide?: boolean }) {
  return (
    <label className={wide ? "field field-wide" : "field"}>
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

export function PageHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {children}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ""}`.trim()}>
      {title || actions ? (
        <div className="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t("common.loading")}
    </div>
  );
}

export function errorMessage(err: unknown, fallback: string): string {
  if (err instanceof ApiError || err instanceof AckRequestError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return fallback;
}

/** An error box. A 404 on a whole endpoint (one not implemented by this server) says so plainly. */
export function ErrorState({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useI18n();
  const missing = error instanceof ApiError && error.missingEndpoint;
  const message = missing ? t("common.notAvailable", { detail: `HTTP ${(error as ApiError).status}` }) : errorMessage(error, t("common.error"));
  return (
    <div className={compact ? "error-box error-compact" : "error-box"} role="alert" data-testid={missing ? "endpoint-missing" : "error"}>
      <strong>{missing ? "⚠" : "✕"}</strong>
      <span>{message}</span>
      {onRetry ? (
        <Button size="sm" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      ) : null}
    </div>
  );
}

export function CopyField({ value, label, multiline }: { value: string; label: string; multiline?: boolean }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard may be blocked (insecure origin); the text is selectable anyway.
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="copy-field">
      <span className="field-label">{label}</span>
      <div className="copy-row">
        {multiline ? (
          <textarea readOnly value={value} rows={3} dir="ltr" onFocus={(e) => e.currentTarget.select()} />
        ) : (
          <input readOnly value={value} dir="ltr" onFocus={(e) => e.currentTarget.select()} />
        )}
        <Button size="sm" onClick={() => void copy()}>
          {copied ? t("common.copied") : t("common.copy")}
        </Button>
      </div>
    </div>
  );
}

export function StatusPill({ tone, children }: { tone: "green" | "amber" | "blue" | "grey" | "red"; children: ReactNode }) {
  return <span className={`pill pill-${tone}`}>{children}</span>;
}

export function Notice({ tone = "info", children }: { tone?: "info" | "success"; children: ReactNode }) {
  return <div className={`notice notice-${tone}`}>{children}</div>;
}
