// Canned replies as the team sees them (the merchant id is implied by the caller).
import { z } from "zod";
import { cannedReplySchema } from "../domain.js";
import { itemsSchema } from "./envelopes.js";

export const cannedReplyViewSchema = cannedReplySchema.omit({ merchantId: true });
export type CannedReplyView = z.infer<typeof cannedReplyViewSchema>;
/** All of them at once: the composer's "/" picker loads the whole list. */
export const cannedReplyListSchema = itemsSchema(cannedReplyViewSchema);
