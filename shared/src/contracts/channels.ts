// Messaging channels as the rest of Kaleem sees them, whatever the provider: what comes in (a
// normalized inbound event, parsed from a verified webhook) and what goes out (a message to send,
// with its delivery state). Provider adapters (workers/src/channels/) translate both ways.
import { z } from "zod";

const shortText = z.string().max(4096);

/** One piece of what a channel customer sent. */
export const inboundPartSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().max(16_000) }),
  z.object({
    type: z.literal("media"),
    kind: z.enum(["image", "audio", "video", "document", "sticker"]),
    /** The provider's handle for downloading it (WhatsApp media id, Telegram file_id, or a URL for Meta pages). */
    mediaRef: z.string().min(1).max(4096),
    mimeType: z.string().max(200).nullable(),
    caption: shortText.nullable(),
    fileName: z.string().max(500).nullable(),
  }),
  z.object({
    type: z.literal("location"),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(500).nullable(),
    address: z.string().max(1000).nullable(),
  }),
  z.object({
    type: z.literal("contacts"),
    contacts: z.array(z.object({ name: z.string().max(500), phones: z.array(z.string().max(64)).max(20) })).max(20),
  }),
  /** A tapped button, list row, quick reply or inline-keyboard button: `payload` is what Kaleem put there. */
  z.object({ type: z.literal("choice"), payload: z.string().max(1000), title: shortText.nullable() }),
  z.object({ type: z.literal("reaction"), emoji: z.string().max(32).nullable(), targetProviderMessageId: z.string().max(500) }),
]);
export type InboundPart = z.infer<typeof inboundPartSchema>;

export const inboundSenderSchema = z.object({
  /** The customer's id on the channel (Telegram chat id, WhatsApp wa_id, Messenger/Instagram PSID/IGSID). */
  externalId: z.string().min(1).max(200),
  name: z.string().max(500).nullable(),
  /** E.164 when the channel knows it (WhatsApp). */
  phone: z.string().max(32).nullable(),
  username: z.string().max(200).nullable(),
});
export type InboundSender = z.infer<typeof inboundSenderSchema>;

/** Ad or link context that brought the customer (click-to-WhatsApp ad, m.me referral). */
export const inboundReferralSchema = z.object({
  /** What kind of source: "ad", "post", "SHORTLINK", "ADS"... as the provider names it. */
  source: z.string().max(200),
  /** The provider's id or ref for it (ad id, m.me `ref` parameter). */
  ref: z.string().max(1000).nullable(),
  headline: z.string().max(1000).nullable(),
});
export type InboundReferral = z.infer<typeof inboundReferralSchema>;

export const inboundEventSchema = z.discriminatedUnion("kind", [
  /** Something the customer sent: becomes a shopper message in their open conversation. */
  z.object({
    kind: z.literal("message"),
    /** Unique per provider account: the webhook store dedupes on it (update_id, wamid, mid). */
    dedupeKey: z.string().min(1).max(500),
    providerMessageId: z.string().min(1).max(500),
    from: inboundSenderSchema,
    /** ISO time the provider says it was sent. */
    sentAt: z.string(),
    parts: z.array(inboundPartSchema).min(1).max(50),
    /** The provider id of the message this one replies to, when it is a reply. */
    replyTo: z.string().max(500).nullable(),
    /** Ad or link context that brought the customer (click-to-WhatsApp ad, m.me referral). */
    referral: inboundReferralSchema.nullable(),
    /** Telegram callback query id, to be answered so the button stops spinning. */
    callbackQueryId: z.string().max(200).nullable(),
  }),
  /** A delivery callback for a message Kaleem sent. */
  z.object({
    kind: z.literal("status"),
    dedupeKey: z.string().min(1).max(500),
    providerMessageId: z.string().min(1).max(500),
    status: z.enum(["sent", "delivered", "read", "failed"]),
    recipientId: z.string().max(200).nullable(),
    error: z.object({ code: z.string().max(50), title: z.string().max(1000) }).nullable(),
    at: z.string(),
  }),
  /**
   * "Everything sent to this customer up to `upTo` was delivered/read": Messenger reports reads and
   * deliveries by watermark rather than per message id.
   */
  z.object({
    kind: z.literal("watermark"),
    dedupeKey: z.string().min(1).max(500),
    status: z.enum(["delivered", "read"]),
    /** The customer the watermark is about (their PSID/IGSID). */
    customerId: z.string().min(1).max(200),
    upTo: z.string(),
  }),
  /**
   * The customer arrived through a link or ad (m.me?ref=, click-to-Messenger ad) without writing
   * anything yet: context for their conversation, not a shopper message.
   */
  z.object({
    kind: z.literal("referral"),
    dedupeKey: z.string().min(1).max(500),
    from: inboundSenderSchema,
    referral: inboundReferralSchema,
    at: z.string(),
  }),
  /** Recorded and answered 200, never processed further (edits, unsends, template updates, service messages...). */
  z.object({ kind: z.literal("unsupported"), dedupeKey: z.string().min(1).max(500), reason: z.string().max(500) }),
]);
export type InboundEvent = z.infer<typeof inboundEventSchema>;

/** What one verified webhook request carried. */
export interface ParsedWebhook {
  /**
   * The provider accounts the payload names (WhatsApp metadata.phone_number_id, Meta entry[].id for
   * a Page or Instagram account); empty for Telegram (the URL is the bot's). The webhook route
   * rejects a payload naming any account that is not its channel's.
   */
  accountIds: string[];
  events: InboundEvent[];
}

export { channelDeliverySchema, deliveryStateSchema, type ChannelDelivery, type DeliveryState } from "./domain.js";
