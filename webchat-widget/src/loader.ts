// widget.js: the tiny part every store page loads. Shows the launcher in a Shadow DOM and loads the
// chat bundle on first open (or at once when the visitor already has a conversation going).
import { BRIDGE_GLOBAL, type ChatController, type LoaderBridge, type PublicEvent, type PublicListener, type WidgetConfig } from "./bridge.js";
import { storageKeys } from "./client/keys.js";
import type { DigitStyle } from "@kaleem/shared/contracts";
import { formatNumber, pickLocale, strings, type UiLocale } from "./i18n.js";
import { safeColor, textOn } from "./theme.js";

interface KaleemApi {
  open(): void;
  close(): void;
  toggle(): void;
  on(event: PublicEvent, fn: PublicListener): () => void;
  identify(user: { name?: string; email?: string; phone?: string }, signature: string): Promise<{ customerId: string }>;
}
type Win = Window & { Kaleem?: KaleemApi; [BRIDGE_GLOBAL]?: LoaderBridge };

const LOADER_CSS = `
:host{all:initial!important}
.k{all:initial;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic",Tahoma,Arial,sans-serif;color:#111827;--k-accent:#0f766e;--k-on-accent:#fff}
.k *{box-sizing:border-box}
.k [hidden]{display:none!important}
.k-launch{all:initial;position:fixed;bottom:20px;inset-inline-end:20px;width:60px;height:60px;border-radius:50%;background:var(--k-accent);color:var(--k-on-accent);cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.25);z-index:2}
.k-launch:focus-visible{outline:3px solid #2563eb;outline-offset:3px}
.k-launch svg{width:28px;height:28px;fill:currentColor}
.k-badge{position:absolute;top:-4px;inset-inline-end:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center}
.k-badge[hidden]{display:none}
`;
const CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";
const CLOSE_ICON = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";

