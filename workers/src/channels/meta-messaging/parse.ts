// Messenger (object "page") and Instagram (object "instagram") webhooks → normalized inbound
// events. Both platforms deliver the same `entry[].messaging[]` shape. Echoes of what the Page
// itself sent are never shopper messages, and events in `standby` (another app holds the thread)
// are recorded but not answered.
import { z } from "zod";
import type { InboundEvent, InboundPart, InboundReferral, ParsedWebhook } from "@kaleem/shared";
import { checked, clip, clipOrNull, contentKey, dedupeKey, providerTime, sender, unsupported, type ParseOptions } from "../common/inbound.js";

export type MetaMessagingPlatform = "messenger" | "instagram";
const OBJECT: Record<MetaMessagingPlatform, string> = { messenger: "page", instagram: "instagram" };
const PREFIX: Record<MetaMessagingPlatform, string> = { messenger: "fb", instagram: "ig" };

const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
const referralSchema = z.object({
  ref: z.string().optional(),
  source: z.string().optional(),
  type: z.string().optional(),
  ad_id: idSchema.optional(),
  ads_context_data: z.object({ ad_title: z.string().optional() }).optional(),
});
const attachmentSchema = z.object({
  type: z.string(),
  payload: z
    .object({
      url: z.string().optional(),
      sticker_id: idSchema.optional(),
      title: z.string().optional(),
      coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
    })
    .nullable()
    .optional(),
});
const messageSchema = z.object({
  mid: z.string().min(1),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  quick_reply: z.object({ payload: z.string() }).optional(),
  reply_to: z.object({ mid: z.string().optional() }).optional(),
  attachments: z.array(attachmentSchema).optional(),
  referral: referralSchema.optional(),
});
const itemSchema = z.object({
  sender: z.object({ id: idSchema }).optional(),
  recipient: z.object({ id: idSchema }).optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  message: z.unknown().optional(),
  postback: z.object({ title: z.string().optional(), payload: z.string().optional(), mid: z.string().optional(), referral: referralSchema.optional() }).optional(),
  reaction: z.object({ mid: z.string().min(1), action: z.string().optional(), emoji: z.string().optional(), reaction: z.string().optional() }).optional(),
  read: z.object({ watermark: z.union([z.number(), z.string()]).optional(), mid: z.string().optional() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.union([z.number(), z.string()]).optional() }).optional(),
  referral: referralSchema.optional(),
});
type Item = z.infer<typeof itemSchema>;

const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z
      .object({
        id: idSchema,
        messaging: z.array(z.unknown()).optional(),
        standby: z.array(z.unknown()).optional(),
        changes: z.array(z.unknown()).optional(),
      })
      .catchall(z.unknown()),
  ),
});

const MEDIA: Record<string, "image" | "audio" | "video" | "document"> = {
  image: "image",
  audio: "audio",
  video: "video",
  file: "document",
  // Instagram reels shared into the chat are videos with a URL.
  reel: "video",
  ig_reel: "video",
};

function referralOf(r: z.infer<typeof referralSchema> | undefined): InboundReferral | null {
  if (!r) return null;
  return { source: clip(r.source ?? r.type ?? "unknown", 200), ref: clipOrNull(r.ref ?? r.ad_id, 1000), headline: clipOrNull(r.ads_context_data?.ad_title, 1000) };
}

function attachmentParts(attachments: z.infer<typeof attachmentSchema>[]): InboundPart[] {
  const parts: InboundPart[] = [];
  for (const a of attachments) {
    const coords = a.payload?.coordinates;
    if (a.type === "location" && coords) {
      parts.push({ type: "location", latitude: coords.lat, longitude: coords.long, name: clipOrNull(a.payload?.title, 500), address: null });
      continue;
    }
    const url = a.payload?.url;
    const kind = a.type === "image" && a.payload?.sticker_id !== undefined ? "sticker" : MEDIA[a.type];
    // The attachment URL is the media handle: a signed CDN link, fetched without the Page token.
    if (kind && url) parts.push({ type: "media", kind, mediaRef: clip(url, 4096), mimeType: null, caption: null, fileName: clipOrNull(a.payload?.title, 500) });
  }
  return parts;
}

