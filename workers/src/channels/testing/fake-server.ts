// The plumbing every fake provider shares: a node:http server on 127.0.0.1, port 0, that reads
// each request whole, hands it to the provider's handler, records what it decided, and plays
// scripted failures (429s, window closed, 5xx, slow answers) before the real handling.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The body parsed as JSON; undefined when there was none, `invalid` when it was not JSON. */
  json: unknown;
  jsonInvalid: boolean;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  /** Bytes instead of JSON (media downloads, an HTML error page). */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** What the provider does instead of its normal answer, for the next matching request(s). */
export type ScriptedFailure =
  | { kind: "rate_limited"; retryAfterSeconds?: number }
  | { kind: "window_closed" }
  | { kind: "server_error"; status?: number; html?: boolean }
  | { kind: "auth" }
  | { kind: "blocked" }
  /** Answers normally, after `delayMs`. */
  | { kind: "slow"; delayMs: number }
  /** Drops the connection without answering. */
  | { kind: "hang_up" }
  /** Any answer at all. */
  | { kind: "reply"; reply: FakeReply };

export interface ScriptOptions {
  /** Only requests for this operation (Telegram method, "messages", "media"...); default any. */
  operation?: string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** How many matching requests to let through first (default 0). */
  skip?: number;
}

export interface Exchange {
  operation: string;
  method: string;
  path: string;
  body: unknown;
  headers: IncomingHttpHeaders;
  status: number;
  /**
   * accepted: done as asked; rejected: malformed, the provider refuses it as given (a Kaleem bug);
   * refused: well-formed but not possible now (edit not modified, window closed, unknown file);
   * scripted: a failure the test scripted.
   */
  outcome: "accepted" | "rejected" | "refused" | "scripted";
  /** Why the request was rejected (as the provider would say it). */
  problem?: string;
}

interface Script {
  failure: ScriptedFailure;
  operation: string | undefined;
  remaining: number;
  skip: number;
}

export interface HandlerContext {
  /** The failure scripted for this request, if any (consumed). "slow" and "hang_up" are handled before the handler runs. */
  scripted: ScriptedFailure | null;
}

export type FakeHandler = (req: FakeRequest, ctx: HandlerContext) => Promise<HandledReply> | HandledReply;
export interface HandledReply extends FakeReply {
  operation: string;
  outcome: Exchange["outcome"];
  problem?: string;
}

/** Lets a handler know the operation before scripts are matched (scripts are per operation). */
export type OperationOf = (req: FakeRequest) => string;

export class FakeProviderServer {
  readonly exchanges: Exchange[] = [];
  private readonly scripts: Script[] = [];
  private server: Server | null = null;
  private baseUrl = "";
  private readonly sockets = new Set<import("node:net").Socket>();

  constructor(
    private readonly handler: FakeHandler,
    private readonly operationOf: OperationOf,
  ) {}

  get url(): string {
    if (!this.baseUrl) throw new Error("fake provider server is not started");
    return this.baseUrl;
  }

  /** Requests the provider accepted (the messages it would deliver), in order. */
  accepted(operation?: string): Exchange[] {
    return this.exchanges.filter((e) => e.outcome === "accepted" && (operation === undefined || e.operation === operation));
  }

  /** Requests refused as malformed: a test that expects well-formed calls asserts this is empty. */
  rejected(): Exchange[] {
    return this.exchanges.filter((e) => e.outcome === "rejected");
  }

  /** A handler's answer: the reply, what became of the request, and why when it was refused. */
  protected handled(operation: string, reply: FakeReply, outcome: Exchange["outcome"], problem?: string): HandledReply {
    return { operation, outcome, ...reply, ...(problem !== undefined ? { problem } : {}) };
  }

  /** Forgets recorded exchanges and pending scripted failures (between tests). */
  reset(): void {
    this.exchanges.length = 0;
    this.scripts.length = 0;
  }

  failNext(failure: ScriptedFailure, options: ScriptOptions = {}): void {
    this.scripts.push({ failure, operation: options.operation, remaining: options.times ?? 1, skip: options.skip ?? 0 });
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void this.handle(req.method ?? "GET", req.url ?? "/", req.headers, Buffer.concat(chunks), res);
      });
    });
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeScript(operation: string): ScriptedFailure | null {
    const i = this.scripts.findIndex((s) => s.operation === undefined || s.operation === operation);
    if (i < 0) return null;
    const script = this.scripts[i]!;
    if (script.skip > 0) {
      script.skip -= 1;
      return null;
    }
    script.remaining -= 1;
    if (script.remaining <= 0) this.scripts.splice(i, 1);
    return script.failure;
  }

  private async handle(method: string, rawUrl: string, headers: IncomingHttpHeaders, rawBody: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(rawUrl, "http://fake.invalid");
    let json: unknown;
    let jsonInvalid = false;
    if (rawBody.length > 0) {
      try {
        json = JSON.parse(rawBody.toString("utf8")) as unknown;
      } catch {
        jsonInvalid = true;
      }
    }
    const req: FakeRequest = { method, path: url.pathname, query: url.searchParams, headers, rawBody, json, jsonInvalid };
    const operation = this.operationOf(req);
    let scripted = this.takeScript(operation);
    if (scripted?.kind === "hang_up") {
      this.exchanges.push({ operation, method, path: req.path, body: json, headers, status: 0, outcome: "scripted" });
      res.socket?.destroy();
      return;
    }
    if (scripted?.kind === "slow") {
      await new Promise((r) => setTimeout(r, (scripted as { delayMs: number }).delayMs));
      scripted = null;
      if (!this.server) return;
    }
    let reply: HandledReply;
    try {
      reply = await this.handler(req, { scripted });
    } catch (err) {
      reply = { operation, outcome: "rejected", status: 500, body: { error: String(err) }, problem: `fake server error: ${String(err)}` };
    }
    const exchange: Exchange = { operation: reply.operation, method, path: req.path, body: json, headers, status: reply.status, outcome: reply.outcome };
    if (reply.problem !== undefined) exchange.problem = reply.problem;
    this.exchanges.push(exchange);
    const payload = reply.raw ?? Buffer.from(reply.body === undefined ? "" : JSON.stringify(reply.body), "utf8");
    res.writeHead(reply.status, { "content-type": reply.raw ? "application/octet-stream" : "application/json", "content-length": String(payload.length), ...reply.headers });
    res.end(payload);
  }
}

/** The Bearer token of a request, from the Authorization header or Graph's access_token query parameter. */
export function bearerToken(req: FakeRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header === "string") {
    const m = /^Bearer (\S+)$/.exec(header);
    return m?.[1] ?? null;
  }
  return req.query.get("access_token");
}
