// Attachments through the whole process, over the protocol as an SDK would use it: the shopper
// asks the widget socket for an upload URL, PUTs a photo to the media handler this process
// serves, sends a message that references it; the agent's inbox sees the part and reads it
// through a REST link, replies with a PDF uploaded the same way over the inbox socket, and the
// shopper downloads it through `attachment:link`.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type AttachmentLink, type Message, type UploadTicket, type WatchResult } from "@kaleem/shared";
import { call, closeAllClients, connected, createMerchant, inboxClient, login, nextEvent, ok, openConversation, ScriptedBot, startTestKaleem, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";
import { testJpeg, testPdf } from "@kaleem/shared/testing";

let t: TestKaleem;
let m: TestMerchant;
let bot: ScriptedBot;

/** A port free right now: presigned media URLs name the public URL, so the process must know its port up front. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  bot = new ScriptedBot();
  const port = await freePort();
  t = await startTestKaleem({ bot, env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  m = await createMerchant(t.k);
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

const put = (ticket: UploadTicket, body: Uint8Array) => fetch(ticket.url, { method: ticket.method, headers: ticket.headers, body });

describe("attachments over the protocol", () => {
  it("shopper sends a photo, the agent sees and opens it, replies with a PDF, the shopper downloads it", async () => {
    const shopper = widgetClient(t.k.url, m.widgetKey);
    await connected(shopper);
    const opened = await openConversation(t.k.store, shopper, m.merchantId);
    const token = await login(t.k.url, m.email, m.password);
    const agent = inboxClient(t.k.url, token);
    await connected(agent);
    await ok<WatchResult>(agent, "conversation:watch", { conversationId: opened.conversationId });

    // The shopper's photo: URL over the socket, PUT, then the message naming the upload.
    const jpeg = testJpeg();
    const ticket = await ok<UploadTicket>(shopper, "upload:create", { name: "dress.jpg", contentType: "image/jpeg", size: jpeg.byteLength });
    expect(ticket.url.startsWith(t.k.url + "/media/")).toBe(true);
    expect((await put(ticket, jpeg)).status).toBe(200);
    const seen = nextEvent<{ message: Message }>(agent, "message:new", (e) => e.message.role === "shopper");
    const send = { conversationId: opened.conversationId, clientMessageId: "photo-1", text: "do you have this in blue?", attachments: [{ uploadId: ticket.uploadId }] };
    const { message } = await ok<{ message: Message }>(shopper, "message:send", send);
    expect(message.parts).toEqual([expect.objectContaining({ type: "attachment", kind: "image", contentType: "image/jpeg", name: "dress.jpg", width: 16, height: 8 })]);
    // Idempotent as every send: the same message again is the same message, the same part.
    expect((await ok<{ message: Message }>(shopper, "message:send", send)).message).toMatchObject({ id: message.id, parts: message.parts });
    const inInbox = (await seen).message;
    expect(inInbox.id).toBe(message.id);

    // The agent opens it through REST; the bytes have no EXIF GPS.
    const part = inInbox.parts[0]!;
    if (part.type !== "attachment") throw new Error("no attachment part");
    const linkRes = await fetch(`${t.k.url}/api/v1/conversations/${opened.conversationId}/attachments/link?key=${encodeURIComponent(part.key)}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(linkRes.status).toBe(200);
    const photo = await fetch(((await linkRes.json()) as AttachmentLink).url);
    expect(photo.headers.get("content-type")).toBe("image/jpeg");
    expect(photo.headers.get("x-content-type-options")).toBe("nosniff");
    const photoBytes = Buffer.from(await photo.arrayBuffer());
    expect(photoBytes.includes(Buffer.from("GPS-24.7136N"))).toBe(false);

    // The agent's PDF, uploaded over the inbox socket (REST works too: POST /conversations/:id/uploads).
    const pdf = testPdf();
    const agentTicket = await ok<UploadTicket>(agent, "upload:create", { conversationId: opened.conversationId, name: "size-chart.pdf", contentType: "application/pdf", size: pdf.byteLength });
    expect((await put(agentTicket, pdf)).status).toBe(200);
    const arrives = nextEvent<{ message: Message }>(shopper, "message:new", (e) => e.message.role === "agent");
    await ok(agent, "message:send", { conversationId: opened.conversationId, clientMessageId: "reply-1", attachments: [{ uploadId: agentTicket.uploadId }] });
    const reply = (await arrives).message;
    expect(reply).toMatchObject({ role: "agent", text: "", parts: [expect.objectContaining({ kind: "document", contentType: "application/pdf", name: "size-chart.pdf" })] });

    // The shopper downloads it: served as an attachment, never rendered.
    const replyPart = reply.parts[0]!;
    if (replyPart.type !== "attachment") throw new Error("no attachment part");
    const link = await ok<AttachmentLink>(shopper, "attachment:link", { conversationId: opened.conversationId, key: replyPart.key });
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="size-chart.pdf"/);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    // Another visitor of the same store, with the key and the conversation id, gets nothing.
    const stranger = widgetClient(t.k.url, m.widgetKey);
    await connected(stranger);
    await ok(stranger, "conversation:open", {});
    const refused = await call(stranger, "attachment:link", { conversationId: opened.conversationId, key: replyPart.key });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Nor can they reference the shopper's upload in a message of their own.
    const stolen = await call(stranger, "message:send", { clientMessageId: "steal-1", text: "mine", attachments: [{ uploadId: ticket.uploadId }] });
    expect(stolen).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("refusals reach the client as codes it can show: a file type the store refuses, an empty message, an upload never PUT", async () => {
    const shopper = widgetClient(t.k.url, m.widgetKey);
    await connected(shopper);
    const opened = await openConversation(t.k.store, shopper, m.merchantId);
    expect(await call(shopper, "upload:create", { name: "page.html", contentType: "text/html", size: 100 })).toMatchObject({ ok: false, error: { code: "unsupported_media_type" } });
    expect(await call(shopper, "upload:create", { name: "huge.jpg", contentType: "image/jpeg", size: 50 * 1024 * 1024 })).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
    expect(await call(shopper, "message:send", { conversationId: opened.conversationId, clientMessageId: "empty-1", text: "  " })).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const ticket = await ok<UploadTicket>(shopper, "upload:create", { name: "later.png", contentType: "image/png", size: 100 });
    expect(await call(shopper, "message:send", { conversationId: opened.conversationId, clientMessageId: "early-1", text: "", attachments: [{ uploadId: ticket.uploadId }] })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    // HTML PUT under an image type is refused when the message references it.
    const html = Buffer.from("<html><script>alert(1)</script></html>");
    const fake = await ok<UploadTicket>(shopper, "upload:create", { name: "cat.png", contentType: "image/png", size: html.byteLength });
    expect((await put(fake, html)).status).toBe(200);
    expect(await call(shopper, "message:send", { conversationId: opened.conversationId, clientMessageId: "fake-1", text: "look", attachments: [{ uploadId: fake.uploadId }] })).toMatchObject({
      ok: false,
      error: { code: "unsupported_media_type" },
    });
  });

  it("an agent's file a channel cannot carry is refused at send, with the reason, and nothing is stored", async () => {
    const tenant = t.k.store.forMerchant(asMerchantId(m.merchantId));
    const customer = await tenant.customers.create({ channel: "instagram", externalId: "ig-user-1" });
    const conversation = await tenant.conversations.create({ channel: "instagram", customerId: customer.id });
    const token = await login(t.k.url, m.email, m.password);
    const agent = inboxClient(t.k.url, token);
    await connected(agent);
    const pdf = testPdf();
    const ticket = await ok<UploadTicket>(agent, "upload:create", { conversationId: conversation.id, name: "invoice.pdf", contentType: "application/pdf", size: pdf.byteLength });
    expect((await put(ticket, pdf)).status).toBe(200);
    const refused = await call(agent, "message:send", { conversationId: conversation.id, clientMessageId: "ig-pdf-1", text: "your invoice", attachments: [{ uploadId: ticket.uploadId }] });
    expect(refused).toMatchObject({ ok: false, error: { code: "unsupported_media_type", message: expect.stringMatching(/^Instagram cannot send application\/pdf files/) } });
    expect((await tenant.messages.listLatest(conversation.id, 10)).filter((msg) => msg.role === "agent")).toEqual([]);
    // The refused file is gone, not left counting against the quota.
    expect(await tenant.uploads.get(ticket.uploadId)).toBeNull();
  });
});
