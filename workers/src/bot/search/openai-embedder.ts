// Client for any OpenAI-compatible embeddings endpoint (POST {baseUrl}/embeddings, where
// baseUrl already ends with the API version, e.g. https://api.openai.com/v1). Batches inputs,
// times out each request, and retries 429/5xx/network failures with backoff (honouring
// Retry-After). Vectors are L2-normalized so they compare by dot product like the built-in one.
import { z } from "zod";
import type { Config, Embedder } from "@kaleem/shared";
import { RetryableError, UnrecoverableError } from "@kaleem/shared";
import { HashedEmbedder } from "./hashed-embedder.js";

const responseSchema = z.object({
  data: z
    .array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) }))
    .min(1),
});

export interface OpenAIEmbedderOptions {
  baseUrl: string;
  apiKey?: string | null;
  model: string;
  /** Expected vector size; learned from the first response when omitted. */
  dimensions?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Base delay of the exponential backoff. */
  retryBaseMs?: number;
  batchSize?: number;
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function normalize(values: readonly number[]): Float32Array {
  const v = Float32Array.from(values);
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / n;
  return v;
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private dims: number;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly batchSize: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, "")}/embeddings`;
    this.id = `openai:${options.model}`;
    this.dims = options.dimensions ?? 0;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.batchSize = options.batchSize ?? 64;
    this.fetchFn = options.fetch ?? fetch;
  }

  get dimensions(): number {
    return this.dims;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.embedBatch(texts.slice(i, i + this.batchSize))));
    }
    return out;
  }

  private async embedBatch(input: string[]): Promise<Float32Array[]> {
    if (input.length === 0) return [];
    // Empty strings are rejected by some providers; a space embeds as "nothing".
    const body = JSON.stringify({ model: this.options.model, input: input.map((t) => (t.trim() === "" ? " " : t)), encoding_format: "float" });
    let lastError: unknown = null;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      if (attempt > 0) await sleep(this.backoff(attempt, lastError));
      try {
        return this.parse(await this.post(body), input.length);
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        lastError = error;
      }
    }
    throw lastError instanceof Error ? lastError : new RetryableError("Embeddings request failed");
  }

  private backoff(attempt: number, error: unknown): number {
    const retryAfter = error instanceof EmbeddingsHttpError ? error.retryAfterMs : null;
    if (retryAfter !== null) return Math.min(retryAfter, 30_000);
    return this.retryBaseMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
  }

  private async post(body: string): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
      let res: Response;
      try {
        res = await this.fetchFn(this.url, { method: "POST", headers, body, signal: controller.signal });
      } catch (error) {
        const reason = controller.signal.aborted ? `timed out after ${this.timeoutMs} ms` : String(error);
        throw new RetryableError(`Embeddings request ${reason}`, { cause: error });
      }
      const text = await res.text();
      if (res.status === 429 || res.status >= 500) {
        const header = res.headers.get("retry-after");
        const seconds = header !== null ? Number(header) : NaN;
        throw new EmbeddingsHttpError(res.status, text, Number.isFinite(seconds) ? seconds * 1000 : null);
      }
      if (!res.ok) throw new UnrecoverableError(`Embeddings endpoint answered ${res.status}: ${text.slice(0, 300)}`);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UnrecoverableError("Embeddings endpoint returned invalid JSON");
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private parse(json: unknown, expected: number): Float32Array[] {
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) throw new UnrecoverableError(`Unexpected embeddings response: ${parsed.error.message}`);
    const rows = [...parsed.data.data].sort((a, b) => a.index - b.index);
    if (rows.length !== expected) throw new UnrecoverableError(`Embeddings endpoint returned ${rows.length} vectors for ${expected} inputs`);
    const vectors = rows.map((r) => normalize(r.embedding));
    const size = vectors[0]?.length ?? 0;
    if (vectors.some((v) => v.length !== size)) throw new UnrecoverableError("Embeddings endpoint returned vectors of different sizes");
    if (this.dims !== 0 && size !== this.dims) {
      throw new UnrecoverableError(`Embeddings have ${size} dimensions, expected ${this.dims}`);
    }
    this.dims = size;
    return vectors;
  }
}

export class EmbeddingsHttpError extends RetryableError {
  constructor(
    readonly status: number,
    body: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`Embeddings endpoint answered ${status}: ${body.slice(0, 300)}`);
  }
}

/** The configured embedder: the OpenAI-compatible endpoint when set, else the built-in one. */
export function embedderFromConfig(config: Pick<Config, "embeddings">): Embedder {
  const e = config.embeddings;
  if (e === null) return new HashedEmbedder();
  return new OpenAIEmbedder({ baseUrl: e.baseUrl, apiKey: e.apiKey, model: e.model });
}
