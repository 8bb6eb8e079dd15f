// Cross-site WebSocket hijacking defence. Browsers always send Origin on websocket upgrades and
// cross-origin XHR, so the check runs in engine.io's allowRequest: the first request of every
// connection, long-polling included, is refused before any namespace sees it.
import type { IncomingMessage } from "node:http";
import { publicBaseUrl, type Config, type Store } from "@kaleem/shared";

export function normalizeOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  const o = normalizeOrigin(origin);
  return o !== null && allowed.some((a) => normalizeOrigin(a) === o);
}

/** What allowRequest learned, kept on the request for the namespace middlewares. */
export interface OriginVerdict {
  origin: string | null;
  /** Merchant whose widget key came in the query and whose allow-list accepted the origin. */
  widgetMerchantId: string | null;
  /** The origin may open /inbox (dashboard origins, same host) or there is no Origin at all. */
  inboxOk: boolean;
}
const VERDICT = Symbol.for("kaleem.originVerdict");
type WithVerdict = IncomingMessage & { [VERDICT]?: OriginVerdict };
export const originVerdict = (req: IncomingMessage): OriginVerdict | undefined => (req as WithVerdict)[VERDICT];

function inboxOrigins(config: Config): string[] {
  return [...config.cors.origins, publicBaseUrl(config)];
}

function sameHost(origin: string, req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The page's origin. Browsers leave Origin off same-origin GETs — the long-polling requests of a
 * page served by Kaleem itself, such as the demo storefront — but always send Sec-Fetch-Site, so
 * such a request is treated as coming from this host. Cross-site requests always carry Origin.
 */
export function effectiveOrigin(req: IncomingMessage): string | null {
  if (typeof req.headers.origin === "string") return req.headers.origin;
  const host = req.headers.host;
  if (req.headers["sec-fetch-site"] !== "same-origin" || !host) return null;
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = forwarded === "https" || forwarded === "http" ? forwarded : "encrypted" in req.socket && req.socket.encrypted ? "https" : "http";
  return `${proto}://${host}`;
}

export function createAllowRequest(config: Config, store: Store) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    void (async () => {
      const origin = effectiveOrigin(req);
      const widgetKey = new URL(req.url ?? "/", "http://localhost").searchParams.get("widgetKey");
      const inboxOk = origin === null || originAllowed(origin, inboxOrigins(config)) || sameHost(origin, req);
      let widgetMerchantId: string | null = null;
      if (widgetKey) {
        const merchantId = await store.lookup.merchantByWidgetKey(widgetKey);
        if (!merchantId) return callback("unknown widget key", false);
        if (origin !== null) {
          const merchant = await store.forMerchant(merchantId).merchant.get();
          if (!originAllowed(origin, merchant.widget.allowedOrigins)) return callback("origin not allowed", false);
        }
        widgetMerchantId = merchantId;
      } else if (!inboxOk) {
        return callback("origin not allowed", false);
      }
      (req as WithVerdict)[VERDICT] = { origin, widgetMerchantId, inboxOk };
      callback(null, true);
    })().catch(() => callback("origin check failed", false));
  };
}

/**
 * CORS for engine.io's HTTP requests. engine.io runs its CORS middleware before allowRequest, so
 * the same check decides here: the page's origin is echoed in Access-Control-Allow-Origin only when
 * allowRequest would accept the request, and a refused handshake (403) tells a foreign page nothing.
 */
export function createCorsDelegate(allowRequest: ReturnType<typeof createAllowRequest>) {
  // Typed by the cors package as a minimal request; engine.io hands it the IncomingMessage itself.
  return (req: object, callback: (err: Error | null, options?: { origin: boolean; credentials: boolean }) => void): void => {
    allowRequest(req as IncomingMessage, (_err, success) => callback(null, { origin: success, credentials: false }));
  };
}
