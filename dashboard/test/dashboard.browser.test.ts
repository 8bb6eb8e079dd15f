// The dashboard in headless Chromium against a real embedded Kaleem (REST + hub + workers in one
// process, serving dashboard/dist at /dashboard/). The shopper and a second agent are real
// socket.io clients; the bot is a scripted engine so streams are long enough to take over.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { asMerchantId, LOAD_BALANCING_QUERY, verifyOutgoingWebhook, type BotSettings, type Message } from "@kaleem/shared";
import { startFakeCommercePlatform } from "@kaleem/workers/commerce/testing";
import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { startFakeTelegram, startFakeWhatsApp, type FakeTelegram, type FakeWhatsApp } from "@kaleem/workers/channels/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agentSocket,
  api,
  artifactsDir,
  buildDashboard,
  closeSockets,
  connected,
  ensureArtifactsDir,
  launchBrowser,
  nextEvent,
  ok,
  postMetaWebhook,
  shopperSocket,
  startInstance,
  TestBot,
  whatsAppStatus,
  whatsAppText,
  type Demo,
} from "./harness";

const XSS_CORPUS = [
  `<script>window.__xss = "script"</script>`,
  `<img src=x onerror="window.__xss='img'">`,
  `"><svg onload="window.__xss='svg'">`,
  `<iframe src="javascript:window.__xss='iframe'"></iframe>`,
  `<a href="javascript:window.__xss='href'">click me</a>`,
  `{{constructor.constructor('window.__xss="tpl"')()}}`,
  `<style>body{display:none}</style>&lt;b&gt;bold&lt;/b&gt; &amp; <b>raw</b>`,
  `\u202Egnp.exe <details open ontoggle="window.__xss='details'">`,
];

