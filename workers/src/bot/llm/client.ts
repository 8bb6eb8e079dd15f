// OpenAI-compatible streaming chat completions over fetch + SSE. Retries happen only before the
// stream starts (a half-streamed answer cannot be replayed); aborting the caller's signal ends
// the stream quietly.
import { z } from "zod";
import { LlmError, LlmHttpError, LlmNetworkError, LlmProtocolError, LlmTimeoutError } from "./errors.js";
import { sseData } from "./sse.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}
export type ChatChunk = { type: "delta"; text: string } | { type: "usage"; usage: ChatUsage };

export interface ChatRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
}

export interface ChatClient {
  /**
   * Streams the completion. Ends without throwing when `signal` aborts; throws an LlmError for
   * HTTP failures (after retries), timeouts and malformed streams.
   */
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
}

export interface ChatClientOptions {
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** Longest wait for the response headers and between two chunks. */
  timeoutMs: number;
  maxRetries?: number;
  /** First backoff step; doubles per attempt (with jitter) unless Retry-After says otherwise. */
  retryBaseMs?: number;
  /** Upper bound of one wait, including a server's Retry-After. */
  retryMaxMs?: number;
  fetch?: typeof fetch;
}

const chunkSchema = z.object({
  choices: z
    .array(z.object({ delta: z.object({ content: z.string().nullish() }).partial().nullish() }).loose())
    .default([]),
  usage: z
    .object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() })
    .nullish(),
});

export function createChatClient(options: ChatClientOptions): ChatClient {
  const doFetch = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 2;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const url = `${options.baseUrl.replace(/\/$/, "")}/chat/completions`;

  async function open(request: ChatRequest, signal: AbortSignal, attemptSignal: AbortSignal): Promise<Response | null> {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const body = JSON.stringify({
      model: options.model,
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, { method: "POST", headers, body, signal: attemptSignal });
      } catch (error) {
        if (signal.aborted) return null;
        if (attemptSignal.aborted) throw new LlmTimeoutError(options.timeoutMs);
        if (attempt < maxRetries) {
          if (!(await sleep(backoff(attempt), signal))) return null;
          continue;
        }
        throw new LlmNetworkError(`LLM request failed: ${(error as Error).message}`, { cause: error });
      }
      if (response.ok) return response;
      const text = await response.text().catch(() => "");
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= maxRetries) throw new LlmHttpError(response.status, text);
      const wait = retryAfterMs(response.headers.get("retry-after")) ?? backoff(attempt);
      if (!(await sleep(Math.min(wait, retryMaxMs), signal))) return null;
    }
  }

  function backoff(attempt: number): number {
    const base = retryBaseMs * 2 ** attempt;
    return Math.min(retryMaxMs, base / 2 + Math.random() * (base / 2));
  }

  return {
    async *stream(request, signal) {
      if (signal.aborted) return;
      // One timer guards both the wait for headers and every gap between chunks.
      const timeout = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => timeout.abort(), options.timeoutMs);
      };
      const attemptSignal = AbortSignal.any([signal, timeout.signal]);
      arm();
      try {
        const response = await open(request, signal, attemptSignal);
        if (!response) return;
        if (!response.body) throw new LlmProtocolError("LLM response has no body");
        arm();
        let done = false;
        try {
          for await (const data of sseData(response.body as unknown as AsyncIterable<Uint8Array>)) {
            arm();
            if (data.trim() === "[DONE]") {
              done = true;
              break;
            }
            let json: unknown;
            try {
              json = JSON.parse(data);
            } catch {
              throw new LlmProtocolError(`LLM stream sent invalid JSON: ${data.slice(0, 100)}`);
            }
            const parsed = chunkSchema.safeParse(json);
            if (!parsed.success) throw new LlmProtocolError(`LLM stream chunk has an unexpected shape: ${parsed.error.message}`);
            const text = parsed.data.choices[0]?.delta?.content;
            if (text) yield { type: "delta", text };
            const usage = parsed.data.usage;
            if (usage) {
              yield {
                type: "usage",
                usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens },
              };
            }
          }
        } catch (error) {
          if (signal.aborted) return;
          if (timeout.signal.aborted) throw new LlmTimeoutError(options.timeoutMs);
          if (error instanceof LlmError) throw error;
          throw new LlmNetworkError(`LLM stream failed: ${(error as Error).message}`, { cause: error });
        }
        if (!done && !signal.aborted) throw new LlmProtocolError("LLM stream ended without [DONE]");
      } finally {
        clearTimeout(timer);
        // Ends the HTTP request when the consumer stops early (abort, guard rejection).
        if (!timeout.signal.aborted) timeout.abort();
      }
    },
  };
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