function readStore(s: Storage | undefined, key: string): string | null {
  try {
    return s?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function boot(w: Win): void {
  if (w.Kaleem) return;
  const doc = w.document;
  const script = (doc.currentScript as HTMLScriptElement | null) ?? doc.querySelector<HTMLScriptElement>("script[data-widget-key]");
  const widgetKey = script?.dataset.widgetKey;
  if (!script || !widgetKey) return;
  const src = script.src || w.location.href;
  const config: WidgetConfig = {
    widgetKey,
    baseUrl: new URL(src, w.location.href).origin,
    locale: script.dataset.locale ?? null,
    sound: script.dataset.sound !== "off",
  };
  const chatUrl = script.dataset.chatSrc ?? new URL("widget/chat.js", new URL(src, w.location.href)).href;
  const keys = storageKeys(widgetKey);
  const local = (() => {
    try {
      return w.localStorage;
    } catch {
      return undefined;
    }
  })();
  const session = (() => {
    try {
      return w.sessionStorage;
    } catch {
      return undefined;
    }
  })();

  let cached: { color?: string; languages?: string[]; defaultLocale?: string; arabicDigits?: string } = {};
  try {
    cached = JSON.parse(readStore(local, keys.settings) ?? "{}") as typeof cached;
  } catch {
    cached = {};
  }
  let locale: UiLocale = pickLocale(config.locale, w.navigator.languages ?? [w.navigator.language], cached.languages, cached.defaultLocale);

  const host = doc.createElement("kaleem-widget");
  // Inline !important: the store's stylesheet cannot hide, move or restyle the host.
  host.style.cssText = "all:initial!important;position:fixed!important;z-index:2147483000!important;bottom:0!important;right:0!important;width:0!important;height:0!important;display:block!important";
  const root = host.attachShadow({ mode: "open" });
  const addStyles = (css: string) => {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    } catch {
      // Older browsers: a style element (needs style-src 'unsafe-inline' under a strict CSP).
      const style = doc.createElement("style");
      style.textContent = css;
      root.prepend(style);
    }
  };
  const container = doc.createElement("div");
  container.className = "k";
  const launcher = doc.createElement("button");
  launcher.type = "button";
  launcher.className = "k-launch";
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  const svg = doc.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = doc.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", CHAT_ICON);
  svg.append(path);
  const badge = doc.createElement("span");
  badge.className = "k-badge";
  badge.hidden = true;
  badge.setAttribute("aria-hidden", "true");
  launcher.append(svg, badge);
  container.append(launcher);
  root.append(container);
  addStyles(LOADER_CSS);

  let isOpen = false;
  // The store's digit style for Arabic, as the panel learns it from the server (Western until then).
  let digits: DigitStyle = "western";
  let unread = Number(readStore(local, keys.unread) ?? 0) || 0;
  const listeners = new Map<PublicEvent, Set<PublicListener>>();
  let controller: ChatController | null = null;
  let loading = false;
  const waiting: Array<(c: ChatController) => void> = [];

  const label = () => {
    const t = strings(locale);
    launcher.setAttribute("aria-label", isOpen ? t.closeChat : unread > 0 ? `${t.openChat} (${t.unread(formatNumber(unread, locale, digits))})` : t.openChat);
  };
  const applyTheme = (color: string | null | undefined, next: UiLocale, nextDigits: DigitStyle = "western") => {
    const c = safeColor(color);
    digits = nextDigits;
    container.style.setProperty("--k-accent", c);
    container.style.setProperty("--k-on-accent", textOn(c));
    locale = next;
    container.dir = next === "ar" ? "rtl" : "ltr";
    container.lang = next;
    label();
  };
  const setBadge = (count: number) => {
    unread = count;
    badge.hidden = count <= 0 || isOpen;
    badge.textContent = count > 99 ? formatNumber(99, locale, digits) + "+" : formatNumber(count, locale, digits);
    try {
      local?.setItem(keys.unread, String(count));
    } catch {
      // Badge persistence is best effort.
    }
    label();
  };
  const emit = (event: PublicEvent, payload?: unknown) => {
    for (const fn of listeners.get(event) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        w.setTimeout(() => {
          throw err;
        });
      }
    }
  };

  const withChat = (fn: (c: ChatController) => void) => {
    if (controller) return fn(controller);
    waiting.push(fn);
    if (loading) return;
    loading = true;
    const s = doc.createElement("script");
    s.src = chatUrl;
    s.async = true;
    s.onerror = () => {
      loading = false;
    };
    (doc.head ?? doc.documentElement).append(s);
  };

  const bridge: LoaderBridge = {
    config,
    container,
    launcher,
    addStyles,
    setBadge,
    applyTheme,
    opened(next) {
      isOpen = next;
      launcher.setAttribute("aria-expanded", String(next));
      path.setAttribute("d", next ? CLOSE_ICON : CHAT_ICON);
      container.classList.toggle("k-open", next);
      setBadge(next ? 0 : unread);
      try {
        if (next) session?.setItem(keys.open, "1");
        else session?.removeItem(keys.open);
      } catch {
        // Same as above.
      }
      emit(next ? "open" : "close");
    },
    emit,
    attach(c) {
      controller = c;
      for (const fn of waiting.splice(0)) fn(c);
    },
  };
  w[BRIDGE_GLOBAL] = bridge;

  const api: KaleemApi = {
    open: () => withChat((c) => c.open()),
    close: () => controller?.close(),
    toggle: () => (isOpen ? api.close() : api.open()),
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn);
      return () => set?.delete(fn);
    },
    identify: (user, signature) => new Promise((resolve, reject) => withChat((c) => c.identify(user, signature).then(resolve, reject))),
  };
  w.Kaleem = api;
  launcher.addEventListener("click", () => api.toggle());

  applyTheme(cached.color, locale, cached.arabicDigits === "arabic" ? "arabic" : "western");
  setBadge(unread);
  const mount = () => {
    doc.body.append(host);
    // Keep the panel open across page navigations; reconnect at once when a conversation is going.
    if (readStore(session, keys.open) === "1") withChat((c) => c.open(false));
    else if (readStore(local, keys.visitorToken)) withChat(() => undefined);
  };
  if (doc.body) mount();
  else doc.addEventListener("DOMContentLoaded", mount);
}

boot(window as Win);
