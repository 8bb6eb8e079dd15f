import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MessagePart } from "@kaleem/shared";
import { productCard } from "../common/parts.test-helpers.js";
import { ProviderRateLimited, ProviderRetryable, isWindowClosed } from "../common/errors.js";
import { customerServiceWindow, type MetaMessagingType } from "../common/window.js";
import { sendProviderRequest, sendProviderRequests } from "../deliver.js";
import { FakeMetaMessaging, startFakeMetaMessaging } from "../testing/fake-meta-messaging.js";
import type { MetaMessagingChannelConfig } from "./config.js";
import { buildMetaSend } from "./send.js";

const accessToken = "EAAG-page-token-for-tests";
const fakes: Record<"messenger" | "instagram", FakeMetaMessaging> = {} as Record<"messenger" | "instagram", FakeMetaMessaging>;
const configs: Record<"messenger" | "instagram", MetaMessagingChannelConfig> = {} as Record<"messenger" | "instagram", MetaMessagingChannelConfig>;

beforeAll(async () => {
  for (const [platform, accountId] of [["messenger", "104400000000001"], ["instagram", "17841400000000001"]] as const) {
    fakes[platform] = await startFakeMetaMessaging({ platform, accountId, accessToken, graphVersion: "v23.0" });
    configs[platform] = { platform, accountId, accessToken, apiBaseUrl: fakes[platform].apiBaseUrl };
  }
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});
beforeEach(() => {
  for (const f of Object.values(fakes)) f.reset();
});

const RESPONSE: MetaMessagingType = { messagingType: "RESPONSE" };
const psid = "7300000000000001";
const card = productCard;
interface SentBody {
  recipient: { id: string };
  messaging_type: string;
  tag?: string;
  message: { text?: string; quick_replies?: Array<{ title: string; payload: string }>; attachment?: { payload: { elements: Array<Record<string, unknown>> } } };
}
const bodies = (platform: "messenger" | "instagram") => fakes[platform].accepted("messages").map((e) => e.body as SentBody);

describe("Messenger and Instagram sends, checked by the local Send API", () => {
  it("text with messaging_type RESPONSE gives the message id", async () => {
    for (const platform of ["messenger", "instagram"] as const) {
      const result = await sendProviderRequest(buildMetaSend(configs[platform], psid, { text: "Hello!", parts: [], locale: "en" }, RESPONSE)[0]!);
      expect(result.providerMessageId).toMatch(/FAKE/);
      expect(fakes[platform].rejected()).toEqual([]);
      expect(bodies(platform)[0]).toEqual({ recipient: { id: psid }, messaging_type: "RESPONSE", message: { text: "Hello!" } });
      expect(fakes[platform].accepted()[0]?.headers.authorization).toBe(`Bearer ${accessToken}`);
    }
  });

  it("product cards are a generic template (≤ 10 elements) with postback and link buttons; quick replies ride on it", async () => {
    const parts: MessagePart[] = [...Array.from({ length: 11 }, (_, i) => card(`p${i}`)), card("gone", { inStock: false, url: null }), { type: "quick_replies", replies: [{ label: "Talk to a person", payload: "human" }] }];
    await sendProviderRequests(buildMetaSend(configs.messenger, psid, { text: "Here are our boxes:", parts, locale: "en" }, RESPONSE));
    expect(fakes.messenger.rejected()).toEqual([]);
    const [intro, template] = bodies("messenger");
    expect(intro?.message).toEqual({ text: "Here are our boxes:" });
    const elements = template!.message.attachment!.payload.elements;
    expect(elements).toHaveLength(10);
    expect(elements[0]).toEqual({
      title: "Sukkari dates box p0",
      subtitle: "45 SAR",
      image_url: "https://cdn.shop.example/p0.jpg",
      default_action: { type: "web_url", url: "https://shop.example/p/p0" },
      buttons: [
        { type: "postback", title: "Add to cart", payload: "add:p0" },
        { type: "web_url", title: "View", url: "https://shop.example/p/p0" },
      ],
    });
    expect(template!.message.quick_replies).toEqual([{ content_type: "text", title: "Talk to a person", payload: "human" }]);
  });

  it("Instagram: quick replies only on text, text cut within 1000 bytes", async () => {
    const arabic = "التمر السكري من القصيم ويتم تغليفه في يوم الشحن. ".repeat(30);
    await sendProviderRequests(buildMetaSend(configs.instagram, psid, { text: arabic, parts: [card("p1"), { type: "quick_replies", replies: [{ label: "Talk to a person", payload: "human" }] }], locale: "ar" }, RESPONSE));
    expect(fakes.instagram.rejected()).toEqual([]);
    const sent = bodies("instagram");
    for (const b of sent) if (b.message.text) expect(Buffer.byteLength(b.message.text)).toBeLessThanOrEqual(1000);
    const last = sent.at(-1)!;
    expect(last.message).toEqual({ text: "اختر من الخيارات:", quick_replies: [{ content_type: "text", title: "Talk to a person", payload: "human" }] });
    expect(sent.at(-2)?.message.attachment).toBeDefined();
  });

  it("up to 13 quick replies, titles cut to 20 characters", async () => {
    const replies = Array.from({ length: 15 }, (_, i) => ({ label: `A rather long option number ${i}`, payload: `intent:o${i}` }));
    await sendProviderRequests(buildMetaSend(configs.messenger, psid, { text: "Pick", parts: [{ type: "quick_replies", replies }], locale: "en" }, RESPONSE));
    expect(fakes.messenger.rejected()).toEqual([]);
    const qr = bodies("messenger")[0]!.message.quick_replies!;
    expect(qr).toHaveLength(13);
    expect(qr[0]?.title).toBe("A rather long option");
  });
});

