// Telegram Bot API `Update` → normalized inbound events. Only private chats are shopper
// conversations: a bot added to a group would otherwise answer everyone in it as one "customer".
import { z } from "zod";
import type { InboundEvent, InboundPart, ParsedWebhook } from "@kaleem/shared";
import { checked, clip, clipOrNull, contentKey, dedupeKey, providerTime, sender, unsupported, type ParseOptions } from "../common/inbound.js";

const id = z.union([z.number().int(), z.string().min(1)]).transform(String);

const userSchema = z.object({
  id,
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const chatSchema = z.object({
  id,
  type: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  title: z.string().optional(),
});
const fileSchema = z.object({ file_id: z.string().min(1), mime_type: z.string().optional(), file_name: z.string().optional() });
const locationSchema = z.object({ latitude: z.number(), longitude: z.number() });
const buttonSchema = z.object({ text: z.string(), callback_data: z.string().optional() });

const messageSchema = z.object({
  message_id: z.number().int(),
  from: userSchema.optional(),
  chat: chatSchema,
  date: z.number().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(fileSchema).optional(),
  audio: fileSchema.optional(),
  voice: fileSchema.optional(),
  video: fileSchema.optional(),
  video_note: fileSchema.optional(),
  animation: fileSchema.optional(),
  document: fileSchema.optional(),
  sticker: fileSchema.extend({ is_animated: z.boolean().optional(), is_video: z.boolean().optional() }).optional(),
  location: locationSchema.optional(),
  venue: z.object({ location: locationSchema, title: z.string().optional(), address: z.string().optional() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
  reply_to_message: z.object({ message_id: z.number().int() }).optional(),
  reply_markup: z.object({ inline_keyboard: z.array(z.array(buttonSchema)) }).optional(),
});
type TelegramMessage = z.infer<typeof messageSchema>;

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  message: messageSchema.optional(),
  inline_message_id: z.string().optional(),
  data: z.string().optional(),
  game_short_name: z.string().optional(),
});

const reactionTypeSchema = z.object({ type: z.string(), emoji: z.string().optional() });
const messageReactionSchema = z.object({
  chat: chatSchema,
  message_id: z.number().int(),
  user: userSchema.optional(),
  date: z.number().optional(),
  new_reaction: z.array(reactionTypeSchema),
});

const updateSchema = z.object({ update_id: z.number().int() }).catchall(z.unknown());

/** Message fields that carry no content of their own: a message with nothing else is a service message. */
const ENVELOPE = new Set([
  "message_id", "message_thread_id", "from", "sender_chat", "sender_boost_count", "sender_business_bot", "date", "business_connection_id",
  "chat", "forward_origin", "forward_from", "forward_from_chat", "forward_from_message_id", "forward_signature", "forward_sender_name",
  "forward_date", "is_topic_message", "is_automatic_forward", "reply_to_message", "external_reply", "quote", "reply_to_story",
  "via_bot", "edit_date", "has_protected_content", "is_from_offline", "media_group_id", "author_signature", "entities",
  "caption_entities", "link_preview_options", "effect_id", "show_caption_above_media", "has_media_spoiler", "reply_markup",
]);

const fullName = (u: { first_name?: string | undefined; last_name?: string | undefined; title?: string | undefined }): string | null =>
  [u.first_name, u.last_name].filter(Boolean).join(" ") || u.title || null;

function media(kind: "image" | "audio" | "video" | "document" | "sticker", file: z.infer<typeof fileSchema>, caption: string | null, mimeType?: string): InboundPart {
  return {
    type: "media",
    kind,
    mediaRef: clip(file.file_id, 4096),
    mimeType: clipOrNull(file.mime_type ?? mimeType, 200),
    caption,
    fileName: clipOrNull(file.file_name, 500),
  };
}

function messageParts(m: TelegramMessage): InboundPart[] {
  const parts: InboundPart[] = [];
  const caption = clipOrNull(m.caption, 4096);
  let captionUsed = false;
  const withCaption = (): string | null => {
    if (captionUsed) return null;
    captionUsed = true;
    return caption;
  };
  if (m.text) parts.push({ type: "text", text: clip(m.text, 16_000) });
  // Telegram sends photos in several sizes, smallest first: keep the largest.
  const photo = m.photo?.at(-1);
  if (photo) parts.push(media("image", photo, withCaption(), "image/jpeg"));
  if (m.sticker) {
    const mime = m.sticker.is_animated ? "application/x-tgsticker" : m.sticker.is_video ? "video/webm" : "image/webp";
    parts.push(media("sticker", m.sticker, null, mime));
  }
  if (m.animation) parts.push(media("video", m.animation, withCaption(), "video/mp4"));
  if (m.video) parts.push(media("video", m.video, withCaption(), "video/mp4"));
  if (m.video_note) parts.push(media("video", m.video_note, null, "video/mp4"));
  if (m.audio) parts.push(media("audio", m.audio, withCaption()));
  if (m.voice) parts.push(media("audio", m.voice, withCaption(), "audio/ogg"));
  // An animation also comes as `document` for old clients: one part is enough.
  if (m.document && !m.animation) parts.push(media("document", m.document, withCaption()));
  if (m.venue) {
    parts.push({ type: "location", ...m.venue.location, name: clipOrNull(m.venue.title, 500), address: clipOrNull(m.venue.address, 1000) });
  } else if (m.location) {
    parts.push({ type: "location", latitude: m.location.latitude, longitude: m.location.longitude, name: null, address: null });
  }
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(" ");
    parts.push({ type: "contacts", contacts: [{ name: clip(name, 500), phones: [clip(m.contact.phone_number, 64)] }] });
  }
  // A caption with no media it could belong to (should not happen) is still what the shopper wrote.
  if (caption && !captionUsed && !m.text) parts.unshift({ type: "text", text: caption });
  return parts;
}

function contentKeys(raw: unknown): string {
  if (!raw || typeof raw !== "object") return "nothing";
  const keys = Object.keys(raw).filter((k) => !ENVELOPE.has(k));
  return keys.length > 0 ? keys.join(", ") : "nothing";
}

function fromMessage(key: string, raw: unknown, receivedAt: Date): InboundEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return unsupported(key, "telegram message with an unreadable shape");
  const m = parsed.data;
  if (m.chat.type !== "private") return unsupported(key, `telegram ${m.chat.type} chats are not customer conversations`);
  const parts = messageParts(m);
  if (parts.length === 0) return unsupported(key, `telegram message without content Kaleem handles (${contentKeys(raw)})`);
  const who = m.from ?? m.chat;
  return checked({
    kind: "message",
    dedupeKey: key,
    // message_id is unique within its chat, and a Kaleem conversation is one chat.
    providerMessageId: String(m.message_id),
    from: sender(m.chat.id, { name: fullName(who), username: who.username ?? null, phone: null }),
    sentAt: providerTime(m.date, receivedAt),
    parts: parts.slice(0, 50),
    replyTo: m.reply_to_message ? String(m.reply_to_message.message_id) : null,
    referral: null,
    callbackQueryId: null,
  });
}

