import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RetryableError, UnrecoverableError, loadConfig } from "@kaleem/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { embeddedSearch } from "./embedded-search.js";
import { HashedEmbedder } from "./hashed-embedder.js";
import { OpenAIEmbedder, embedderFromConfig } from "./openai-embedder.js";
import { openTestShop } from "./search.test-helpers.js";

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe("HashedEmbedder", () => {
  const e = new HashedEmbedder(256);

  it("returns deterministic unit vectors of the configured size", async () => {
    const [a, b] = await e.embed(["green kaftan", "green kaftan"]);
    expect(a?.length).toBe(256);
    expect(Math.abs(cosine(a!, a!) - 1)).toBeLessThan(1e-5);
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it("puts cross-language synonyms and misspellings close, unrelated products far", async () => {
    const [perfume, itr, tent, typo, shampoo, dates] = await e.embed(["perfume", "عطر", "camping tent", "conditionr", "conditioner", "khalas dates"]);
    expect(cosine(perfume!, itr!)).toBeGreaterThan(cosine(perfume!, tent!) + 0.3);
    expect(cosine(typo!, shampoo!)).toBeGreaterThan(cosine(typo!, dates!) + 0.15);
  });
});

// ---- OpenAI-compatible /v1/embeddings protocol --------------------------------------------

interface Recorded {
  path: string;
  auth: string | undefined;
  body: { model: string; input: string[]; encoding_format?: string };
}

type Behaviour = (req: Recorded, res: ServerResponse, attempt: number) => void;

let server: Server;
let baseUrl = "";
let requests: Recorded[] = [];
let behaviour: Behaviour = () => undefined;
const reference = new HashedEmbedder(64);

/** A well-behaved answer: vectors from the built-in embedder, scaled (the client re-normalizes) and shuffled. */
function answer(req: Recorded, res: ServerResponse): void {
  const rows = req.body.input.map((text, index) => ({
    object: "embedding",
    index,
    embedding: Array.from(reference.embedOne(text)).map((x) => x * 3),
  }));
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ object: "list", data: rows.reverse(), model: req.body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const rec: Recorded = { path: req.url ?? "", auth: req.headers.authorization, body: JSON.parse(raw) as Recorded["body"] };
      requests.push(rec);
      if (req.method !== "POST" || req.url !== "/v1/embeddings") {
        res.writeHead(404).end();
        return;
      }
      behaviour(rec, res, requests.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterEach(() => {
  requests = [];
  behaviour = answer;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("OpenAIEmbedder (protocol)", () => {
  it("posts model and inputs with the bearer key and returns normalized vectors in input order", async () => {
    behaviour = answer;
    const e = new OpenAIEmbedder({ baseUrl: baseUrl + "/", apiKey: "sk-test", model: "test-embed" });
    const texts = ["green kaftan", "عطر", "camping tent"];
    const out = await e.embed(texts);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.auth).toBe("Bearer sk-test");
    expect(requests[0]!.body).toMatchObject({ model: "test-embed", input: texts, encoding_format: "float" });
    expect(out).toHaveLength(3);
    for (let i = 0; i < texts.length; i++) {
      expect(cosine(out[i]!, reference.embedOne(texts[i]!))).toBeCloseTo(1, 5);
    }
    expect(e.dimensions).toBe(64);
    expect(e.id).toBe("openai:test-embed");
  });

  it("splits large inputs into batches", async () => {
    behaviour = answer;
    const e = new OpenAIEmbedder({ baseUrl, model: "m", batchSize: 2 });
    const out = await e.embed(["a1", "b2", "c3", "d4", "e5"]);
    expect(requests.map((r) => r.body.input.length)).toEqual([2, 2, 1]);
    expect(requests.every((r) => r.auth === undefined)).toBe(true);
    expect(out).toHaveLength(5);
  });

  it("retries 429 (honouring Retry-After) and 5xx, then succeeds", async () => {
    behaviour = (req, res, attempt) => {
      if (attempt === 1) {
        res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "slow down" } }));
      } else if (attempt === 2) {
        res.writeHead(503).end("busy");
      } else answer(req, res);
    };
    const e = new OpenAIEmbedder({ baseUrl, model: "m", retryBaseMs: 1 });
    const out = await e.embed(["x"]);
    expect(requests).toHaveLength(3);
    expect(out).toHaveLength(1);
  });

  it("gives up after the retry budget with a retryable error", async () => {
    behaviour = (_req, res) => res.writeHead(500).end("down");
    const e = new OpenAIEmbedder({ baseUrl, model: "m", retryBaseMs: 1, maxRetries: 2 });
    await expect(e.embed(["x"])).rejects.toBeInstanceOf(RetryableError);
    expect(requests).toHaveLength(3);
  });

  it("does not retry client errors or malformed answers", async () => {
    behaviour = (_req, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"message":"bad key"}}');
    const e = new OpenAIEmbedder({ baseUrl, model: "m", retryBaseMs: 1 });
    await expect(e.embed(["x"])).rejects.toBeInstanceOf(UnrecoverableError);
    expect(requests).toHaveLength(1);

    requests = [];
    behaviour = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"data":[{"index":0,"embedding":"nope"}]}');
    await expect(e.embed(["x"])).rejects.toThrow(/Unexpected embeddings response/);
    expect(requests).toHaveLength(1);

    behaviour = (req, res) => answer({ ...req, body: { ...req.body, input: req.body.input.slice(1) } }, res);
    await expect(e.embed(["x", "y"])).rejects.toThrow(/1 vectors for 2 inputs/);
  });

  it("times out a hanging request and retries it", async () => {
    behaviour = (req, res, attempt) => {
      if (attempt === 1) return; // never answers
      answer(req, res);
    };
    const e = new OpenAIEmbedder({ baseUrl, model: "m", timeoutMs: 200, retryBaseMs: 1 });
    const out = await e.embed(["slow"]);
    expect(out).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it("is chosen by configuration, and the built-in embedder otherwise", () => {
    const dataDir = `/tmp/kaleem-embed-config-${process.pid}`;
    const withEndpoint = embedderFromConfig(loadConfig({ KALEEM_DATA_DIR: dataDir, EMBEDDINGS_BASE_URL: baseUrl, EMBEDDINGS_MODEL: "m2" }));
    expect(withEndpoint).toBeInstanceOf(OpenAIEmbedder);
    expect(withEndpoint.id).toBe("openai:m2");
    expect(embedderFromConfig(loadConfig({ KALEEM_DATA_DIR: dataDir }))).toBeInstanceOf(HashedEmbedder);
  });

  it("drives CatalogSearch end to end through the endpoint", async () => {
    behaviour = answer;
    const shop = await openTestShop();
    try {
      const engine = embeddedSearch({ embedder: new OpenAIEmbedder({ baseUrl, model: "m" }) });
      const { items } = await engine.search(shop.tenant, "braided agal", 3);
      expect(shop.ext(items[0]?.product.id ?? "")).toBe("agal");
      // One batch for the catalog, one for the query.
      expect(requests.length).toBeGreaterThanOrEqual(2);
      expect(requests.some((r) => r.body.input.length > 1)).toBe(true);
    } finally {
      await shop.store.close();
    }
  });
});
