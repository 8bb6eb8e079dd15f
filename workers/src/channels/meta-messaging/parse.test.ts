import { describe, expect, it } from "vitest";
import { inboundEventSchema, type InboundEvent, type ParsedWebhook } from "@kaleem/shared";
import { loadOwn, loadShared, ownFixture, sharedFixtures, sharedSuiteName, type FixtureProvider } from "../common/fixtures.test-helpers.js";
import { parseInstagramWebhook, parseMessengerWebhook } from "./parse.js";

const receivedAt = new Date("2026-01-01T00:00:00.000Z");
type Kind = InboundEvent["kind"];
type Platform = "messenger" | "instagram";

const parser = { messenger: parseMessengerWebhook, instagram: parseInstagramWebhook };

/** The Instagram samples are the `entry` list without the envelope: wrap them as Meta delivers them. */
function envelope(platform: Platform, json: unknown): unknown {
  if (platform === "instagram" && json && typeof json === "object" && !("object" in json)) return { object: "instagram", ...json };
  return json;
}
function parse(platform: Platform, json: unknown): ParsedWebhook {
  const parsed = parser[platform](envelope(platform, json), { receivedAt });
  for (const e of parsed.events) expect(inboundEventSchema.safeParse(e).success).toBe(true);
  return parsed;
}
function event<K extends Kind>(platform: Platform, json: unknown, kind: K, index = 0): Extract<InboundEvent, { kind: K }> {
  const e = parse(platform, json).events[index];
  if (e?.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(e)}`);
  return e as Extract<InboundEvent, { kind: K }>;
}
const shared = (provider: FixtureProvider, name: string): unknown => {
  const found = loadShared(provider).find(([f]) => f === name);
  if (!found) throw new Error(`shared fixture ${provider}/${name} is missing`);
  return found[1];
};

const expected: Record<Platform, Record<string, Kind[]>> = {
  messenger: {
    "botman__delivery.json": ["status"],
    "botman__message_attachment_image.json": ["message"],
    "botman__message_attachment_video.json": ["message"],
    "botman__message_echo.json": ["unsupported"],
    "botman__message_text.json": ["message"],
    "botman__message_text_with_nlp.json": ["message"],
    "botman__read.json": ["watermark"],
    "botman__referral.json": ["referral"],
  },
  instagram: {
    "chatwoot__instagram_message_create_event.json": ["message"],
    "chatwoot__instagram_message_standby_event.json": ["unsupported"],
    "chatwoot__instagram_message_unsend_event.json": ["unsupported"],
    "chatwoot__instagram_story_mention_event.json": ["unsupported"],
    "chatwoot__instagram_story_mention_event_with_echo.json": ["unsupported"],
    "chatwoot__instagram_test_text_event.json": ["message"],
    "chatwoot__messaging_seen_event.json": ["status"],
  },
};

for (const platform of ["messenger", "instagram"] as const) {
  describe.skipIf(!sharedFixtures(platform).present)(sharedSuiteName(platform), () => {
    it("parses each into its expected event kinds, within the contract", () => {
      const files = loadShared(platform);
      expect(files.length).toBeGreaterThan(0);
      for (const [name, json] of files) {
        const want = expected[platform][name];
        if (!want) throw new Error(`no expectation for the new shared fixture ${platform}/${name}: add it to expected`);
        expect(parse(platform, json).events.map((e) => e.kind), name).toEqual(want);
      }
    });
  });
}

describe.skipIf(!sharedFixtures("messenger").present)("shared Messenger samples, in detail", () => {
  it("text keyed by mid, naming the Page", () => {
    const parsed = parse("messenger", shared("messenger", "botman__message_text.json"));
    expect(parsed.accountIds).toEqual(["111899832631525"]);
    expect(parsed.events[0]).toEqual({
      kind: "message",
      dedupeKey: "fb:mid.1480279487147:4388d3b344",
      providerMessageId: "mid.1480279487147:4388d3b344",
      from: { externalId: "1433960459967306", name: null, phone: null, username: null },
      sentAt: new Date(1480279487147).toISOString(),
      parts: [{ type: "text", text: "Hi" }],
      replyTo: null,
      referral: null,
      callbackQueryId: null,
    });
  });

  it("image and video attachments are media parts with their URL", () => {
    expect(event("messenger", shared("messenger", "botman__message_attachment_image.json"), "message").parts).toEqual([
      { type: "media", kind: "image", mediaRef: "http://facebookimage.com/image.png", mimeType: null, caption: null, fileName: null },
      { type: "media", kind: "image", mediaRef: "http://facebookimage.com/imageX.png", mimeType: null, caption: null, fileName: null },
    ]);
    expect(event("messenger", shared("messenger", "botman__message_attachment_video.json"), "message").parts[0]).toMatchObject({ kind: "video", mediaRef: "http://facebook.com/video.mp4" });
  });

  it("an echo is never a shopper message", () => {
    expect(event("messenger", shared("messenger", "botman__message_echo.json"), "unsupported")).toEqual({
      kind: "unsupported",
      dedupeKey: "fb-echo:mid.1480279487147:4388d3b344",
      reason: "messenger echo of a message the account sent",
    });
  });

  it("deliveries per mid, reads by watermark, referrals as context", () => {
    expect(event("messenger", shared("messenger", "botman__delivery.json"), "status")).toMatchObject({
      dedupeKey: "fb-status:mid.1458668856218:ed81099e15d3f4f233:delivered",
      providerMessageId: "mid.1458668856218:ed81099e15d3f4f233",
      status: "delivered",
    });
    expect(event("messenger", shared("messenger", "botman__read.json"), "watermark")).toEqual({
      kind: "watermark",
      dedupeKey: "fb-watermark:USER_ID:read:1458668856253",
      status: "read",
      customerId: "USER_ID",
      upTo: new Date(1458668856253).toISOString(),
    });
    expect(event("messenger", shared("messenger", "botman__referral.json"), "referral")).toMatchObject({
      from: { externalId: "1433960459967306" },
      referral: { source: "MY_SOURCE", ref: "MY_REF", headline: null },
    });
  });
});

describe.skipIf(!sharedFixtures("instagram").present)("shared Instagram samples, in detail", () => {
  it("text with ISO or epoch-second times; seen receipts per mid", () => {
    const m = event("instagram", shared("instagram", "chatwoot__instagram_message_create_event.json"), "message");
    expect(m).toMatchObject({ dedupeKey: "ig:message-id-1", parts: [{ type: "text", text: "This is the first message from the customer" }], sentAt: "2021-09-08T06:34:04.000Z" });
    expect(event("instagram", shared("instagram", "chatwoot__instagram_test_text_event.json"), "message").sentAt).toBe(new Date(1527459824 * 1000).toISOString());
    expect(event("instagram", shared("instagram", "chatwoot__messaging_seen_event.json"), "status")).toMatchObject({ dedupeKey: "ig-status:message-id-1:read", status: "read" });
  });

  it("standby, unsend, story mentions and echoes are unsupported, saying why", () => {
    const reasons = ["chatwoot__instagram_message_standby_event.json", "chatwoot__instagram_message_unsend_event.json", "chatwoot__instagram_story_mention_event.json", "chatwoot__instagram_story_mention_event_with_echo.json"].map(
      (f) => event("instagram", shared("instagram", f), "unsupported").reason,
    );
    expect(reasons).toEqual([
      "instagram standby event (another app controls the thread)",
      "instagram message unsent by the customer",
      "instagram message without content Kaleem handles (story_mention)",
      "instagram echo of a message the account sent",
    ]);
  });

  it("a Messenger parser refuses an Instagram payload (and names its account so the route can reject it)", () => {
    const parsed = parseMessengerWebhook(envelope("instagram", shared("instagram", "chatwoot__instagram_message_create_event.json")));
    expect(parsed.accountIds).toEqual(["instagram-message-id-123"]);
    expect(parsed.events).toMatchObject([{ kind: "unsupported", reason: 'object "instagram" is not a messenger webhook' }]);
  });
});

describe("the repository's own Messenger and Instagram fixtures", () => {
  it("all parse within the contract", () => {
    for (const platform of ["messenger", "instagram"] as const) {
      for (const [name, json] of loadOwn(platform)) expect(parse(platform, json).events.length, name).toBeGreaterThan(0);
    }
  });

  it("quick replies and postbacks come back as choices", () => {
    expect(event("messenger", ownFixture("messenger", "quick_reply.json"), "message").parts).toEqual([{ type: "choice", payload: "add:prod_sukkari_1kg", title: "Add the 1 kg box" }]);
    const pb = event("messenger", ownFixture("messenger", "postback_product_button.json"), "message");
    expect(pb).toMatchObject({ dedupeKey: "fb-postback:m_KALEEM_PB_0002", parts: [{ type: "choice", payload: "add:prod_ajwa_500g", title: "Add to cart" }] });
    const start = event("messenger", ownFixture("messenger", "postback_get_started_with_referral.json"), "message");
    expect(start.referral).toEqual({ source: "SHORTLINK", ref: "ramadan-offer", headline: null });
    expect(event("instagram", ownFixture("instagram", "quick_reply_and_story_reply.json"), "message").parts).toEqual([{ type: "choice", payload: "human", title: "Talk to a person" }]);
  });

  it("reactions set and removed, each its own event", () => {
    const parsed = parse("messenger", ownFixture("messenger", "reaction_react_and_unreact.json"));
    expect(parsed.events.map((e) => (e.kind === "message" ? e.parts[0] : e))).toEqual([
      { type: "reaction", emoji: "❤", targetProviderMessageId: "m_KALEEM_OUT_0007" },
      { type: "reaction", emoji: null, targetProviderMessageId: "m_KALEEM_OUT_0007" },
    ]);
    expect(new Set(parsed.events.map((e) => e.dedupeKey)).size).toBe(2);
    expect(event("instagram", ownFixture("instagram", "reaction.json"), "message").parts).toEqual([{ type: "reaction", emoji: "❤️", targetProviderMessageId: "aWdfT1VUMQ" }]);
  });

  it("replies, files, legacy locations and stickers; fallback attachments dropped", () => {
    const m = event("messenger", ownFixture("messenger", "message_reply_with_file_and_location.json"), "message");
    expect(m.replyTo).toBe("m_KALEEM_OUT_0008");
    expect(m.parts).toEqual([
      { type: "text", text: "Here is my receipt and where I am" },
      { type: "media", kind: "document", mediaRef: "https://cdn.example.test/receipt.pdf", mimeType: null, caption: null, fileName: "receipt.pdf" },
      { type: "location", latitude: 21.4858, longitude: 39.1925, name: null, address: null },
      { type: "media", kind: "sticker", mediaRef: "https://cdn.example.test/sticker.png", mimeType: null, caption: null, fileName: null },
    ]);
  });

  it("ad context on a message; edits, standby and bare delivery watermarks", () => {
    expect(event("messenger", ownFixture("messenger", "message_from_ad.json"), "message").referral).toEqual({ source: "ADS", ref: "23850000000000001", headline: "Fresh dates, delivered" });
    expect(event("messenger", ownFixture("messenger", "message_edit.json"), "unsupported").reason).toBe("messenger message_edit event");
    expect(event("messenger", ownFixture("messenger", "standby_message.json"), "unsupported").dedupeKey).toBe("fb-standby:m_KALEEM_SB_0001");
    expect(event("messenger", ownFixture("messenger", "delivery_watermark_only.json"), "watermark")).toMatchObject({ status: "delivered", customerId: "7300000000000001" });
  });

  it("Instagram: the account id, Arabic text, story replies, shared reels, unsupported types", () => {
    const parsed = parse("instagram", ownFixture("instagram", "message_text.json"));
    expect(parsed.accountIds).toEqual(["17841400000000001"]);
    expect(parsed.events[0]).toMatchObject({ kind: "message", parts: [{ type: "text", text: "كم سعر علبة السكري؟" }] });
    const story = event("instagram", ownFixture("instagram", "quick_reply_and_story_reply.json"), "message", 1);
    expect(story).toMatchObject({ parts: [{ type: "text", text: "Do you have this in red?" }], replyTo: null });
    const reel = parse("instagram", ownFixture("instagram", "reel_share_and_unsupported.json")).events;
    expect(reel[0]).toMatchObject({ kind: "message", parts: [{ type: "media", kind: "video", mediaRef: "https://cdn.example.test/reel.mp4" }] });
    expect(reel[1]).toMatchObject({ kind: "unsupported", reason: "instagram message type the platform does not expose" });
  });
});

describe("shapes that are not Meta messaging webhooks", () => {
  it("never throw and give stable keys", () => {
    for (const junk of [null, 1, [], { object: "page" }, { object: "page", entry: [{ id: "1", messaging: [null, {}, { sender: {} }] }] }]) {
      const a = parse("messenger", junk);
      expect(a.events.length).toBeGreaterThan(0);
      expect(a.events.every((e) => e.kind === "unsupported")).toBe(true);
      expect(parse("messenger", junk).events.map((e) => e.dedupeKey)).toEqual(a.events.map((e) => e.dedupeKey));
    }
  });
});
