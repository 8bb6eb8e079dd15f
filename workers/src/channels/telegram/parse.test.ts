import { describe, expect, it } from "vitest";
import { inboundEventSchema, type InboundEvent } from "@kaleem/shared";
import { loadOwn, loadShared, ownFixture, sharedFixtures, sharedSuiteName } from "../common/fixtures.test-helpers.js";
import { parseTelegramUpdate } from "./parse.js";

const receivedAt = new Date("2026-01-01T00:00:00.000Z");

/** Some shared samples are a bare Message or CallbackQuery (the value inside an Update): wrap them as Telegram would deliver them. */
function asUpdate(json: unknown, n: number): unknown {
  if (json && typeof json === "object" && !("update_id" in json)) {
    if ("chat_instance" in json) return { update_id: 900_000 + n, callback_query: json };
    if ("message_id" in json && "chat" in json) return { update_id: 900_000 + n, message: json };
  }
  return json;
}

function only(json: unknown): InboundEvent {
  const parsed = parseTelegramUpdate(json, { receivedAt });
  expect(parsed.accountIds).toEqual([]);
  expect(parsed.events).toHaveLength(1);
  const event = parsed.events[0]!;
  expect(inboundEventSchema.safeParse(event).success).toBe(true);
  return event;
}

function message(json: unknown): Extract<InboundEvent, { kind: "message" }> {
  const event = only(json);
  if (event.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(event)}`);
  return event;
}

/** What each shared sample must become. A new sample fails the test until it is given an expectation here. */
const expectedKinds: Record<string, InboundEvent["kind"]> = {
  "illemius__edited_message.json": "unsupported",
  "illemius__forwarded_message.json": "message",
  "illemius__message.json": "message",
  "illemius__message_with_document.json": "message",
  "illemius__message_with_voice.json": "message",
  "teloxide__object__callback_query.json": "message",
  "teloxide__object__message__de_image.json": "message",
  "teloxide__object__message__issue_481.json": "message",
  "teloxide__update__dice_works.json": "unsupported",
  "teloxide__update__issue_1107.json": "unsupported",
  "teloxide__update__message.json": "message",
  "teloxide__update__message_reaction_count_updated.json": "unsupported",
  "teloxide__update__message_reaction_updated.json": "unsupported",
  "teloxide__update__my_chat_member__issue_523.json": "unsupported",
  "teloxide__update__pinned_message_works.json": "unsupported",
  "update_callback_query.json": "message",
  "update_chosen_inline_result.json": "unsupported",
  "update_edited_message.json": "unsupported",
  "update_inline_query.json": "unsupported",
  "update_message.json": "message",
};

const shared = sharedFixtures("telegram");
const fixture = (name: string): unknown => {
  const found = loadShared("telegram").findIndex(([f]) => f === name);
  if (found < 0) throw new Error(`shared fixture telegram/${name} is missing`);
  return asUpdate(loadShared("telegram")[found]![1], found);
};

describe.skipIf(!shared.present)(sharedSuiteName("telegram"), () => {
  it("parses each into its expected event kind, within the contract", () => {
    const files = loadShared("telegram");
    expect(files.length).toBeGreaterThan(0);
    files.forEach(([name, json], i) => {
      const expected = expectedKinds[name];
      if (!expected) throw new Error(`no expectation for the new shared fixture telegram/${name}: add it to expectedKinds`);
      expect(only(asUpdate(json, i)).kind, name).toBe(expected);
    });
  });

  it("text, forwarded text and the dedupe key", () => {
    const m = message(fixture("illemius__message.json"));
    expect(m.dedupeKey).toBe("tg:128526");
    expect(m.providerMessageId).toBe("11223");
    expect(m.parts).toEqual([{ type: "text", text: "Hi, world!" }]);
    expect(m.from).toEqual({ externalId: "12345678", name: "FirstName LastName", phone: null, username: "username" });
    expect(m.sentAt).toBe(new Date(1508709711 * 1000).toISOString());
    expect(message(fixture("illemius__forwarded_message.json")).parts).toEqual([{ type: "text", text: "message text" }]);
  });

  it("documents with their name and caption, voice notes as audio", () => {
    expect(message(fixture("illemius__message_with_document.json")).parts).toEqual([
      {
        type: "media",
        kind: "document",
        mediaRef: "BQADAgADpgADy_JxS66XQTBRHFleAg",
        mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        caption: "doc description",
        fileName: "test.docx",
      },
    ]);
    expect(message(fixture("illemius__message_with_voice.json")).parts).toEqual([
      { type: "media", kind: "audio", mediaRef: "AwADawAgADADy_JxS2gopIVIIxlhAg", mimeType: "audio/ogg", caption: null, fileName: null },
    ]);
  });

  it("a photo keeps its largest size; a venue is a named location", () => {
    const photo = message(fixture("teloxide__object__message__de_image.json")).parts[0];
    expect(photo).toMatchObject({ type: "media", kind: "image", mediaRef: "AgADAgAD36sxG-PX0UvQSXIn9rccdw-ACA4ABAEAAwIAA3kAAyTcBAABFgQ" });
    expect(message(fixture("teloxide__object__message__issue_481.json")).parts).toEqual([
      { type: "location", latitude: 0, longitude: 0, name: "Title", address: "Address" },
    ]);
  });

  it("callback queries are choices carrying the callback query id", () => {
    const inline = message(fixture("update_callback_query.json"));
    expect(inline.parts).toEqual([{ type: "choice", payload: "Data from button callback", title: null }]);
    expect(inline.callbackQueryId).toBe("4382bfdwdsb323b2d9");
    expect(inline.from.externalId).toBe("1111111");
    const bare = message(fixture("teloxide__object__callback_query.json"));
    expect(bare.parts).toEqual([{ type: "choice", payload: "some_data", title: null }]);
    expect(bare.callbackQueryId).toBe("id");
  });

  it("a message with several attachments keeps each, and its reply target", () => {
    const m = message(fixture("update_message.json"));
    expect(m.parts.map((p) => (p.type === "media" ? `${p.type}:${p.kind}` : p.type))).toEqual(["text", "media:audio", "media:audio", "media:document"]);
    expect(m.replyTo).toBe("1334");
  });

  it("edits, group chats, reaction counts, membership changes and inline queries are unsupported, with a reason", () => {
    const reasons = [
      "illemius__edited_message.json",
      "teloxide__update__dice_works.json",
      "teloxide__update__message_reaction_count_updated.json",
      "teloxide__update__my_chat_member__issue_523.json",
      "update_inline_query.json",
    ].map((f) => only(fixture(f)));
    expect(reasons.map((e) => (e.kind === "unsupported" ? e.reason : e.kind))).toEqual([
      "telegram message edit",
      "telegram supergroup chats are not customer conversations",
      "telegram anonymous reaction counts",
      "telegram bot membership change (blocked, unblocked, added)",
      "telegram inline query",
    ]);
  });
});

describe("the repository's own Telegram fixtures", () => {
  it("all parse within the contract", () => {
    for (const [name, json] of loadOwn("telegram")) expect(inboundEventSchema.safeParse(only(json)).success, name).toBe(true);
  });

  it("a tapped inline button comes back with its label and the message it was on", () => {
    const m = message(ownFixture("telegram", "callback_query_private_with_keyboard.json"));
    expect(m.parts).toEqual([{ type: "choice", payload: "add:prod_sukkari_1kg", title: "Add 1 kg box" }]);
    expect(m).toMatchObject({ dedupeKey: "tg:700100201", callbackQueryId: "5512873390012345678", replyTo: "88", providerMessageId: "cbq:5512873390012345678" });
    expect(m.from).toEqual({ externalId: "904411223", name: "Noura Al-Harbi", phone: null, username: "noura_h" });
  });

  it("reactions in a private chat: set and removed", () => {
    expect(message(ownFixture("telegram", "message_reaction_private.json")).parts).toEqual([{ type: "reaction", emoji: "❤", targetProviderMessageId: "88" }]);
    expect(message(ownFixture("telegram", "message_reaction_removed.json")).parts).toEqual([{ type: "reaction", emoji: null, targetProviderMessageId: "88" }]);
  });

  it("a photo with a caption replying to the bot, a sticker and a shared contact", () => {
    const photo = message(ownFixture("telegram", "message_photo_caption_reply.json"));
    expect(photo.parts).toEqual([{ type: "media", kind: "image", mediaRef: "tg-photo-large-91", mimeType: "image/jpeg", caption: "Is this the same box?", fileName: null }]);
    expect(photo.replyTo).toBe("88");
    expect(message(ownFixture("telegram", "message_sticker.json")).parts).toEqual([
      { type: "media", kind: "sticker", mediaRef: "tg-sticker-93", mimeType: "image/webp", caption: null, fileName: null },
    ]);
    expect(message(ownFixture("telegram", "message_contact.json")).parts).toEqual([{ type: "contacts", contacts: [{ name: "Faisal Q", phones: ["+966500000123"] }] }]);
  });

  it("a group message is not a customer conversation", () => {
    expect(only(ownFixture("telegram", "message_group_text.json"))).toEqual({
      kind: "unsupported",
      dedupeKey: "tg:700100206",
      reason: "telegram supergroup chats are not customer conversations",
    });
  });
});

describe("shapes that are not Telegram updates", () => {
  it("never throw: each becomes one unsupported event with a stable key", () => {
    for (const junk of [null, 42, "text", [], {}, { update_id: "x" }, { update_id: 5, message: { text: "no chat" } }, { update_id: 6, callback_query: { id: "q" } }]) {
      const a = only(junk);
      expect(a.kind).toBe("unsupported");
      expect(only(junk).dedupeKey).toBe(a.dedupeKey);
    }
  });

  it("an over-long text is clipped to the contract instead of rejected", () => {
    const m = message({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, text: "x".repeat(20_000) } });
    expect(m.parts[0]).toEqual({ type: "text", text: "x".repeat(16_000) });
  });
});
