// Canned replies as the team sees them (the merchant id is implied by the caller).
import { z } from "zod";

/** A short-lived link to read one attachment of a conversation (presigned: no credentials needed to follow it). */
export const attachmentLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });
export type AttachmentLink = z.infer<typeof attachmentLinkSchema>;
import { cannedReplySchema } from "../domain.js";
import { itemsSchema } from "./envelopes.js";

export const cannedReplyViewSchema = cannedReplySchema.omit({ merchantId: true });
export type CannedReplyView = z.infer<typeof cannedReplyViewSchema>;
/** All of them at once: the composer's "/" picker loads the whole list. */
export const cannedReplyListSchema = itemsSchema(cannedReplyViewSchema);
