import { useI18n } from "../i18n/i18n";

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t("lang.label")}
      lang={lang === "ar" ? "en" : "ar"}
      onClick={() => setLang(lang === "ar" ? "en" : "ar")}
    >
      {t("lang.switch")}
    </button>
  );
}