function fromCallbackQuery(key: string, raw: unknown, receivedAt: Date): InboundEvent {
  const parsed = callbackQuerySchema.safeParse(raw);
  if (!parsed.success) return unsupported(key, "telegram callback query with an unreadable shape");
  const q = parsed.data;
  if (q.data === undefined || q.data === "") return unsupported(key, "telegram callback query without data (game button)");
  const chat = q.message?.chat;
  if (chat && chat.type !== "private") return unsupported(key, `telegram ${chat.type} chats are not customer conversations`);
  // The tapped button's label, read back from the keyboard of the message it was on.
  const title = q.message?.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === q.data)?.text ?? null;
  return checked({
    kind: "message",
    dedupeKey: key,
    providerMessageId: `cbq:${q.id}`,
    from: sender(chat?.id ?? q.from.id, { name: fullName(q.from), username: q.from.username ?? null, phone: null }),
    sentAt: providerTime(q.message?.date, receivedAt),
    // The payload is what Kaleem put in callback_data; a long one is a token (see callback-data.ts).
    parts: [{ type: "choice", payload: clip(q.data, 1000), title: clipOrNull(title, 4096) }],
    replyTo: q.message ? String(q.message.message_id) : null,
    referral: null,
    callbackQueryId: clip(q.id, 200),
  });
}

function fromReaction(key: string, updateId: number, raw: unknown, receivedAt: Date): InboundEvent {
  const parsed = messageReactionSchema.safeParse(raw);
  if (!parsed.success) return unsupported(key, "telegram reaction with an unreadable shape");
  const r = parsed.data;
  if (r.chat.type !== "private") return unsupported(key, `telegram ${r.chat.type} chats are not customer conversations`);
  if (!r.user) return unsupported(key, "anonymous telegram reaction");
  const emoji = r.new_reaction.find((t) => t.type === "emoji" && t.emoji)?.emoji ?? null;
  // Custom-emoji and paid reactions carry no emoji text: report them rather than read them as "removed".
  if (emoji === null && r.new_reaction.length > 0) return unsupported(key, `telegram ${r.new_reaction[0]?.type ?? "unknown"} reaction`);
  return checked({
    kind: "message",
    dedupeKey: key,
    providerMessageId: `reaction:${updateId}`,
    from: sender(r.chat.id, { name: fullName(r.user), username: r.user.username ?? null, phone: null }),
    sentAt: providerTime(r.date, receivedAt),
    parts: [{ type: "reaction", emoji, targetProviderMessageId: String(r.message_id) }],
    replyTo: null,
    referral: null,
    callbackQueryId: null,
  });
}

const UNSUPPORTED_UPDATES: Record<string, string> = {
  edited_message: "telegram message edit",
  edited_channel_post: "telegram channel post edit",
  channel_post: "telegram channel post",
  edited_business_message: "telegram business message edit",
  message_reaction_count: "telegram anonymous reaction counts",
  my_chat_member: "telegram bot membership change (blocked, unblocked, added)",
  chat_member: "telegram chat member change",
  inline_query: "telegram inline query",
  chosen_inline_result: "telegram inline result",
};

/** One Telegram webhook request carries one Update. */
export function parseTelegramUpdate(json: unknown, options: ParseOptions = {}): ParsedWebhook {
  const receivedAt = options.receivedAt ?? new Date();
  const update = updateSchema.safeParse(json);
  if (!update.success) return { accountIds: [], events: [unsupported(contentKey("tg", json ?? null), "not a telegram Update (no update_id)")] };
  const u = update.data;
  const key = dedupeKey("tg", u.update_id);
  let event: InboundEvent;
  if (u.message !== undefined) event = fromMessage(key, u.message, receivedAt);
  else if (u.callback_query !== undefined) event = fromCallbackQuery(key, u.callback_query, receivedAt);
  else if (u.message_reaction !== undefined) event = fromReaction(key, u.update_id, u.message_reaction, receivedAt);
  else {
    const kind = Object.keys(u).find((k) => k !== "update_id") ?? "empty";
    event = unsupported(key, UNSUPPORTED_UPDATES[kind] ?? `telegram ${kind} update`);
  }
  return { accountIds: [], events: [event] };
}
