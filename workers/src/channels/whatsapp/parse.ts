// WhatsApp Cloud API webhook (object "whatsapp_business_account") → normalized inbound events.
// One request can carry several entries, changes, messages and statuses; each item is read on its
// own so one odd item becomes `unsupported` without losing its neighbours.
import { z } from "zod";
import type { InboundEvent, InboundPart, InboundReferral, ParsedWebhook } from "@kaleem/shared";
import { checked, clip, clipOrNull, contentKey, dedupeKey, providerTime, sender, unsupported, type ParseOptions } from "../common/inbound.js";

const mediaSchema = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const errorSchema = z.object({
  code: z.union([z.number(), z.string()]).transform(String),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});
type WhatsAppError = z.infer<typeof errorSchema>;

const messageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]).optional(),
  type: z.string(),
  context: z.object({ id: z.string().optional(), forwarded: z.boolean().optional() }).optional(),
  referral: z
    .object({ source_type: z.string().optional(), source_id: z.string().optional(), source_url: z.string().optional(), headline: z.string().optional() })
    .optional(),
  text: z.object({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
        phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  reaction: z.object({ message_id: z.string().min(1), emoji: z.string().optional() }).optional(),
  system: z.object({ type: z.string().optional() }).optional(),
  errors: z.array(errorSchema).optional(),
});
type WhatsAppMessage = z.infer<typeof messageSchema>;

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  recipient_id: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }),
  contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});
type ChangeValue = z.infer<typeof valueSchema>;

const envelopeSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(z.object({ id: z.string().optional(), changes: z.array(z.object({ field: z.string(), value: z.unknown() })).default([]) })),
});

const MEDIA_KINDS = ["image", "audio", "video", "document", "sticker"] as const;
const DELIVERY_STATUSES = new Set(["sent", "delivered", "read", "failed"]);

/** "131047 Re-engagement message: more than 24 hours have passed…" */
export function describeWhatsAppError(error: WhatsAppError): string {
  const title = error.title ?? error.message ?? "error";
  const details = error.error_data?.details;
  return details && details !== title ? `${title}: ${details}` : title;
}

function messageParts(m: WhatsAppMessage): InboundPart[] {
  const parts: InboundPart[] = [];
  if (m.type === "text" && m.text) parts.push({ type: "text", text: clip(m.text.body, 16_000) });
  for (const kind of MEDIA_KINDS) {
    const media = m.type === kind ? m[kind] : undefined;
    if (media) {
      parts.push({
        type: "media",
        kind,
        mediaRef: clip(media.id, 4096),
        mimeType: clipOrNull(media.mime_type, 200),
        caption: clipOrNull(media.caption, 4096),
        fileName: clipOrNull(media.filename, 500),
      });
    }
  }
  if (m.type === "location" && m.location) {
    parts.push({ type: "location", latitude: m.location.latitude, longitude: m.location.longitude, name: clipOrNull(m.location.name, 500), address: clipOrNull(m.location.address, 1000) });
  }
  if (m.type === "contacts" && m.contacts) {
    parts.push({
      type: "contacts",
      contacts: m.contacts.slice(0, 20).map((c) => ({
        name: clip(c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter(Boolean).join(" "), 500),
        phones: (c.phones ?? []).map((p) => p.phone ?? (p.wa_id ? `+${p.wa_id}` : "")).filter((p) => p !== "").slice(0, 20).map((p) => clip(p, 64)),
      })),
    });
  }
  if (m.type === "interactive" && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    if (reply) parts.push({ type: "choice", payload: clip(reply.id, 1000), title: clipOrNull(reply.title, 4096) });
  }
  // A quick-reply button of a template message.
  if (m.type === "button" && m.button) {
    const payload = m.button.payload ?? m.button.text;
    if (payload) parts.push({ type: "choice", payload: clip(payload, 1000), title: clipOrNull(m.button.text, 4096) });
  }
  if (m.type === "reaction" && m.reaction) {
    // An empty or missing emoji is WhatsApp's way of saying the reaction was removed.
    parts.push({ type: "reaction", emoji: m.reaction.emoji ? clip(m.reaction.emoji, 32) : null, targetProviderMessageId: clip(m.reaction.message_id, 500) });
  }
  return parts;
}

function referralOf(m: WhatsAppMessage): InboundReferral | null {
  const r = m.referral;
  if (!r) return null;
  return { source: clip(r.source_type ?? "unknown", 200), ref: clipOrNull(r.source_id ?? r.source_url, 1000), headline: clipOrNull(r.headline, 1000) };
}

