// The VectorIndex port on Qdrant: one collection per embedding model, every merchant in it, a
// `merchantId` keyword payload index marked `is_tenant` so Qdrant lays each merchant's points out
// together, and every read and delete filtered by merchant (ARCHITECTURE.md says why one shared
// collection rather than one per merchant). Point ids are UUIDv5s of (merchant, item): see points.ts.
import { QdrantClient } from "@qdrant/js-client-rest";
import { ServiceUnavailableError, ValidationError } from "../../errors.js";
import type { VectorIndex, VectorItem, VectorMatch } from "../../ports/vector-index.js";
import { ITEM_KEY, MERCHANT_KEY, merchantFilter, pointId, toMatches, toPoint } from "./points.js";

export interface QdrantVectorIndexOptions {
  url: string;
  apiKey?: string | null;
  /** The collection of this embedding model (see `collectionName`). */
  collection: string;
  /**
   * Vector size of the embedding model when it is known up front (the built-in embedder); the
   * collection is then created by `start()`. Unknown (0) for an embeddings endpoint that says its
   * size only with its first answer: the collection is created by the first upsert.
   */
  dimensions?: number;
  /** Per request. Short: a search waits at most this long before it goes on lexical-only. */
  timeoutMs?: number;
}

/** Points per upsert request: keeps request bodies well under Qdrant's 32 MB default limit. */
const UPSERT_BATCH = 256;

/**
 * The HTTP status of a Qdrant answer that was not 2xx: the client throws the fetch layer's
 * ApiError (with `status`) or, for some answers, "Unexpected Response: 409 (Conflict)".
 */
