// What a file is, from its bytes: the magic numbers of the types we accept, and a refusal of
// anything a browser could run (HTML, SVG, script hidden in an image or a PDF). The name and the
// declared type of an upload are never trusted for either.
import type { SniffableType } from "../contracts/attachments.js";
import type { AttachmentPart } from "../contracts/domain.js";

const ascii = (bytes: Uint8Array, start: number, text: string): boolean => {
  if (bytes.byteLength < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
};
const hex = (bytes: Uint8Array, start: number, values: readonly number[]): boolean =>
  bytes.byteLength >= start + values.length && values.every((v, i) => bytes[start + i] === v);

/** The type the bytes are, among the ones we can store; null for anything else (HTML, SVG, text, unknown). */
export function sniffContentType(bytes: Uint8Array): SniffableType | null {
  if (hex(bytes, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (hex(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "image/gif";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "image/webp";
  if (ascii(bytes, 0, "%PDF-")) return "application/pdf";
  if (ascii(bytes, 4, "ftyp") && ["isom", "iso2", "mp41", "mp42", "avc1", "M4V ", "dash"].some((brand) => ascii(bytes, 8, brand))) return "video/mp4";
  if (ascii(bytes, 0, "ID3") || (bytes.byteLength > 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0)) return "audio/mpeg";
  if (ascii(bytes, 0, "OggS")) return "audio/ogg";
  return null;
}

export function kindOf(type: SniffableType): AttachmentPart["kind"] {
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

// Markup a browser (or an old content sniffer) would treat as a page, anywhere in the file: a
// GIF or JPEG that is also an HTML page (a polyglot) is refused, not only a file that starts so.
const MARKUP = /<\s*(script|html|body|iframe|svg|object|embed|meta|head|!doctype\s+html)[\s>/]/i;
// Active content in a PDF: scripts, launching programs, embedded files, forms posting elsewhere.
const PDF_ACTIVE = /\/(JavaScript|JS|Launch|EmbeddedFile|SubmitForm|RichMedia|XFA)[\s/<([>]/;

/** Why these bytes must not be stored as `type`, or null when nothing active was found. */
export function activeContent(bytes: Uint8Array, type: SniffableType): string | null {
  // latin1 maps each byte to one character, so the patterns see the raw bytes.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  if (MARKUP.test(text)) return "the file contains HTML or script markup";
  if (type === "application/pdf" && PDF_ACTIVE.test(text)) return "the PDF contains scripts, actions or embedded files";
  return null;
}
