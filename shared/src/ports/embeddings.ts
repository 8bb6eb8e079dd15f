// Text embeddings behind a port: the built-in offline embedder is the default; an
// OpenAI-compatible /v1/embeddings endpoint can replace it by configuration.

export interface Embedder {
  /** Stable identifier of the model (vectors from different models must never be mixed). */
  readonly id: string;
  readonly dimensions: number;
  /** One L2-normalized vector per input text, in input order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
