// Word-sized pieces of an answer, paced so clients see it grow.
import { sleep } from "../llm/client.js";

/** Splits text into word-sized chunks that concatenate back to the exact text. */
export function wordChunks(text: string): string[] {
  return text.match(/\s*\S+/g)?.map((chunk, i, all) => (i === all.length - 1 ? chunk + (text.match(/\s+$/)?.[0] ?? "") : chunk)) ?? (text ? [text] : []);
}

/** Yields the chunks of `text` with `delayMs` between them; stops quietly when `signal` aborts. */
export async function* paced(text: string, delayMs: number, signal: AbortSignal): AsyncGenerator<string> {
  let first = true;
  for (const chunk of wordChunks(text)) {
    if (signal.aborted) return;
    if (!first && delayMs > 0 && !(await sleep(delayMs, signal))) return;
    first = false;
    yield chunk;
  }
}
