// The widget in headless Chromium against a real embedded Kaleem serving the demo storefront at /.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import type { Page } from "playwright-core";
import { INBOX_NAMESPACE, asMerchantId, type Ack, type Message } from "@kaleem/shared";
import { ask, buildWidget, launch, screenshot, snapshot, type Browser } from "./test/browser.js";
import { startDemoKaleem, waitFor, type DemoKaleem } from "./test/kaleem.js";
import { startStorePage } from "./test/store-page.js";
import { contrastRatio } from "./theme.js";

let kal: DemoKaleem;
const browsers: Browser[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  buildWidget();
  // Token pacing slow enough to watch an answer grow and to go offline in the middle of one.
  kal = await startDemoKaleem({ BOT_STREAM_DELAY_MS: "30" });
});
afterAll(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const b of browsers.splice(0)) await b.close().catch(() => undefined);
  await kal?.close();
});

async function browser(options: Parameters<typeof launch>[0] = {}): Promise<Browser> {
  const b = await launch(options);
  browsers.push(b);
  return b;
}

const tenant = () => kal.k.store.forMerchant(asMerchantId(kal.merchantId));
const storedMessage = async (id: string): Promise<Message | null> => tenant().messages.get(id);

async function openDemo(page: Page): Promise<void> {
  await page.goto(kal.url + "/");
  await page.locator("kaleem-widget .k-launch").waitFor();
}
async function openPanel(page: Page): Promise<void> {
  await page.locator("kaleem-widget .k-launch").click();
  await waitFor(async () => (await snapshot(page)).open, "panel open");
  // The conversation is open once the client is connected (no connecting banner).
  await waitFor(async () => (await snapshot(page)).banner === null, "connected");
}
const lastBotRow = async (page: Page) => [...(await snapshot(page)).rows].reverse().find((r) => r.role === "bot");
async function waitForAnswer(page: Page, after: number): Promise<{ id: string; text: string }> {
  return waitFor(async () => {
    const rows = (await snapshot(page)).rows;
    return rows.slice(after).find((r) => r.role === "bot" && r.status !== "streaming");
  }, "bot answer", 30_000);
}

