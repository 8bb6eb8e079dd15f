// Realtime ports. Domain code (conversation service, bot jobs, REST) reaches sockets only through
// RealtimeEmitter; in-flight answers and presence live behind StreamRegistry and PresenceStore so
// that any hub node can serve a resume or a presence query (in-process embedded, Redis in cluster).
import type { Presence, StreamingPartial } from "../contracts/socket.js";
import type { InboxServerToClientEvents, WidgetServerToClientEvents } from "../contracts/socket.js";

export type WidgetEventName = keyof WidgetServerToClientEvents;
export type InboxEventName = keyof InboxServerToClientEvents;
export type WidgetPayload<E extends WidgetEventName> = Parameters<WidgetServerToClientEvents[E]>[0];
export type InboxPayload<E extends InboxEventName> = Parameters<InboxServerToClientEvents[E]>[0];
export type NamespaceName = "widget" | "inbox";

export interface RealtimeEmitter {
  /** Emits to shopper sockets in the given /widget rooms (fire and forget, at-most-once). */
  toWidget<E extends WidgetEventName>(rooms: string | readonly string[], event: E, payload: WidgetPayload<E>): void;
  /** Emits to agent sockets in the given /inbox rooms. */
  toInbox<E extends InboxEventName>(rooms: string | readonly string[], event: E, payload: InboxPayload<E>): void;
  /** Disconnects every socket in `room` on every node (token revocation, widget key rotation). */
  disconnectRoom(namespace: NamespaceName, room: string): void;
}

export interface StreamStart {
  merchantId: string;
  conversationId: string;
  messageId: string;
  seq: number;
}

/** The producer's side of one in-flight answer. */
export interface StreamHandle {
  readonly messageId: string;
  /** Aborts when someone calls requestStop for this conversation (on any node). */
  readonly signal: AbortSignal;
  /** Characters (UTF-16 code units) recorded so far. */
  readonly length: number;
  /** Records `text` at the end of the answer and returns its offset (the length before it). */
  append(text: string): Promise<number>;
  /** Forgets the stream once its final message is stored. */
  finish(): Promise<void>;
  /**
   * Gives the stream up without a stored final message (the store write failed): the producer no
   * longer holds it, so the sweeper ends it with the text recorded so far.
   */
  abandon(): Promise<void>;
}

/** What `reclaim` found: a producer still holding the stream, or the text a dead one left. */
export type ReclaimResult = { alive: true } | { alive: false; text: string | null };

export interface StreamRegistry {
  start(stream: StreamStart): Promise<StreamHandle>;
  /** Text so far of every answer streaming in the conversation, oldest first. */
  partials(merchantId: string, conversationId: string): Promise<StreamingPartial[]>;
  /** Asks the producer(s) of this conversation's streams to stop (takeover). */
  requestStop(merchantId: string, conversationId: string): Promise<void>;
  /**
   * For an answer stored as streaming: if its producer still holds it (a lease the producer
   * renews while it runs), `{ alive: true }`; otherwise removes the record in one step and returns
   * the text so far (`null` when nothing is recorded: lost with the process, or reclaimed already).
   */
  reclaim(stream: Omit<StreamStart, "seq">): Promise<ReclaimResult>;
  close(): Promise<void>;
}

export interface PresenceEntry {
  merchantId: string;
  agentId: string;
  name: string;
  socketId: string;
}

export interface PresenceStore {
  /** Marks an agent socket online; call again as a heartbeat (entries expire without one). */
  online(entry: PresenceEntry): Promise<void>;
  offline(entry: PresenceEntry): Promise<void>;
  setViewing(entry: PresenceEntry, conversationId: string, viewing: boolean): Promise<void>;
  setTyping(entry: PresenceEntry, conversationId: string, typing: boolean): Promise<void>;
  snapshot(merchantId: string): Promise<Presence>;
  close(): Promise<void>;
}

/** Channel key shared by the hub's Redis adapter and every Redis emitter of one installation. */
export const socketIoRedisKey = (prefix: string): string => `${prefix}:socket.io`;
