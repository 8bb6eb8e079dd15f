// Attachments in the inbox (Chromium, embedded Kaleem): a shopper's photo (sent over the widget
// protocol) shows as a thumbnail loaded through a presigned link; the agent attaches a PDF to a
// reply in the composer, and the shopper's socket receives the document part and can download it.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { AttachmentLink, Message, UploadTicket } from "@kaleem/shared";
import { testJpeg, testPdf } from "@kaleem/shared/testing";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard, closeSockets, connected, launchBrowser, nextEvent, ok, shopperSocket, startInstance } from "./harness";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("inbox attachments (Chromium)", () => {
  let instance: Awaited<ReturnType<typeof startInstance>> | null = null;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;
  let page: Page;
  let url = "";
  let dir = "";
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    const port = await freePort();
    // Presigned media URLs name the public URL: the process must know its own port.
    instance = await startInstance({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    url = instance.k.url;
    dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-attach-files-"));
    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (err) => pageErrors.push(err.message));
  });
  afterAll(async () => {
    closeSockets();
    try {
      await browser?.close();
    } finally {
      await instance?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows the shopper's photo inline, sends a PDF with the reply, and the shopper downloads it", async () => {
    const demo = instance!.demo;
    const shopper = shopperSocket(url, demo.widgetKey);
    await connected(shopper);
    await ok(shopper, "conversation:open", { locale: "en" });
    const jpeg = testJpeg();
    const ticket = await ok<UploadTicket>(shopper, "upload:create", { name: "dress.jpg", contentType: "image/jpeg", size: jpeg.byteLength });
    expect((await fetch(ticket.url, { method: "PUT", headers: ticket.headers, body: new Uint8Array(jpeg) })).status).toBe(200);
    const sent = await ok<{ message: Message }>(shopper, "message:send", { clientMessageId: "photo-1", text: "Do you have this in blue?", attachments: [{ uploadId: ticket.uploadId }] });
    const conversationId = sent.message.conversationId;

    await page.goto(`${url}/dashboard/`);
    await page.locator('[data-testid="login-form"] input[name="email"]').fill(demo.email);
    await page.locator('[data-testid="login-form"] input[name="password"]').fill(demo.password);
    await page.locator('[data-testid="login-form"] button[type="submit"]').click();
    await page.locator('[data-testid="nav-inbox"]').waitFor();
    await page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`).click();

    // The thumbnail: a real image, decoded from the presigned link, at the size the server read.
    const img = page.locator('[data-testid="msg-shopper"] [data-testid="attachment-image"] img');
    await img.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('[data-testid="attachment-image"] img');
      return !!el && el.complete;
    });
    expect(await img.getAttribute("src")).toContain("/media/");
    expect(await img.getAttribute("width")).toBe("16");
    expect(await img.getAttribute("alt")).toBe("dress.jpg");

    // The agent attaches a PDF to a reply: upload progress ends "ready", then send.
    await page.locator('[data-testid="takeover"]').click();
    const pdfPath = path.join(dir, "size-chart.pdf");
    writeFileSync(pdfPath, testPdf());
    const arrives = nextEvent<{ message: Message }>(shopper, "message:new", (e) => e.message.role === "agent");
    await page.locator('[data-testid="composer-file-input"]').setInputFiles(pdfPath);
    await page.locator('[data-testid="composer-file"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="composer-input"]').fill("Here is our size chart");
    await page.locator('[data-testid="composer-send"]').click();
    const reply = (await arrives).message;
    expect(reply.parts).toEqual([expect.objectContaining({ type: "attachment", kind: "document", contentType: "application/pdf", name: "size-chart.pdf" })]);
    await page.locator('[data-testid="msg-agent"] [data-testid="attachment-file"]').filter({ hasText: "size-chart.pdf" }).waitFor();
    expect(await page.locator('[data-testid="composer-file"]').count()).toBe(0);

    // The agent's chip downloads it in the browser.
    const download = page.waitForEvent("download");
    await page.locator('[data-testid="msg-agent"] [data-testid="attachment-file"]').click();
    expect((await download).suggestedFilename()).toBe("size-chart.pdf");

    // And the shopper downloads it through their own link.
    const part = reply.parts[0]!;
    if (part.type !== "attachment") throw new Error("no attachment");
    const link = await ok<AttachmentLink>(shopper, "attachment:link", { conversationId, key: part.key });
    const res = await fetch(link.url);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(Buffer.from(await res.arrayBuffer()).equals(testPdf())).toBe(true);

    // A file the store refuses shows why on its chip, with a retry.
    const htmlPath = path.join(dir, "page.html");
    writeFileSync(htmlPath, "<html><script>alert(1)</script></html>");
    await page.locator('[data-testid="composer-file-input"]').setInputFiles(htmlPath);
    await page.locator('[data-testid="composer-file"][data-state="failed"]').waitFor();
    expect(await page.locator('[data-testid="composer-file-retry"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
