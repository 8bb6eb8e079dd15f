import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { formatPrice } from "@kaleem/shared/contracts";
import { ar, en, type StringKey } from "./strings";

export type Lang = "en" | "ar";
const STORAGE_KEY = "kaleem.lang";

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Locale-aware number/date formatting for the current language. */
  formatNumber: (n: number, options?: Intl.NumberFormatOptions) => string;
  formatMoney: (n: number, currency: string) => string;
  formatDateTime: (iso: string) => string;
  formatTime: (iso: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "ar") return stored;
  return navigator.language.toLowerCase().startsWith("ar") ? "ar" : "en";
}

export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = lang === "ar" ? ar : en;
    // Latin digits in Arabic UI too: prices and ids stay comparable with what merchants type.
    const locale = lang === "ar" ? "ar-SA-u-nu-latn" : "en-GB";
    return {
      lang,
      setLang,
      t: (key, vars) => interpolate(dict[key], vars),
      formatNumber: (n, options) => new Intl.NumberFormat(locale, options).format(n),
      // The shared price format ("420 SAR" / "420 ر.س"), so the inbox reads prices exactly as the
      // bot's answers and the widget's cards show them; Western digits, like every figure here.
      formatMoney: (n, currency) => formatPrice(n, currency, lang),
      formatDateTime: (iso) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
      formatTime: (iso) => new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso)),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