function fromMessage(raw: unknown, value: ChangeValue, receivedAt: Date): InboundEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return unsupported(contentKey("wa", raw), "whatsapp message with an unreadable shape");
  const m = parsed.data;
  const key = dedupeKey("wa", m.id);
  const parts = messageParts(m);
  if (parts.length === 0) {
    // The reason may sit on the message or, for a message WhatsApp could not read, beside it.
    const sideError = errorSchema.safeParse(value.errors?.[0]);
    const error = m.errors?.[0] ?? (sideError.success ? sideError.data : undefined);
    const why = error ? ` (${error.code} ${describeWhatsAppError(error)})` : "";
    return unsupported(key, m.type === "system" ? `whatsapp system message (${m.system?.type ?? "unknown"})` : `whatsapp ${m.type} message${why}`);
  }
  const contact = value.contacts?.find((c) => c.wa_id === m.from) ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  return checked({
    kind: "message",
    dedupeKey: key,
    providerMessageId: clip(m.id, 500),
    from: sender(m.from, {
      name: contact?.profile?.name ?? null,
      // wa_id is the number without "+"; newer business-scoped user ids are not phone numbers.
      phone: /^\d{6,15}$/.test(m.from) ? `+${m.from}` : null,
      username: contact?.profile?.username ?? null,
    }),
    sentAt: providerTime(m.timestamp, receivedAt),
    parts,
    replyTo: m.context?.id ? clip(m.context.id, 500) : null,
    referral: referralOf(m),
    callbackQueryId: null,
  });
}

function fromStatus(raw: unknown, receivedAt: Date): InboundEvent {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return unsupported(contentKey("wa-status", raw), "whatsapp status with an unreadable shape");
  const s = parsed.data;
  const key = dedupeKey("wa-status", s.id, s.status);
  if (!DELIVERY_STATUSES.has(s.status)) return unsupported(key, `whatsapp ${s.status} status`);
  const error = s.errors?.[0];
  return checked({
    kind: "status",
    dedupeKey: key,
    providerMessageId: clip(s.id, 500),
    status: s.status as "sent" | "delivered" | "read" | "failed",
    recipientId: clipOrNull(s.recipient_id, 200),
    error: error ? { code: clip(error.code, 50), title: clip(describeWhatsAppError(error), 1000) } : s.status === "failed" ? { code: "unknown", title: "failed without a reason" } : null,
    at: providerTime(s.timestamp, receivedAt),
  });
}

function fromChangeErrors(errors: unknown[], phoneNumberId: string): InboundEvent[] {
  return errors.map((raw) => {
    const e = errorSchema.safeParse(raw);
    const reason = e.success ? `whatsapp error ${e.data.code}: ${describeWhatsAppError(e.data)}` : "whatsapp error with an unreadable shape";
    return unsupported(contentKey("wa-error", { phoneNumberId, raw }), reason);
  });
}

export function parseWhatsAppWebhook(json: unknown, options: ParseOptions = {}): ParsedWebhook {
  const receivedAt = options.receivedAt ?? new Date();
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { accountIds: [], events: [unsupported(contentKey("wa", json ?? null), "not a WhatsApp Business Account webhook")] };
  const accountIds = new Set<string>();
  const events: InboundEvent[] = [];
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      const value = change.field === "messages" ? valueSchema.safeParse(change.value) : null;
      if (!value?.success) {
        // Template status/quality/category updates, account updates...: recorded, not processed.
        const reason = change.field === "messages" ? "whatsapp messages change with an unreadable shape" : `whatsapp ${change.field} update`;
        events.push(unsupported(contentKey("wa-change", { entry: entry.id ?? null, change }), reason));
        continue;
      }
      const v = value.data;
      accountIds.add(v.metadata.phone_number_id);
      for (const m of v.messages ?? []) events.push(fromMessage(m, v, receivedAt));
      for (const s of v.statuses ?? []) events.push(fromStatus(s, receivedAt));
      // Errors about the webhook as a whole (e.g. 130429 throughput) rather than about one message.
      if (!v.messages?.length && !v.statuses?.length && v.errors?.length) events.push(...fromChangeErrors(v.errors, v.metadata.phone_number_id));
    }
  }
  if (events.length === 0) events.push(unsupported(contentKey("wa", json), "whatsapp webhook without messages or statuses"));
  return { accountIds: [...accountIds], events };
}
