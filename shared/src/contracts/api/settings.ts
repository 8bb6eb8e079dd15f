// Widget settings as the dashboard sees them, and the answers of the key and secret rotations.
import { z } from "zod";
import { widgetSettingsSchema } from "../domain.js";

/**
 * The merchant's widget settings as the dashboard sees them: everything but the identity secret
 * (shown once, when issued). Not the shopper's view of them (`PublicWidgetSettings`, socket.ts).
 */
export const widgetSettingsViewSchema = widgetSettingsSchema.omit({ identitySecret: true });
export type WidgetSettingsView = z.infer<typeof widgetSettingsViewSchema>;

export const widgetKeyResponseSchema = z.object({ key: z.string() });
export type WidgetKeyResponse = z.infer<typeof widgetKeyResponseSchema>;

/** The only time the identity secret is readable: whoever lost it issues a new one. */
export const identitySecretResponseSchema = z.object({ identitySecret: z.string() });
export type IdentitySecretResponse = z.infer<typeof identitySecretResponseSchema>;
