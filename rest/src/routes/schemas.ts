// Request schemas shared by several routes, and small output shapers (their views are declared in
// @kaleem/shared/contracts).
import {
  GUESSABLE_PASSWORD_MESSAGE,
  isGuessablePassword,
  MAX_PAGE_LIMIT,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  type Merchant,
  type PublicMerchant,
  type WidgetSettingsView,
} from "@kaleem/shared";
import { z } from "zod";

export const idParams = z.object({ id: z.string().min(1).max(64) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  cursor: z.string().min(1).max(1024).optional(),
});

const plainText = () => z.string().trim();

/**
 * Localized text as a client may send it: missing languages default to "", at least one is given.
 * `field` is plainName for names (bidi controls removed), plain trimmed text otherwise.
 */
export const localizedInput = (max: number, field: () => z.ZodString = plainText) =>
  z
    .object({ en: field().max(max).default(""), ar: field().max(max).default("") })
    .refine((v) => v.en !== "" || v.ar !== "", { message: "Give the text in at least one of en, ar" });

/** Localized text in a PATCH: only the given languages change. */
export const localizedPatch = (max: number, field: () => z.ZodString = plainText) =>
  z.object({ en: field().max(max).optional(), ar: field().max(max).optional() });

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "Invalid email address" }))
  .transform((e) => e.toLowerCase());

/** A password being set (signup, invitation, change): long enough and not on a guessing list. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH)
  .refine((p) => !isGuessablePassword(p), GUESSABLE_PASSWORD_MESSAGE);

export const httpUrl = z.url({ protocol: /^https?$/, message: "Must be an http(s) URL" }).max(2048);

/** The widget settings without the identity secret, which never leaves the server after it is issued. */
export function widgetSettingsView(merchant: Merchant): WidgetSettingsView {
  const { identitySecret: _secret, ...widget } = merchant.widget;
  return widget;
}

export function publicMerchant(merchant: Merchant): PublicMerchant {
  return { ...merchant, widget: widgetSettingsView(merchant) };
}
