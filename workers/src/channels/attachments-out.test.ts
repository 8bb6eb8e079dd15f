// Agents' attachments going out through each provider by link, against the fake provider servers
// (which check every call against the published specs in ../shared/specs when present): Telegram
// sendPhoto/sendDocument, WhatsApp image/document messages, Messenger attachments; and the limits
// that refuse a file a channel cannot carry, with the reason in words for the agent.
import { channelAttachmentRefusal, type AttachmentPart, type MessagePart } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendProviderRequests } from "./deliver.js";
import { buildMetaSend } from "./meta-messaging/send.js";
import { buildTelegramSend } from "./telegram/send.js";
import { startFakeMetaMessaging, type FakeMetaMessaging } from "./testing/fake-meta-messaging.js";
import { startFakeTelegram, type FakeTelegram } from "./testing/fake-telegram.js";
import { startFakeWhatsApp, type FakeWhatsApp } from "./testing/fake-whatsapp.js";
import { buildWhatsAppSend } from "./whatsapp/send.js";

const photo: AttachmentPart = { type: "attachment", kind: "image", key: "attachments/p1", contentType: "image/jpeg", size: 200_000, name: "dress.jpg", width: 800, height: 600 };
const pdf: AttachmentPart = { type: "attachment", kind: "document", key: "attachments/d1", contentType: "application/pdf", size: 90_000, name: "size-chart.pdf" };
const mediaUrls = { "attachments/p1": "https://kaleem.example/media/m1/attachments/p1?exp=1&sig=a", "attachments/d1": "https://kaleem.example/media/m1/attachments/d1?exp=1&sig=b" };
const message = (parts: MessagePart[], text = "Here you go") => ({ text, parts, locale: "en" as const, mediaUrls });

let tg: FakeTelegram;
let wa: FakeWhatsApp;
let fb: FakeMetaMessaging;
const botToken = "7000000004:AAH-kaleem_attach_token_0123456789ab";
const WA = { phoneNumberId: "106540352242999", accessToken: "EAAG-attach-test-token" };
const FB = { platform: "messenger" as const, accountId: "1234567890", accessToken: "EAAG-page-token" };

beforeAll(async () => {
  tg = await startFakeTelegram({ botToken });
  wa = await startFakeWhatsApp({ ...WA, verifiedName: "Attach Store" });
  fb = await startFakeMetaMessaging(FB);
});
afterAll(async () => {
  await Promise.all([tg?.close(), wa?.close(), fb?.close()]);
});

describe("attachments out", () => {
  it("Telegram: the text, then the photo with sendPhoto and the PDF with sendDocument, by link", async () => {
    await sendProviderRequests(buildTelegramSend({ botToken, apiBaseUrl: tg.apiBaseUrl }, "42", message([photo, pdf])));
    expect(tg.rejected()).toEqual([]);
    expect(tg.accepted("sendMessage").map((e) => (e.body as { text: string }).text)).toContain("Here you go");
    expect(tg.accepted("sendPhoto").map((e) => (e.body as { photo: string }).photo)).toEqual([mediaUrls["attachments/p1"]]);
    expect(tg.accepted("sendDocument").map((e) => (e.body as { document: string }).document)).toEqual([mediaUrls["attachments/d1"]]);
  });

  it("WhatsApp: an image message and a document message with its file name, by link", async () => {
    await sendProviderRequests(buildWhatsAppSend({ ...WA, apiBaseUrl: wa.apiBaseUrl }, "966500000001", message([photo, pdf], "")));
    expect(wa.rejected()).toEqual([]);
    const bodies = wa.accepted("messages").map((e) => e.body as Record<string, unknown>);
    expect(bodies).toEqual([
      expect.objectContaining({ type: "image", image: { link: mediaUrls["attachments/p1"] } }),
      expect.objectContaining({ type: "document", document: { link: mediaUrls["attachments/d1"], filename: "size-chart.pdf" } }),
    ]);
  });

  it("Messenger: image and file attachments, by link, reusable", async () => {
    await sendProviderRequests(buildMetaSend({ ...FB, apiBaseUrl: fb.apiBaseUrl }, "psid-1", message([photo, pdf]), { messagingType: "RESPONSE" }));
    expect(fb.rejected()).toEqual([]);
    const sent = fb.accepted("messages").map((e) => (e.body as { message: Record<string, unknown> }).message);
    expect(sent).toEqual([
      { text: "Here you go" },
      { attachment: { type: "image", payload: { url: mediaUrls["attachments/p1"], is_reusable: true } } },
      { attachment: { type: "file", payload: { url: mediaUrls["attachments/d1"], is_reusable: true } } },
    ]);
  });

  it("an attachment without a link is not sent (nothing half-built reaches the provider)", () => {
    const requests = buildTelegramSend({ botToken, apiBaseUrl: tg.apiBaseUrl }, "42", { text: "", parts: [photo], locale: "en" });
    expect(requests).toEqual([]);
  });

  it("provider limits refuse, in words for the agent, what a channel cannot carry", () => {
    expect(channelAttachmentRefusal("webchat", { ...pdf, size: 24 * 1024 * 1024 })).toBeNull();
    expect(channelAttachmentRefusal("telegram", photo)).toBeNull();
    expect(channelAttachmentRefusal("telegram", { ...photo, size: 6 * 1024 * 1024 })).toMatch(/^Telegram cannot send files over 5 MB/);
    expect(channelAttachmentRefusal("whatsapp", { ...photo, contentType: "image/webp" })).toMatch(/^WhatsApp cannot send image\/webp files/);
    expect(channelAttachmentRefusal("whatsapp", { ...pdf, size: 20 * 1024 * 1024 })).toMatch(/over 16 MB/);
    expect(channelAttachmentRefusal("instagram", pdf)).toMatch(/^Instagram cannot send application\/pdf files \(it takes photos only\)/);
    expect(channelAttachmentRefusal("messenger", pdf)).toBeNull();
  });
});
