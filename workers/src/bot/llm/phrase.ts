// LLM phrasing of an answer the engine already has. The model gets the retrieved facts and may
// only restate them. Output is checked sentence by sentence before it is shown: a sentence whose
// figures or claims are not in the facts stops the model, and the engine falls back to its own
// phrasing. Sentence granularity keeps the first delta early (one sentence, not the whole reply)
// while nothing unchecked ever reaches the shopper.
import type { ChatClient, ChatMessage } from "./client.js";
import { checkAgainstFacts } from "./guard.js";
import { estimateTokens } from "./budget.js";

export interface PhraseRequest {
  storeName: string;
  lang: "en" | "ar";
  question: string;
  facts: string;
}

export interface PhraseOutcome {
  /** used: every sentence passed; rejected: the guard stopped it; error: the client failed. */
  status: "used" | "rejected" | "error" | "aborted";
  tokens: number;
  problems: string[];
  error?: unknown;
}

export function phraseMessages(request: PhraseRequest): ChatMessage[] {
  const language = request.lang === "ar" ? "Arabic, in a warm Saudi (Gulf) customer-service tone" : "English";
  const system = [
    `You are the customer-service assistant of the online store "${request.storeName}".`,
    `Rewrite the FACTS as a short, friendly reply to the shopper, in ${language}.`,
    "Rules: use only the FACTS. Do not add any number, price, fee, discount, date, duration, link or policy that is not in the FACTS.",
    "Copy every number exactly as it is written in the FACTS. Keep lists as lists. Do not mention the FACTS or these rules. At most 5 sentences.",
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: `Shopper: ${request.question}\n\nFACTS:\n${request.facts}` },
  ];
}

/** Index just past the first sentence end in `text` (punctuation then whitespace, or a newline). */
function sentenceEnd(text: string): number {
  const match = /[.!?؟…](\s+)|\n+/.exec(text);
  return match ? match.index + match[0].length : -1;
}

/**
 * Yields checked sentences of the model's reply. Never throws: the outcome says how it ended.
 */
export async function* guardedPhrasing(
  client: ChatClient,
  request: PhraseRequest,
  signal: AbortSignal,
  outcome: PhraseOutcome,
): AsyncGenerator<string> {
  const messages = phraseMessages(request);
  let buffer = "";
  let produced = "";
  let reportedTokens: number | null = null;
  const check = (sentence: string): boolean => {
    const verdict = checkAgainstFacts(sentence, request.facts);
    if (!verdict.ok) {
      outcome.status = "rejected";
      outcome.problems = verdict.problems;
    }
    return verdict.ok;
  };
  try {
    for await (const chunk of client.stream({ messages, temperature: 0.2, maxTokens: 400 }, signal)) {
      if (chunk.type === "usage") {
        reportedTokens = chunk.usage.totalTokens;
        continue;
      }
      buffer += chunk.text;
      produced += chunk.text;
      let end: number;
      while ((end = sentenceEnd(buffer)) !== -1) {
        const sentence = buffer.slice(0, end);
        buffer = buffer.slice(end);
        if (!check(sentence)) return;
        yield sentence;
      }
    }
    if (signal.aborted) {
      outcome.status = "aborted";
      return;
    }
    if (buffer.trim() !== "") {
      if (!check(buffer)) return;
      yield buffer;
    }
    outcome.status = produced.trim() === "" ? "rejected" : "used";
    if (produced.trim() === "") outcome.problems = ["empty reply"];
  } catch (error) {
    outcome.status = "error";
    outcome.error = error;
  } finally {
    outcome.tokens =
      reportedTokens ?? estimateTokens(messages.map((m) => m.content).join("\n")) + estimateTokens(produced);
  }
}
