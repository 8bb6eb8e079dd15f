// fetch() for calls to addresses a merchant configured (a channel's apiBaseUrl, a commerce API):
// every connection goes through guardOutbound's lookup, so a name that resolves to this machine,
// its network or a cloud metadata address is refused at connect time (DNS rebinding included).
// Built on node:http(s) because the global fetch cannot take a lookup function.
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { guardOutbound, type OutboundPolicy, type Resolver, systemResolver } from "./outbound.js";

export type GuardedFetch = (input: string, init: RequestInit) => Promise<Response>;

function headerList(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init.headers ?? {}).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

async function bodyBytes(body: RequestInit["body"]): Promise<Buffer | null> {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}

export function guardedFetch(policy: OutboundPolicy, resolve: Resolver = systemResolver): GuardedFetch {
  return async (input, init) => {
    const { url, lookup } = guardOutbound(input, policy, resolve);
    const payload = await bodyBytes(init.body);
    const headers = headerList(init);
    if (payload && headers["content-length"] === undefined) headers["content-length"] = String(payload.length);
    return new Promise<Response>((resolvePromise, reject) => {
      const client = url.protocol === "https:" ? https : http;
      const req = client.request(url, { method: init.method ?? "GET", headers, lookup, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
          else if (value !== undefined) responseHeaders.set(key, value);
        }
        const status = res.statusCode ?? 502;
        // No body is allowed on these statuses in a Response.
        const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolvePromise(new Response(body, { status, statusText: res.statusMessage ?? "", headers: responseHeaders }));
      });
      req.on("error", reject);
      req.end(payload ?? undefined);
    });
  };
}
