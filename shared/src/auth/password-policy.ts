// What a new password must be: long enough, and not what every guessing list tries first. Applied
// wherever a password is set (signup, team invitation, password change); never at login, so that
// an existing account is not locked out by a rule that came after it.
import { COMMON_PASSWORDS } from "./common-passwords.js";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** "Password123!" -> "password": the word a guessing list builds it from. */
const core = (lower: string) => lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, "");

/** One short unit repeated ("abcabcabcabc", "1212121212") or a run of consecutive characters ("0123456789", "zyxwvutsrq"). */
function isTrivialPattern(lower: string): boolean {
  for (let unit = 1; unit <= 4; unit++) {
    if (lower.length % unit === 0 && lower.slice(0, unit).repeat(lower.length / unit) === lower) return true;
  }
  const step = lower.charCodeAt(1) - lower.charCodeAt(0);
  if (step !== 1 && step !== -1) return false;
  for (let i = 1; i < lower.length; i++) if (lower.charCodeAt(i) - lower.charCodeAt(i - 1) !== step) return false;
  return true;
}

export const GUESSABLE_PASSWORD_MESSAGE = "This password is too common or too easy to guess; choose another";

/** A listed password, a listed word with digits or symbols around it, or a trivial pattern. */
export function isGuessablePassword(password: string): boolean {
  const lower = password.normalize("NFKC").toLowerCase();
  return COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(core(lower)) || isTrivialPattern(lower);
}
