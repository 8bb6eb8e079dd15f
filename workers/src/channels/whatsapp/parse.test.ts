import { describe, expect, it } from "vitest";
import { inboundEventSchema, type InboundEvent, type ParsedWebhook } from "@kaleem/shared";
import { loadOwn, loadShared, ownFixture, sharedFixtures, sharedSuiteName } from "../common/fixtures.test-helpers.js";
import { parseWhatsAppWebhook } from "./parse.js";

const receivedAt = new Date("2026-01-01T00:00:00.000Z");
type Kind = InboundEvent["kind"];

function parse(json: unknown): ParsedWebhook {
  const parsed = parseWhatsAppWebhook(json, { receivedAt });
  for (const e of parsed.events) expect(inboundEventSchema.safeParse(e).success).toBe(true);
  return parsed;
}
function message(json: unknown, index = 0): Extract<InboundEvent, { kind: "message" }> {
  const e = parse(json).events[index];
  if (e?.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(e)}`);
  return e;
}
function status(json: unknown): Extract<InboundEvent, { kind: "status" }> {
  const e = parse(json).events[0];
  if (e?.kind !== "status") throw new Error(`expected a status, got ${JSON.stringify(e)}`);
  return e;
}

/** Kinds of the events each shared sample must produce. A new sample fails the test until it has an entry. */
const expected: Record<string, Kind[] | "not-an-envelope"> = {
  "callback_button_button.json": ["message"],
  "callback_button_quick_reply.json": ["message"],
  "callback_selection_callback.json": ["message"],
  "callback_selection_description.json": ["message"],
  "message_animated_sticker.json": ["message"],
  "message_audio.json": ["message"],
  "message_contacts.json": ["message"],
  "message_current_location.json": ["message"],
  "message_forwarded.json": ["message"],
  "message_image.json": ["message"],
  "message_interactive_message_with_err.json": ["unsupported"],
  "message_media_with_url.json": ["message"],
  "message_reaction.json": ["message"],
  "message_static_sticker.json": ["message"],
  "message_status_delivered.json": ["status"],
  "message_status_failed.json": ["status"],
  "message_status_group.json": ["status"],
  "message_status_played.json": ["unsupported"],
  "message_status_sent.json": ["status"],
  "message_text.json": ["message"],
  "message_unreaction_empty.json": ["message"],
  "message_unreaction_no_emoji.json": ["message"],
  "message_unsupported.json": ["unsupported"],
  "message_unsupported_with_type.json": ["unsupported"],
  "meta-openapi__button_message.json": ["message"],
  "meta-openapi__contact_sharing_message.json": ["message"],
  "meta-openapi__image_message.json": ["message"],
  "meta-openapi__interactive_button_reply_message.json": ["message"],
  "meta-openapi__reaction_message.json": ["message"],
  "meta-openapi__system_message.json": ["unsupported"],
  "meta-openapi__text_message.json": ["message"],
  "meta-openapi__text_message_from_click_to_whatsapp_ad.json": ["message"],
  "meta-openapi__unsupported_message.json": ["unsupported"],
  "pywa__callback_button__quick_reply.json": ["message"],
  // An error object on its own (the shape inside statuses[].errors[]), not a webhook.
  "pywa__error_object__131047_re_engagement.json": "not-an-envelope",
  "pywa__message__interactive_message_with_err.json": ["unsupported"],
  "pywa__message__referral.json": ["message"],
  "pywa__message__reply.json": ["message"],
  "pywa__message_status__delivered.json": ["status"],
  "pywa__message_status__failed.json": ["status"],
  "pywa__message_status__read.json": ["status"],
  "pywa__message_status__sent.json": ["status"],
  "pywa__template_category_update__marketing.json": ["unsupported"],
  "pywa__template_quality_update__yellow.json": ["unsupported"],
  "pywa__template_status_update__approved.json": ["unsupported"],
  "pywa__template_status_update__rejected.json": ["unsupported"],
};

const shared = sharedFixtures("whatsapp");
const fixture = (name: string): unknown => {
  const found = loadShared("whatsapp").find(([f]) => f === name);
  if (!found) throw new Error(`shared fixture whatsapp/${name} is missing`);
  return found[1];
};

describe.skipIf(!shared.present)(sharedSuiteName("whatsapp"), () => {
  it("parses each into its expected event kinds, within the contract", () => {
    const files = loadShared("whatsapp");
    expect(files.length).toBeGreaterThan(0);
    for (const [name, json] of files) {
      const want = expected[name];
      if (!want) throw new Error(`no expectation for the new shared fixture whatsapp/${name}: add it to expected`);
      const parsed = parse(json);
      if (want === "not-an-envelope") {
        expect(parsed.events.map((e) => e.kind), name).toEqual(["unsupported"]);
        expect(parsed.accountIds, name).toEqual([]);
      } else {
        expect(parsed.events.map((e) => e.kind), name).toEqual(want);
      }
    }
  });

  it("names the phone number id the payload is for, and only message changes name one", () => {
    expect(parse(fixture("message_text.json")).accountIds).toEqual(["1122334455667"]);
    expect(parse(fixture("meta-openapi__text_message.json")).accountIds).toEqual(["106540352242922"]);
    expect(parse(fixture("pywa__template_status_update__approved.json")).accountIds).toEqual([]);
  });

  it("text with the sender's profile name and E.164 phone, keyed by wamid", () => {
    const m = message(fixture("meta-openapi__text_message.json"));
    expect(m).toMatchObject({
      dedupeKey: "wa:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
      providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
      parts: [{ type: "text", text: "Does it come in another color?" }],
      replyTo: null,
      referral: null,
      sentAt: new Date(1749416383 * 1000).toISOString(),
    });
    expect(m.from).toEqual({ externalId: "16505551234", name: "Sheena Nelson", phone: "+16505551234", username: null });
  });

  it("media as parts with the media id to download by", () => {
    expect(message(fixture("meta-openapi__image_message.json")).parts).toEqual([
      { type: "media", kind: "image", mediaRef: "1003383421387256", mimeType: "image/jpeg", caption: "Taj Mahal", fileName: null },
    ]);
    expect(message(fixture("message_audio.json")).parts[0]).toMatchObject({ kind: "audio", mediaRef: "1234567890987654321", mimeType: "audio/ogg; codecs=opus" });
    expect(message(fixture("message_animated_sticker.json")).parts[0]).toMatchObject({ kind: "sticker", mimeType: "image/webp" });
  });

  it("location and shared contacts", () => {
    expect(message(fixture("message_current_location.json")).parts).toEqual([{ type: "location", latitude: 12.25089, longitude: 43.90539, name: null, address: null }]);
    const contacts = message(fixture("message_contacts.json")).parts[0];
    expect(contacts).toEqual({
      type: "contacts",
      contacts: [
        { name: "Chandler Bing", phones: ["+1 555-555-5555"] },
        { name: "Monica", phones: ["+1 666-666-6666"] },
        { name: "Rachel Green", phones: ["+1 777-777-7777"] },
      ],
    });
  });

  it("reply buttons, list rows and template quick replies are choices, with the message they answer", () => {
    const button = message(fixture("meta-openapi__interactive_button_reply_message.json"));
    expect(button.parts).toEqual([{ type: "choice", payload: "cancel-button", title: "Cancel" }]);
    expect(button.replyTo).toBe("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA");
    expect(message(fixture("callback_selection_description.json")).parts).toEqual([{ type: "choice", payload: "callback_data", title: "title" }]);
    expect(message(fixture("meta-openapi__button_message.json")).parts).toEqual([{ type: "choice", payload: "Unsubscribe", title: "Unsubscribe" }]);
  });

  it("reactions, and removed reactions as a null emoji", () => {
    expect(message(fixture("meta-openapi__reaction_message.json")).parts).toEqual([
      { type: "reaction", emoji: "👍", targetProviderMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA" },
    ]);
    expect(message(fixture("message_unreaction_empty.json")).parts).toEqual([{ type: "reaction", emoji: null, targetProviderMessageId: "wamid.yzxyzx=" }]);
    expect(message(fixture("message_unreaction_no_emoji.json")).parts).toEqual([{ type: "reaction", emoji: null, targetProviderMessageId: "wamid.yzxyzx=" }]);
  });

  it("ad referrals and replies", () => {
    const ad = message(fixture("meta-openapi__text_message_from_click_to_whatsapp_ad.json"));
    expect(ad.referral).toEqual({ source: "ad", ref: "120226305854810726", headline: "Chat with us" });
    expect(message(fixture("pywa__message__reply.json")).replyTo).toBe("wamid.xyzxyz==");
    // A forwarded message has a context with no id: it replies to nothing.
    expect(message(fixture("message_forwarded.json")).replyTo).toBeNull();
  });

  it("statuses keyed by wamid and status, failures with their code and title", () => {
    expect(status(fixture("message_status_delivered.json"))).toEqual({
      kind: "status",
      dedupeKey: "wa-status:wamid.xyzxyz:delivered",
      providerMessageId: "wamid.xyzxyz",
      status: "delivered",
      recipientId: "972987654321",
      error: null,
      at: new Date(1698266945 * 1000).toISOString(),
    });
    expect(status(fixture("pywa__message_status__failed.json")).error).toEqual({
      code: "130472",
      title: "User's number is part of an experiment: Failed to send message because this user's phone number is part of an experiment",
    });
    expect(status(fixture("message_status_sent.json")).dedupeKey).not.toBe(status(fixture("message_status_delivered.json")).dedupeKey);
  });

  it("system, unsupported and errored messages and template updates are unsupported, saying why", () => {
    const reason = (name: string) => {
      const e = parse(fixture(name)).events[0];
      return e?.kind === "unsupported" ? e.reason : e?.kind;
    };
    expect(reason("meta-openapi__system_message.json")).toBe("whatsapp system message (user_changed_number)");
    expect(reason("message_unsupported.json")).toBe("whatsapp unsupported message (131051 Message type unknown: Message type is currently not supported.)");
    expect(reason("message_interactive_message_with_err.json")).toBe("whatsapp interactive message (131000 Something went wrong: Unsupported webhook payload)");
    expect(reason("pywa__template_status_update__rejected.json")).toBe("whatsapp message_template_status_update update");
    expect(reason("message_status_played.json")).toBe("whatsapp played status");
  });
});

describe("the repository's own WhatsApp fixtures", () => {
  it("all parse within the contract", () => {
    for (const [name, json] of loadOwn("whatsapp")) expect(parse(json).events.length, name).toBeGreaterThan(0);
  });

  it("documents keep their file name and caption; videos and voice notes are media parts", () => {
    expect(message(ownFixture("whatsapp", "message_document_with_filename.json")).parts).toEqual([
      { type: "media", kind: "document", mediaRef: "880000000000001", mimeType: "application/pdf", caption: "The invoice from last week", fileName: "invoice-2291.pdf" },
    ]);
    const both = parse(ownFixture("whatsapp", "message_video_voice.json")).events;
    expect(both.map((e) => (e.kind === "message" ? e.parts[0] : null))).toMatchObject([{ kind: "video", caption: "The box arrived like this" }, { kind: "audio" }]);
  });

  it("a named location and a list reply to a Kaleem message", () => {
    expect(message(ownFixture("whatsapp", "message_location_named.json")).parts).toEqual([{ type: "location", latitude: 24.7136, longitude: 46.6753, name: "Home", address: "Al Olaya, Riyadh" }]);
    const list = message(ownFixture("whatsapp", "message_list_reply_with_context.json"));
    expect(list.parts).toEqual([{ type: "choice", payload: "add:prod_ajwa_500g", title: "Ajwa 500 g" }]);
    expect(list.replyTo).toBe("wamid.KALEEM-OUT-0042");
  });

  it("a failed status for a closed window carries 131047", () => {
    expect(status(ownFixture("whatsapp", "status_failed_window_closed.json")).error).toEqual({
      code: "131047",
      title: "Re-engagement message: More than 24 hours have passed since the customer last wrote.",
    });
  });

  it("a webhook-level throughput error is recorded as unsupported", () => {
    expect(parse(ownFixture("whatsapp", "change_error_throughput.json")).events).toMatchObject([
      { kind: "unsupported", reason: "whatsapp error 130429: Rate limit hit: Cloud API message throughput has been reached." },
    ]);
  });

  it("a batch gives one event per item, each sender with their own name", () => {
    const parsed = parse(ownFixture("whatsapp", "batch_two_messages_and_a_status.json"));
    expect(parsed.accountIds).toEqual(["200111222333444"]);
    expect(parsed.events.map((e) => e.dedupeKey)).toEqual(["wa:wamid.KALEEM-TXT-0001", "wa:wamid.KALEEM-TXT-0002", "wa-status:wamid.KALEEM-OUT-0049:read"]);
    expect(message(ownFixture("whatsapp", "batch_two_messages_and_a_status.json"), 1).from.name).toBe("Huda");
  });
});

describe("shapes that are not WhatsApp webhooks", () => {
  it("never throw and give a stable key", () => {
    for (const junk of [null, "x", [], { object: "page", entry: [] }, { object: "whatsapp_business_account" }, { object: "whatsapp_business_account", entry: [{ changes: [{ field: "messages", value: { messages: [{}] } }] }] }]) {
      const a = parse(junk);
      expect(a.events.length).toBeGreaterThan(0);
      expect(a.events.every((e) => e.kind === "unsupported")).toBe(true);
      expect(parse(junk).events.map((e) => e.dedupeKey)).toEqual(a.events.map((e) => e.dedupeKey));
    }
  });

  it("one unreadable message does not hide its neighbour", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { metadata: { phone_number_id: "p1" }, messages: [{ id: "bad" }, { from: "9665", id: "wamid.ok", type: "text", text: { body: "hi" } }] } }] }],
    };
    expect(parse(body).events.map((e) => e.kind)).toEqual(["unsupported", "message"]);
  });
});