describe("the messaging window, decided by customerServiceWindow and enforced by the fake", () => {
  const lastWrote = (hours: number) => new Date(Date.now() - hours * 3_600_000);

  it("an agent after 24 h sends with HUMAN_AGENT and gets through; a plain RESPONSE is refused as outside the window", async () => {
    fakes.messenger.setLastInbound("psid-late", lastWrote(30));
    const verdict = customerServiceWindow({ channel: "messenger", lastInboundAt: lastWrote(30).toISOString(), author: "agent", now: new Date() });
    if (!verdict.open || verdict.messagingType !== "MESSAGE_TAG") throw new Error(`expected HUMAN_AGENT, got ${JSON.stringify(verdict)}`);
    await sendProviderRequest(buildMetaSend(configs.messenger, "psid-late", { text: "Sorry for the wait!", parts: [], locale: "en" }, verdict)[0]!);
    expect(bodies("messenger")[0]).toMatchObject({ messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
    const plain = await sendProviderRequest(buildMetaSend(configs.messenger, "psid-late", { text: "hi", parts: [], locale: "en" }, RESPONSE)[0]!).catch((e: unknown) => e);
    expect(isWindowClosed(plain)).toBe(true);
    fakes.messenger.setLastInbound("psid-gone", lastWrote(24 * 8));
    const tooLate = await sendProviderRequest(buildMetaSend(configs.messenger, "psid-gone", { text: "hi", parts: [], locale: "en" }, { messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" })[0]!).catch((e: unknown) => e);
    expect(isWindowClosed(tooLate)).toBe(true);
    expect(fakes.messenger.rejected()).toEqual([]);
  });
});

describe("Meta failures steer the job", () => {
  const send = () => sendProviderRequest(buildMetaSend(configs.messenger, psid, { text: "hi", parts: [], locale: "en" }, RESPONSE)[0]!);

  it("613 waits (Retry-After when given), 5xx retries, a bad token is auth", async () => {
    fakes.messenger.failNext({ kind: "rate_limited", retryAfterSeconds: 4 });
    const limited = await send().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ProviderRateLimited);
    expect(limited).toMatchObject({ retryAfterMs: 4_000 });
    fakes.messenger.failNext({ kind: "server_error", html: true });
    await expect(send()).rejects.toBeInstanceOf(ProviderRetryable);
    fakes.messenger.failNext({ kind: "auth" });
    await expect(send()).rejects.toMatchObject({ kind: "auth" });
    await send();
    expect(fakes.messenger.accepted("messages")).toHaveLength(1);
  });

  it("a body without messaging_type is refused as the Send API refuses it", async () => {
    const req = buildMetaSend(configs.messenger, psid, { text: "hi", parts: [], locale: "en" }, RESPONSE)[0]!;
    const { messaging_type: _dropped, ...rest } = req.body as Record<string, unknown>;
    await expect(sendProviderRequest({ ...req, body: rest })).rejects.toMatchObject({ kind: "rejected", info: { code: "100" } });
    expect(fakes.messenger.rejected()[0]?.problem).toMatch(/messaging_type/);
  });
});
