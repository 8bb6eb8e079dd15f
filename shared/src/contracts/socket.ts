// Protocol v1: the one home of socket event names, payload schemas and event maps.
// Hub, widget, dashboard and workers import from here; nothing declares an event name again.
import { z } from "zod";
import {
  conversationSchema,
  conversationStatusSchema,
  localeSchema,
  messageSchema,
  type Conversation,
  type ConversationStatus,
  type Message,
} from "./domain.js";

import { attachmentRefsSchema, uploadCreateSchema, type UploadTicket } from "./attachments.js";
import type { AttachmentLink } from "./api/inbox.js";
import { CONNECT_ERROR_CODES, ERROR_CODES, MAX_MESSAGE_TEXT, SESSION_REVOKED_REASONS } from "./constants.js";
import type { AckFn, ConnectErrorCode, ErrorCode, SessionRevokedReason } from "./acks.js";
import { plainName } from "./text.js";

export { PROTOCOL_VERSION, WIDGET_NAMESPACE, INBOX_NAMESPACE, LOAD_BALANCING_QUERY, MAX_MESSAGE_TEXT, MAX_SOCKET_PAYLOAD_BYTES } from "./constants.js";
export type { Ack, AckError, AckFn, ConnectErrorCode, ConnectErrorData, ErrorCode, SessionRevokedReason } from "./acks.js";

const conversationIdSchema = z.string().min(1).max(64);
const clientMessageIdSchema = z.string().min(1).max(100);
const messageTextSchema = z.string().trim().min(1).max(MAX_MESSAGE_TEXT);

// ---- client → server payloads -------------------------------------------------------------

/**
 * The protocol major version a client speaks, sent in the handshake `auth`. Clients written before
 * it existed send nothing and are treated as version 1.
 */
export const protocolVersionSchema = z.number().int().positive().max(1000).optional();
export const widgetAuthSchema = z.object({
  widgetKey: z.string().min(1).max(200),
  visitorToken: z.string().min(1).max(2000).optional(),
  protocol: protocolVersionSchema,
});
export type WidgetAuth = z.infer<typeof widgetAuthSchema>;
export const inboxAuthSchema = z.object({ token: z.string().min(1).max(4000), protocol: protocolVersionSchema });
export type InboxAuth = z.infer<typeof inboxAuthSchema>;

export const conversationOpenSchema = z.object({
  locale: localeSchema.optional(),
  pageUrl: z.string().max(2000).optional(),
});
/**
 * A message's body: text, uploads (from `upload:create`, already PUT), or both. Text may be empty
 * only when the message carries an attachment.
 */
const messageBody = {
  clientMessageId: clientMessageIdSchema,
  text: z.string().trim().max(MAX_MESSAGE_TEXT).default(""),
  attachments: attachmentRefsSchema.optional(),
};
const textOrAttachment = (m: { text: string; attachments?: unknown[] | undefined }) => m.text.length > 0 || (m.attachments?.length ?? 0) > 0;
const TEXT_OR_ATTACHMENT = { message: "A message needs text or an attachment", path: ["text"] };
export const messageSendSchema = z.object({ conversationId: conversationIdSchema, ...messageBody }).refine(textOrAttachment, TEXT_OR_ATTACHMENT);
/**
 * A shopper's message. Without a conversation id (or with null, what `conversation:open` gives a
 * new visitor) it goes to the visitor's open conversation, which the first message creates.
 */
export const widgetMessageSendSchema = z.object({ conversationId: conversationIdSchema.nullish(), ...messageBody }).refine(textOrAttachment, TEXT_OR_ATTACHMENT);
/** An agent's upload is for one conversation (its id is checked like every other event's). */
export const inboxUploadCreateSchema = uploadCreateSchema.extend({ conversationId: conversationIdSchema });
/** A link to read one attachment of the shopper's own conversation. */
export const attachmentLinkRequestSchema = z.object({ conversationId: conversationIdSchema, key: z.string().min(1).max(500) });
export const conversationResumeSchema = z.object({
  conversationId: conversationIdSchema,
  afterSeq: z.number().int().nonnegative(),
});
export const typingSchema = z.object({ conversationId: conversationIdSchema, isTyping: z.boolean() });
export const messageReadSchema = z.object({
  conversationId: conversationIdSchema,
  seq: z.number().int().nonnegative(),
});
export const identifySchema = z.object({
  name: plainName().max(200).optional(),
  email: z.string().email().max(320).optional(),
  phone: z.string().max(40).optional(),
  /** hex HMAC-SHA256(merchant identity secret, email || phone) computed by the store's server. */
  signature: z.string().min(1).max(200),
});
export const conversationRefSchema = z.object({ conversationId: conversationIdSchema });
export const conversationAssignSchema = z.object({
  conversationId: conversationIdSchema,
  agentId: z.string().min(1).max(64).nullable(),
});
export const noteAddSchema = z.object({
  conversationId: conversationIdSchema,
  clientMessageId: clientMessageIdSchema.optional(),
  text: messageTextSchema,
});
/** Asking for a person before writing anything starts the conversation (no id, or null). */
export const humanRequestSchema = z.object({ conversationId: conversationIdSchema.nullish() });
/** presence:get takes no fields (older clients send nothing at all). */
export const presenceGetSchema = z.object({}).strict().optional().transform(() => ({}));

