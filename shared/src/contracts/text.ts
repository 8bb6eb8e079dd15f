// Text fields people type as names and labels. Browser-safe: schemas only.
import { z } from "zod";

/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and the deprecated
 * format controls beside them (U+206A–U+206F). In a name they only serve to make readers see
 * something else than what is stored ("invoice\u202Efdp.exe" reads "invoiceexe.pdf"), and an
 * unclosed one reorders the text around the name wherever it is shown. The plain marks (LRM, RLM,
 * ALM) and the joiners (ZWJ, ZWNJ) stay: they change no order and Arabic and emoji need them.
 * Message text keeps every character; clients show it in its own isolated box instead.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u206F]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * A name or label as a boundary accepts it (user, store, product, category, channel, label,
 * knowledge title, customer): bidi controls removed, then trimmed. Add .min()/.max() where used.
 * Every input schema of such a field goes through this one helper.
 */
export const plainName = (): z.ZodString => z.string().overwrite(stripBidiControls).trim();
