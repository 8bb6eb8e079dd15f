// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, one fresh profile per
// context, plus helpers to look inside the widget's shadow root.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { buildOncePerRun } from "@kaleem/shared/testing";

export const CHROMIUM = "/usr/bin/chromium";
const widgetRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ARTIFACTS = path.resolve(widgetRoot, "../test-artifacts/widget");

/** Builds dist/widget.js and dist/chat.js, which the product serves. */
export function buildWidget(): void {
  // Once per test run and never two at once: the dashboard's attack suite serves the widget too.
  buildOncePerRun(path.join(widgetRoot, "dist"), () => {
    execFileSync(process.execPath, [path.join(widgetRoot, "build.mjs")], { cwd: widgetRoot, stdio: "pipe" });
  });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launch(options: { locale?: string; viewport?: { width: number; height: number }; isMobile?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(path.join(os.tmpdir(), "kaleem-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    locale: options.locale ?? "en-US",
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.isMobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Everything the tests read from the widget, evaluated inside the page. */
export interface WidgetSnapshot {
  open: boolean;
  dir: string | null;
  badge: string | null;
  banner: string | null;
  subtitle: string;
  typing: string | null;
  rows: Array<{ id: string; role: string; status: string; text: string; seq: string | null }>;
  cards: Array<{ name: string; price: string; img: string | null }>;
  focus: string | null;
}

export function snapshot(page: Page): Promise<WidgetSnapshot> {
  return page.evaluate(() => {
    const root = document.querySelector("kaleem-widget")?.shadowRoot;
    if (!root) throw new Error("widget not mounted");
    const panel = root.querySelector<HTMLElement>(".k-panel");
    const badge = root.querySelector<HTMLElement>(".k-badge");
    const banner = root.querySelector<HTMLElement>(".k-banner");
    const typing = root.querySelector<HTMLElement>(".k-typing");
    const active = root.activeElement as HTMLElement | null;
    return {
      open: !!panel && !panel.hidden,
      dir: panel?.getAttribute("dir") ?? null,
      badge: badge && !badge.hidden ? badge.textContent : null,
      banner: banner && !banner.hidden ? banner.textContent : null,
      subtitle: root.querySelector(".k-head-t span")?.textContent ?? "",
      typing: typing && !typing.hidden ? typing.textContent : null,
      rows: [...root.querySelectorAll<HTMLElement>(".k-row[data-message-id]")].map((r) => ({
        id: r.dataset.messageId ?? "",
        role: r.dataset.role ?? "",
        status: r.dataset.status ?? "",
        seq: r.dataset.seq ?? null,
        text: r.querySelector(".k-text")?.textContent ?? "",
      })),
      cards: [...root.querySelectorAll<HTMLElement>(".k-card")].map((c) => ({
        name: c.querySelector(".k-card-n")?.textContent ?? "",
        price: c.querySelector(".k-price")?.textContent ?? "",
        img: c.querySelector("img")?.getAttribute("src") ?? null,
      })),
      focus: active ? active.className || active.tagName.toLowerCase() : null,
    };
  });
}

/** Types into the widget's input and sends with Enter, like a shopper. */
export async function ask(page: Page, text: string): Promise<void> {
  const input = page.locator("kaleem-widget textarea");
  await input.fill(text);
  await input.press("Enter");
}
