// What each messaging channel can take of an agent's attachment, sent by link (the provider
// fetches our presigned URL). Checked when the agent sends, so a file a channel cannot carry is
// refused with the reason before anything is stored, instead of failing later at delivery.
// Figures: Telegram Bot API (by URL: photos 5 MB, other files 20 MB); WhatsApp Cloud API media
// (images JPEG/PNG 5 MB, documents 100 MB, video MP4 16 MB, audio MPEG/OGG 16 MB; WebP only as a
// sticker, GIF not at all); Messenger attachments 25 MB; Instagram messaging images (JPEG/PNG) 8 MB only.
import type { AttachmentPart, ConversationChannel } from "../contracts/domain.js";

const MB = 1024 * 1024;
type Rule = { types: readonly string[]; maxBytes: number };
const RULES: Record<Exclude<ConversationChannel, "webchat">, { name: string; image: Rule; other: Rule }> = {
  telegram: {
    name: "Telegram",
    image: { types: ["image/jpeg", "image/png", "image/webp", "image/gif"], maxBytes: 5 * MB },
    other: { types: ["application/pdf", "video/mp4", "audio/mpeg", "audio/ogg"], maxBytes: 20 * MB },
  },
  whatsapp: {
    name: "WhatsApp",
    image: { types: ["image/jpeg", "image/png"], maxBytes: 5 * MB },
    other: { types: ["application/pdf", "video/mp4", "audio/mpeg", "audio/ogg"], maxBytes: 16 * MB },
  },
  messenger: {
    name: "Messenger",
    image: { types: ["image/jpeg", "image/png", "image/gif"], maxBytes: 25 * MB },
    other: { types: ["application/pdf", "video/mp4", "audio/mpeg"], maxBytes: 25 * MB },
  },
  instagram: {
    name: "Instagram",
    image: { types: ["image/jpeg", "image/png"], maxBytes: 8 * MB },
    other: { types: [], maxBytes: 0 },
  },
};

const mb = (n: number) => `${Math.round((n / MB) * 10) / 10} MB`;

/** Why this channel cannot carry the attachment, in words for the agent; null when it can. */
export function channelAttachmentRefusal(channel: ConversationChannel, part: AttachmentPart): string | null {
  if (channel === "webchat") return null;
  const rules = RULES[channel];
  const rule = part.kind === "image" ? rules.image : rules.other;
  if (!rule.types.includes(part.contentType)) {
    return `${rules.name} cannot send ${part.contentType} files${rule.types.length ? ` (it takes ${rule.types.join(", ")})` : " (it takes photos only)"}: send a link or another format`;
  }
  if (part.size > rule.maxBytes) return `${rules.name} cannot send files over ${mb(rule.maxBytes)} of this kind (this one is ${mb(part.size)})`;
  return null;
}
