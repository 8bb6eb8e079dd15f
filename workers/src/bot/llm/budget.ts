// Token counting for the LLM budget (the TokenBudget port and its adapters live in @kaleem/shared).

/** Rough token count for servers that do not report usage: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