// ---- server → client payloads -------------------------------------------------------------

export const messageDeltaSchema = z.object({
  conversationId: conversationIdSchema,
  messageId: z.string(),
  /** Character offset of `text` within the final message text. */
  offset: z.number().int().nonnegative(),
  text: z.string(),
});
export type MessageDelta = z.infer<typeof messageDeltaSchema>;

export const streamingPartialSchema = z.object({
  messageId: z.string(),
  seq: z.number().int().positive(),
  text: z.string(),
});
export type StreamingPartial = z.infer<typeof streamingPartialSchema>;

export const typingEventSchema = z.object({
  conversationId: conversationIdSchema,
  isTyping: z.boolean(),
  role: z.enum(["shopper", "agent", "bot"]),
  name: z.string().nullable(),
  agentId: z.string().nullable(),
});
export type TypingEvent = z.infer<typeof typingEventSchema>;

export const readEventSchema = z.object({
  conversationId: conversationIdSchema,
  seq: z.number().int().nonnegative(),
  by: z.enum(["shopper", "agent"]),
});
export type ReadEvent = z.infer<typeof readEventSchema>;

/** What a shopper may see of a conversation (no labels, no internal ids of agents beyond a name). */
export const shopperConversationViewSchema = z.object({
  conversationId: conversationIdSchema,
  status: conversationStatusSchema,
  agentName: z.string().nullable(),
});
export type ShopperConversationView = z.infer<typeof shopperConversationViewSchema>;

