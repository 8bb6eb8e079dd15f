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

export const signupResponseSchema = sessionTokensSchema.extend({ merchant: publicMerchantSchema, user: userSchema });
export type SignupResponse = z.infer<typeof signupResponseSchema>;
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
