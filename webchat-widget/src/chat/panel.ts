// The chat panel: plain DOM inside the loader's shadow root, driven by the client library's state.
import type { ChatController, LoaderBridge } from "../bridge.js";
import { createKaleemClient, type KaleemClient, type KaleemState, type KaleemStorage } from "../client/index.js";
import type { ClientMessage } from "../client/client.js";
import { storageKeys } from "../client/keys.js";
import { pickLocale, strings, type UiLocale } from "../i18n.js";
import type { PublicWidgetSettings } from "@kaleem/shared/contracts";
import { MAX_MESSAGE_TEXT } from "@kaleem/shared/contracts";
import { h } from "./dom.js";
import { labelFor, learnLabels, renderMessage, type RenderContext, type RowView } from "./message.js";
import { createAttachTray, createLightbox } from "./attach.js";
import { beep } from "./sound.js";
import { CHAT_CSS } from "./styles.js";

const SEND_ICON = "M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z";

function browserStorage(): KaleemStorage | undefined {
  try {
    const s = window.localStorage;
    return {
      get: (k) => s.getItem(k),
      set: (k, v) => (v === null ? s.removeItem(k) : s.setItem(k, v)),
    };
  } catch {
    return undefined;
  }
}

export function createChat(bridge: LoaderBridge): ChatController {
  const { config, container } = bridge;
  const keys = storageKeys(config.widgetKey);
  const storage = browserStorage();
  const browserLangs = navigator.languages?.length ? navigator.languages : [navigator.language];
  let settings: PublicWidgetSettings | null = null;
  try {
    const cached = storage?.get(keys.settings);
    if (typeof cached === "string") settings = JSON.parse(cached) as PublicWidgetSettings;
  } catch {
    settings = null;
  }
  let locale: UiLocale = pickLocale(config.locale, browserLangs, settings?.languages, settings?.defaultLocale);
  let t = strings(locale);

  const client: KaleemClient = createKaleemClient({
    url: config.baseUrl,
    widgetKey: config.widgetKey,
    ...(storage ? { storage } : {}),
    locale,
    pageUrl: location.href,
  });

  // ---- static structure ---------------------------------------------------------------------
  const title = h("strong");
  const subtitle = h("span");
  const avatar = h("span", { class: "k-ava", "aria-hidden": "true", hidden: true });
  const closeBtn = h("button", { type: "button", class: "k-x", text: "×" });
  const banner = h("div", { class: "k-banner", role: "status", hidden: true });
  const greeting = h("div", { class: "k-row k-bot k-greet" }, h("div", { class: "k-bubble", dir: "auto" }));
  const logEl = h("div", { class: "k-log", tabindex: "0" }, greeting);
  const typingEl = h("div", { class: "k-typing", "aria-live": "polite", hidden: true });
  const quickEl = h("div", { class: "k-qr", hidden: true });
  const input = h("textarea", { rows: "1", maxlength: String(MAX_MESSAGE_TEXT), dir: "auto" });
  const sendSvg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  sendSvg.setAttribute("viewBox", "0 0 24 24");
  sendSvg.setAttribute("aria-hidden", "true");
  const sendPath = document.createElementNS("http://www.w3.org/2000/svg", "path");
  sendPath.setAttribute("d", SEND_ICON);
  sendSvg.append(sendPath);
  const sendBtn = h("button", { type: "submit", class: "k-send" }, sendSvg);
  const attach = createAttachTray(client, () => t, () => {
    sendBtn.disabled = attach.busy();
  });
  const lightbox = createLightbox(() => t);
  const form = h("form", { class: "k-compose" }, attach.button, attach.input, input, sendBtn);
  const humanBtn = h("button", { type: "button", class: "k-human" });
  const live = h("div", { class: "k-sr", "aria-live": "polite", "aria-atomic": "true" });
  const panel = h(
    "div",
    { class: "k-panel", role: "dialog", hidden: true },
    h("div", { class: "k-head" }, avatar, h("div", { class: "k-head-t" }, title, subtitle), closeBtn),
    banner,
    logEl,
    typingEl,
    quickEl,
    attach.tray,
    form,
    h("div", { class: "k-foot" }, humanBtn),
    live,
    lightbox.el,
  );
  bridge.addStyles(CHAT_CSS);
  container.append(panel);

  let isOpen = false;
  let state: KaleemState = client.getState();
  const rows = new Map<string, RowView>();
  const announced = new Set<string>();
  const beeped = new Set<string>();
  const labels = new Map<string, string>();
  const ctx = (): RenderContext => ({
    locale,
    digits: settings?.arabicDigits ?? "western",
    t,
    baseUrl: config.baseUrl,
    labels,
    send: (text) => sendText(text),
    retry: (cmid) => client.retry(cmid),
    link: linkFor,
    lightbox: (src, alt) => lightbox.show(src, alt),
  });
  // Links live 5 minutes: one is reused for 4, then asked for again.
  const links = new Map<string, { url: string; until: number }>();
  const linkFor = async (key: string): Promise<string> => {
    const cached = links.get(key);
    if (cached && cached.until > Date.now()) return cached.url;
    const { url } = await client.attachmentLink(key);
    links.set(key, { url, until: Date.now() + 240_000 });
    return url;
  };

  // ---- locale, theme and static text -------------------------------------------------------
  const applyLocale = () => {
    t = strings(locale);
    bridge.applyTheme(settings?.color, locale, settings?.arabicDigits);
    panel.dir = locale === "ar" ? "rtl" : "ltr";
    panel.lang = locale;
    panel.setAttribute("aria-label", settings?.storeName || t.title);
    logEl.setAttribute("aria-label", t.messages);
    closeBtn.setAttribute("aria-label", t.closeChat);
    input.placeholder = t.placeholder;
    input.setAttribute("aria-label", t.inputLabel);
    sendBtn.setAttribute("aria-label", t.send);
    attach.localize();
    humanBtn.textContent = t.talkToPerson;
    title.textContent = settings?.storeName || t.title;
    const greet = (settings?.greeting && settings.greeting[locale]) || t.greeting;
    const bubble = greeting.firstElementChild;
    if (bubble) bubble.textContent = greet;
    for (const row of rows.values()) row.key = "";
    render();
  };

  const applySettings = (next: PublicWidgetSettings) => {
    if (JSON.stringify(next) === JSON.stringify(settings)) return;
    settings = next;
    try {
      storage?.set(keys.settings, JSON.stringify(next));
    } catch {
      // Caching the settings only saves a flash of the default colour next time.
    }
    locale = pickLocale(config.locale, browserLangs, next.languages, next.defaultLocale);
    applyLocale();
  };

  // ---- rendering ------------------------------------------------------------------------------
  const subtitleText = (): string => {
    switch (state.status) {
      case "waiting_human":
        return t.subtitleWaiting;
      case "human":
        return t.subtitleHuman(state.agentName ?? t.agent);
      case "closed":
        return t.subtitleClosed;
      default:
        return t.subtitleBot;
    }
  };

  const bannerText = (): string | null => {
    if (state.connection === "offline") return t.offline;
    if (state.connection === "reconnecting") return t.reconnecting;
    if (state.connection === "connecting" && !state.ready) return t.connecting;
    return null;
  };

  const rowKey = (m: ClientMessage) => (m.clientMessageId ? `c:${m.clientMessageId}` : m.id);

  const render = () => {
    subtitle.textContent = subtitleText();
    renderQuickReplies(ctx());
    const human = state.status === "human" && state.agentName;
    avatar.hidden = !human;
    avatar.textContent = human ? (state.agentName ?? "").trim().charAt(0).toUpperCase() : "";
    // The bot may already offer "talk to a person" as a quick reply; one button is enough.
    const offered = !quickEl.hidden && [...quickEl.children].some((b) => (b as HTMLElement).dataset.payload === "human");
    humanBtn.hidden = (state.status !== "bot" && state.status !== null) || offered;
    const b = bannerText();
    banner.hidden = b === null;
    banner.textContent = b ?? "";

    const nearBottom = logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 80;
    const seen = new Set<string>();
    const c = ctx();
    learnLabels(state.messages, labels, t);
    let prev: Element = greeting;
    for (const m of state.messages) {
      const key = rowKey(m);
      seen.add(key);
      let row = rows.get(key);
      if (!row) {
        row = { el: h("div"), key: "" };
        rows.set(key, row);
      }
      renderMessage(row, m, c);
      if (prev.nextElementSibling !== row.el) prev.after(row.el);
      prev = row.el;
    }
    for (const [key, row] of rows) {
      if (!seen.has(key)) {
        row.el.remove();
        rows.delete(key);
      }
    }
    if (state.typing) {
      typingEl.hidden = false;
      typingEl.textContent = "";
      typingEl.append(
        h("span", { class: "k-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
        state.typing.name ? t.typingAgent(state.typing.name) : t.typingSomeone,
      );
    } else typingEl.hidden = true;
    if (nearBottom) logEl.scrollTop = logEl.scrollHeight;
  };

  let quickKey = "";
  const renderQuickReplies = (c: RenderContext) => {
    const last = state.messages[state.messages.length - 1];
    const part = last && last.role !== "shopper" && last.status !== "streaming" ? last.parts.find((p) => p.type === "quick_replies") : undefined;
    const key = part && last ? `${last.id}:${locale}` : "";
    if (key === quickKey) return;
    quickKey = key;
    quickEl.textContent = "";
    quickEl.hidden = !part;
    if (!part || part.type !== "quick_replies") return;
    for (const r of part.replies) {
      const btn = h("button", { type: "button", dir: "auto", text: r.label, "data-payload": r.payload });
      btn.addEventListener("click", () => c.send(r.payload));
      quickEl.append(btn);
    }
  };

  // ---- behaviour ------------------------------------------------------------------------------
  const sendText = (text: string, attachments?: Array<{ uploadId: string }>) => {
    try {
      client.send(text, attachments);
    } catch {
      // Empty text: nothing to send.
    }
    logEl.scrollTop = logEl.scrollHeight;
  };

  const updateActive = () => client.setActive(isOpen && document.visibilityState === "visible");

  const open = (focus = true) => {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    bridge.opened(true);
    updateActive();
    render();
    logEl.scrollTop = logEl.scrollHeight;
    if (focus) input.focus();
  };
  const close = () => {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    bridge.opened(false);
    updateActive();
    bridge.launcher.focus();
  };

  closeBtn.addEventListener("click", close);
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value;
    // Files still uploading hold the send; ready ones go with the text (or alone).
    if (attach.busy()) return;
    const files = attach.ready();
    if (!text.trim() && files.length === 0) return;
    input.value = "";
    client.setTyping(false);
    sendText(text, files.length ? files : undefined);
    attach.clear();
  });
  input.addEventListener("paste", (e) => {
    const pasted = e.clipboardData?.files;
    if (pasted && pasted.length > 0) {
      e.preventDefault();
      attach.add(pasted);
    }
  });
  panel.addEventListener("dragover", (e) => {
    if (e.dataTransfer?.types.includes("Files")) {
      e.preventDefault();
      panel.classList.add("k-drop");
    }
  });
  panel.addEventListener("dragleave", (e) => {
    if (e.target === panel) panel.classList.remove("k-drop");
  });
  panel.addEventListener("drop", (e) => {
    panel.classList.remove("k-drop");
    if (e.dataTransfer?.files.length) {
      e.preventDefault();
      attach.add(e.dataTransfer.files);
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => client.setTyping(input.value.trim().length > 0));
  humanBtn.addEventListener("click", () => {
    client.requestHuman().catch(() => sendText("human"));
  });

  window.addEventListener("online", () => client.networkChanged(true));
  window.addEventListener("offline", () => client.networkChanged(false));
  document.addEventListener("visibilitychange", () => {
    updateActive();
    // Background tabs get throttled or frozen: catch up when the shopper looks again.
    if (document.visibilityState === "visible") client.resync();
  });
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) client.resync();
  });

  client.on("state", (next) => {
    state = next;
    if (next.settings) applySettings(next.settings);
    render();
  });
  client.on("unread", (n) => {
    bridge.setBadge(isOpen ? 0 : n);
    bridge.emit("unread", n);
  });
  client.on("ready", (e) => bridge.emit("ready", e));
  client.on("message", (m, origin) => {
    if (origin !== "live" || (m.role !== "bot" && m.role !== "agent" && m.role !== "system")) return;
    if (m.role !== "system" && !isOpen && config.sound && !beeped.has(m.id)) {
      beeped.add(m.id);
      beep();
    }
    if (m.status !== "streaming" && !announced.has(m.id)) {
      announced.add(m.id);
      const who = m.role === "agent" ? m.authorName || t.agent : m.role === "bot" ? t.bot : "";
      const text = labelFor(m.text, labels).slice(0, 300);
      live.textContent = who ? t.newMessage(who, text) : text;
      bridge.emit("message", { id: m.id, role: m.role, text: m.text });
    }
  });

  applyLocale();
  return {
    open,
    close,
    identify: (user, signature) => client.identify(user, signature),
  };
}