export const conversationSummarySchema = conversationSchema.extend({
  customerName: z.string().nullable(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const presenceSchema = z.object({
  /** Agents online in this merchant's inbox. */
  online: z.array(z.object({ agentId: z.string(), name: z.string() })),
  /** Per conversation: who is viewing and who is typing. */
  conversations: z.record(
    z.string(),
    z.object({ viewers: z.array(z.string()), typing: z.array(z.string()) }),
  ),
});
export type Presence = z.infer<typeof presenceSchema>;

// ---- acknowledgements and refusals ------------------------------------------------------

export const errorCodeSchema = z.enum(ERROR_CODES) satisfies z.ZodType<ErrorCode>;

/** Why the server disconnects an agent's session (sent as `session:revoked` just before). */
export const sessionRevokedReasonSchema = z.enum(SESSION_REVOKED_REASONS) satisfies z.ZodType<SessionRevokedReason>;

/** `connect_error` data: why a handshake was refused (`err.data.code` in socket.io-client). */
export const connectErrorCodeSchema = z.enum(CONNECT_ERROR_CODES) satisfies z.ZodType<ConnectErrorCode>;

/** What the widget may know of the merchant's widget settings (never the identity secret or origins). */
export interface PublicWidgetSettings {
  storeName: string;
  color: string;
  greeting: { en: string; ar: string };
  languages: Array<"en" | "ar">;
  defaultLocale: "en" | "ar";
  /** Digits in Arabic prices and times, the same style as the bot's Arabic answers; optional so older hubs stay valid (Western). */
  arabicDigits?: "western" | "arabic";
}
export interface ConversationOpenResult {
  /** The visitor's open conversation; null until their first message creates one. */
  conversationId: string | null;
  /** Store it and present it on the next connection: the server renews it here as it ages. */
  visitorToken: string;
  messages: Message[];
  lastSeq: number;
  status: ConversationStatus;
  streaming: StreamingPartial[];
  /** Public widget settings (colour, greeting, languages); optional so older hubs stay valid. */
  settings?: PublicWidgetSettings;
  /** Name of the agent handling the conversation, when a human has it. */
  agentName?: string | null;
}
export interface ResumeResult {
  messages: Message[];
  streaming: StreamingPartial[];
  lastSeq: number;
  status: ConversationStatus;
  /** Widget only: the visitor token to keep (renewed as it ages, like in `conversation:open`). */
  visitorToken?: string;
}
export interface WatchResult {
  conversation: ConversationSummary;
  messages: Message[];
  streaming: StreamingPartial[];
}

// ---- event maps ---------------------------------------------------------------------------

export interface WidgetClientToServerEvents {
  "conversation:open": (payload: z.input<typeof conversationOpenSchema>, ack: AckFn<ConversationOpenResult>) => void;
  "conversation:resume": (payload: z.input<typeof conversationResumeSchema>, ack: AckFn<ResumeResult>) => void;
  "message:send": (payload: z.input<typeof widgetMessageSendSchema>, ack: AckFn<{ message: Message }>) => void;
  "typing": (payload: z.input<typeof typingSchema>, ack?: AckFn<null>) => void;
  "message:read": (payload: z.input<typeof messageReadSchema>, ack?: AckFn<null>) => void;
  "conversation:human": (payload: z.input<typeof humanRequestSchema>, ack: AckFn<{ status: ConversationStatus; conversationId: string }>) => void;
  /** Identifying starts a new token generation: keep the token it returns, earlier ones stop working. */
  "identify": (payload: z.input<typeof identifySchema>, ack: AckFn<{ customerId: string; visitorToken: string }>) => void;
  /** A URL to PUT one file to, for a message of this visitor's. */
  "upload:create": (payload: z.input<typeof uploadCreateSchema>, ack: AckFn<UploadTicket>) => void;
  /** A short-lived link to read an attachment of the visitor's conversation. */
  "attachment:link": (payload: z.input<typeof attachmentLinkRequestSchema>, ack: AckFn<AttachmentLink>) => void;
}

export interface WidgetServerToClientEvents {
  "message:new": (payload: { message: Message }) => void;
  "message:delta": (payload: MessageDelta) => void;
  "message:done": (payload: { message: Message }) => void;
  "typing": (payload: TypingEvent) => void;
  "message:read": (payload: ReadEvent) => void;
  "conversation:updated": (payload: ShopperConversationView) => void;
}

export interface InboxClientToServerEvents {
  "conversation:watch": (payload: z.input<typeof conversationRefSchema>, ack: AckFn<WatchResult>) => void;
  "conversation:unwatch": (payload: z.input<typeof conversationRefSchema>, ack?: AckFn<null>) => void;
  "conversation:resume": (payload: z.input<typeof conversationResumeSchema>, ack: AckFn<ResumeResult>) => void;
  "conversation:takeover": (payload: z.input<typeof conversationRefSchema>, ack: AckFn<{ conversation: Conversation }>) => void;
  "conversation:release": (payload: z.input<typeof conversationRefSchema>, ack: AckFn<{ conversation: Conversation }>) => void;
  "conversation:assign": (payload: z.input<typeof conversationAssignSchema>, ack: AckFn<{ conversation: Conversation }>) => void;
  "conversation:close": (payload: z.input<typeof conversationRefSchema>, ack: AckFn<{ conversation: Conversation }>) => void;
  "conversation:reopen": (payload: z.input<typeof conversationRefSchema>, ack: AckFn<{ conversation: Conversation }>) => void;
  "message:send": (payload: z.input<typeof messageSendSchema>, ack: AckFn<{ message: Message }>) => void;
  "note:add": (payload: z.input<typeof noteAddSchema>, ack: AckFn<{ message: Message }>) => void;
  "typing": (payload: z.input<typeof typingSchema>, ack?: AckFn<null>) => void;
  "message:read": (payload: z.input<typeof messageReadSchema>, ack?: AckFn<null>) => void;
  "presence:get": (payload: z.input<typeof presenceGetSchema>, ack: AckFn<Presence>) => void;
  /** A URL to PUT one file to, for a reply in this conversation. */
  "upload:create": (payload: z.input<typeof inboxUploadCreateSchema>, ack: AckFn<UploadTicket>) => void;
}

export interface InboxServerToClientEvents {
  "conversation:new": (payload: { conversation: ConversationSummary }) => void;
  "conversation:updated": (payload: { conversation: ConversationSummary }) => void;
  "message:new": (payload: { message: Message }) => void;
  "message:delta": (payload: MessageDelta) => void;
  "message:done": (payload: { message: Message }) => void;
  /** A message's channel delivery state changed (queued → sent → delivered → read, or failed). */
  "message:updated": (payload: { message: Message }) => void;
  "typing": (payload: TypingEvent) => void;
  "message:read": (payload: ReadEvent) => void;
  "presence": (payload: Presence) => void;
  /** Sent just before the server disconnects a revoked session. */
  "session:revoked": (payload: { reason: SessionRevokedReason }) => void;
}

export type InterServerEvents = Record<string, never>;

// ---- runtime tables -----------------------------------------------------------------------
// One entry per client event: the schema the hub validates the payload with, and whether the
// client must pass an acknowledgement callback. `satisfies` ties each table to its event map, so
// an event added to a map without a table entry (or with the wrong schema or ack) does not compile.
// The hub derives the events it accepts and its handlers' types from these tables.

type PayloadOfEvent<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
/** true when the event map requires an acknowledgement callback, false when it is optional. */
type AckRequiredOf<F> = F extends (payload: never, ...rest: infer R) => void ? (R extends [AckFn<never>] ? true : false) : never;

export interface ClientEventSpec<P, A extends boolean> {
  schema: z.ZodType<unknown, P>;
  ack: A;
}
export type ClientEventTable<M> = { [E in keyof M]: ClientEventSpec<PayloadOfEvent<M[E]>, AckRequiredOf<M[E]>> };

export const widgetClientEvents = {
  "conversation:open": { schema: conversationOpenSchema, ack: true },
  "conversation:resume": { schema: conversationResumeSchema, ack: true },
  "message:send": { schema: widgetMessageSendSchema, ack: true },
  "typing": { schema: typingSchema, ack: false },
  "message:read": { schema: messageReadSchema, ack: false },
  "conversation:human": { schema: humanRequestSchema, ack: true },
  "identify": { schema: identifySchema, ack: true },
  "upload:create": { schema: uploadCreateSchema, ack: true },
  "attachment:link": { schema: attachmentLinkRequestSchema, ack: true },
} as const satisfies ClientEventTable<WidgetClientToServerEvents>;

export const inboxClientEvents = {
  "conversation:watch": { schema: conversationRefSchema, ack: true },
  "conversation:unwatch": { schema: conversationRefSchema, ack: false },
  "conversation:resume": { schema: conversationResumeSchema, ack: true },
  "conversation:takeover": { schema: conversationRefSchema, ack: true },
  "conversation:release": { schema: conversationRefSchema, ack: true },
  "conversation:assign": { schema: conversationAssignSchema, ack: true },
  "conversation:close": { schema: conversationRefSchema, ack: true },
  "conversation:reopen": { schema: conversationRefSchema, ack: true },
  "message:send": { schema: messageSendSchema, ack: true },
  "note:add": { schema: noteAddSchema, ack: true },
  "typing": { schema: typingSchema, ack: false },
  "message:read": { schema: messageReadSchema, ack: false },
  "presence:get": { schema: presenceGetSchema, ack: true },
  "upload:create": { schema: inboxUploadCreateSchema, ack: true },
} as const satisfies ClientEventTable<InboxClientToServerEvents>;

export interface WidgetSocketData {
  merchantId: string;
  visitorId: string;
  conversationId: string | null;
}
export interface InboxSocketData {
  merchantId: string;
  userId: string;
  name: string;
  role: "owner" | "admin" | "agent";
  tokenId: string;
}

/** Room names: one place, so emitters in other processes address the same rooms. */
export const rooms = {
  /** Every agent socket of a merchant. */
  inbox: (merchantId: string) => `m:${merchantId}:inbox`,
  /** Shopper sockets of one conversation. */
  conversationShopper: (merchantId: string, conversationId: string) => `m:${merchantId}:c:${conversationId}:shopper`,
  /** Agent sockets watching one conversation. */
  conversationWatchers: (merchantId: string, conversationId: string) => `m:${merchantId}:c:${conversationId}:watch`,
  /** Every socket of one agent (for revocation). */
  agent: (merchantId: string, userId: string) => `m:${merchantId}:u:${userId}`,
  /** Every widget socket of one visitor (blocking the visitor disconnects them on every node). */
  visitor: (merchantId: string, visitorId: string) => `m:${merchantId}:v:${visitorId}`,
  /** A visitor's sockets authenticated with one token generation (identify disconnects the older ones). */
  visitorGeneration: (merchantId: string, visitorId: string, generation: number) => `m:${merchantId}:v:${visitorId}:g:${generation}`,
  /** Widget sockets that connected with one (public) widget key: rotating the key disconnects them. */
  widgetKey: (merchantId: string, widgetKey: string) => `m:${merchantId}:wk:${widgetKey}`,
  /** Sockets authenticated with one access token id. */
  token: (tokenId: string) => `t:${tokenId}`,
} as const;

export { messageSchema, conversationSchema };
