// A local OpenAI-compatible chat-completions server for tests: each request is answered by the
// next scripted behaviour (SSE reply, HTTP error, or a stall), and every request body is kept.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour =
  | { kind: "stream"; chunks: string[]; usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number }; delayMs?: number; done?: boolean }
  | { kind: "status"; status: number; retryAfter?: string; body?: string }
  /** Sends headers and the first chunks, then stops sending (for timeouts and cancellation). */
  | { kind: "stall"; chunks?: string[] }
  | { kind: "raw"; body: string };

export interface FakeLlmServer {
  url: string;
  requests: Array<{ body: Record<string, unknown>; headers: http.IncomingHttpHeaders; at: number }>;
  /** Responses still open (a stalled stream the client should have closed). */
  openResponses(): number;
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

const sse = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
const chunk = (text: string) => sse({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: text } }] });

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const queue: Behaviour[] = [];
  const requests: FakeLlmServer["requests"] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      requests.push({ body: JSON.parse(raw || "{}") as Record<string, unknown>, headers: req.headers, at: Date.now() });
      const behaviour = queue.shift() ?? { kind: "status", status: 500, body: "no behaviour scripted" };
      open.add(res);
      res.on("close", () => open.delete(res));
      if (behaviour.kind === "status") {
        res.writeHead(behaviour.status, { "content-type": "application/json", ...(behaviour.retryAfter ? { "retry-after": behaviour.retryAfter } : {}) });
        res.end(behaviour.body ?? JSON.stringify({ error: { message: "scripted" } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      if (behaviour.kind === "raw") {
        res.end(behaviour.body);
        return;
      }
      if (behaviour.kind === "stall") {
        res.write(": keep-alive comment\n\n");
        for (const c of behaviour.chunks ?? []) res.write(chunk(c));
        return;
      }
      const chunks = behaviour.chunks;
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        if (i < chunks.length) {
          res.write(chunk(chunks[i++] ?? ""));
          if (behaviour.delayMs) setTimeout(next, behaviour.delayMs);
          else next();
          return;
        }
        if (behaviour.usage) res.write(sse({ id: "c1", object: "chat.completion.chunk", choices: [], usage: behaviour.usage }));
        if (behaviour.done !== false) res.write("data: [DONE]\n\n");
        res.end();
      };
      next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    openResponses: () => open.size,
    script: (...b) => queue.push(...b),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
