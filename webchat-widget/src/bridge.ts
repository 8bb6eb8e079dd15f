// The handshake between the loader (widget.js) and the lazily loaded chat bundle (chat.js).
import type { UiLocale } from "./i18n.js";

export interface WidgetConfig {
  widgetKey: string;
  /** Origin of the Kaleem server (where widget.js came from): sockets and relative image URLs. */
  baseUrl: string;
  /** Locale forced by data-locale, if any. */
  locale: string | null;
  sound: boolean;
}

/** Public events of `window.Kaleem.on`. */
export type PublicEvent = "open" | "close" | "message" | "unread" | "ready";
export type PublicListener = (payload?: unknown) => void;

/** What the chat bundle gives the loader. */
export interface ChatController {
  /** `focus: false` when restoring the panel after a page navigation (don't steal the page's focus). */
  open(focus?: boolean): void;
  close(): void;
  identify(user: { name?: string; email?: string; phone?: string }, signature: string): Promise<{ customerId: string }>;
}

/** What the loader gives the chat bundle. */
export interface LoaderBridge {
  config: WidgetConfig;
  /** Wrapper inside the shadow root that holds the launcher and the panel. */
  container: HTMLElement;
  launcher: HTMLButtonElement;
  /** Adds CSS to the shadow root (constructable stylesheets: not subject to the page's style-src CSP). */
  addStyles(css: string): void;
  setBadge(count: number): void;
  applyTheme(color: string | null | undefined, locale: UiLocale, digits?: "western" | "arabic"): void;
  /** The panel opened or closed (the loader keeps the launcher and session state in step). */
  opened(isOpen: boolean): void;
  emit(event: PublicEvent, payload?: unknown): void;
  attach(controller: ChatController): void;
}

/** Global through which chat.js finds its loader. */
export const BRIDGE_GLOBAL = "__kaleemBridge";