function statusOf(err: unknown): number | null {
  if (typeof err === "object" && err !== null && "status" in err && typeof err.status === "number") return err.status;
  const m = err instanceof Error ? /Unexpected Response: (\d{3})/.exec(err.message) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Transport failures (refused, reset, timed out) and Qdrant's 5xx/408/429 become ServiceUnavailableError,
 * so jobs retry them with backoff and the search knows to go on without vectors. Any other 4xx is a
 * request this adapter got wrong and stays a plain error.
 */
function translate(err: unknown, what: string): Error {
  const status = statusOf(err);
  // 408 is Qdrant's own operation timeout; 429 its rate limit (strict mode): both pass.
  if (status !== null && status < 500 && status !== 408 && status !== 429) {
    const detail = typeof err === "object" && err !== null && "data" in err ? JSON.stringify(err.data) : "";
    return new Error(`Qdrant refused the ${what} request (${status}): ${detail}`, { cause: err });
  }
  return new ServiceUnavailableError(`Qdrant unavailable (${what})`, { cause: err });
}

export class QdrantVectorIndex implements VectorIndex {
  private readonly client: QdrantClient;
  private readonly collection: string;
  /** The collection's vector size once it exists (read from Qdrant or created with). */
  private size: number | null = null;
  private readonly wantedSize: number;
  /** Resolves when the collection is known to exist; reset after a failure so the next call tries again. */
  private ready: Promise<void> | null = null;

  constructor(options: QdrantVectorIndexOptions) {
    this.collection = options.collection;
    this.wantedSize = options.dimensions ?? 0;
    // No compatibility probe: it would log a warning of its own on every start while Qdrant is down.
    // The key goes as the `api-key` header itself: the client's `apiKey` option would print to the
    // console on plain http (the launcher logs that once, in the process's own log, instead).
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey ? { headers: { "api-key": options.apiKey } } : {}),
      timeout: options.timeoutMs ?? 2_000,
      checkCompatibility: false,
    });
  }

  get collectionName(): string {
    return this.collection;
  }

  /**
   * Start-up: finds the collection (and its vector size) or creates it with its merchant index.
   * Throws ServiceUnavailableError when Qdrant cannot be reached; the caller logs it and the
   * index tries again on first use (the bot is lexical-only meanwhile).
   */
  async start(): Promise<void> {
    await this.ensure(this.wantedSize);
  }

  private ensure(sizeHint: number): Promise<void> {
    if (this.size !== null) return Promise.resolve();
    if (this.ready) return this.ready;
    const run = this.findOrCreate(sizeHint);
    this.ready = run;
    run.catch(() => {
      if (this.ready === run) this.ready = null;
    });
    return run;
  }

  private async findOrCreate(sizeHint: number): Promise<void> {
    try {
      if ((await this.client.collectionExists(this.collection)).exists) {
        await this.readExisting();
        return;
      }
      // Nothing to create it with yet: the first upsert will (its vectors say the size).
      if (sizeHint <= 0) {
        this.ready = null;
        return;
      }
      try {
        await this.client.createCollection(this.collection, { vectors: { size: sizeHint, distance: "Cosine" } });
      } catch (err) {
        // Another process created it between our check and our create: use theirs.
        if (statusOf(err) !== 409) throw err;
      }
      await this.readExisting();
    } catch (err) {
      throw err instanceof ValidationError ? err : translate(err, "collection set-up");
    }
  }

  private async readExisting(): Promise<void> {
    const info = await this.client.getCollection(this.collection);
    const vectors = info.config.params.vectors;
    const size = vectors && typeof vectors === "object" && "size" in vectors && typeof vectors.size === "number" ? vectors.size : null;
    if (size === null || !("distance" in vectors!) || vectors.distance !== "Cosine") {
      throw new ValidationError(`Qdrant collection ${this.collection} is not a single unnamed cosine vector; it was not made by Kaleem`);
    }
    // Created before the index existed, or by a process that died in between: add it now.
    if (!info.payload_schema?.[MERCHANT_KEY]) {
      await this.client.createPayloadIndex(this.collection, { wait: true, field_name: MERCHANT_KEY, field_schema: { type: "keyword", is_tenant: true } });
    }
    this.size = size;
  }

  async upsert(merchantId: string, items: VectorItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.ensure(this.wantedSize || items[0]!.vector.length);
    const size = this.size;
    if (size === null) throw new ServiceUnavailableError("Qdrant collection could not be set up");
    // Checked before anything is sent: a bad batch leaves the index as it was.
    const wrong = items.find((item) => item.vector.length !== size);
    if (wrong) throw new ValidationError(`Vector for ${wrong.id} has ${wrong.vector.length} dimensions, index has ${size}`);
    for (let i = 0; i < items.length; i += UPSERT_BATCH) {
      const points = items.slice(i, i + UPSERT_BATCH).map((item) => toPoint(merchantId, item));
      try {
        // wait: the next count or query (the contract, the bot right after an index job) sees the write.
        await this.client.upsert(this.collection, { wait: true, points });
      } catch (err) {
        throw translate(err, "upsert");
      }
    }
  }

  async remove(merchantId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ensure(this.wantedSize);
    if (this.size === null) return;
    try {
      // The ids hash the merchant in: another merchant's points cannot be named here.
      await this.client.delete(this.collection, { wait: true, points: ids.map((id) => pointId(merchantId, id)) });
    } catch (err) {
      throw translate(err, "remove");
    }
  }

  async query(merchantId: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    if (k <= 0 || !vector.some((x) => x !== 0)) return [];
    await this.ensure(this.wantedSize);
    // No collection yet, or a vector of another model: nothing in this index can match it.
    if (this.size === null || vector.length !== this.size) return [];
    try {
      const res = await this.client.query(this.collection, {
        query: Array.from(vector),
        filter: merchantFilter(merchantId),
        limit: k,
        with_payload: [ITEM_KEY, MERCHANT_KEY],
      });
      return toMatches(merchantId, res.points);
    } catch (err) {
      throw translate(err, "query");
    }
  }

  async clear(merchantId: string): Promise<void> {
    await this.ensure(this.wantedSize);
    if (this.size === null) return;
    try {
      await this.client.delete(this.collection, { wait: true, filter: merchantFilter(merchantId) });
    } catch (err) {
      throw translate(err, "clear");
    }
  }

  async count(merchantId: string): Promise<number> {
    await this.ensure(this.wantedSize);
    if (this.size === null) return 0;
    try {
      return (await this.client.count(this.collection, { filter: merchantFilter(merchantId), exact: true })).count;
    } catch (err) {
      throw translate(err, "count");
    }
  }
}