/** Records, inside the page, every length the newest bot message's text takes. */
async function watchGrowth(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector("kaleem-widget")!.shadowRoot!;
    const w = window as unknown as { __lens: number[] };
    w.__lens = [];
    const record = () => {
      const rows = root.querySelectorAll<HTMLElement>('.k-row[data-role="bot"]');
      const row = rows[rows.length - 1];
      if (row?.dataset.status === "streaming") w.__lens.push(row.querySelector(".k-text")?.textContent?.length ?? 0);
    };
    new MutationObserver(record).observe(root.querySelector(".k-log")!, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

async function agent(): Promise<Socket> {
  const res = await fetch(`${kal.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: kal.email, password: kal.password }),
  });
  const { accessToken } = (await res.json()) as { accessToken: string };
  const s = io(kal.url + INBOX_NAMESPACE, { forceNew: true, transports: ["websocket"], auth: { token: accessToken }, extraHeaders: { Origin: kal.url } });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}
async function agentCall<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await s.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}
async function conversationOf(page: Page): Promise<string> {
  const row = (await snapshot(page)).rows.find((r) => !r.id.startsWith("local:"));
  if (!row) throw new Error("no stored message on the page yet");
  const m = await storedMessage(row.id);
  if (!m) throw new Error(`message ${row.id} is not stored`);
  return m.conversationId;
}

describe("webchat widget in Chromium", () => {
  it("streams an English answer with product cards, survives a reload and going offline mid-stream", async () => {
    const { page, context } = await browser();
    const resumes: string[] = [];
    page.on("websocket", (ws) => ws.on("framesent", (f) => String(f.payload).includes('"conversation:resume"') && resumes.push(String(f.payload))));
    await openDemo(page);
    const closed = await snapshot(page);
    expect(closed.open).toBe(false);
    await screenshot(page, "closed-launcher");

    await openPanel(page);
    expect((await snapshot(page)).focus).toContain("textarea");
    await watchGrowth(page);
    await ask(page, "do you have black abayas?");
    const answer = await waitForAnswer(page, 0);
    const lens = (await page.evaluate(() => (window as unknown as { __lens: number[] }).__lens)).filter((n) => n > 0);
    expect(new Set(lens).size).toBeGreaterThanOrEqual(3);
    const stored = await storedMessage(answer.id);
    expect(stored?.status).toBe("complete");
    expect(answer.text).toBe(stored?.text);
    const snap = await snapshot(page);
    expect(snap.cards.length).toBeGreaterThan(0);
    for (const c of snap.cards) {
      // One price format: the card reads exactly as the bot's text lists it ("275 SAR").
      expect(c.price).toMatch(/^\d+(\.\d{2})? SAR$/);
      expect(answer.text).toContain(` ${c.price}`);
      // Relative image URLs from the server resolve against the Kaleem host.
      expect(c.img?.startsWith(`${kal.url}/demo/img/`)).toBe(true);
    }
    await page.waitForTimeout(300); // let the card images paint
    await screenshot(page, "open-en");

    // Reload: same conversation, same history, nothing twice; the panel stays open.
    const before = snap.rows.map((r) => r.id);
    await page.reload();
    await waitFor(async () => (await snapshot(page)).rows.length >= before.length && (await snapshot(page)).open, "history after reload");
    const after = await snapshot(page);
    expect(after.rows.map((r) => r.id)).toEqual(before);
    expect(after.rows.find((r) => r.id === answer.id)?.text).toBe(stored?.text);
    const conversationId = await conversationOf(page);
    expect((await tenant().messages.listAfter(conversationId, 0)).map((m) => m.id)).toEqual(before);

    // Offline in the middle of the next answer, then back.
    await ask(page, "what is your return policy and how long does shipping to Jeddah take?");
    await waitFor(async () => {
      const r = await lastBotRow(page);
      return r && r.status === "streaming" && r.text.length > 0 && !before.includes(r.id);
    }, "second answer streaming");
    const resumesBefore = resumes.length;
    await context.setOffline(true);
    await waitFor(async () => (await snapshot(page)).banner?.includes("offline"), "offline banner");
    await page.waitForTimeout(1500);
    await context.setOffline(false);
    const second = await waitForAnswer(page, before.length);
    await waitFor(async () => (await snapshot(page)).banner === null, "banner gone");
    const storedSecond = await storedMessage(second.id);
    expect(second.text).toBe(storedSecond?.text);
    expect(second.text.length).toBeGreaterThan(0);
    const final = await snapshot(page);
    expect(final.rows.filter((r) => r.id === second.id)).toHaveLength(1);
    expect(new Set(final.rows.map((r) => r.id)).size).toBe(final.rows.length);
    expect((await tenant().messages.listAfter(conversationId, 0)).map((m) => m.id)).toEqual(final.rows.map((r) => r.id));
    // The connection really was dropped and the conversation resumed from the store.
    expect(resumes.length).toBeGreaterThan(resumesBefore);
  });

  it("a bot answer stopped by a take-over ends with a visible marker, the person's line right under it", async () => {
    const { page } = await browser();
    await openDemo(page);
    await openPanel(page);
    await ask(page, "what is your return policy and how long does shipping to Riyadh take?");
    await waitFor(async () => {
      const r = await lastBotRow(page);
      return r && r.status === "streaming" && r.text.length > 5;
    }, "answer streaming");
    const conversationId = await conversationOf(page);
    const s = await agent();
    await agentCall(s, "conversation:takeover", { conversationId });
    await waitFor(async () => (await lastBotRow(page))?.status === "stopped", "answer stopped");
    const stopped = (await lastBotRow(page))!;
    // The text is what the server kept; the marker is beside it, not in it.
    expect(stopped.text).toBe((await storedMessage(stopped.id))?.text);
    const marker = await page.evaluate((id) => {
      const row = document.querySelector("kaleem-widget")!.shadowRoot!.querySelector(`.k-row[data-message-id="${id}"]`)!;
      const cut = row.querySelector<HTMLElement>(".k-cut")!;
      const next = row.nextElementSibling as HTMLElement | null;
      return { text: cut.textContent, visible: !cut.hidden && cut.getBoundingClientRect().width > 0, label: cut.getAttribute("aria-label"), next: next?.dataset.role ?? null };
    }, stopped.id);
    expect(marker).toEqual({ text: " …", visible: true, label: "Answer stopped", next: "system" });
    // Complete answers carry no marker.
    const hidden = await page.evaluate(() =>
      [...document.querySelector("kaleem-widget")!.shadowRoot!.querySelectorAll<HTMLElement>('.k-row[data-status="complete"] .k-cut')].every((c) => c.hidden),
    );
    expect(hidden).toBe(true);
    await screenshot(page, "stopped-answer");
  });

  it("cart and order cards keep each price whole on one line, in a narrow panel and in Arabic", async () => {
    for (const locale of ["en-US", "ar-SA"]) {
      const { page } = await browser({ locale, viewport: { width: 360, height: 740 } });
      await openDemo(page);
      await openPanel(page);
      await ask(page, locale === "en-US" ? "hello" : "مرحبا");
      await waitForAnswer(page, 0);
      const conversationId = await conversationOf(page);
      await tenant().messages.append(conversationId, {
        role: "bot",
        text: locale === "en-US" ? "Your order is placed." : "تم تثبيت طلبك.",
        parts: [
          { type: "cart", items: [{ productId: "p1", name: "Embroidered Black Bisht Abaya with Gold Trim", quantity: 2, price: 1420.5 }], total: 2841, currency: "SAR" },
          { type: "order", orderId: "o1", number: "100234", status: "pending", total: 2866, currency: "SAR" },
        ],
      });
      await page.reload();
      // The panel reopens by itself after a reload when it was open.
      await waitFor(async () => (await snapshot(page).catch(() => null))?.open === true, "panel open after reload");
      await page.locator("kaleem-widget .k-order").waitFor();
      const lines = await page.evaluate(() => {
        const root = document.querySelector("kaleem-widget")!.shadowRoot!;
        const lineCount = (el: Element) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        };
        return [...root.querySelectorAll(".k-cart td:last-child, .k-order .k-order-total, .k-order .k-order-n")].map((el) => ({ text: el.textContent, lines: lineCount(el) }));
      });
      expect(lines.length).toBe(4);
      for (const l of lines) expect(l.lines, JSON.stringify(l)).toBe(1);
      await screenshot(page, `order-card-${locale.slice(0, 2)}`);
    }
  });

  it("works on a store's own origin: images from the Kaleem host, data-locale and data-sound honoured", async () => {
    const store = await startStorePage({ kaleemUrl: kal.url, widgetKey: kal.widgetKey, attrs: { "data-locale": "ar", "data-sound": "off" } });
    const merchant = await tenant().merchant.get();
    await tenant().merchant.update({ widget: { allowedOrigins: [...merchant.widget.allowedOrigins, store.url] } });
    try {
      const { page } = await browser();
      await page.addInitScript(() => {
        const w = window as unknown as { __chimes: number };
        w.__chimes = 0;
        const create = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function (this: AudioContext) {
          w.__chimes++;
          return create.call(this);
        };
      });
      await page.goto(store.url + "/");
      await page.locator("kaleem-widget .k-launch").waitFor();
      await openPanel(page);
      // data-locale="ar" wins over the browser's English.
      expect((await snapshot(page)).dir).toBe("rtl");
      await ask(page, "do you have black abayas?");
      await waitForAnswer(page, 0);
      const { cards } = await snapshot(page);
      expect(cards.length).toBeGreaterThan(0);
      // The server sent relative image URLs: they resolve against Kaleem, not the store page.
      for (const c of cards) expect(c.img?.startsWith(`${kal.url}/demo/img/`)).toBe(true);

      const conversationId = await conversationOf(page);
      const s = await agent();
      await agentCall(s, "conversation:takeover", { conversationId });
      await page.locator("kaleem-widget .k-x").click();
      await agentCall(s, "message:send", { conversationId, clientMessageId: "agent-ar", text: "أهلاً، كيف أقدر أساعدك؟" });
      // The badge counts in the store's digit style (the demo's is Western, like its bot's answers); no chime with data-sound="off".
      await waitFor(async () => (await snapshot(page)).badge === "1", "unread badge");
      expect(await page.evaluate(() => (window as unknown as { __chimes: number }).__chimes)).toBe(0);
    } finally {
      await tenant().merchant.update({ widget: { allowedOrigins: merchant.widget.allowedOrigins } });
      await store.close();
    }
  });

  it("Arabic: the panel is RTL, the answer is Arabic, and text, cards and times share the merchant's digit style", async () => {
    // The merchant chose Arabic-Indic digits (Bot settings): the bot's text uses them, so the cards must too.
    await tenant().merchant.update({ bot: { arabicDigits: "arabic" } });
    const { page } = await browser({ locale: "ar-SA" });
    await openDemo(page);
    await openPanel(page);
    const snap = await snapshot(page);
    expect(snap.dir).toBe("rtl");
    await ask(page, "عندكم عبايات سوداء؟");
    const answer = await waitForAnswer(page, 0);
    expect(answer.text).toMatch(/[\u0600-\u06FF]/);
    expect(answer.text).toBe((await storedMessage(answer.id))?.text);
    const after = await snapshot(page);
    expect(after.cards.length).toBeGreaterThan(0);
    for (const c of after.cards) {
      expect(c.price).toMatch(/^[٠-٩]+(\.[٠-٩]{2})? ر\.س$/);
      expect(answer.text).toContain(c.price);
    }
    expect(answer.text).not.toMatch(/[0-9]/);
    const meta = await page.evaluate(() => document.querySelector("kaleem-widget")!.shadowRoot!.querySelector(".k-meta time")?.textContent ?? "");
    expect(meta).toMatch(/[٠-٩]/);
    expect(meta).not.toMatch(/[0-9]/);
    const dirs = await page.evaluate(() =>
      [...document.querySelector("kaleem-widget")!.shadowRoot!.querySelectorAll(".k-bubble")].map((b) => b.getAttribute("dir")),
    );
    expect(dirs.every((d) => d === "auto")).toBe(true);
    await page.waitForTimeout(300);
    await screenshot(page, "open-ar");
    // Western digits (the default) read Western everywhere, the currency still Arabic.
    await tenant().merchant.update({ bot: { arabicDigits: "western" } });
    const { page: western } = await browser({ locale: "ar-SA" });
    await openDemo(western);
    await openPanel(western);
    await ask(western, "عندكم عبايات سوداء؟");
    const answerW = await waitForAnswer(western, 0);
    const cardsW = (await snapshot(western)).cards;
    expect(cardsW.length).toBeGreaterThan(0);
    for (const c of cardsW) {
      expect(c.price).toMatch(/^\d+(\.\d{2})? ر\.س$/);
      expect(answerW.text).toContain(c.price);
    }
  });

  it("renders hostile text as literal text: no element, no script, no dialog; only http(s) links", async () => {
    const { page } = await browser();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openDemo(page);
    await openPanel(page);
    const corpus = ['<img src=x onerror="window.__xss=1;alert(1)">', "<script>window.__xss=2;alert(2)</script>", '"><svg onload=alert(3)>'];
    for (const text of corpus) await ask(page, text);
    await waitFor(async () => (await snapshot(page)).rows.filter((r) => r.role === "shopper" && r.seq !== null).length === corpus.length, "sent");
    const conversationId = await conversationOf(page);
    const s = await agent();
    await agentCall(s, "conversation:takeover", { conversationId });
    const hostile = "<b>bold</b> <img src=x onerror=alert(4)> javascript:alert(5) see https://example.com/p?a=1&b=<i>";
    await agentCall(s, "message:send", { conversationId, clientMessageId: "xss-1", text: hostile });
    await waitFor(async () => (await snapshot(page)).rows.find((r) => r.role === "agent"), "agent message");
    await page.waitForTimeout(300);

    const snap = await snapshot(page);
    const shown = snap.rows.filter((r) => r.role === "shopper").map((r) => r.text);
    for (const text of corpus) expect(shown).toContain(text);
    expect(snap.rows.find((r) => r.role === "agent")?.text).toBe(hostile);
    const dom = await page.evaluate(() => {
      const root = document.querySelector("kaleem-widget")!.shadowRoot!;
      const log = root.querySelector(".k-log")!;
      return {
        imgs: [...log.querySelectorAll("img")].map((i) => i.getAttribute("src")),
        scripts: root.querySelectorAll("script, svg[onload], b, i").length,
        links: [...log.querySelectorAll("a")].map((a) => ({ href: a.getAttribute("href"), rel: a.rel, target: a.target })),
        xss: (window as unknown as { __xss?: number }).__xss ?? null,
      };
    });
    expect(dom.imgs.filter((src) => src === "x")).toHaveLength(0);
    expect(dom.scripts).toBe(0);
    expect(dom.xss).toBeNull();
    expect(dialogs).toEqual([]);
    expect(dom.links).toEqual([{ href: "https://example.com/p?a=1&b=", rel: "noopener noreferrer", target: "_blank" }]);
  });

  it("keeps the store's CSS out: the widget looks the same under `* { font-size: 40px; color: red }`", async () => {
    const { page } = await browser();
    await openDemo(page);
    await openPanel(page);
    const measure = () =>
      page.evaluate(() => {
        const root = document.querySelector("kaleem-widget")!.shadowRoot!;
        const pick = (sel: string) => {
          const el = root.querySelector<HTMLElement>(sel)!;
          const cs = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return { fontSize: cs.fontSize, color: cs.color, fontFamily: cs.fontFamily, w: box.width, h: box.height, x: box.x, y: box.y };
        };
        return { launcher: pick(".k-launch"), panel: pick(".k-panel"), greeting: pick(".k-greet .k-bubble"), input: pick("textarea"), title: pick(".k-head-t strong") };
      });
    const before = await measure();
    await page.addStyleTag({ content: "* { font-size: 40px; color: red }" });
    expect(await measure()).toEqual(before);
    // Harder: !important rules and box changes aimed at every element, the host included.
    await page.addStyleTag({
      content: "* { font-size: 40px !important; color: red !important; font-family: serif !important } div, button, span, kaleem-widget { padding: 30px !important; border: 5px solid red !important; display: block !important }",
    });
    const after = await measure();
    expect(after).toEqual(before);
    const pageText = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(pageText).toBe("rgb(255, 0, 0)");
  });

  it("mobile viewport: the panel fills the screen", async () => {
    const { page } = await browser({ viewport: { width: 390, height: 844 }, isMobile: true });
    await openDemo(page);
    await screenshot(page, "mobile-closed");
    await openPanel(page);
    const box = await page.locator("kaleem-widget .k-panel").boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    await ask(page, "do you have dates?");
    await waitForAnswer(page, 0);
    await page.waitForTimeout(300);
    await screenshot(page, "mobile-open");
  });

  it("keyboard, focus, handoff with the agent's name and typing, unread badge, chime and the live region", async () => {
    const { page } = await browser();
    // Count chimes: the widget makes its sound with WebAudio oscillators.
    await page.addInitScript(() => {
      const w = window as unknown as { __chimes: number };
      w.__chimes = 0;
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__chimes++;
        return create.call(this);
      };
    });
    await openDemo(page);
    await openPanel(page);
    expect((await snapshot(page)).focus).toContain("textarea");
    await page.keyboard.press("Escape");
    await waitFor(async () => !(await snapshot(page)).open, "closed by Escape");
    expect((await snapshot(page)).focus).toBe("k-launch");
    await page.keyboard.press("Enter");
    await waitFor(async () => (await snapshot(page)).open, "opened by keyboard");
    expect((await snapshot(page)).focus).toContain("textarea");

    // The theme colour's text colour is picked for contrast.
    const head = await page.evaluate(() => {
      const el = document.querySelector("kaleem-widget")!.shadowRoot!.querySelector(".k-head")!;
      const cs = getComputedStyle(el);
      return { bg: cs.backgroundColor, fg: cs.color };
    });
    const hex = (rgb: string) => "#" + (rgb.match(/\d+/g) ?? []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, "0")).join("");
    expect(contrastRatio(hex(head.bg), hex(head.fg))).toBeGreaterThanOrEqual(4.5);

    await ask(page, "hello");
    await waitForAnswer(page, 0);
    await page.locator("kaleem-widget .k-human").click();
    await waitFor(async () => /person|waiting/i.test((await snapshot(page)).subtitle), "waiting for a person");

    const conversationId = await conversationOf(page);
    const s = await agent();
    await agentCall(s, "conversation:watch", { conversationId });
    await agentCall(s, "conversation:takeover", { conversationId });
    await waitFor(async () => (await snapshot(page)).subtitle.includes("Demo Owner"), "agent name in the header");
    s.emit("typing", { conversationId, isTyping: true });
    await waitFor(async () => (await snapshot(page)).typing?.includes("Demo Owner"), "agent typing");
    await screenshot(page, "handoff-agent-typing");

    await page.locator("kaleem-widget .k-x").click();
    await waitFor(async () => !(await snapshot(page)).open, "closed");
    const chimesBefore = await page.evaluate(() => (window as unknown as { __chimes: number }).__chimes);
    // The bot answered while the panel was open: no sound for that.
    expect(chimesBefore).toBe(0);
    await agentCall(s, "message:send", { conversationId, clientMessageId: "agent-hi", text: "Hi, I'm here to help." });
    await waitFor(async () => (await snapshot(page)).badge === "1", "unread badge");
    await waitFor(async () => (await page.evaluate(() => (window as unknown as { __chimes: number }).__chimes)) > chimesBefore, "chime while closed");
    const announced = await page.evaluate(() => document.querySelector("kaleem-widget")!.shadowRoot!.querySelector(".k-sr")?.textContent ?? "");
    expect(announced).toContain("Hi, I'm here to help.");
    const label = await page.locator("kaleem-widget .k-launch").getAttribute("aria-label");
    expect(label).toContain("1 unread");

    await page.locator("kaleem-widget .k-launch").click();
    await waitFor(async () => (await snapshot(page)).open && (await snapshot(page)).badge === null, "badge cleared");
    await waitFor(async () => (await tenant().conversations.get(conversationId))?.shopperReadSeq === (await tenant().conversations.get(conversationId))?.lastSeq, "read stored");
  });
});
