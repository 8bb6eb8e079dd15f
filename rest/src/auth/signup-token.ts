// The link in the "confirm your signup" email. Nothing is stored until it is opened: the token
// carries the signup itself, sealed (AES-256-GCM) with a key derived from the installation's
// encryption key, so neither the password hash nor the address can be read or changed on the
// way. It also carries the new store's widget key, which is unique: opening the link a second
// time collides with the store the first opening created, so a link creates at most one store.
import { newWidgetKey, SecretBox, type Config } from "@kaleem/shared";
import { z } from "zod";

export const SIGNUP_LINK_TTL_SECONDS = 24 * 3600;

const payloadSchema = z.object({
  v: z.literal(1),
  storeName: z.string(),
  email: z.string(),
  passwordHash: z.string(),
  widgetKey: z.string(),
  /** Epoch seconds. */
  exp: z.number().int(),
});
export type PendingSignup = Omit<z.infer<typeof payloadSchema>, "v" | "exp">;

const boxes = new WeakMap<Config, SecretBox>();
function box(config: Config): SecretBox {
  let b = boxes.get(config);
  if (!b) {
    // A purpose of its own: a signup token can never open a channel secret, nor the reverse.
    b = new SecretBox(`signup-confirmation:${config.secrets.encryptionKey}`);
    boxes.set(config, b);
  }
  return b;
}

export function sealSignup(config: Config, signup: Omit<PendingSignup, "widgetKey">, nowMs = Date.now()): string {
  const exp = Math.floor(nowMs / 1000) + SIGNUP_LINK_TTL_SECONDS;
  return box(config).seal(JSON.stringify({ v: 1, ...signup, widgetKey: newWidgetKey(), exp }));
}

/** The signup in `token`, or null when it was not sealed by us, was altered, or has expired. */
export function openSignup(config: Config, token: string, nowMs = Date.now()): PendingSignup | null {
  let raw: unknown;
  try {
    raw = JSON.parse(box(config).open(token));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success || parsed.data.exp * 1000 < nowMs) return null;
  const { v: _v, exp: _exp, ...signup } = parsed.data;
  return signup;
}
