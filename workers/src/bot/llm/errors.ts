// Typed failures of the LLM client. The engine treats every one of them the same way (fall back
// to the built-in phrasing), but the types keep logs and tests precise.

export class LlmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** The server answered with a non-2xx status (after retries for 429/5xx). */
export class LlmHttpError extends LlmError {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string) {
    super(`LLM server answered ${status}: ${body.slice(0, 200)}`);
    this.status = status;
    this.body = body;
  }
}
/** No response, or no new chunk, within the configured time. */
export class LlmTimeoutError extends LlmError {
  constructor(timeoutMs: number) {
    super(`LLM server sent nothing for ${timeoutMs} ms`);
  }
}
/** The response was not the OpenAI streaming format. */
export class LlmProtocolError extends LlmError {}
/** The network failed before a response arrived. */
export class LlmNetworkError extends LlmError {}
