import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createChatClient, retryAfterMs, type ChatChunk, type ChatClient } from "./client.js";
import { LlmHttpError, LlmProtocolError, LlmTimeoutError } from "./errors.js";
import { sseData } from "./sse.js";
import { startFakeLlmServer, type FakeLlmServer } from "./test-server.test-helpers.js";

let server: FakeLlmServer;
beforeEach(async () => {
  server = await startFakeLlmServer();
});
afterEach(async () => {
  await server.close();
});

function client(overrides: Partial<Parameters<typeof createChatClient>[0]> = {}): ChatClient {
  return createChatClient({ baseUrl: server.url, apiKey: "sk-test", model: "test-model", timeoutMs: 2000, retryBaseMs: 20, ...overrides });
}

async function collect(iterable: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of iterable) out.push(c);
  return out;
}

const request = { messages: [{ role: "user" as const, content: "hi" }] };

describe("sseData", () => {
  async function* bytes(...parts: string[]) {
    for (const p of parts) yield new TextEncoder().encode(p);
  }
  it("joins events split across chunks, ignores comments and handles CRLF", async () => {
    const events: string[] = [];
    for await (const d of sseData(bytes(": hi\r\n\r\ndata: {\"a\"", ":1}\r", "\n\r\ndata: line1\ndata: line2\n\nevent: x\ndata: [DONE]\n\n"))) events.push(d);
    expect(events).toEqual(['{"a":1}', "line1\nline2", "[DONE]"]);
  });
  it("keeps multi-byte characters split between chunks", async () => {
    const encoded = new TextEncoder().encode("data: مرحبا\n\n");
    async function* split() {
      yield encoded.slice(0, 8);
      yield encoded.slice(8);
    }
    const events: string[] = [];
    for await (const d of sseData(split())) events.push(d);
    expect(events).toEqual(["مرحبا"]);
  });
});

describe("chat client", () => {
  it("streams deltas and usage, sends model, stream flag and bearer key", async () => {
    server.script({ kind: "stream", chunks: ["Hel", "lo ", "there"], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
    const chunks = await collect(client().stream(request, new AbortController().signal));
    expect(chunks.filter((c) => c.type === "delta").map((c) => (c.type === "delta" ? c.text : "")).join("")).toBe("Hello there");
    expect(chunks.at(-1)).toEqual({ type: "usage", usage: { promptTokens: 5, completionTokens: 3, totalTokens: 8 } });
    expect(server.requests[0]?.body).toMatchObject({ model: "test-model", stream: true, messages: request.messages });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("retries 429 after the server's Retry-After, then succeeds", async () => {
    server.script({ kind: "status", status: 429, retryAfter: "1" }, { kind: "stream", chunks: ["ok"] });
    const chunks = await collect(client().stream(request, new AbortController().signal));
    expect(chunks).toEqual([{ type: "delta", text: "ok" }]);
    expect(server.requests).toHaveLength(2);
    // The second attempt waited for Retry-After (1 s), not the 20 ms backoff.
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("retries 5xx with backoff and gives up with a typed error after maxRetries", async () => {
    server.script({ kind: "status", status: 503 }, { kind: "status", status: 502 }, { kind: "status", status: 500, body: "boom" });
    const error = await collect(client({ maxRetries: 2 }).stream(request, new AbortController().signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmHttpError);
    expect((error as LlmHttpError).status).toBe(500);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry other client errors", async () => {
    server.script({ kind: "status", status: 401 }, { kind: "stream", chunks: ["never"] });
    const error = await collect(client().stream(request, new AbortController().signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmHttpError);
    expect((error as LlmHttpError).status).toBe(401);
    expect(server.requests).toHaveLength(1);
  });

  it("times out when the stream goes quiet", async () => {
    server.script({ kind: "stall", chunks: ["partial"] });
    const seen: ChatChunk[] = [];
    const error = await (async () => {
      for await (const c of client({ timeoutMs: 300 }).stream(request, new AbortController().signal)) seen.push(c);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: "delta", text: "partial" }]);
    expect(error).toBeInstanceOf(LlmTimeoutError);
  });

  it("stops quietly when the caller aborts mid-stream, and closes the request", async () => {
    server.script({ kind: "stall", chunks: ["first "] });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    for await (const c of client({ timeoutMs: 10_000 }).stream(request, controller.signal)) {
      seen.push(c);
      controller.abort();
    }
    expect(seen).toEqual([{ type: "delta", text: "first " }]);
    await expect.poll(() => server.openResponses()).toBe(0);
  });

  it("stops quietly when aborted while waiting to retry", async () => {
    server.script({ kind: "status", status: 429, retryAfter: "30" });
    const controller = new AbortController();
    const pending = collect(client({ retryMaxMs: 60_000 }).stream(request, controller.signal));
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort();
    await expect(pending).resolves.toEqual([]);
  });

  it("rejects malformed streams with a protocol error", async () => {
    server.script({ kind: "raw", body: "data: not json\n\n" });
    await expect(collect(client().stream(request, new AbortController().signal))).rejects.toBeInstanceOf(LlmProtocolError);
    server.script({ kind: "stream", chunks: ["cut"], done: false });
    await expect(collect(client().stream(request, new AbortController().signal))).rejects.toBeInstanceOf(LlmProtocolError);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});
