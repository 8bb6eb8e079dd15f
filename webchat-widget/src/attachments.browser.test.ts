// Attachments in the widget (Chromium, the demo store on an embedded Kaleem): the shopper picks a
// photo (the first PUT fails and the chip's Retry sends it), it goes out with a question; the
// agent sees the part over the inbox socket, replies with a PDF; the shopper's widget shows the
// photo as a thumbnail that opens in a lightbox and the PDF as a chip that downloads it. In
// Arabic the composer mirrors (the attach button on the right).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INBOX_NAMESPACE, asMerchantId, type Ack, type Message, type UploadTicket } from "@kaleem/shared";
import { testJpeg, testPdf } from "@kaleem/shared/testing";
import { buildWidget, launch, snapshot, type Browser, screenshot } from "./test/browser.js";
import { startDemoKaleem, waitFor, type DemoKaleem } from "./test/kaleem.js";

let kal: DemoKaleem;
let dir = "";
const browsers: Browser[] = [];
const sockets: Socket[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  buildWidget();
  const port = await freePort();
  // Presigned media URLs name the public URL: the process must know its own port.
  kal = await startDemoKaleem({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, BOT_STREAM_DELAY_MS: "0" });
  dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-widget-files-"));
});
afterAll(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const b of browsers.splice(0)) await b.close().catch(() => undefined);
  await kal?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await s.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}
async function agent(): Promise<Socket> {
  const res = await fetch(`${kal.url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: kal.email, password: kal.password }) });
  const { accessToken } = (await res.json()) as { accessToken: string };
  const s = io(kal.url + INBOX_NAMESPACE, { forceNew: true, transports: ["websocket"], auth: { token: accessToken }, extraHeaders: { Origin: kal.url } });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}
const W = "kaleem-widget";

describe("widget attachments (Chromium)", () => {
  it("shopper uploads a photo (retrying a failed upload), the agent sees it and replies with a PDF, the shopper views and downloads", async () => {
    const b = await launch();
    browsers.push(b);
    const page = b.page;
    await page.goto(kal.url + "/");
    await page.locator(`${W} .k-launch`).click();
    await waitFor(async () => (await snapshot(page)).open && (await snapshot(page)).banner === null, "panel open and connected");

    const photo = path.join(dir, "dress.jpg");
    writeFileSync(photo, testJpeg());
    // The first PUT never reaches the server: the chip says so and offers a retry.
    let failNext = true;
    await page.route("**/media/**", (route) => {
      if (route.request().method() === "PUT" && failNext) {
        failNext = false;
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    await page.locator(`${W} [data-k="file-input"]`).setInputFiles(photo);
    await page.locator(`${W} [data-k="tray-file"][data-state="failed"]`).waitFor();
    expect(await page.locator(`${W} [data-k="tray-file"] img`).count()).toBe(1); // the local preview
    await page.locator(`${W} [data-k="retry"]`).click();
    await page.locator(`${W} [data-k="tray-file"][data-state="ready"]`).waitFor();
    await page.locator(`${W} textarea`).fill("Do you have this in blue?");
    await page.locator(`${W} textarea`).press("Enter");
    await page.locator(`${W} .k-tray[hidden]`).waitFor({ state: "attached" });

    // The agent's side: the stored message carries the photo.
    const tenant = kal.k.store.forMerchant(asMerchantId(kal.merchantId));
    const conversation = await waitFor(async () => (await tenant.conversations.list({}, { limit: 1 })).items[0], "conversation");
    const shopperMessage = await waitFor(async () => (await tenant.messages.listLatest(conversation.id, 10)).find((m) => m.role === "shopper" && m.parts.length > 0), "the photo message");
    expect(shopperMessage).toMatchObject({ text: "Do you have this in blue?", parts: [expect.objectContaining({ type: "attachment", kind: "image", contentType: "image/jpeg", name: "dress.jpg", width: 16, height: 8 })] });
    const inbox = await agent();
    await ok(inbox, "conversation:watch", { conversationId: conversation.id });
    const pdf = testPdf();
    const ticket = await ok<UploadTicket>(inbox, "upload:create", { conversationId: conversation.id, name: "size-chart.pdf", contentType: "application/pdf", size: pdf.byteLength });
    expect((await fetch(ticket.url, { method: "PUT", headers: ticket.headers, body: new Uint8Array(pdf) })).status).toBe(200);
    await ok<{ message: Message }>(inbox, "message:send", { conversationId: conversation.id, clientMessageId: "chart-1", text: "Here is our size chart", attachments: [{ uploadId: ticket.uploadId }] });

    // The shopper's thumbnail is the real image, and opens in the lightbox.
    const thumb = page.locator(`${W} .k-row[data-role="shopper"] [data-k="thumb"] img`);
    await thumb.waitFor();
    await waitFor(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 16), "thumbnail decoded");
    await page.locator(`${W} .k-row[data-role="shopper"] [data-k="thumb"]`).click();
    const lightbox = page.locator(`${W} [data-k="lightbox"]`);
    await lightbox.waitFor({ state: "visible" });
    await screenshot(page, "attachments-lightbox");
    expect(await lightbox.locator("img").getAttribute("src")).toContain("/media/");
    await page.keyboard.press("Escape");
    await lightbox.waitFor({ state: "hidden" });

    // The agent's PDF is a chip; clicking it downloads the file.
    const chip = page.locator(`${W} .k-row[data-role="agent"] [data-k="file"]`);
    await chip.waitFor();
    expect(await chip.textContent()).toContain("size-chart.pdf");
    await screenshot(page, "attachments-thread");
    const download = page.waitForEvent("download");
    await chip.click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("size-chart.pdf");
    const saved = await file.path();
    expect(saved).toBeTruthy();
  });

  it("mirrors the composer in Arabic: the attach button sits at the start (right) of the box", async () => {
    const b = await launch({ locale: "ar-SA" });
    browsers.push(b);
    const page = b.page;
    await page.goto(kal.url + "/");
    await page.locator(`${W} .k-launch`).click();
    await waitFor(async () => (await snapshot(page)).open, "panel open");
    expect(await page.locator(`${W} .k-panel`).getAttribute("dir")).toBe("rtl");
    const attachBox = (await page.locator(`${W} [data-k="attach"]`).boundingBox())!;
    const inputBox = (await page.locator(`${W} textarea`).boundingBox())!;
    expect(attachBox.x).toBeGreaterThan(inputBox.x + inputBox.width - 1);
    expect(await page.locator(`${W} [data-k="attach"]`).getAttribute("aria-label")).toBe("إرفاق صورة أو ملف");
  });
});
