// The one place channel code touches the network: fetch with a deadline, the caller's abort
// signal, and a cap on how much of an answer is read. Network failures and timeouts become
// ProviderRetryable; answers of any status are returned for the provider's classifier to judge.
import { ProviderRetryable, ProviderUnrecoverable, type ProviderFailureInfo } from "./errors.js";
import type { ProviderRequest } from "./request.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ProviderHttpOptions {
  /** Default 15 s per call. */
  timeoutMs?: number;
  /** Abort (shutdown): the call fails as retryable, so the job runs again later. */
  signal?: AbortSignal;
  /** Default the global fetch. */
  fetch?: FetchLike;
}

export interface ProviderHttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else its text. */
  body: unknown;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Provider API answers are small; anything bigger is not an answer worth reading whole. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** Reads a body up to `maxBytes`, stopping (and cancelling the download) as soon as it is exceeded. */
export async function readBodyLimited(response: Response, maxBytes: number, info: ProviderFailureInfo): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderUnrecoverable(info, "too_large", `${info.provider} ${info.operation}: ${declared} bytes is more than the ${maxBytes} allowed`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ProviderUnrecoverable(info, "too_large", `${info.provider} ${info.operation}: more than the ${maxBytes} bytes allowed`);
      }
      chunks.push(Buffer.from(value));
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

/** fetch with the deadline and abort signal of `options`; failures to get any answer are ProviderRetryable. */
export async function fetchWithDeadline(url: string, init: RequestInit, info: ProviderFailureInfo, options: ProviderHttpOptions): Promise<{ response: Response; signal: AbortSignal }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const doFetch = options.fetch ?? fetch;
  try {
    return { response: await doFetch(url, { ...init, signal }), signal };
  } catch (err) {
    if (options.signal?.aborted) throw new ProviderRetryable(info, `${info.provider} ${info.operation} aborted before an answer`, { cause: err });
    if (timeout.aborted) throw new ProviderRetryable(info, `${info.provider} ${info.operation} timed out after ${timeoutMs} ms`, { cause: err });
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new ProviderRetryable(info, `${info.provider} ${info.operation} could not reach the provider: ${reason}`, { cause: err });
  }
}

export async function callProvider(request: ProviderRequest, options: ProviderHttpOptions = {}): Promise<ProviderHttpResponse> {
  const info: ProviderFailureInfo = { provider: request.provider, operation: request.operation, httpStatus: null, code: null };
  const init: RequestInit = { method: request.method, headers: request.headers };
  if (request.body !== undefined) init.body = JSON.stringify(request.body);
  const { response } = await fetchWithDeadline(request.url, init, info, options);
  let raw: Buffer;
  try {
    raw = await readBodyLimited(response, MAX_ANSWER_BYTES, { ...info, httpStatus: response.status });
  } catch (err) {
    if (err instanceof ProviderUnrecoverable) throw err;
    // The answer started but broke off (timeout mid-body, reset): nothing is known, so retry.
    throw new ProviderRetryable({ ...info, httpStatus: response.status }, `${request.provider} ${request.operation}: the answer broke off`, { cause: err });
  }
  const text = raw.toString("utf8");
  let body: unknown = text;
  try {
    body = text === "" ? null : (JSON.parse(text) as unknown);
  } catch {
    // Not JSON (a proxy's HTML error page): keep the text for the error message.
  }
  return { status: response.status, headers: response.headers, body };
}