describe("dashboard (Chromium, embedded Kaleem)", () => {
  let instance: Awaited<ReturnType<typeof startInstance>> | null = null;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;
  let page: Page;
  let url = "";
  let demo: Demo;
  let shopper: Socket;
  let conversationId = "";
  let ownerId = "";
  let ownerName = "";
  let ownerToken = "";
  const agentLogin = { email: "omar@example.com", password: "second agent password" };
  const shopperEvents: { event: string; message?: Message }[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  let tg: FakeTelegram;
  let wa: FakeWhatsApp;
  let waChannel = "";
  const TG_TOKEN = "123456789:AAEdemoTokenForTests_x";
  const WA = { phoneNumberId: "106540352242922", accessToken: "EAAG-dashboard-test-token", appSecret: "dashboard-app-secret", verifyToken: "dashboard-verify-token" };

  let waConversationId = "";
  const item = (id: string) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`);
  /** Nothing on the page is wider than the window (no sideways scrolling, nothing cut off). */
  const noHorizontalOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("timed out");
  }
  const bubble = (id: string) => page.locator(`[data-message-id="${id}"]`);

  beforeAll(async () => {
    buildDashboard();
    // Channels are checked with their provider on connect: local Telegram and WhatsApp servers stand
    // in (private addresses allowed), and Telegram wants an https webhook URL.
    tg = await startFakeTelegram({ botToken: TG_TOKEN, bot: { id: 123456789, username: "kaleem_demo_bot", firstName: "Kaleem Demo" } });
    wa = await startFakeWhatsApp({ phoneNumberId: WA.phoneNumberId, accessToken: WA.accessToken, verifiedName: "Kaleem Demo Store" });
    // One signed-in owner walks every page in both languages within a minute or two; the default
    // 600 requests a minute per user is not what this suite tests (the screenshot pass near the end
    // intermittently lost its message loads, most likely to that budget).
    instance = await startInstance({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", PUBLIC_URL: "https://kaleem-dashboard.example", RATE_LIMIT_PER_MINUTE: "3000" });
    url = instance.k.url;
    demo = instance.demo;
    const owner = await api<{ accessToken: string; user: { id: string; name: string } }>(url, "POST", "/auth/login", { email: demo.email, password: demo.password });
    ownerName = owner.user.name;
    ownerId = owner.user.id;
    ownerToken = owner.accessToken;
    await api(url, "POST", "/canned-replies", { shortcut: "thanks", text: "Thank you for shopping with us!" }, owner.accessToken);
    await api(url, "POST", "/channels", { type: "telegram", name: "Store bot", config: { botToken: TG_TOKEN, secretToken: "s3cret-token", apiBaseUrl: tg.apiBaseUrl } }, owner.accessToken);
    waChannel = (await api<{ id: string }>(url, "POST", "/channels", { type: "whatsapp", name: "WhatsApp", config: { ...WA, apiBaseUrl: wa.apiBaseUrl } }, owner.accessToken)).id;
    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    ensureArtifactsDir();
  });

  afterAll(async () => {
    closeSockets();
    try {
      await browser?.close();
    } finally {
      try {
        await instance?.close();
      } finally {
        await Promise.all([tg?.close(), wa?.close()]);
      }
    }
  });

  it("signs in with the demo credentials", async () => {
    await page.goto(`${url}/dashboard/`);
    await page.locator('[data-testid="login-form"] input[name="email"]').fill(demo.email);
    await page.locator('[data-testid="login-form"] input[name="password"]').fill(demo.password);
    await page.locator('[data-testid="login-form"] button[type="submit"]').click();
    await page.locator('[data-testid="nav-inbox"]').waitFor();
    // The owner sees the setup pages.
    await expect(page.locator('[data-testid="nav-channels"]').count()).resolves.toBe(1);
    await page.locator('[data-testid="connection"].conn-on').waitFor();
  });

  it("refreshes an access token the server refuses, once, and carries on", async () => {
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem("kaleem.session") ?? "null") as { refreshToken: string });
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("kaleem.session") ?? "{}") as Record<string, unknown>;
      localStorage.setItem("kaleem.session", JSON.stringify({ ...s, accessToken: "not-a-valid-token" }));
    });
    await page.reload();
    await page.locator('[data-testid="nav-inbox"]').waitFor();
    await page.locator('[data-testid="connection"].conn-on').waitFor();
    const after = await page.evaluate(() => JSON.parse(localStorage.getItem("kaleem.session") ?? "null") as { accessToken: string; refreshToken: string });
    expect(after.accessToken).not.toBe("not-a-valid-token");
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  it("stays signed in when a refresh fails on the network (at start-up and on a socket reconnect)", async () => {
    let failRefresh = 0;
    await page.route("**/api/v1/auth/refresh", (route) => (failRefresh-- > 0 ? route.abort("internetdisconnected") : route.continue()));
    const spoil = () =>
      page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem("kaleem.session") ?? "{}") as Record<string, unknown>;
        localStorage.setItem("kaleem.session", JSON.stringify({ ...s, accessToken: "not-a-valid-token" }));
      });
    try {
      // Start-up: /me is refused, the refresh does not get through; the next attempt does.
      failRefresh = 1;
      await spoil();
      await page.reload();
      await page.locator('[data-testid="connection"].conn-on').waitFor();
      expect(await page.locator('[data-testid="login-form"]').count()).toBe(0);

      // Reconnect: the socket's handshake is refused and its refresh fails on the network.
      failRefresh = 1;
      await spoil();
      // Session adopts the stored pair as it does when another tab writes it.
      await page.evaluate(() => window.dispatchEvent(new StorageEvent("storage", { key: "kaleem.session" })));
      await page.context().setOffline(true);
      await page.locator('[data-testid="connection"]:not(.conn-on)').waitFor();
      await page.context().setOffline(false);
      await page.locator('[data-testid="connection"].conn-on').waitFor({ timeout: 30_000 });
      expect(failRefresh).toBeLessThan(0);
      expect(await page.locator('[data-testid="login-form"]').count()).toBe(0);
      expect(await page.evaluate(() => localStorage.getItem("kaleem.session"))).not.toBeNull();
    } finally {
      await page.unroute("**/api/v1/auth/refresh");
    }
  });

  it("shows a shopper's new conversation without a reload, and its streamed answer when opened", async () => {
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    shopper = shopperSocket(url, demo.widgetKey);
    for (const event of ["message:new", "message:done"]) shopper.on(event, (p: { message: Message }) => shopperEvents.push({ event, message: p.message }));
    await connected(shopper);
    // Opening the widget puts nothing in the inbox; the first message starts the conversation.
    const opened = await ok<{ conversationId: string | null }>(shopper, "conversation:open", { locale: "en", pageUrl: "https://shop.example/collections/abayas?ref=home" });
    expect(opened.conversationId).toBeNull();
    const answered = nextEvent<{ message: Message }>(shopper, "message:done", (p) => p.message.role === "bot");
    const first = await ok<{ message: Message }>(shopper, "message:send", { conversationId: opened.conversationId, clientMessageId: "hello-1", text: "Do you have black abayas?" });
    conversationId = first.message.conversationId;

    await item(conversationId).waitFor();
    // Its preview follows the conversation live.
    await item(conversationId).locator('[data-testid="conversation-preview"]').filter({ hasText: /\S/ }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    const done = await answered;
    await item(conversationId).click();
    await bubble(done.message.id).and(page.locator('[data-status="complete"]')).waitFor();
    expect(await bubble(done.message.id).locator('[data-testid="msg-text"]').textContent()).toBe(TestBot.ANSWER.join(""));
    await page.locator('[data-testid="timeline"] [data-testid="product-card"]').first().waitFor();
    await expect(page.locator('[data-testid="side-panel"]').textContent()).resolves.toContain("Black abaya");
    // The page the shopper chats from, as a link the agent can open.
    const pageLink = page.locator('[data-testid="side-page"] a');
    await pageLink.waitFor();
    expect(await pageLink.textContent()).toBe("shop.example/collections/abayas");
    expect(await pageLink.getAttribute("href")).toBe("https://shop.example/collections/abayas?ref=home");
  });

  it("badges the inbox and the tab title when a conversation starts waiting for a human", async () => {
    const other = shopperSocket(url, demo.widgetKey);
    await connected(other);
    await ok(other, "conversation:open", { locale: "ar" });
    const sent = await ok<{ message: Message }>(other, "message:send", { clientMessageId: "ar-1", text: "عندكم عبايات سوداء؟" });
    const opened = { conversationId: sent.message.conversationId };
    await item(opened.conversationId).waitFor();
    expect(await page.locator('[data-testid="waiting-badge"]').count()).toBe(0);
    await ok(other, "conversation:human", { conversationId: opened.conversationId });
    await page.locator('[data-testid="waiting-badge"]').filter({ hasText: "1" }).waitFor();
    await page.waitForFunction(() => document.title.startsWith("(1) "));
    await page.locator('[data-testid="tab-waiting"]').click();
    await item(opened.conversationId).waitFor();
    expect(await item(conversationId).count()).toBe(0);
    await page.locator('[data-testid="tab-all"]').click();
    await item(conversationId).click();
  });

  it("streams a bot answer live; take-over stops it; the reply reaches the shopper; hand-back lets the bot answer", async () => {
    await ok(shopper, "message:send", { conversationId, clientMessageId: "slow-1", text: "slow answer please" });
    const streaming = page.locator('[data-testid="msg-bot"][data-status="streaming"]');
    await streaming.waitFor();
    const messageId = (await streaming.getAttribute("data-message-id"))!;

    // The text grows in the page while the bot writes.
    const lengths: number[] = [];
    for (let i = 0; i < 400 && lengths.length < 4; i++) {
      const len = ((await bubble(messageId).locator('[data-testid="msg-text"]').textContent()) ?? "").length;
      if (len > (lengths.at(-1) ?? 0)) lengths.push(len);
      await page.waitForTimeout(50);
    }
    expect(lengths.length).toBe(4);

    const stoppedForShopper = nextEvent<{ message: Message }>(shopper, "message:done", (p) => p.message.id === messageId);
    await page.locator('[data-testid="takeover"]').click();
    await bubble(messageId).and(page.locator('[data-status="stopped"]')).waitFor();
    const stopped = await stoppedForShopper;
    expect(stopped.message.status).toBe("stopped");
    expect(await bubble(messageId).locator('[data-testid="msg-text"]').textContent()).toBe(stopped.message.text);
    await page.locator('[data-testid="conversation"][data-status="human"]').waitFor();

    // A saved reply comes in with "/", then the agent's reply goes to the shopper.
    const input = page.locator('[data-testid="composer-input"]');
    await input.fill("/tha");
    await page.locator(".canned-menu li.active").waitFor();
    await input.press("Enter");
    expect(await input.inputValue()).toBe("Thank you for shopping with us!");
    const reply = "Hi, this is the store team. The black abaya comes in S to XL.";
    await input.fill(reply);
    const received = nextEvent<{ message: Message }>(shopper, "message:new", (p) => p.message.role === "agent");
    await page.locator('[data-testid="composer-send"]').click();
    expect((await received).message.text).toBe(reply);
    await page.locator('[data-testid="msg-agent"]').filter({ hasText: reply }).waitFor();

    // A private note is shown to the team, never sent to the shopper.
    await page.locator('[data-testid="note-tab"]').click();
    await input.fill("Customer prefers delivery after 5pm");
    await page.locator('[data-testid="composer-send"]').click();
    await page.locator('[data-testid="msg-note"]').filter({ hasText: "after 5pm" }).waitFor();
    await page.locator(".composer-tabs button").first().click();

    await page.locator('[data-testid="handback"]').click();
    await page.locator('[data-testid="conversation"][data-status="bot"]').waitFor();
    const botAgain = nextEvent<{ message: Message }>(shopper, "message:done", (p) => p.message.role === "bot" && p.message.status === "complete");
    await ok(shopper, "message:send", { conversationId, clientMessageId: "after-handback", text: "Great, thanks! Any in blue?" });
    const again = await botAgain;
    await bubble(again.message.id).and(page.locator('[data-status="complete"]')).waitFor();
    await page.screenshot({ path: path.join(artifactsDir, "conversation-handoff-en.png") });

    expect(shopperEvents.some((e) => e.message?.role === "note" || e.message?.text.includes("after 5pm"))).toBe(false);
  });

  it("resumes after a dropped connection mid-stream with no gap and no repeat", async () => {
    await ok(shopper, "message:send", { conversationId, clientMessageId: "slow-2", text: "slow again please" });
    const streaming = page.locator('[data-testid="msg-bot"][data-status="streaming"]');
    await streaming.waitFor();
    const messageId = (await streaming.getAttribute("data-message-id"))!;
    const textOf = async () => ((await bubble(messageId).locator('[data-testid="msg-text"]').textContent()) ?? "").length;
    await page.waitForFunction((id) => (document.querySelector(`[data-message-id="${id}"] [data-testid="msg-text"]`)?.textContent ?? "").length > 20, messageId);

    // Drop the browser's transport (not a clean server disconnect): the client reconnects by itself,
    // watches again and resumes while the bot keeps writing.
    const inbox = instance!.k.hub!.io.of("/inbox");
    const dropped = [...inbox.sockets.values()].filter((sock) => sock.data.userId === ownerId);
    expect(dropped.length).toBeGreaterThan(0);
    for (const sock of dropped) sock.conn.close();
    await page.locator('[data-testid="connection"].conn-off').waitFor();
    await page.locator('[data-testid="connection"].conn-on').waitFor();
    // The tab kept its load-balancing key (nginx hashes it to pick the hub): one key, the same again.
    const keysOf = (socks: typeof dropped) => new Set(socks.map((sock) => String(sock.handshake.query[LOAD_BALANCING_QUERY] ?? "")));
    const before = keysOf(dropped);
    expect(before.size).toBe(1);
    expect([...before][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keysOf([...inbox.sockets.values()].filter((sock) => sock.data.userId === ownerId))).toEqual(before);
    const resumedAt = await textOf();
    await page.waitForFunction(([id, n]) => (document.querySelector(`[data-message-id="${id}"] [data-testid="msg-text"]`)?.textContent ?? "").length > Number(n), [messageId, resumedAt] as const);

    const stoppedForShopper = nextEvent<{ message: Message }>(shopper, "message:done", (p) => p.message.id === messageId);
    await page.locator('[data-testid="takeover"]').click();
    const stopped = (await stoppedForShopper).message;
    await bubble(messageId).and(page.locator('[data-status="stopped"]')).waitFor();
    expect(await bubble(messageId).locator('[data-testid="msg-text"]').textContent()).toBe(stopped.text);
    // Every message once, seqs without holes.
    const seqs = (await page.locator('[data-testid="timeline"] [data-seq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq")))));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 1) + i));
    await page.locator('[data-testid="handback"]').click();
    await page.locator('[data-testid="conversation"][data-status="bot"]').waitFor();
  });

  it("shows a second agent viewing and typing in the same conversation", async () => {
    const owner = await api<{ accessToken: string }>(url, "POST", "/auth/login", { email: demo.email, password: demo.password });
    const { password } = agentLogin;
    const { user } = await api<{ user: { email: string } }>(url, "POST", "/team", { email: agentLogin.email, name: "Omar Second", role: "agent", password }, owner.accessToken);
    const omar = await api<{ accessToken: string }>(url, "POST", "/auth/login", { email: user.email, password });
    const second = agentSocket(url, omar.accessToken);
    await connected(second);
    await ok(second, "conversation:watch", { conversationId });
    const collision = page.locator('[data-testid="collision"]');
    await collision.filter({ hasText: "Omar Second" }).waitFor();
    await ok(second, "typing", { conversationId, isTyping: true });
    await collision.filter({ hasText: "typing" }).waitFor();
    await ok(second, "conversation:unwatch", { conversationId });
    await ok(second, "typing", { conversationId, isTyping: false });
    await collision.waitFor({ state: "detached" });
  });

  it("renders a shopper's XSS corpus as inert text", async () => {
    // With a human on the conversation the bot stays quiet, so only the corpus arrives.
    await page.locator('[data-testid="takeover"]').click();
    await page.locator('[data-testid="conversation"][data-status="human"]').waitFor();
    for (const [i, text] of XSS_CORPUS.entries()) {
      await ok(shopper, "message:send", { conversationId, clientMessageId: `xss-${i}`, text });
    }
    const texts = page.locator('[data-testid="msg-shopper"] [data-testid="msg-text"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="msg-shopper"]').length >= n, XSS_CORPUS.length + 3);
    const shown = await texts.allTextContents();
    for (const text of XSS_CORPUS) expect(shown).toContain(text);
    await expect.poll(() => item(conversationId).locator('[data-testid="conversation-preview"]').textContent(), { timeout: 10_000 }).toBe(XSS_CORPUS.at(-1));

    const injected = await page.evaluate(() => ({
      flag: (window as unknown as { __xss?: string }).__xss ?? null,
      // Message text and previews are bare text nodes; nothing the shopper sent became an element.
      elementsInText: document.querySelectorAll('[data-testid="msg-text"] *, [data-testid="conversation-preview"] *').length,
      elements: document.querySelectorAll("body :is(script, img, iframe, style, details, object, embed)").length,
      jsLinks: [...document.querySelectorAll("a")].filter((a) => a.getAttribute("href")?.trim().toLowerCase().startsWith("javascript:")).length,
      bodyVisible: getComputedStyle(document.body).display !== "none",
    }));
    expect(injected).toEqual({ flag: null, elementsInText: 0, elements: 0, jsLinks: 0, bodyVisible: true });
    expect(dialogs).toEqual([]);
  });

  it("keeps a shopper's bidi controls (RLO, LRO, unclosed isolates) inside their own bubble", async () => {
    const texts = ["\u202Eevil.exe reversed, never closed", "\u202Dمرحبا forced left-to-right", "\u2067opened isolate \u202B and embedding"];
    const before = await page.locator('[data-testid="msg-shopper"]').count();
    for (const [i, text] of texts.entries()) await ok(shopper, "message:send", { conversationId, clientMessageId: `bidi-${i}`, text });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="msg-shopper"]').length >= n, before + texts.length);
    const layout = await page.evaluate((sent) => {
      const items = [...document.querySelectorAll('[data-testid="msg-shopper"]')];
      const hostile = items.filter((li) => sent.includes(li.querySelector('[data-testid="msg-text"]')?.textContent ?? ""));
      return {
        count: hostile.length,
        // Every message text element isolates its content and picks its direction from it.
        texts: [...document.querySelectorAll('[data-testid="msg-text"]')].map((el) => [el.getAttribute("dir"), getComputedStyle(el).unicodeBidi]),
        preview: [...document.querySelectorAll('[data-testid="conversation-preview"]')].map((el) => [el.getAttribute("dir"), getComputedStyle(el).unicodeBidi]),
        // Outside the text the line reads as usual: who, then the time, left to right (LTR page).
        metaInOrder: hostile.map((li) => {
          const parts = [...(li.querySelector(".msg-meta")?.children ?? [])].map((c) => c.getBoundingClientRect().left);
          return parts.length >= 2 && parts.every((x, i) => i === 0 || x > parts[i - 1]!);
        }),
        metaText: hostile.map((li) => li.querySelector(".msg-meta bdi")?.textContent),
      };
    }, texts);
    expect(layout.count).toBe(texts.length);
    expect(new Set(layout.texts.map((x) => x.join(" ")))).toEqual(new Set(["auto isolate"]));
    expect(new Set(layout.preview.map((x) => x.join(" ")))).toEqual(new Set(["auto isolate"]));
    expect(layout.metaInOrder).toEqual(texts.map(() => true));
    expect(layout.metaText).toEqual(texts.map(() => "Shopper"));
    // Summaries are coalesced per conversation for a moment: the preview catches up with the last one.
    await expect.poll(() => item(conversationId).locator('[data-testid="conversation-preview"]').textContent(), { timeout: 10_000 }).toBe(texts.at(-1));
  });

  it("pages the catalog with a cursor, filters it, and imports a CSV with a per-row error report", async () => {
    await page.goto(`${url}/dashboard/catalog`);
    const rows = page.locator('[data-testid="product-row"]');
    await rows.first().waitFor();
    const first = await rows.count();
    await page.locator('[data-testid="load-more"]').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="product-row"]').length > n, first);
    const names = await page.locator('[data-testid="product-row"] .product-name').allTextContents();
    expect(new Set(names).size).toBe(names.length);

    await page.locator('input[type="search"]').fill("abaya");
    await page.waitForFunction(() => {
      const found = [...document.querySelectorAll('[data-testid="product-row"] .product-name')].map((e) => e.textContent ?? "");
      return found.length > 0 && found.every((n) => /abaya/i.test(n));
    });

    await page.locator('[data-testid="import-open"]').click();
    const csv = [
      "externalId,name_en,name_ar,price,stock,category,tags",
      'csv-1,"Linen Scarf, Sand",وشاح كتان,79,12,accessories,linen|summer',
      "csv-2,Broken Row,صف خاطئ,abc,1,accessories,",
    ].join("\n");
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: "products.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.locator('[data-testid="import-run"]').click();
    const result = page.locator('[data-testid="import-result"]');
    await result.waitFor();
    expect(await result.textContent()).toContain("1 created · 0 updated · 1 failed");
    const errorRows = await page.locator('[data-testid="import-errors"] tr').allTextContents();
    expect(errorRows).toHaveLength(1);
    expect(errorRows[0]).toContain("csv-2");
    await page.screenshot({ path: path.join(artifactsDir, "catalog-import-en.png") });
    await page.keyboard.press("Escape");
    await page.locator('input[type="search"]').fill("Linen Scarf");
    await page.locator('[data-testid="product-row"]').filter({ hasText: "Linen Scarf, Sand" }).waitFor();
  });

  it("product editor: a seeded product (image on this installation) saves, and an uploaded image becomes its picture", async () => {
    await page.goto(`${url}/dashboard/catalog`);
    await page.locator('[data-testid="product-row"]').first().waitFor();
    await page.locator('input[type="search"]').fill("Midnight Crepe");
    const row = page.locator('[data-testid="product-row"]').filter({ hasText: "Midnight Crepe Abaya" });
    await row.waitFor();
    await row.getByRole("button").click();
    const field = page.locator('[data-testid="product-image-url"]');
    expect(await field.inputValue()).toMatch(/^\/demo\/img\/.+\.svg$/);
    // What the seed stores is valid: Save goes through (it used to stop at "Please enter a URL.").
    const stock = page.locator('.dialog input[type="number"]').nth(1);
    await stock.fill("77");
    await page.locator('.dialog button[type="submit"]').click();
    await page.locator(".dialog").waitFor({ state: "detached" });
    await row.locator("td.num").nth(1).filter({ hasText: "77" }).waitFor();

    // Upload a picture from the editor: it goes to the object store and the field takes its URL.
    await row.getByRole("button").click();
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    await page.locator('[data-testid="product-image-file"]').setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
    await page.waitForFunction(() => /^\/images\/[^/]+\/[^/]+\.png$/.test((document.querySelector('[data-testid="product-image-url"]') as HTMLInputElement).value));
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="product-image-preview"]') as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth === 1;
    });
    const uploaded = await field.inputValue();
    await page.screenshot({ path: path.join(artifactsDir, "product-editor-upload-en.png") });
    // A relative path that is not this installation's is explained, not silently refused.
    await field.fill("photos/a.png");
    expect(await page.locator(".field-error").textContent()).toContain("http(s)");
    await field.fill(uploaded);
    await page.locator('.dialog button[type="submit"]').click();
    await page.locator(".dialog").waitFor({ state: "detached" });
    const products = await api<{ items: { imageUrl: string | null; stock: number }[] }>(url, "GET", "/products?limit=100", undefined, ownerToken);
    expect(products.items.some((p) => p.imageUrl === uploaded && p.stock === 77)).toBe(true);
    const served = await fetch(`${url}${uploaded}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
  });

  it("saves bot settings with the merchant's own intent example; it is there after a reload", async () => {
    await page.goto(`${url}/dashboard/bot`);
    await page.locator('[data-testid="bot-settings"]').waitFor();
    const before = await page.locator('[data-testid="example-row"]').count();
    await page.locator('[data-testid="example-add"]').click();
    const row = page.locator('[data-testid="example-row"]').nth(before);
    await row.locator('[data-testid="example-text"]').fill("وين شحنتي يا جماعة");
    await row.locator('[data-testid="example-intent"]').selectOption("order_status");
    await page.locator('[data-testid="bot-keywords"]').fill("manager\nمدير");
    await page.locator('[data-testid="bot-save"]').click();
    await page.locator('[data-testid="bot-saved"]').waitFor();

    await page.reload();
    await page.locator('[data-testid="example-row"]').nth(before).waitFor();
    const rows = await page.locator('[data-testid="example-row"]').evaluateAll((els) =>
      els.map((el) => {
        const select = el.querySelector("select")!;
        return { text: el.querySelector("input")!.value, intent: select.value, label: select.selectedOptions[0]?.textContent };
      }),
    );
    expect(rows).toContainEqual({ text: "وين شحنتي يا جماعة", intent: "order_status", label: "Order status" });
    expect(await page.locator('[data-testid="bot-keywords"]').inputValue()).toBe("manager\nمدير");
    const stored = await api<BotSettings>(url, "GET", "/settings/bot", undefined, ownerToken);
    expect(stored.intentExamples).toContainEqual({ text: "وين شحنتي يا جماعة", intent: "order_status" });
    expect(stored.handoffKeywords).toEqual(["manager", "مدير"]);
  });

  it("shows that settings change first in the audit log, with who, what and from where", async () => {
    await page.goto(`${url}/dashboard/audit`);
    const first = page.locator('[data-testid="audit-row"]').first();
    await first.waitFor();
    expect(await first.getAttribute("data-action")).toBe("settings.bot_updated");
    const cells = await first.locator("td").allTextContents();
    expect(cells[1]).toContain("Bot settings changed");
    expect(cells[2]).toBe(ownerName);
    expect(cells[4]).toContain("intentExamples");
    expect(cells[5]).toMatch(/127\.0\.0\.1/);
  });

  it("edits a channel with its secrets left blank (kept) and disables a commerce connection", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const [channel] = await tenant.channels.list();
    const sealedBefore = await tenant.channels.getSecrets(channel!.id);
    await api(url, "POST", "/commerce-connections", { platform: "shopify", config: { shopDomain: "kaleem-demo.myshopify.com", webhookSecret: "shpss_demo_secret" } }, ownerToken);

    await page.goto(`${url}/dashboard/channels`);
    const channelItem = page.locator('[data-testid="channel-item"]').first();
    await channelItem.locator('[data-testid="channel-edit"]').click();
    const form = channelItem.locator('[data-testid="config-edit-form"]');
    await form.locator('[data-testid="secret-hint"]').waitFor();
    // The secrets start blank (never sent back to the browser).
    expect(await form.locator('input[name="botToken"]').inputValue()).toBe("");
    await page.screenshot({ path: path.join(artifactsDir, "channels-edit-en.png") });
    await form.locator('[data-testid="config-name"]').fill("Store bot (main)");
    await form.locator('[data-testid="config-save"]').click();
    await channelItem.filter({ hasText: "Store bot (main)" }).locator('[data-testid="channel-edit"]').waitFor();
    await form.waitFor({ state: "detached" });
    expect((await tenant.channels.get(channel!.id))?.name).toBe("Store bot (main)");
    expect(await tenant.channels.getSecrets(channel!.id)).toBe(sealedBefore);

    const commerceItem = page.locator('[data-testid="commerce-item"]').first();
    await commerceItem.locator('[data-testid="commerce-toggle"]').click();
    await commerceItem.locator(".pill").filter({ hasText: "Disabled" }).waitFor();
    expect((await tenant.commerceConnections.getByPlatform("shopify"))?.status).toBe("disabled");
    await commerceItem.locator('[data-testid="commerce-toggle"]').click();
    await commerceItem.locator(".pill").filter({ hasText: "Active" }).waitFor();

    await page.evaluate(() => localStorage.setItem("kaleem.lang", "ar"));
    await page.reload();
    await page.locator('[data-testid="channel-item"] [data-testid="channel-edit"]').first().click();
    await page.locator('[data-testid="secret-hint"]').waitFor();
    await page.screenshot({ path: path.join(artifactsDir, "channels-edit-ar.png") });
    await page.evaluate(() => localStorage.setItem("kaleem.lang", "en"));
  });

  it("shows a WhatsApp conversation's channel, each reply's delivery state, and a closed window in the composer", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const from = "966550001234";
    expect(await postMetaWebhook(url, waChannel, whatsAppText(WA.phoneNumberId, from, "Noura", "Do you have dates gift boxes?"), WA.appSecret)).toBe(200);
    await until(async () => (await tenant.customers.findByExternalId("whatsapp", from)) !== null);
    const customer = (await tenant.customers.findByExternalId("whatsapp", from))!;
    const conversation = (await tenant.conversations.findOpenByCustomer(customer.id, "whatsapp"))!;
    waConversationId = conversation.id;

    await page.goto(`${url}/dashboard/inbox`);
    await item(conversation.id).waitFor();
    expect(await item(conversation.id).locator('[data-testid="channel-badge"]').getAttribute("data-channel")).toBe("whatsapp");
    expect(await item(conversationId).locator('[data-testid="channel-badge"]').textContent()).toBe("Web chat");
    await item(conversation.id).click();
    expect(await page.locator('.conversation-head [data-testid="channel-badge"]').textContent()).toBe("WhatsApp");

    // The bot's answer went out through WhatsApp: "Sent", then "Read" when the callback says so, live.
    const answer = page.locator('[data-testid="msg-bot"]').last();
    await answer.locator('[data-testid="delivery"][data-state="sent"]').waitFor();
    await until(async () => (await tenant.messages.listLatest(conversation.id, 10)).some((m) => m.role === "bot" && m.channelDelivery?.providerMessageId));
    const sent = (await tenant.messages.listLatest(conversation.id, 10)).find((m) => m.role === "bot" && m.channelDelivery?.providerMessageId)!;
    expect(await postMetaWebhook(url, waChannel, whatsAppStatus(WA.phoneNumberId, sent.channelDelivery!.providerMessageId!, from, "read"), WA.appSecret)).toBe(200);
    await bubble(sent.id).locator('[data-testid="delivery"][data-state="read"]').waitFor();
    expect(await bubble(sent.id).locator('[data-testid="delivery"]').textContent()).toBe("Read");
    // Shopper messages carry no delivery line.
    expect(await page.locator('[data-testid="msg-shopper"] [data-testid="delivery"]').count()).toBe(0);

    // The next send is refused: WhatsApp's 24-hour window has closed (131047).
    wa.failNext({ kind: "window_closed" }, { operation: "messages" });
    await page.locator('[data-testid="takeover"]').click();
    await page.locator('[data-testid="conversation"][data-status="human"]').waitFor();
    const input = page.locator('[data-testid="composer-input"]');
    await input.fill("Yes! The Ajwa gift box is 120 SAR.");
    await page.locator('[data-testid="composer-send"]').click();
    const reply = page.locator('[data-testid="msg-agent"]').filter({ hasText: "Ajwa gift box" });
    await reply.locator('[data-testid="delivery"][data-state="failed"]').waitFor();
    expect(await reply.locator('[data-testid="delivery-reason"]').textContent()).toMatch(/131047/);
    const notice = page.locator('[data-testid="window-notice"][data-state="closed"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain("Window closed — the customer must write first, or send a template");
    expect(await input.isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="composer-send"]').isDisabled()).toBe(true);
    // Private notes still work.
    await page.locator('[data-testid="note-tab"]').click();
    expect(await input.isDisabled()).toBe(false);
    expect(await notice.count()).toBe(0);
    await page.locator(".composer-tabs button").first().click();
    await notice.waitFor();
    // The notice takes room from the timeline; the failed reply's state stays in view.
    await page.waitForFunction(() => {
      const line = [...document.querySelectorAll('[data-testid="msg-agent"] [data-testid="delivery"]')].at(-1);
      const timeline = document.querySelector('[data-testid="timeline"]');
      if (!line || !timeline) return false;
      const r = line.getBoundingClientRect();
      const t = timeline.getBoundingClientRect();
      return r.top >= t.top - 1 && r.bottom <= t.bottom + 1;
    });
    await page.screenshot({ path: path.join(artifactsDir, "conversation-window-closed-en.png") });
    expect(await noHorizontalOverflow()).toBe(true);

    await page.evaluate(() => localStorage.setItem("kaleem.lang", "ar"));
    await page.reload();
    await notice.waitFor();
    expect(await notice.textContent()).toContain("انتهت نافذة المحادثة");
    expect(await reply.locator('[data-testid="delivery"]').textContent()).toContain("لم تُسلَّم");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.screenshot({ path: path.join(artifactsDir, "conversation-window-closed-ar.png") });
    // Close-ups, to read the right-to-left details at full size.
    await reply.screenshot({ path: path.join(artifactsDir, "delivery-failed-ar.png") });
    await page.locator('[data-testid="side-contact"]').screenshot({ path: path.join(artifactsDir, "side-contact-ar.png") });
    expect(await noHorizontalOverflow()).toBe(true);
    await page.evaluate(() => localStorage.setItem("kaleem.lang", "en"));
    await page.reload();

    // The customer writes again: the window is open, the composer too.
    expect(await postMetaWebhook(url, waChannel, whatsAppText(WA.phoneNumberId, from, "Noura", "Great, I'll take two"), WA.appSecret)).toBe(200);
    await page.locator('[data-testid="msg-shopper"]').filter({ hasText: "take two" }).waitFor();
    await notice.waitFor({ state: "detached" });
    expect(await input.isDisabled()).toBe(false);
  });

  it("shows each channel's real status and account, its failed deliveries with a retry and a link, and paused deliveries", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    await page.goto(`${url}/dashboard/channels`);
    const waItem = page.locator(`[data-testid="channel-item"][data-channel-id="${waChannel}"]`);
    const tgItem = page.locator('[data-testid="channel-item"][data-channel-type="telegram"]');
    await waItem.locator('[data-testid="channel-status"][data-status="active"]').waitFor();
    // What the providers said when the channels were connected.
    expect(await waItem.locator('[data-testid="channel-account"]').textContent()).toContain("Kaleem Demo Store");
    expect(await tgItem.locator('[data-testid="channel-account"]').textContent()).toContain("@kaleem_demo_bot");
    expect(await waItem.locator('[data-testid="last-event"]').textContent()).not.toContain("never");
    expect(await tgItem.locator('[data-testid="last-event"]').textContent()).toContain("never");
    expect(await waItem.locator('[data-testid="last-error"]').textContent()).toMatch(/131047/);

    // The refused reply is this channel's failed delivery, and only this channel's.
    const failedItem = waItem.locator('[data-testid="failed-delivery"]');
    await failedItem.waitFor();
    expect(await failedItem.count()).toBe(1);
    expect(await failedItem.textContent()).toMatch(/131047/);
    expect(await tgItem.locator('[data-testid="failed-deliveries"]').count()).toBe(0);
    await page.screenshot({ path: path.join(artifactsDir, "channels-failed-en.png"), fullPage: true });
    expect(await noHorizontalOverflow()).toBe(true);

    // Its link opens the conversation in the inbox.
    await failedItem.locator('[data-testid="failed-open-conversation"]').click();
    await page.waitForURL(`**/dashboard/inbox/${waConversationId}`);
    const reply = page.locator('[data-testid="msg-agent"]').filter({ hasText: "Ajwa gift box" });
    await reply.locator('[data-testid="delivery"][data-state="failed"]').waitFor();
    await page.goBack();

    // Retried from the page: sent once, gone from the list, and the inbox shows it sent.
    const before = wa.accepted("messages").length;
    await failedItem.locator('[data-testid="failed-retry"]').click();
    await failedItem.waitFor({ state: "detached" });
    await until(async () => (await tenant.messages.listLatest(waConversationId, 20)).some((m) => m.role === "agent" && m.text.includes("Ajwa") && m.channelDelivery?.state === "sent"));
    expect(wa.accepted("messages").length).toBe(before + 1);
    await page.goto(`${url}/dashboard/inbox/${waConversationId}`);
    await reply.locator('[data-testid="delivery"][data-state="sent"]').waitFor();

    // Repeated provider errors open the channel's breaker: the page says deliveries are paused.
    await tenant.channels.recordDelivery(waChannel, { ok: false, error: "503 Service Unavailable (graph.facebook.com)", serverError: true }, { threshold: 1, openMs: 30 * 60_000 });
    try {
      await page.goto(`${url}/dashboard/channels`);
      await waItem.locator('[data-testid="breaker"]').waitFor();
      expect(await waItem.locator('[data-testid="breaker"]').textContent()).toMatch(/^Deliveries paused until .+/);
      expect(await waItem.locator('[data-testid="last-error"]').textContent()).toContain("503 Service Unavailable");
      expect(await tgItem.locator('[data-testid="breaker"]').count()).toBe(0);
      await page.screenshot({ path: path.join(artifactsDir, "channels-status-en.png"), fullPage: true });
      await page.evaluate(() => localStorage.setItem("kaleem.lang", "ar"));
      await page.reload();
      await waItem.locator('[data-testid="breaker"]').waitFor();
      expect(await waItem.locator('[data-testid="breaker"]').textContent()).toContain("الإرسال متوقف حتى");
      expect(await waItem.locator('[data-testid="channel-status"]').textContent()).toBe("نشطة");
      await page.screenshot({ path: path.join(artifactsDir, "channels-status-ar.png"), fullPage: true });
      await waItem.screenshot({ path: path.join(artifactsDir, "channel-item-ar.png") });
      await tgItem.screenshot({ path: path.join(artifactsDir, "channel-item-telegram-ar.png") });
      expect(await noHorizontalOverflow()).toBe(true);
    } finally {
      await page.evaluate(() => localStorage.setItem("kaleem.lang", "en"));
      await tenant.channels.recordDelivery(waChannel, { ok: true }, { threshold: 1, openMs: 0 });
    }
  });

  it("connects a channel once however often the button is pressed, and shows the provider's refusal", async () => {
    await page.goto(`${url}/dashboard/channels`);
    const form = page.locator('[data-testid="config-form"]').first();
    await page.locator(".segmented").first().locator("button", { hasText: "Telegram" }).click();
    await form.locator('[data-testid="config-name"]').fill("Made-up bot");
    await form.locator('input[name="botToken"]').fill("987654321:AAEmadeUpTokenNobodyIssued");
    await form.locator('input[name="apiBaseUrl"]').fill(tg.apiBaseUrl);
    await form.locator('[data-testid="config-connect"]').click();
    const refusal = form.locator('[role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Telegram did not accept the connection: .*Unauthorized/);
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    expect((await tenant.channels.list()).some((c) => c.name === "Made-up bot")).toBe(false);

    // A second WhatsApp number: the button is pressed three times while the provider is slow.
    const second = await startFakeWhatsApp({ phoneNumberId: "106540352249999", accessToken: "EAAG-second-number", verifiedName: "Kaleem Outlet" });
    try {
      second.failNext({ kind: "slow", delayMs: 600 }, { operation: "node" });
      await page.locator(".segmented").first().locator("button", { hasText: "WhatsApp" }).click();
      const wa2 = page.locator('[data-testid="config-form"]').first();
      await wa2.locator('[data-testid="config-name"]').fill("Outlet");
      await wa2.locator('input[name="phoneNumberId"]').fill("106540352249999");
      await wa2.locator('input[name="accessToken"]').fill("EAAG-second-number");
      await wa2.locator('input[name="appSecret"]').fill("outlet-app-secret");
      await wa2.locator('input[name="apiBaseUrl"]').fill(second.apiBaseUrl);
      const button = wa2.locator('[data-testid="config-connect"]');
      await button.click();
      expect(await button.isDisabled()).toBe(true);
      expect(await button.textContent()).toBe("Checking with the provider…");
      await button.click({ force: true });
      await wa2.locator("input[name=phoneNumberId]").press("Enter");
      await page.locator('[data-testid="connected-as"]').waitFor();
      expect(await page.locator('[data-testid="connected-as"]').textContent()).toContain("Kaleem Outlet");
      expect((await tenant.channels.list()).filter((c) => c.name === "Outlet")).toHaveLength(1);
      expect(second.accepted("phone_number")).toHaveLength(1);
      expect(await page.locator('[data-testid="channel-item"]').filter({ hasText: "Outlet" }).count()).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("lists orders with their channel, filters and searches them, and moves one on from its drawer", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const waConversation = (await tenant.conversations.get(waConversationId))!;
    const placed = await tenant.orders.create({
      items: [{ productId: "p-ajwa", name: "Ajwa dates gift box", price: 120, quantity: 2 }],
      customerId: waConversation.customerId,
      conversationId: waConversation.id,
      deliveryFee: 25,
      codFee: 15,
      paymentMethod: "cod",
      contact: { name: "Noura Al-Harbi", phone: "0551234987" },
      shippingAddress: "Riyadh, Al Olaya, King Fahd Road",
    });
    const onWeb = await tenant.orders.create({ items: [{ productId: "p-kaftan", name: "Turquoise kaftan", price: 340, quantity: 1 }], conversationId, contact: { name: "Layla", email: "layla.k@example.com" } });
    const rows = page.locator('[data-testid="order-row"]');
    const row = (id: string) => page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);
    const settled = () => page.locator('[data-testid="order-table"][data-state="done"]').waitFor();
    const shownIds = async () => {
      await settled();
      return rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-order-id")));
    };

    await page.goto(`${url}/dashboard/orders`);
    await row(placed.id).waitFor();
    expect(await row(placed.id).locator('[data-testid="channel-badge"]').getAttribute("data-channel")).toBe("whatsapp");
    expect(await row(onWeb.id).locator('[data-testid="channel-badge"]').getAttribute("data-channel")).toBe("webchat");
    expect(await row(placed.id).textContent()).toContain("Noura Al-Harbi");
    // The shared price format, as the bot and the widget write it: "280 SAR".
    expect(await row(placed.id).textContent()).toContain("280 SAR");
    // Newest first.
    expect((await shownIds()).slice(0, 2)).toEqual([onWeb.id, placed.id]);

    await page.locator('[data-testid="order-channel-filter"]').selectOption("whatsapp");
    await until(async () => JSON.stringify(await shownIds()) === JSON.stringify([placed.id]));
    await page.locator('[data-testid="order-channel-filter"]').selectOption("");
    await page.locator('[data-testid="order-search"]').fill("055 123 4987");
    await until(async () => JSON.stringify(await shownIds()) === JSON.stringify([placed.id]));
    await page.locator('[data-testid="order-search"]').fill("Layla.K@example.com");
    await until(async () => JSON.stringify(await shownIds()) === JSON.stringify([onWeb.id]));
    await page.locator('[data-testid="order-search"]').fill(`#${placed.number}`);
    await until(async () => JSON.stringify(await shownIds()) === JSON.stringify([placed.id]));
    await page.locator('[data-testid="order-search"]').fill("");
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.locator('[data-testid="order-from"]').fill(tomorrow);
    await page.locator('[data-testid="orders-empty"]').waitFor();
    await page.locator('[data-testid="order-from"]').fill("");
    await page.locator('[data-testid="order-status-filter"]').selectOption("pending");
    await until(async () => (await shownIds()).includes(placed.id));
    await page.locator('[data-testid="order-status-filter"]').selectOption("");
    await row(placed.id).waitFor();

    // The drawer: items, fees, the total, and the moves from "pending".
    await row(placed.id).click();
    await page.waitForURL(`**/dashboard/orders/${placed.id}`);
    const drawer = page.locator('[data-testid="order-drawer"]');
    await drawer.locator('[data-testid="drawer-status"][data-status="pending"]').waitFor();
    expect(await drawer.locator('[data-testid="order-items"]').textContent()).toContain("Ajwa dates gift box");
    const sums = await drawer.locator('[data-testid="order-sums"] dd').allTextContents();
    expect(sums).toEqual(["240 SAR", "25 SAR", "15 SAR", "280 SAR"]);
    expect(await drawer.locator('[data-testid="order-customer"]').textContent()).toContain("+966551234987");
    expect(await drawer.locator('[data-testid="order-moves"] button').allTextContents()).toEqual(["Confirm", "Cancel order"]);
    await drawer.locator('[data-testid="order-move-confirmed"]').click();
    await drawer.locator('[data-testid="drawer-status"][data-status="confirmed"]').waitFor();
    await row(placed.id).and(page.locator('[data-status="confirmed"]')).waitFor();
    await drawer.locator('[data-testid="order-move-shipped"]').click();
    await drawer.locator('[data-testid="drawer-status"][data-status="shipped"]').waitFor();
    expect((await tenant.orders.get(placed.id))?.status).toBe("shipped");
    expect(await drawer.locator('[data-testid="order-moves"] button').allTextContents()).toEqual(["Mark delivered", "Cancel order"]);
    await page.screenshot({ path: path.join(artifactsDir, "orders-drawer-en.png") });
    expect(await noHorizontalOverflow()).toBe(true);
    // Beside the open drawer the whole table still fits (nothing scrolls sideways or hides under it).
    const fits = () => page.locator(".orders-page .table-wrap").evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= (document.querySelector('[data-testid="order-drawer"]')?.getBoundingClientRect().left ?? Infinity) + 1);
    expect(await fits()).toBe(true);
    const audit = (await tenant.audit.list({ limit: 50 })).items.filter((a) => a.action === "order.status_changed" && a.target === placed.id);
    expect(audit.map((a) => a.data.to)).toEqual(["shipped", "confirmed"]);

    // Into the inbox conversation it came from; its side panel links back to the customer's orders.
    await drawer.locator('[data-testid="order-conversation-link"]').click();
    await page.waitForURL(`**/dashboard/inbox/${waConversationId}`);
    const sideOrder = page.locator('[data-testid="side-order"]').filter({ hasText: `#${placed.number}` });
    await sideOrder.waitFor();
    expect(await sideOrder.textContent()).toContain("Shipped");
    await page.locator('[data-testid="side-all-orders"]').click();
    await page.waitForURL(`**/dashboard/orders?customer=${waConversation.customerId}`);
    await page.locator('[data-testid="customer-filter"]').waitFor();
    expect(await shownIds()).toEqual([placed.id]);
    await page.goBack();
    await sideOrder.click();
    await page.waitForURL(`**/dashboard/orders/${placed.id}?customer=${waConversation.customerId}`);
    await drawer.locator('[data-testid="drawer-status"][data-status="shipped"]').waitFor();

    // Cancelling asks first.
    await page.goto(`${url}/dashboard/orders/${onWeb.id}`);
    await page.evaluate(() => {
      window.confirm = () => true;
    });
    await drawer.locator('[data-testid="order-move-cancelled"]').click();
    await drawer.locator('[data-testid="drawer-status"][data-status="cancelled"]').waitFor();
    expect(await drawer.locator('[data-testid="order-moves"]').count()).toBe(0);

    // Arabic, right to left: the drawer opens on the left, labels translated.
    await page.evaluate(() => localStorage.setItem("kaleem.lang", "ar"));
    await page.goto(`${url}/dashboard/orders/${placed.id}`);
    await drawer.locator('[data-testid="drawer-status"]').filter({ hasText: "تم الشحن" }).waitFor();
    const box = await drawer.boundingBox();
    expect(box!.x).toBeLessThan(10);
    expect(await drawer.locator('[data-testid="order-moves"] button').allTextContents()).toEqual(["تم التسليم", "إلغاء الطلب"]);
    await page.screenshot({ path: path.join(artifactsDir, "orders-drawer-ar.png") });
    expect(await page.locator(".orders-page .table-wrap").evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().left >= (document.querySelector('[data-testid="order-drawer"]')?.getBoundingClientRect().right ?? 0) - 1)).toBe(true);
    await row(placed.id).screenshot({ path: path.join(artifactsDir, "order-row-ar.png") });
    await drawer.locator('[data-testid="order-customer"]').screenshot({ path: path.join(artifactsDir, "order-customer-ar.png") });
    expect(await noHorizontalOverflow()).toBe(true);
    await drawer.locator('[data-testid="drawer-close"]').click();
    await drawer.waitFor({ state: "detached" });
    await page.screenshot({ path: path.join(artifactsDir, "orders-ar.png") });
    await page.evaluate(() => localStorage.setItem("kaleem.lang", "en"));
  });

  it("an order in the conversation reads as a card: its number opens the order, the status translated, the total on one line", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    // A conversation of its own, so the shared ones later tests read stay as they were.
    const own = await tenant.conversations.create({ channel: "webchat", visitorId: "v-order-card" });
    const order = await tenant.orders.create({
      items: [{ productId: "p-bisht", name: "Embroidered Black Bisht Abaya with Gold Trim", price: 1420, quantity: 1 }],
      conversationId: own.id,
      deliveryFee: 0,
      codFee: 15,
      paymentMethod: "cod",
      contact: { name: "Layla", phone: "0551230000" },
    });
    await tenant.messages.append(own.id, {
      role: "bot",
      text: "Your order is placed.",
      parts: [{ type: "order", orderId: order.id, number: order.number, status: order.status, total: order.total, currency: order.currency }],
    });
    await page.setViewportSize({ width: 800, height: 800 });
    try {
      await page.goto(`${url}/dashboard/inbox/${own.id}`);
      const card = page.locator('[data-testid="order-card"]').last();
      await card.waitFor();
      expect(await card.locator(".order-card-s").textContent()).toBe("Pending");
      const total = card.locator(".order-card-total");
      expect(await total.textContent()).toBe("1435 SAR");
      const lines = await total.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      expect(lines).toBe(1);
      await page.screenshot({ path: path.join(artifactsDir, "conversation-order-card-en.png") });
      await card.locator(".order-card-n").click();
      await page.locator(`[data-testid="order-drawer"]`).waitFor();
      expect(page.url()).toContain(`/dashboard/orders/${order.id}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("imports the Shopify catalog from the Commerce card with its progress, then sends a test webhook that the log shows delivered", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const shopify = await startFakeCommercePlatform({
      platform: "shopify",
      accessToken: "shpat_dash_token",
      products: Array.from({ length: 5 }, (_, i) => ({ id: String(7001112223334445000n + BigInt(i)), title: `Saffron Box ${i + 1}`, status: "active", variants: [{ id: String(8001112223334445000n + BigInt(i)), title: "250g", price: "60.00", inventory_quantity: 3 }] })),
    });
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      const connection = await tenant.commerceConnections.getByPlatform("shopify");
      await api(url, "PATCH", `/commerce-connections/${connection!.id}`, { config: { accessToken: "shpat_dash_token", apiBaseUrl: shopify.apiBaseUrl } }, ownerToken);
      await page.goto(`${url}/dashboard/channels`);
      const commerceItem = page.locator('[data-testid="commerce-item"]').first();
      await commerceItem.locator('[data-testid="commerce-sync"]').filter({ hasText: "Not imported yet" }).waitFor();
      await commerceItem.locator('[data-testid="sync-import"]').click();
      await commerceItem.locator('[data-testid="sync-state"]').filter({ hasText: "Done" }).filter({ hasText: "5 products" }).waitFor({ timeout: 20_000 });
      expect((await tenant.products.all()).filter((p) => p.source === "shopify")).toHaveLength(5);
      await page.screenshot({ path: path.join(artifactsDir, "commerce-sync-en.png") });

      await page.goto(`${url}/dashboard/webhooks`);
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kaleem`;
      await page.locator('[data-testid="webhook-url"]').fill(hookUrl);
      await page.locator('[data-testid="webhook-add"]').click();
      const item = page.locator('[data-testid="webhook-item"]').filter({ hasText: hookUrl });
      await item.waitFor();
      const secret = await page.locator(".notice .copy-field input").first().inputValue();
      expect(secret).toMatch(/^whsec_/);
      await item.locator('[data-testid="webhook-test"]').click();
      await page.locator('[data-testid="delivery-row"][data-status="delivered"]').first().waitFor({ timeout: 20_000 });
      expect(received).toHaveLength(1);
      const sent = received[0]!;
      expect(verifyOutgoingWebhook({ secret, signature: String(sent.headers["x-kaleem-signature"]), timestamp: String(sent.headers["x-kaleem-timestamp"]), rawBody: sent.body })).toBe(true);
      expect(JSON.parse(sent.body)).toMatchObject({ test: true, merchantId: demo.merchantId });
      await page.screenshot({ path: path.join(artifactsDir, "webhooks-en.png"), fullPage: true });
      await page.evaluate(() => localStorage.setItem("kaleem.lang", "ar"));
      await page.reload();
      await page.locator('[data-testid="delivery-row"]').first().waitFor();
      await page.screenshot({ path: path.join(artifactsDir, "webhooks-ar.png"), fullPage: true });
      await page.goto(`${url}/dashboard/channels`);
      await page.locator('[data-testid="sync-state"]').first().waitFor();
      await page.screenshot({ path: path.join(artifactsDir, "commerce-sync-ar.png") });
      await page.evaluate(() => localStorage.setItem("kaleem.lang", "en"));
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
      await shopify.close();
    }
  });

  it("issues the identity secret for Kaleem.identify once, on the widget page", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const before = (await tenant.merchant.get()).widget.identitySecret;
    await page.goto(`${url}/dashboard/widget`);
    // The suite dismisses dialogs; this confirmation is meant to be accepted.
    await page.evaluate(() => {
      window.confirm = () => true;
    });
    await page.locator('[data-testid="identity-secret"]').click();
    // The field appears after the key's, once the server has answered.
    const field = page.locator(".copy-field input").nth(1);
    await field.waitFor();
    const stored = (await tenant.merchant.get()).widget.identitySecret;
    expect(stored).not.toBe(before);
    expect(await field.inputValue()).toBe(stored);
  });

  it("the widget page's preview header is the real widget's header: store name, the bot's line, ×, colours and sizes", async () => {
    type Head = { title: string; sub: string; close: string; bg: string; fg: string; titleSize: string; titleWeight: string; subSize: string };
    await page.goto(`${url}/dashboard/widget`);
    const previewHead = page.locator('[data-testid="widget-preview-head"]');
    await previewHead.waitFor();
    const preview: Head = await previewHead.evaluate((el) => {
      const css = (e: Element | null) => getComputedStyle(e!);
      const strong = el.querySelector("strong");
      const sub = el.querySelector(".wp-head-t span");
      return {
        title: strong?.textContent ?? "", sub: sub?.textContent ?? "", close: el.querySelector(".wp-x")?.textContent?.trim() ?? "",
        bg: css(el).backgroundColor, fg: css(el).color, titleSize: css(strong).fontSize, titleWeight: css(strong).fontWeight, subSize: css(sub).fontSize,
      };
    });
    await page.screenshot({ path: path.join(artifactsDir, "widget-preview-en.png") });

    const shop = await browser!.context.newPage();
    try {
      await shop.goto(`${url}/`);
      await shop.locator("kaleem-widget .k-launch").click();
      await shop.locator("kaleem-widget .k-head").waitFor();
      await shop.waitForFunction(() => (document.querySelector("kaleem-widget")!.shadowRoot!.querySelector(".k-head-t strong")?.textContent ?? "") !== "");
      const real: Head = await shop.evaluate(() => {
        const head = document.querySelector("kaleem-widget")!.shadowRoot!.querySelector(".k-head")!;
        const css = (e: Element | null) => getComputedStyle(e!);
        const strong = head.querySelector(".k-head-t strong");
        const sub = head.querySelector(".k-head-t span");
        return {
          title: strong?.textContent ?? "", sub: sub?.textContent ?? "", close: head.querySelector(".k-x")?.textContent?.trim() ?? "",
          bg: css(head).backgroundColor, fg: css(head).color, titleSize: css(strong).fontSize, titleWeight: css(strong).fontWeight, subSize: css(sub).fontSize,
        };
      });
      expect(preview).toEqual(real);
      expect(real.title).toBe("Kaleem Demo Store");
    } finally {
      await shop.close();
    }
  });

  it("takes screenshots of every main page in English and Arabic", async () => {
    const pages: { name: string; path: string; ready: string }[] = [
      { name: "inbox", path: "inbox", ready: '[data-testid="conversation-item"]' },
      { name: "conversation", path: `inbox/${conversationId}`, ready: '[data-testid="msg-agent"]' },
      { name: "catalog", path: "catalog", ready: '[data-testid="product-row"]' },
      { name: "knowledge", path: "knowledge", ready: '[data-testid="knowledge-shipping"]' },
      { name: "channels", path: "channels", ready: '[data-testid="channel-item"]' },
      { name: "orders", path: "orders", ready: '[data-testid="order-row"]' },
      { name: "widget", path: "widget", ready: '[data-testid="widget-preview"]' },
      { name: "analytics", path: "analytics", ready: '[data-testid="kpis"], [data-testid="endpoint-missing"], [data-testid="error"]' },
      { name: "bot-settings", path: "bot", ready: '[data-testid="example-row"]' },
      { name: "audit", path: "audit", ready: '[data-testid="audit-row"]' },
    ];
    for (const lang of ["en", "ar"] as const) {
      await page.evaluate((l) => localStorage.setItem("kaleem.lang", l), lang);
      for (const p of pages) {
        await page.goto(`${url}/dashboard/${p.path}`);
        await page.locator(p.ready).first().waitFor();
        expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, lang === "ar" ? "rtl" : "ltr"]);
        await page.screenshot({ path: path.join(artifactsDir, `${p.name}-${lang}.png`) });
      }
    }
    const navText = await page.locator('[data-testid="nav-inbox"]').textContent();
    expect(navText).toContain("صندوق الوارد");

    // The narrow layout (800px) for the two busiest screens.
    await page.setViewportSize({ width: 800, height: 800 });
    for (const lang of ["en", "ar"] as const) {
      await page.evaluate((l) => localStorage.setItem("kaleem.lang", l), lang);
      await page.goto(`${url}/dashboard/inbox/${conversationId}`);
      await page.locator('[data-testid="msg-agent"]').first().waitFor();
      // The assign menu shows the whole name of whoever has the conversation: it is at least as wide
      // as the same menu left to size itself.
      const assign = await page.locator(".conversation-actions select").evaluate((el: HTMLSelectElement) => {
        const free = el.cloneNode(true) as HTMLSelectElement;
        free.value = el.value;
        free.style.cssText = "inline-size:auto;min-inline-size:0;max-inline-size:none;position:absolute;visibility:hidden";
        el.parentElement!.append(free);
        const natural = free.offsetWidth;
        free.remove();
        return { natural, actual: el.offsetWidth, shown: el.selectedOptions[0]?.textContent ?? "" };
      });
      expect(assign.shown).toContain(ownerName);
      expect(assign.actual, JSON.stringify(assign)).toBeGreaterThanOrEqual(assign.natural);
      await page.screenshot({ path: path.join(artifactsDir, `conversation-800-${lang}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => localStorage.setItem("kaleem.lang", "en"));
  });

  it("searches on the server: finds a conversation that is not loaded by the shopper's message or email, within the tab", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const noor = await tenant.customers.create({ channel: "whatsapp", name: "Noor Al-Qahtani", email: "noor.q@example.com", phone: "+966 55 010 2030" });
    const target = await tenant.conversations.create({ channel: "whatsapp", customerId: noor.id });
    await tenant.messages.append(target.id, { role: "shopper", text: "Is the turquoise kaftan available in size 40?" });
    // Newer conversations push it past the inbox's first page.
    for (let i = 0; i < 105; i++) {
      const c = await tenant.conversations.create({ channel: "webchat", visitorId: `filler-${i}` });
      await tenant.messages.append(c.id, { role: "shopper", text: `filler question ${i}` });
    }
    await page.goto(`${url}/dashboard/inbox`);
    await page.locator('[data-testid="conversation-item"]').first().waitFor();
    await page.locator('[data-testid="connection"].conn-on').waitFor();
    expect(await item(target.id).count()).toBe(0);

    const search = page.locator('input[type="search"]');
    const answered = page.waitForResponse((r) => r.url().includes("/api/v1/conversations?") && new URL(r.url()).searchParams.get("q") === "turquoise KAFTAN");
    await search.fill("turquoise KAFTAN");
    expect((await answered).status()).toBe(200);
    await item(target.id).waitFor();
    await page.locator('[data-testid="search-status"][data-state="done"]').waitFor();
    expect(await page.locator('[data-testid="conversation-item"]').count()).toBe(1);

    // The email is not in the list's data at all (and sealed in the store): only the server matches it, whole, in any case.
    const byEmail = page.waitForResponse((r) => new URL(r.url()).searchParams.get("q") === "NOOR.Q@example.com");
    await search.fill("NOOR.Q@example.com");
    await byEmail;
    await item(target.id).waitFor();

    // The tab's filter applies to the search: it is not closed.
    const closedSearch = page.waitForResponse((r) => {
      const params = new URL(r.url()).searchParams;
      return params.get("q") === "NOOR.Q@example.com" && params.get("status") === "closed";
    });
    await page.locator('[data-testid="tab-closed"]').click();
    await closedSearch;
    await page.locator('[data-testid="search-status"][data-state="done"]').waitFor();
    expect(await item(target.id).count()).toBe(0);
    await page.locator('[data-testid="tab-all"]').click();
    await item(target.id).click();

    // The side panel shows the shopper's contact details from GET /customers/:id.
    const panel = page.locator('[data-testid="side-panel"]');
    await panel.locator('[data-testid="side-email"]').filter({ hasText: "noor.q@example.com" }).waitFor();
    expect(await panel.locator('[data-testid="side-name"]').textContent()).toBe("Noor Al-Qahtani");
    // Phones are stored in E.164 whatever form they were given in.
    expect(await panel.locator('[data-testid="side-phone"]').textContent()).toBe("+966550102030");
    expect(await panel.locator('[data-testid="side-channel"]').textContent()).toBe("WhatsApp");
    await page.screenshot({ path: path.join(artifactsDir, "inbox-search-en.png") });
    await search.fill("");
  });

  it("blocks a webchat visitor from the side panel: their chat is closed and they cannot connect again", async () => {
    const visitor = shopperSocket(url, demo.widgetKey);
    await connected(visitor);
    const { visitorToken } = await ok<{ visitorToken: string }>(visitor, "conversation:open", { locale: "en" });
    const sent = await ok<{ message: Message }>(visitor, "message:send", { clientMessageId: "block-1", text: "spam spam spam" });
    await page.goto(`${url}/dashboard/inbox/${sent.message.conversationId}`);
    const panel = page.locator('[data-testid="side-panel"]');
    await panel.locator('[data-testid="block-visitor"]').waitFor();
    // The suite dismisses dialogs; this confirmation is meant to be accepted.
    await page.evaluate(() => {
      window.confirm = () => true;
    });
    const gone = new Promise((r) => visitor.once("disconnect", r));
    await panel.locator('[data-testid="block-visitor"]').click();
    await panel.locator('[data-testid="visitor-blocked"]').waitFor();
    await gone;
    await page.screenshot({ path: path.join(artifactsDir, "inbox-visitor-blocked-en.png") });
    const again = shopperSocket(url, demo.widgetKey, visitorToken);
    const refusal = await new Promise<{ code?: string } | undefined>((resolve) => again.once("connect_error", (err: Error & { data?: { code?: string } }) => resolve(err.data)));
    expect(refusal?.code).toBe("visitor_blocked");
    // The owner lifts it; the visitor connects again.
    await panel.locator('[data-testid="unblock-visitor"]').click();
    await panel.locator('[data-testid="block-visitor"]').waitFor();
    const back = shopperSocket(url, demo.widgetKey, visitorToken);
    await connected(back);
  });

  it("tests the bot from the knowledge page: the first question starts a webchat conversation, later ones go to it", async () => {
    const tenant = instance!.k.store.forMerchant(asMerchantId(demo.merchantId));
    const since = new Date().toISOString();
    const createdSince = async () => (await tenant.conversations.listCreatedBetween(since, "9999-12-31T00:00:00.000Z")).length;
    await page.goto(`${url}/dashboard/knowledge`);
    const input = page.locator('[data-testid="testbot-input"]');
    await input.waitFor();
    // The example question is shown whole: laid out in the field's own width and font, it fits its height.
    const fits = await input.evaluate((el: HTMLTextAreaElement) => {
      const css = getComputedStyle(el);
      const probe = document.createElement("div");
      for (const k of ["font", "letterSpacing", "lineHeight", "paddingLeft", "paddingRight", "paddingTop", "paddingBottom", "borderLeftWidth", "borderRightWidth", "boxSizing"] as const) probe.style[k] = css[k];
      probe.style.width = `${el.offsetWidth}px`;
      probe.style.whiteSpace = "pre-wrap";
      probe.style.borderStyle = "solid";
      probe.style.position = "absolute";
      probe.style.visibility = "hidden";
      probe.textContent = el.placeholder;
      document.body.append(probe);
      const needed = probe.scrollHeight;
      probe.remove();
      return { needed, has: el.clientHeight, placeholder: el.placeholder };
    });
    expect(fits.placeholder.length).toBeGreaterThan(10);
    expect(fits.needed, JSON.stringify(fits)).toBeLessThanOrEqual(fits.has);
    const thread = page.locator('[data-testid="testbot-thread"]');
    for (const [n, question] of ["do you have black abayas?", "and in blue?"].entries()) {
      await input.fill(question);
      await input.press("Enter");
      await thread.locator('[data-testid="msg-bot"][data-status="complete"]').nth(n).waitFor();
    }
    // Opening the page created nothing; the two questions share one conversation.
    expect(await createdSince()).toBe(1);
    await page.screenshot({ path: path.join(artifactsDir, "knowledge-test-bot-en.png") });
  });

  it("signs out: the session is gone and its access token is refused", async () => {
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem("kaleem.session") ?? "null") as { accessToken: string }).accessToken);
    await page.goto(`${url}/dashboard/inbox`);
    await page.locator('[data-testid="sign-out"]').click();
    await page.locator('[data-testid="login-form"]').waitFor();
    expect(await page.evaluate(() => localStorage.getItem("kaleem.session"))).toBeNull();
    const res = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });

  it("offers admins only the team changes the API allows them (no promoting to admin, no touching admins)", async () => {
    const adminA = { email: "amal.admin@example.com", password: "admin A password 1", name: "Amal Admin" };
    const adminB = { email: "badr.admin@example.com", password: "admin B password 1", name: "Badr Admin" };
    for (const a of [adminA, adminB]) await api(url, "POST", "/team", { email: a.email, name: a.name, role: "admin", password: a.password }, ownerToken);
    await page.locator('[data-testid="login-form"] input[name="email"]').fill(adminA.email);
    await page.locator('[data-testid="login-form"] input[name="password"]').fill(adminA.password);
    await page.locator('[data-testid="login-form"] button[type="submit"]').click();
    await page.locator('[data-testid="nav-team"]').click();
    const row = (name: string) => page.locator('[data-testid="team-table"] tbody tr', { hasText: name });
    await row(adminB.name).waitFor();
    expect(await row(adminB.name).locator("button").count()).toBe(0);
    expect(await row(adminB.name).locator("select").isDisabled()).toBe(true);
    // An agent can be removed, but not made an admin (only the owner can).
    expect(await row("Omar Second").locator("button").count()).toBe(1);
    expect(await row("Omar Second").locator('option[value="admin"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="sign-out"]').click();
    await page.locator('[data-testid="login-form"]').waitFor();
  });

  it("gives agents no settings, team or channels pages", async () => {
    await page.locator('[data-testid="login-form"] input[name="email"]').fill(agentLogin.email);
    await page.locator('[data-testid="login-form"] input[name="password"]').fill(agentLogin.password);
    await page.locator('[data-testid="login-form"] button[type="submit"]').click();
    await page.locator('[data-testid="nav-inbox"]').waitFor();
    for (const hidden of ["channels", "team", "widget", "knowledge", "analytics"]) {
      expect(await page.locator(`[data-testid="nav-${hidden}"]`).count()).toBe(0);
    }
    for (const hidden of ["bot", "audit"]) expect(await page.locator(`[data-testid="nav-${hidden}"]`).count()).toBe(0);
    // The assign menu lists the whole team (agents read names from GET /team too).
    await page.goto(`${url}/dashboard/inbox/${conversationId}`);
    const assign = page.locator('[data-testid="conversation"] select');
    await assign.locator("option", { hasText: ownerName }).waitFor({ state: "attached" });
    const options = await assign.locator("option").allTextContents();
    expect(options).toEqual(expect.arrayContaining([ownerName, expect.stringContaining("Omar Second")]));
    // Agents use the shared canned replies but cannot change or delete them (the API refuses it).
    await page.goto(`${url}/dashboard/replies`);
    await page.locator(".canned-row", { hasText: "/thanks" }).waitFor();
    expect(await page.locator(".canned-row button").count()).toBe(0);
    // A deep link to a settings page lands on the inbox instead.
    await page.goto(`${url}/dashboard/team`);
    await page.locator('[data-testid="conversation-list"]').waitFor();
    expect(await page.locator('[data-testid="team-table"]').count()).toBe(0);
  });

  it("signs up a new store: the page says to check the inbox, and the emailed link opens the new store", async () => {
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${url}/dashboard/signup`);
    const form = page.locator('[data-testid="signup-form"]');
    await form.locator('input[name="storeName"]').fill("Nour Boutique");
    await form.locator('input[name="email"]').fill("nour@example.com");
    await form.locator('input[name="password"]').fill("date-palm-lantern-7");
    await form.locator('button[type="submit"]').click();
    const sent = page.locator('[data-testid="signup-sent"]');
    await sent.waitFor();
    expect(await sent.textContent()).toContain("nour@example.com");
    await page.screenshot({ path: path.join(artifactsDir, "signup-sent.png") });

    const link = await emailedLink("nour@example.com");
    await page.goto(link);
    await page.locator('[data-testid="nav-inbox"]').waitFor();
    expect(await page.locator(".store-name").textContent()).toContain("Nour Boutique");
    // The link is single-use: it is gone from the address bar, and opening it again says so.
    expect(page.url()).not.toContain("token=");
    await page.evaluate(() => localStorage.clear());
    await page.goto(link);
    await page.locator('[data-testid="confirm-page"] [role="alert"]').waitFor();
    expect(await page.locator('[data-testid="confirm-page"]').textContent()).toContain("already used");
  });

  it("a second store on the same address: signing in with a password that opens both asks which store", async () => {
    await page.goto(`${url}/dashboard/signup`);
    const form = page.locator('[data-testid="signup-form"]');
    await form.locator('input[name="storeName"]').fill("Demo Outlet");
    await form.locator('input[name="email"]').fill(demo.email);
    await form.locator('input[name="password"]').fill(demo.password);
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-testid="signup-sent"]').waitFor();
    const mail = await emailTo(demo.email);
    expect(mail.text).toContain(demo.storeName);
    await page.goto(linkIn(mail));
    await page.locator('[data-testid="nav-inbox"]').waitFor();

    await page.evaluate(() => localStorage.clear());
    await page.goto(`${url}/dashboard/login`);
    await page.locator('[data-testid="login-form"] input[name="email"]').fill(demo.email);
    await page.locator('[data-testid="login-form"] input[name="password"]').fill(demo.password);
    await page.locator('[data-testid="login-form"] button[type="submit"]').click();
    const choice = page.locator('[data-testid="store-choice"]');
    await choice.waitFor();
    expect(await choice.locator("button").allTextContents()).toEqual(expect.arrayContaining([demo.storeName, "Demo Outlet"]));
    await page.screenshot({ path: path.join(artifactsDir, "login-store-choice.png") });
    await choice.locator("button", { hasText: "Demo Outlet" }).click();
    await page.locator('[data-testid="nav-inbox"]').waitFor();
    expect(await page.locator(".store-name").textContent()).toContain("Demo Outlet");
  });

  async function emailTo(to: string): Promise<{ text: string }> {
    for (let i = 0; i < 200; i++) {
      const mail = [...instance!.emails].reverse().find((m) => m.to === to && m.kind === "signup_confirm");
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no signup email to ${to}`);
  }
  /** The emailed link's path and fragment on this instance (the configured public URL has port 0 here). */
  function linkIn(mail: { text: string }): string {
    const found = /https?:\/\/\S+\/dashboard\/confirm#token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    if (!found) throw new Error("no confirmation link in the email");
    const link = new URL(found);
    return `${url}${link.pathname}${link.hash}`;
  }
  async function emailedLink(to: string): Promise<string> {
    return linkIn(await emailTo(to));
  }

  it("raised no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
