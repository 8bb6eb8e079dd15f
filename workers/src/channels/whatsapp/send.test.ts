import { existsSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MessagePart } from "@kaleem/shared";
import { productCard } from "../common/parts.test-helpers.js";
import { ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable, isWindowClosed } from "../common/errors.js";
import { choicePayloads, isPayloadToken, resolveProviderPayload } from "../common/payload-token.js";
import { sendProviderRequest, sendProviderRequests } from "../deliver.js";
import { graphError } from "../testing/graph-fake.js";
import { FakeWhatsApp, startFakeWhatsApp } from "../testing/fake-whatsapp.js";
import { whatsAppSpecPath } from "../testing/whatsapp-spec.js";
import { buildWhatsAppMarkRead, buildWhatsAppSend } from "./send.js";

const phoneNumberId = "200111222333444";
const accessToken = "EAAG-kaleem-test-token";
let fake: FakeWhatsApp;
let config: { phoneNumberId: string; accessToken: string; apiBaseUrl: string };

beforeAll(async () => {
  fake = await startFakeWhatsApp({ phoneNumberId, accessToken, graphVersion: "v23.0" });
  config = { phoneNumberId, accessToken, apiBaseUrl: fake.apiBaseUrl };
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const to = "966501234567";
const card = (id: string, over: Parameters<typeof productCard>[1] = {}): MessagePart => productCard(id, { price: 45.5, ...over });
const replies = (...labels: string[]): MessagePart => ({ type: "quick_replies", replies: labels.map((label, i) => ({ label, payload: `intent:option_${i}` })) });
interface Row {
  id: string;
  title: string;
  description?: string;
}
interface SentBody {
  type: string;
  context?: unknown;
  text: { body: string; preview_url: boolean };
  interactive: {
    type: string;
    header?: unknown;
    body: { text: string };
    action: { button?: string; buttons: Array<{ type: string; reply: { id: string; title: string } }>; sections: Array<{ title: string; rows: Row[] }> };
  };
}
const bodies = () => fake.accepted("messages").map((e) => e.body as SentBody);

describe("WhatsApp sends, checked by the local Cloud API", () => {
  it("text goes out and gives the wamid", async () => {
    const result = await sendProviderRequest(buildWhatsAppSend(config, to, { text: "Delivery to Riyadh takes 1-2 days.", parts: [], locale: "en" })[0]!);
    expect(result.providerMessageId).toMatch(/^wamid\./);
    expect(fake.rejected()).toEqual([]);
    expect(bodies()[0]).toEqual({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body: "Delivery to Riyadh takes 1-2 days.", preview_url: false } });
    expect(fake.accepted()[0]?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it("card prices in an Arabic conversation use the merchant's digit style, like the bot's text beside them", async () => {
    await sendProviderRequests(buildWhatsAppSend(config, to, { text: "هذا عليه طلب كثير.", parts: [card("p1"), replies("أكلم موظف")], locale: "ar", digits: "arabic" }));
    await sendProviderRequests(buildWhatsAppSend(config, to, { text: "هذا عليه طلب كثير.", parts: [card("p2"), replies("أكلم موظف")], locale: "ar" }));
    expect(fake.rejected()).toEqual([]);
    const [arabic, western] = bodies();
    expect(arabic?.interactive.body.text).toBe("هذا عليه طلب كثير.\n\nSukkari dates box p1 — ٤٥.٥٠ ر.س");
    expect(western?.interactive.body.text).toBe("هذا عليه طلب كثير.\n\nSukkari dates box p2 — 45.50 ر.س");
  });

  it("up to three options are reply buttons carrying the answer as body, titles cut to 20 characters", async () => {
    const parts = [replies("Talk to a person", "Show me more boxes please", "Checkout")];
    await sendProviderRequests(buildWhatsAppSend(config, to, { text: "Anything else?", parts, locale: "en" }, { replyToMessageId: "wamid.IN1" }));
    expect(fake.rejected()).toEqual([]);
    const [msg] = bodies();
    expect(msg?.context).toEqual({ message_id: "wamid.IN1" });
    expect(msg?.interactive.type).toBe("button");
    expect(msg?.interactive.body.text).toBe("Anything else?");
    expect(msg?.interactive.action.buttons.map((b) => b.reply.title)).toEqual(["Talk to a person", "Show me more boxes p", "Checkout"]);
  });

  it("one product with an image and a quick reply: buttons with the image as header and the price in the body", async () => {
    await sendProviderRequests(buildWhatsAppSend(config, to, { text: "This one is popular.", parts: [card("p1"), replies("Talk to a person")], locale: "en" }));
    expect(fake.rejected()).toEqual([]);
    const [msg] = bodies();
    expect(msg?.interactive).toMatchObject({
      type: "button",
      header: { type: "image", image: { link: "https://cdn.shop.example/p1.jpg" } },
      body: { text: "This one is popular.\n\nSukkari dates box p1 — 45.50 SAR" },
    });
    expect(msg?.interactive.action.buttons[0]).toEqual({ type: "reply", reply: { id: "add:p1", title: "Sukkari dates box p1" } });
  });

  it("more options become a list (≤ 10 rows, quick replies kept), product images go first as image messages", async () => {
    const cards = Array.from({ length: 12 }, (_, i) => card(`p${i}`));
    const parts = [...cards, replies("Talk to a person", "Checkout")];
    const requests = buildWhatsAppSend(config, to, { text: "Here is what we have:", parts, locale: "ar" });
    await sendProviderRequests(requests);
    expect(fake.rejected()).toEqual([]);
    const sent = bodies();
    expect(sent.map((b) => b.type)).toEqual(["text", ...Array(10).fill("image"), "interactive"]);
    const list = sent.at(-1)!.interactive;
    expect(list.type).toBe("list");
    expect(list.body.text).toBe("اختر من الخيارات:");
    expect(list.action.button).toBe("الخيارات");
    const rows = list.action.sections.flatMap((s) => s.rows);
    expect(rows).toHaveLength(10);
    expect(list.action.sections.map((s) => s.title)).toEqual(["المنتجات", "الخيارات"]);
    expect(list.action.sections[1]!.rows.map((r) => r.title)).toEqual(["Talk to a person", "Checkout"]);
    expect(list.action.sections[0]!.rows[0]).toEqual({ id: "add:p0", title: "Sukkari dates box p0", description: "45.50 ر.س" });
  });

  it("ids longer than a row id allows travel as tokens that resolve back", async () => {
    const long = `intent:${"long_payload_".repeat(20)}`;
    const parts: MessagePart[] = [{ type: "quick_replies", replies: ["a", "b", "c", "d"].map((x) => ({ label: x, payload: `${long}${x}` })) }];
    await sendProviderRequests(buildWhatsAppSend(config, to, { text: "Pick one", parts, locale: "en" }));
    expect(fake.rejected()).toEqual([]);
    const row = bodies()[0]!.interactive.action.sections[0]!.rows[2]!;
    expect(isPayloadToken(row.id)).toBe(true);
    expect(resolveProviderPayload(row.id, choicePayloads(parts))).toBe(`${long}c`);
  });

  it("long answers split within 4096 characters, links appended with previews on, out-of-stock cards told in the text", async () => {
    const text = "We ship across the Kingdom. ".repeat(200).trim();
    const parts: MessagePart[] = [{ type: "link", url: "https://shop.example/checkout", label: "Checkout" }, card("p9", { imageUrl: null, inStock: false })];
    await sendProviderRequests(buildWhatsAppSend(config, to, { text, parts, locale: "en" }));
    expect(fake.rejected()).toEqual([]);
    const sent = bodies();
    expect(sent.length).toBe(2);
    for (const b of sent) expect(b.text.body.length).toBeLessThanOrEqual(4096);
    expect(sent[1]!.text.body.endsWith("Checkout: https://shop.example/checkout\nSukkari dates box p9 — 45.50 SAR (Out of stock)")).toBe(true);
    expect(sent[1]!.text.preview_url).toBe(true);
  });

  it("unknown fields only Meta's schema forbids are refused when the document is present", async () => {
    const req = buildWhatsAppSend(config, to, { text: "hi", parts: [], locale: "en" })[0]!;
    const extra = { ...req, body: { ...(req.body as object), biz_opaque_callback_data_typo: "x" } };
    if (existsSync(whatsAppSpecPath)) {
      await expect(sendProviderRequest(extra)).rejects.toMatchObject({ kind: "rejected" });
      expect(fake.rejected()[0]?.problem).toBe("openapi: body.biz_opaque_callback_data_typo is not allowed");
    } else {
      await sendProviderRequest(extra);
      expect(fake.specSource).toMatch(/absent/);
    }
  });

  it("read receipts", async () => {
    await sendProviderRequest(buildWhatsAppMarkRead(config, "wamid.IN2"));
    expect(fake.rejected()).toEqual([]);
    expect(bodies()[0]).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.IN2" });
  });
});

describe("WhatsApp failures steer the job", () => {
  const send = (recipient = to) => sendProviderRequest(buildWhatsAppSend(config, recipient, { text: "hi", parts: [], locale: "en" })[0]!);

  it("outside the 24-hour window: 131047, unrecoverable and marked window closed", async () => {
    fake.setLastInbound("966509999999", new Date(Date.now() - 25 * 3_600_000));
    const err = await send("966509999999").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnrecoverable);
    expect(isWindowClosed(err)).toBe(true);
    fake.failNext({ kind: "window_closed" });
    expect(isWindowClosed(await send().catch((e: unknown) => e))).toBe(true);
  });

  it("130429 and 131056 wait (the pair limit for this recipient only), then the send goes through once", async () => {
    fake.failNext({ kind: "rate_limited", retryAfterSeconds: 2 });
    await expect(send()).rejects.toMatchObject({ name: "RetryAfterError", retryAfterMs: 2_000, scope: "account" });
    fake.failNext({ kind: "reply", reply: graphError(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit") });
    const pair = await send().catch((e: unknown) => e);
    expect(pair).toBeInstanceOf(ProviderRateLimited);
    expect(pair).toMatchObject({ scope: "recipient" });
    await send();
    expect(fake.accepted("messages")).toHaveLength(1);
  });

  it("5xx is retryable; a wrong token or version is refused as the provider refuses it", async () => {
    fake.failNext({ kind: "server_error" });
    await expect(send()).rejects.toBeInstanceOf(ProviderRetryable);
    const wrongToken = sendProviderRequest(buildWhatsAppSend({ ...config, accessToken: "EAAG-wrong" }, to, { text: "hi", parts: [], locale: "en" })[0]!);
    await expect(wrongToken).rejects.toMatchObject({ kind: "auth" });
    const wrongVersion = sendProviderRequest(buildWhatsAppSend({ ...config, graphVersion: "v19.0" }, to, { text: "hi", parts: [], locale: "en" })[0]!);
    await expect(wrongVersion).rejects.toMatchObject({ kind: "rejected" });
    const otherNumber = sendProviderRequest(buildWhatsAppSend({ ...config, phoneNumberId: "999" }, to, { text: "hi", parts: [], locale: "en" })[0]!);
    await expect(otherNumber).rejects.toMatchObject({ kind: "rejected" });
    expect(fake.rejected().map((e) => e.problem)).toEqual(["wrong access token", "Graph version v19.0", "unknown phone number id 999"]);
  });

  it("a body breaking a limit is refused with Meta's code 100 and the reason", async () => {
    const req = buildWhatsAppSend(config, to, { text: "hi", parts: [], locale: "en" })[0]!;
    const broken = { ...req, body: { ...(req.body as object), text: { body: "x".repeat(4097) } } };
    await expect(sendProviderRequest(broken)).rejects.toMatchObject({ kind: "rejected", info: { code: "100" } });
    expect(fake.rejected()[0]?.problem).toMatch(/text\.body/);
  });
});