function shopperMessage(key: string, item: Item & { sender: { id: string } }, id: string, parts: InboundPart[], extra: { replyTo?: string | null; referral?: InboundReferral | null }, receivedAt: Date): InboundEvent {
  return checked({
    kind: "message",
    dedupeKey: key,
    providerMessageId: clip(id, 500),
    from: sender(item.sender.id),
    sentAt: providerTime(item.timestamp, receivedAt),
    parts,
    replyTo: extra.replyTo ?? null,
    referral: extra.referral ?? null,
    callbackQueryId: null,
  });
}

function fromItem(platform: MetaMessagingPlatform, raw: unknown, receivedAt: Date): InboundEvent[] {
  const p = PREFIX[platform];
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.sender) return [unsupported(contentKey(p, raw ?? null), `${platform} event with an unreadable shape`)];
  const item = { ...parsed.data, sender: parsed.data.sender };

  if (item.message !== undefined) {
    const m = messageSchema.safeParse(item.message);
    if (!m.success) return [unsupported(contentKey(p, raw), `${platform} message with an unreadable shape`)];
    const msg = m.data;
    // What the Page (Kaleem, or a person in Meta's inbox) sent, echoed back: never a shopper message.
    if (msg.is_echo) return [unsupported(dedupeKey(`${p}-echo`, msg.mid), `${platform} echo of a message the account sent`)];
    if (msg.is_deleted) return [unsupported(dedupeKey(`${p}-unsend`, msg.mid), `${platform} message unsent by the customer`)];
    const key = dedupeKey(p, msg.mid);
    if (msg.is_unsupported) return [unsupported(key, `${platform} message type the platform does not expose`)];
    const parts: InboundPart[] = [];
    if (msg.quick_reply) parts.push({ type: "choice", payload: clip(msg.quick_reply.payload, 1000), title: clipOrNull(msg.text, 4096) });
    else if (msg.text) parts.push({ type: "text", text: clip(msg.text, 16_000) });
    parts.push(...attachmentParts(msg.attachments ?? []));
    if (parts.length === 0) {
      const types = (msg.attachments ?? []).map((a) => a.type).join(", ") || "nothing";
      return [unsupported(key, `${platform} message without content Kaleem handles (${types})`)];
    }
    return [shopperMessage(key, item, msg.mid, parts.slice(0, 50), { replyTo: msg.reply_to?.mid ?? null, referral: referralOf(msg.referral ?? item.referral) }, receivedAt)];
  }

  if (item.postback) {
    const pb = item.postback;
    const key = pb.mid ? dedupeKey(`${p}-postback`, pb.mid) : dedupeKey(`${p}-postback`, item.sender.id, String(item.timestamp ?? ""), contentKey("", pb));
    if (!pb.payload) return [unsupported(key, `${platform} postback without a payload`)];
    const part: InboundPart = { type: "choice", payload: clip(pb.payload, 1000), title: clipOrNull(pb.title, 4096) };
    return [shopperMessage(key, item, pb.mid ?? key, [part], { referral: referralOf(pb.referral) }, receivedAt)];
  }

  if (item.reaction) {
    const r = item.reaction;
    const emoji = r.action === "unreact" ? null : clipOrNull(r.emoji ?? r.reaction, 32);
    const key = dedupeKey(`${p}-reaction`, r.mid, item.sender.id, r.action ?? "react", emoji ?? "", String(item.timestamp ?? ""));
    return [shopperMessage(key, item, key, [{ type: "reaction", emoji, targetProviderMessageId: clip(r.mid, 500) }], {}, receivedAt)];
  }

  const statusEvents = (status: "delivered" | "read", mids: string[], watermark: unknown): InboundEvent[] => {
    const at = providerTime(watermark ?? item.timestamp, receivedAt);
    if (mids.length > 0) {
      return mids.map((mid) =>
        checked({ kind: "status", dedupeKey: dedupeKey(`${p}-status`, mid, status), providerMessageId: clip(mid, 500), status, recipientId: clip(item.sender.id, 200), error: null, at }),
      );
    }
    if (watermark === undefined) return [unsupported(contentKey(p, raw), `${platform} ${status} receipt without message ids or watermark`)];
    return [checked({ kind: "watermark", dedupeKey: dedupeKey(`${p}-watermark`, item.sender.id, status, String(watermark)), status, customerId: clip(item.sender.id, 200), upTo: at })];
  };
  if (item.delivery) return statusEvents("delivered", item.delivery.mids ?? [], item.delivery.watermark);
  if (item.read) return statusEvents("read", item.read.mid ? [item.read.mid] : [], item.read.watermark);

  if (item.referral) {
    const referral = referralOf(item.referral);
    if (referral) {
      const key = dedupeKey(`${p}-referral`, item.sender.id, String(item.timestamp ?? ""), contentKey("", item.referral));
      return [checked({ kind: "referral", dedupeKey: key, from: sender(item.sender.id), referral, at: providerTime(item.timestamp, receivedAt) })];
    }
  }
  const kind = Object.keys(raw as object).find((k) => !["sender", "recipient", "timestamp"].includes(k)) ?? "empty";
  return [unsupported(contentKey(p, raw), `${platform} ${kind} event`)];
}

