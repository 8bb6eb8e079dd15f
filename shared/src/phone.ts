// Phone numbers in one form everywhere they are stored or compared: E.164 ("+966551234567").
// Shoppers type them every way ("0551234567", "00966 55 123 4567", "٠٥٥١٢٣٤٥٦٧", "+966-55..."); a
// local number without a country code is read in the store's country (Saudi Arabia by default).
import { toWesternDigits } from "./text/normalize.js";

/** Country calling codes and the length of their national numbers, for local forms. */
const COUNTRIES: Record<string, { code: string; nationalLength: number }> = {
  SA: { code: "966", nationalLength: 9 },
  AE: { code: "971", nationalLength: 9 },
  KW: { code: "965", nationalLength: 8 },
  BH: { code: "973", nationalLength: 8 },
  QA: { code: "974", nationalLength: 8 },
  OM: { code: "968", nationalLength: 8 },
};

/** The E.164 form of a phone number, or null when it cannot be one (too short, too long, letters). */
export function toE164(raw: string, defaultCountry: keyof typeof COUNTRIES = "SA"): string | null {
  const western = toWesternDigits(raw).trim();
  if (/[A-Za-z\u0621-\u064A]/.test(western)) return null;
  const plus = western.startsWith("+");
  let digits = western.replace(/\D/g, "");
  if (!plus && digits.startsWith("00")) digits = digits.slice(2);
  else if (!plus) {
    const local = COUNTRIES[defaultCountry] ?? COUNTRIES.SA!;
    const national = digits.replace(/^0/, "");
    // "0551234567" or "551234567": a national number of the store's country.
    if (national.length === local.nationalLength && !digits.startsWith(local.code)) digits = local.code + national;
  }
  if (digits.length < 8 || digits.length > 15 || digits.startsWith("0")) return null;
  return `+${digits}`;
}

/** Whether two typed phone numbers are the same number (compared in E.164). */
export function samePhone(a: string, b: string, defaultCountry: keyof typeof COUNTRIES = "SA"): boolean {
  const x = toE164(a, defaultCountry);
  return x !== null && x === toE164(b, defaultCountry);
}
