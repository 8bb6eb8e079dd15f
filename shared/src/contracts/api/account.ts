// Sign-up, login and session bodies, the merchant and the team as API clients see them.
import { z } from "zod";
import { merchantSchema, userSchema } from "../domain.js";
import { pageSchema } from "./envelopes.js";
import { widgetSettingsViewSchema } from "./settings.js";

/** The merchant as API clients see it: the widget identity secret never leaves the server. */
export const publicMerchantSchema = merchantSchema.extend({ widget: widgetSettingsViewSchema });
export type PublicMerchant = z.infer<typeof publicMerchantSchema>;

export const sessionTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal("Bearer"),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
});
export type SessionTokens = z.infer<typeof sessionTokensSchema>;

/** POST /auth/signup: nothing is created until the emailed link is opened (the answer is the same for every address). */
export const signupAcceptedSchema = z.object({ status: z.literal("confirmation_sent"), email: z.string(), message: z.string() });
export type SignupAccepted = z.infer<typeof signupAcceptedSchema>;

/** POST /auth/signup/confirm: the store exists and its owner is signed in. */
export const signupResponseSchema = sessionTokensSchema.extend({ merchant: publicMerchantSchema, user: userSchema });
export type SignupResponse = z.infer<typeof signupResponseSchema>;
/** Details of a 409 store_choice_required: the password opens accounts in several stores; log in again with one's merchantId. */
export const storeChoiceSchema = z.object({ merchantId: z.string(), name: z.string() });
export type StoreChoice = z.infer<typeof storeChoiceSchema>;
export const storeChoiceDetailsSchema = z.object({ stores: z.array(storeChoiceSchema) });

export const loginResponseSchema = sessionTokensSchema.extend({ user: userSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;
export const meResponseSchema = z.object({ user: userSchema, merchant: publicMerchantSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

/** What an agent may know about a colleague: enough to assign a conversation, no contact details. */
export const teamMemberSummarySchema = userSchema.pick({ id: true, name: true, role: true });
export type TeamMemberSummary = z.infer<typeof teamMemberSummarySchema>;
/** A team list entry: the full user for owners and admins, the summary for agents. */
export const teamMemberSchema = z.union([userSchema, teamMemberSummarySchema]);
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamPageSchema = pageSchema(teamMemberSchema);

/** An invited member; `password` only when the server generated it (shown this once). */
export const teamInviteResponseSchema = z.object({ user: userSchema, password: z.string().optional() });
export type TeamInviteResponse = z.infer<typeof teamInviteResponseSchema>;