function parseMetaMessaging(platform: MetaMessagingPlatform, json: unknown, receivedAt: Date): ParsedWebhook {
  const p = PREFIX[platform];
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { accountIds: [], events: [unsupported(contentKey(p, json ?? null), `not a ${platform} webhook`)] };
  const accountIds = [...new Set(envelope.data.entry.map((e) => e.id))];
  if (envelope.data.object !== OBJECT[platform]) {
    return { accountIds, events: [unsupported(contentKey(p, json), `object "${clip(envelope.data.object, 100)}" is not a ${platform} webhook`)] };
  }
  const events: InboundEvent[] = [];
  for (const entry of envelope.data.entry) {
    for (const item of entry.messaging ?? []) events.push(...fromItem(platform, item, receivedAt));
    // Another app is the thread's primary receiver (handover protocol): not Kaleem's to answer.
    for (const item of entry.standby ?? []) {
      const mid = (item as { message?: { mid?: unknown } } | null)?.message?.mid;
      const key = typeof mid === "string" && mid ? dedupeKey(`${p}-standby`, mid) : contentKey(`${p}-standby`, item ?? null);
      events.push(unsupported(key, `${platform} standby event (another app controls the thread)`));
    }
    for (const change of entry.changes ?? []) {
      const field = (change as { field?: unknown } | null)?.field;
      events.push(unsupported(contentKey(`${p}-change`, { entry: entry.id, change }), `${platform} ${typeof field === "string" ? clip(field, 100) : "unknown"} change`));
    }
  }
  if (events.length === 0) events.push(unsupported(contentKey(p, json), `${platform} webhook without events`));
  return { accountIds, events };
}

/** A Messenger (Facebook Page) webhook: `object: "page"`; accountIds are the Page ids of its entries. */
export function parseMessengerWebhook(json: unknown, options: ParseOptions = {}): ParsedWebhook {
  return parseMetaMessaging("messenger", json, options.receivedAt ?? new Date());
}

/** An Instagram messaging webhook: `object: "instagram"`; accountIds are the Instagram account ids of its entries. */
export function parseInstagramWebhook(json: unknown, options: ParseOptions = {}): ParsedWebhook {
  return parseMetaMessaging("instagram", json, options.receivedAt ?? new Date());
}
