// The address a request came from, for per-IP limits and audit rows, the same way for REST and the
// realtime hub. The socket's remote address counts unless the operator declared how many proxies
// of theirs sit in front (TRUST_PROXY_HOPS): then the client is the entry those proxies appended to
// X-Forwarded-For, counted from the right, so whatever a client writes in front of it is ignored.
import type { IncomingHttpHeaders } from "node:http";

export interface RequestOrigin {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined };
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one client. */
function plainAddress(address: string): string {
  const trimmed = address.trim();
  return /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(trimmed) ? trimmed.slice(7) : trimmed;
}

export function clientAddress(req: RequestOrigin, trustProxyHops: number): string {
  const remote = plainAddress(req.socket.remoteAddress ?? "unknown");
  if (trustProxyHops <= 0) return remote;
  const header = req.headers["x-forwarded-for"];
  const raw = Array.isArray(header) ? header.join(",") : (header ?? "");
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return remote;
  // The last `hops` entries were written by our proxies; the first of them is the client they saw.
  const trusted = entries.slice(-trustProxyHops);
  return plainAddress(trusted[0]!);
}
