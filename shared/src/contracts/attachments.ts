// Attachments: what a merchant allows, the upload ticket a client is given, and how a message
// names the uploads it carries. Browser-safe (the widget and the dashboard import these).
import { z } from "zod";

/**
 * Content types the server can recognise from a file's first bytes. Nothing else is ever stored
 * from an upload: SVG and HTML (active content) are not on the list, so they are always refused.
 */
export const SNIFFABLE_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "application/pdf",
  "video/mp4",
  "audio/mpeg",
  "audio/ogg",
] as const;
export const sniffableTypeSchema = z.enum(SNIFFABLE_TYPES);
export type SniffableType = z.infer<typeof sniffableTypeSchema>;

export const DEFAULT_ATTACHMENT_TYPES: SniffableType[] = ["image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"];
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Ceiling of the per-file setting (the object store's own ceiling is 25 MB). */
export const MAX_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_ATTACHMENT_QUOTA_BYTES = 1024 * 1024 * 1024;
/** Attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;

export const attachmentSettingsSchema = z.object({
  /** Types accepted from shoppers and agents (checked against the sniffed type, never the name). */
  allowedTypes: z.array(sniffableTypeSchema).min(1).max(SNIFFABLE_TYPES.length),
  /** Largest file accepted, in bytes. */
  maxBytes: z.number().int().min(1024).max(MAX_ATTACHMENT_MAX_BYTES),
  /** Bytes of uploaded attachments the store may keep in total. */
  quotaBytes: z.number().int().nonnegative(),
});
export type AttachmentSettings = z.infer<typeof attachmentSettingsSchema>;

/** The settings as the dashboard reads them, with what the store uses of its quota. */
export const attachmentSettingsViewSchema = attachmentSettingsSchema.extend({ usedBytes: z.number().int().nonnegative() });
export type AttachmentSettingsView = z.infer<typeof attachmentSettingsViewSchema>;

export function defaultAttachmentSettings(): AttachmentSettings {
  return { allowedTypes: [...DEFAULT_ATTACHMENT_TYPES], maxBytes: DEFAULT_ATTACHMENT_MAX_BYTES, quotaBytes: DEFAULT_ATTACHMENT_QUOTA_BYTES };
}

const fileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // Shown in chips and sent as a download name: no control characters, quotes, or path separators.
  .refine((s) => !/[\p{Cc}"\\/]/u.test(s), "File names may not contain control characters, quotes or slashes");

/** Asking for an upload URL: what the client means to send (checked again against the bytes). */
export const uploadCreateSchema = z.object({
  name: fileNameSchema,
  /** The type the client believes the file has; the PUT must carry it. The stored type is sniffed. */
  contentType: z.string().min(3).max(100).regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/, "A bare type/subtype"),
  size: z.number().int().positive(),
});
export type UploadCreate = z.infer<typeof uploadCreateSchema>;

/** Where to PUT the file. Reference `uploadId` in the message that carries it. */
export const uploadTicketSchema = z.object({
  uploadId: z.string(),
  url: z.string(),
  method: z.literal("PUT"),
  /** Send exactly these headers with the body. */
  headers: z.record(z.string(), z.string()),
  /** The URL stops accepting the upload at this time. */
  expiresAt: z.string(),
  /** The largest body the server will keep. */
  maxBytes: z.number().int().positive(),
});
export type UploadTicket = z.infer<typeof uploadTicketSchema>;

/** An upload a message carries. */
export const attachmentRefSchema = z.object({ uploadId: z.string().min(1).max(64) });
export const attachmentRefsSchema = z.array(attachmentRefSchema).min(1).max(MAX_ATTACHMENTS_PER_MESSAGE);
