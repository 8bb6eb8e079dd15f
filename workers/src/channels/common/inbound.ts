// Helpers every webhook parser shares: provider times to ISO, dedupe keys that fit the contract,
// text clipped to the contract's limits, and a last check that turns anything the contract would
// refuse into an `unsupported` event instead of a crash further down.
import { canonicalJson, inboundEventSchema, sha256Hex, type InboundEvent, type InboundSender } from "@kaleem/shared";

const MAX_KEY = 500;

/**
 * Epoch seconds, epoch milliseconds (Meta pages), their string forms (WhatsApp), or an ISO string
 * (some samples) → ISO. Unreadable times fall back to when the webhook was received.
 */
export function providerTime(value: unknown, receivedAt: Date): string {
  let ms: number | null = null;
  if (typeof value === "number" && Number.isFinite(value)) ms = value;
  else if (typeof value === "string" && /^\d{1,16}$/.test(value.trim())) ms = Number(value.trim());
  else if (typeof value === "string") {
    const parsed = Date.parse(value);
    if (Number.isFinite(parsed)) return new Date(parsed).toISOString();
  }
  if (ms === null || ms < 0) return receivedAt.toISOString();
  // Seconds until the year 5138; anything larger is milliseconds.
  const date = new Date(ms < 1e11 ? ms * 1000 : ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : receivedAt.toISOString();
}

/** `prefix:part:part…`, hashed when it would not fit the contract's 500 characters. */
export function dedupeKey(prefix: string, ...parts: Array<string | number>): string {
  const key = [prefix, ...parts.map(String)].join(":");
  return key.length <= MAX_KEY ? key : `${prefix}:h:${sha256Hex(key).slice(0, 40)}`;
}

/** For items with no id of their own (read receipts, template updates): a key from their content, stable across redeliveries. */
export function contentKey(prefix: string, value: unknown): string {
  return `${prefix}:h:${sha256Hex(canonicalJson(value)).slice(0, 40)}`;
}

/** Cut to `max` UTF-16 units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

export const clipOrNull = (text: string | null | undefined, max: number): string | null =>
  typeof text === "string" && text.length > 0 ? clip(text, max) : null;

export function unsupported(key: string, reason: string): InboundEvent {
  return { kind: "unsupported", dedupeKey: key, reason: clip(reason, 500) };
}

export function sender(externalId: string, fields: Partial<Omit<InboundSender, "externalId">> = {}): InboundSender {
  return {
    externalId: clip(externalId, 200),
    name: clipOrNull(fields.name, 500),
    phone: clipOrNull(fields.phone, 32),
    username: clipOrNull(fields.username, 200),
  };
}

/** Every event is checked against the contract; one that fails becomes `unsupported` with the reason. */
export function checked(event: InboundEvent): InboundEvent {
  const result = inboundEventSchema.safeParse(event);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return unsupported(event.dedupeKey, `does not fit the inbound contract (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`);
}

export interface ParseOptions {
  /** When the webhook arrived: the fallback for times the provider did not give or gave unreadably. */
  receivedAt?: Date;
}

/** JSON.parse for a verified raw body; null when it is not JSON (the route answers 400, nothing stored). */
export function parseJsonBody(raw: Buffer | string): unknown {
  try {
    return JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8")) as unknown;
  } catch {
    return null;
  }
}
