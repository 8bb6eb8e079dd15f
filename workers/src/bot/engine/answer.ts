// What a handler decides; the engine turns it into events (and may let the LLM rephrase `text`).
import type { MessagePart } from "@kaleem/shared";

export interface Answer {
  /** Built-in phrasing; every figure in it comes from the store. */
  text: string;
  parts: MessagePart[];
  /** Hand the conversation to a human, for this reason. */
  handoff?: HandoffReason;
  /** The bot could not answer ("I don't know"). */
  fallback?: boolean;
  /**
   * The retrieved facts behind `text`, when an LLM may rephrase it. Answers that drive a flow
   * (cart, checkout, verification prompts) leave it unset and always use the built-in phrasing.
   */
  facts?: string;
}

export type HandoffReason = "requested" | "low_confidence" | "keyword" | "order_value" | "order_change";

export function answer(text: string, parts: MessagePart[] = [], extra: Partial<Answer> = {}): Answer {
  return { text, parts, ...extra };
}
