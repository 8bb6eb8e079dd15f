// Messaging providers behind two small ports. REST reads webhooks through ChannelWebhooks (verify
// the raw bytes, then parse); the workers send through ChannelSender. The provider adapters live in
// workers/src/channels/ and the composition root hands them to both.
import type { ParsedWebhook } from "../contracts/channels.js";
import type { Channel, Locale, Message } from "../contracts/domain.js";

/** Decrypted credentials of one channel (bot token, app secret, access token...). */
export type ChannelSecrets = Readonly<Record<string, string>>;
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

export type WebhookReading =
  | { ok: true; webhook: ParsedWebhook }
  /** 401: not authentic (missing/wrong signature). 403: authentic but for another account. 400: unreadable. */
  | { ok: false; status: 400 | 401 | 403; reason: string };

export interface ChannelWebhooks {
  /**
   * Checks authenticity over the raw bytes, in constant time, before parsing anything; then parses
   * into normalized events and refuses a payload that names an account other than the channel's.
   */
  read(input: { channel: Channel; secrets: ChannelSecrets; rawBody: Buffer; headers: WebhookHeaders }): WebhookReading;
  /** Meta's GET `hub.mode=subscribe` handshake: the challenge to echo, or null (wrong verify token). */
  subscribe(input: { channel: Channel; query: URLSearchParams }): string | null;
}

export interface OutgoingChannelMessage {
  channel: Channel;
  secrets: ChannelSecrets;
  /** The customer's id on the channel. */
  recipientId: string;
  message: Message;
  /** Attachment key → a link the provider can fetch it from (agents' files are sent by link). */
  mediaUrls?: Readonly<Record<string, string>>;
  locale: Locale;
  /** The merchant's digit style for Arabic prices on cards (the bot's text already has it); Western when absent. */
  arabicDigits?: "western" | "arabic";
  /** An agent wrote it (Messenger may use the HUMAN_AGENT tag outside 24 h); the bot otherwise. */
  byHuman: boolean;
  /** When the customer last wrote: the 24-hour customer-service window is counted from it. */
  lastCustomerMessageAt: string | null;
  /** Provider message ids of the pieces an earlier attempt already sent: those are not sent again. */
  alreadySent: readonly string[];
  /** Told before each piece is sent (its index), so a crash mid-call is known to be one. */
  onPieceStarting(index: number): Promise<void>;
  /** Told after each piece the provider accepted, so a crash in between loses nothing. */
  onPieceSent(providerMessageId: string): Promise<void>;
}

export interface ChannelMedia {
  bytes: Buffer;
  contentType: string | null;
}

export interface ChannelSender {
  /** Fetches what a customer sent (a media part's mediaRef) through the provider's media API, at most `maxBytes`. */
  downloadMedia(input: { channel: Channel; secrets: ChannelSecrets; mediaRef: string; maxBytes: number }): Promise<ChannelMedia>;
  /**
   * Sends one message as the provider's native pieces (text split at sentence boundaries,
   * buttons, cards). Throws the queue's typed errors: RetryAfterError for throttling, an
   * UnrecoverableError for what must not be retried (window closed, bad credentials), any other
   * error for a retry with backoff.
   */
  send(input: OutgoingChannelMessage): Promise<{ providerMessageIds: string[] }>;
}

/** What the provider confirmed about the account a channel's credentials open. */
export interface ConnectedAccount {
  /** The provider's id of it: the Telegram bot id, the WhatsApp phone number id, the Page or Instagram account id. */
  accountId: string;
  /** Public facts to keep in the channel's public config (bot username, verified business name, page name). */
  details: Record<string, string>;
}

export type ChannelConnectOutcome =
  | { ok: true; account: ConnectedAccount }
  /**
   * refused: the provider answered and said no (a wrong token, an id the token does not open, a
   * webhook URL it will not take). unreachable: no usable answer (network, timeout, its own 5xx, throttled).
   */
  | { ok: false; failure: "refused" | "unreachable"; reason: string };

export interface ChannelConnector {
  /**
   * Proves a channel's credentials with the provider before anything is stored, and points the
   * provider's webhooks at Kaleem where the provider is told by API (Telegram setWebhook with the
   * secret token; Messenger subscribes the app to the Page). Never throws for a provider's answer.
   */
  connect(input: {
    type: Channel["type"];
    publicConfig: Readonly<Record<string, string>>;
    secrets: ChannelSecrets;
    /** Where the provider must post this channel's events. */
    webhookUrl: string;
  }): Promise<ChannelConnectOutcome>;
}
