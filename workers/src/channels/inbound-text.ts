// The text a channel customer's message becomes in the conversation: what the bot reads and the
// agent sees. A tapped button becomes its payload, exactly as a widget quick reply does, so the
// bot answers it the same way ("add:<product>", "human", ...).
import { MAX_MESSAGE_TEXT, type InboundPart } from "@kaleem/shared";

const MEDIA_LABEL: Record<Extract<InboundPart, { type: "media" }>["kind"], string> = {
  image: "📷 Photo",
  audio: "🎤 Voice message",
  video: "🎬 Video",
  document: "📄 Document",
  sticker: "Sticker",
};

function partText(part: InboundPart): string | null {
  switch (part.type) {
    case "text":
      return part.text;
    case "choice":
      return part.payload;
    case "media": {
      const label = part.fileName ? `${MEDIA_LABEL[part.kind]}: ${part.fileName}` : MEDIA_LABEL[part.kind];
      return part.caption ? `${label}\n${part.caption}` : label;
    }
    case "location": {
      const place = [part.name, part.address].filter(Boolean).join(", ");
      return `📍 ${place ? `${place} ` : ""}(${part.latitude.toFixed(5)}, ${part.longitude.toFixed(5)})`;
    }
    case "contacts":
      return part.contacts.map((c) => `👤 ${c.name}${c.phones.length > 0 ? ` ${c.phones.join(", ")}` : ""}`).join("\n");
    case "reaction":
      return null;
  }
}

/** The message text, or null when nothing in it calls for a message (a reaction). */
export function inboundText(parts: readonly InboundPart[]): string | null {
  const texts = parts.map(partText).filter((t): t is string => t !== null && t.trim() !== "");
  return texts.length > 0 ? texts.join("\n").slice(0, MAX_MESSAGE_TEXT) : null;
}
