// The bot engine port. The engine is pure: it reads the tenant's data through the store it is
// given and yields events; it never touches sockets or HTTP. Hub/workers turn the events into
// stored messages and realtime deltas.
import type { Conversation, Locale, Message, MessagePart } from "../contracts/domain.js";
import type { TenantStore } from "./store.js";

export interface BotTurnInput {
  store: TenantStore;
  conversationId: string;
  /** Recent messages, ascending by seq; the last shopper message is the one to answer. */
  history: Message[];
  locale: Locale | null;
  /**
   * The conversation as the job read it at the start of this turn, so the engine does not read it
   * again (the job re-reads its status itself before anything is shown).
   */
  conversation?: Conversation;
}

/**
 * The `intent` stored on a bot answer that had to say it does not know (analytics lists the
 * question as unanswered). Other answers carry the intent they served.
 */
export const FALLBACK_ANSWER = "fallback";

export type BotEvent =
  /**
   * Classification of the shopper's last message (sent before any text); `fallback` when the
   * answer that follows is a "don't know".
   */
  | { type: "intent"; intent: string; confidence: number; fallback?: boolean }
  /** Next piece of the answer text, in order. */
  | { type: "delta"; text: string }
  /** A structured part of the answer (product card, quick replies, cart, order, link). */
  | { type: "part"; part: MessagePart }
  /** The conversation should go to a human; the hub moves it to waiting_human. */
  | { type: "handoff"; reason: string };

export interface BotEngine {
  /**
   * Answers the last shopper message in `history`. The first delta comes as soon as the answer
   * starts. When `signal` aborts, the stream ends promptly without throwing; the caller keeps the
   * text produced so far.
   */
  reply(input: BotTurnInput, signal: AbortSignal): AsyncIterable<BotEvent>;
}
