// The bot's instruments on the process registry.
import type { Metrics } from "@kaleem/shared";

export function botMetrics(metrics: Metrics) {
  return {
    firstDelay: metrics.histogram("bot_first_delta_seconds", "Time from a shopper message to the bot's first text delta", [], [
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5,
    ]),
    answers: metrics.counter("bot_answers_total", "Bot answers by detected intent", ["intent"]),
    fallbacks: metrics.counter("bot_fallback_total", "Bot answers that had to say it does not know"),
    handoffs: metrics.counter("bot_handoffs_total", "Conversations the bot handed to a human, by reason", ["reason"]),
    llm: metrics.counter("bot_llm_answers_total", "LLM phrasing attempts by outcome", ["outcome"]),
  };
}
export type BotMetrics = ReturnType<typeof botMetrics>;
