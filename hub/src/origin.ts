// Cross-site WebSocket hijacking defence, in two places. Engine.IO's CORS delegate judges the page's
// Origin on every HTTP request (the handshake's verdict is kept beside the request): only an allowed
// origin gets Access-Control-Allow-Origin, so a foreign page cannot read a long-polling answer, its
// session id included. The namespace middlewares then refuse a connection from a disallowed origin
// with a reason (`origin_not_allowed` in connect_error), which programs and websocket clients see.
// An Engine.IO middleware binds every session to the origin of its handshake: a session id used
// from another origin (a stolen sid, a page replaying another's) is refused on every request, and
// a session that never joins a namespace is closed after the server's connect timeout.
import type { IncomingMessage, ServerResponse } from "node:http";
import { publicBaseUrl, type Config, type MerchantProfiles, type PublicMerchant, type Store } from "@kaleem/shared";

export function normalizeOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin.toLowerCase() : null;
  } catch {
    return null;
  }
}

// An allow-list normalized once per list: the cached merchant profile hands every connect the same
// (frozen) array, and parsing each entry as a URL on every handshake was a visible share of a connect.
const normalizedLists = new WeakMap<readonly string[], ReadonlySet<string>>();
function normalizedList(allowed: readonly string[]): ReadonlySet<string> {
  let set = normalizedLists.get(allowed);
  if (!set) {
    set = new Set(allowed.map(normalizeOrigin).filter((o): o is string => o !== null));
    // Only a list that cannot change later may be remembered.
    if (Object.isFrozen(allowed)) normalizedLists.set(allowed, set);
  }
  return set;
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  const o = normalizeOrigin(origin);
  return o !== null && normalizedList(allowed).has(o);
}

/** What the handshake's Origin check found, kept beside the request for the namespace middlewares and the session's later requests. */
export interface OriginVerdict {
  origin: string | null;
  /** The origin a session from this handshake is bound to (bindingOf). */
  binding: string;
  /** Merchant whose widget key came in the query and whose allow-list accepted the origin. */
  widgetMerchantId: string | null;
  /** The origin may open /inbox (dashboard origins, same host) or there is no Origin at all. */
  inboxOk: boolean;
  /** What the page asked for is allowed from it: the query key's widget, or (without a key) the inbox. */
  allowed: boolean;
}
/** The query's widget key and the merchant as read for this handshake (with widgetMerchantId). */
export interface JudgedWidget {
  key: string;
  merchant: PublicMerchant;
}
// Kept beside the request, not on it: the request lives as long as its socket, and a property
// added to it (engine.io deletes one of its own later) turns it into a slow dictionary-mode object
// of about 1.6 KB per connection.
const verdicts = new WeakMap<IncomingMessage, OriginVerdict>();
const judgedWidgets = new WeakMap<IncomingMessage, JudgedWidget>();
export const originVerdict = (req: IncomingMessage): OriginVerdict | undefined => verdicts.get(req);
/**
 * The widget the handshake judged, handed over once: the namespace's authentication of the same
 * key a moment later does not read it again, and the merchant is not kept for the socket's life.
 */
export function takeJudgedWidget(req: IncomingMessage): JudgedWidget | undefined {
  const widget = judgedWidgets.get(req);
  judgedWidgets.delete(req);
  return widget;
}

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

/** An origin as sessions are bound to it: normalized, or "" for none (apps, programs). */
const bindingOf = (origin: string | null): string => {
  if (origin === null) return "";
  const normalized = normalizeOrigin(origin);
  // The header's own string when it is already normalized: one copy per session, not two.
  return normalized === null ? `invalid:${origin}` : normalized === origin ? origin : normalized;
};
const sidOf = (req: IncomingMessage): string | null => new URL(req.url ?? "/", "http://localhost").searchParams.get("sid");

export interface OriginGuard {
  /** engine.io's `cors` option: echoes the Origin only to pages the connection is allowed from. */
  cors(req: object, callback: (err: Error | null, options?: { origin: boolean; credentials: boolean }) => void): void;
  /** engine.io middleware (`io.engine.use`): judges handshakes; a session's later requests must keep its origin. */
  sameOrigin(req: IncomingMessage, res: ServerResponse, next: (err?: Error) => void): void;
}

/**
 * `handshakeOf(sid)`: the handshake request of a live Engine.IO session (engine.io's own table of
 * sessions). A session is bound to the origin its handshake's verdict recorded, so the guard keeps
 * no table or close listener of its own per connection.
 */
export function createOriginGuard(config: Config, store: Store, profiles: MerchantProfiles, handshakeOf: (sid: string) => IncomingMessage | undefined): OriginGuard {
  const sessionOf = (sid: string | null): { origin: string; allowed: boolean } | undefined => {
    const req = sid ? handshakeOf(sid) : undefined;
    if (!req) return undefined;
    const verdict = originVerdict(req);
    return verdict ? { origin: verdict.binding, allowed: verdict.allowed } : { origin: bindingOf(effectiveOrigin(req)), allowed: false };
  };

  const judge = async (req: IncomingMessage): Promise<OriginVerdict> => {
    const cached = originVerdict(req);
    if (cached) return cached;
    const origin = effectiveOrigin(req);
    const widgetKey = new URL(req.url ?? "/", "http://localhost").searchParams.get("widgetKey");
    const inboxOk = origin === null || originAllowed(origin, inboxOrigins(config)) || sameHost(origin, req);
    let widgetMerchantId: string | null = null;
    if (widgetKey) {
      const merchantId = await store.lookup.merchantByWidgetKey(widgetKey);
      // Read through the cache: every shopper's handshake asks for this; the key lookup itself is not
      // cached (a rotated key must stop working at once, and it is keyed by no merchant).
      const merchant = merchantId ? await profiles.get(merchantId) : null;
      if (merchantId && merchant && (origin === null || originAllowed(origin, merchant.widget.allowedOrigins))) {
        widgetMerchantId = merchantId;
        judgedWidgets.set(req, { key: widgetKey, merchant });
      }
    }
    const verdict: OriginVerdict = { origin, binding: bindingOf(origin), widgetMerchantId, inboxOk, allowed: widgetKey ? widgetMerchantId !== null : inboxOk };
    verdicts.set(req, verdict);
    return verdict;
  };

  return {
    cors(rawReq, callback) {
      // Typed by the cors package as a minimal request; engine.io hands it the IncomingMessage itself.
      const req = rawReq as IncomingMessage;
      const session = sessionOf(sidOf(req));
      if (session) return callback(null, { origin: session.allowed && bindingOf(effectiveOrigin(req)) === session.origin, credentials: false });
      judge(req).then(
        (verdict) => callback(null, { origin: verdict.allowed, credentials: false }),
        () => callback(null, { origin: false, credentials: false }),
      );
    },
    sameOrigin(req, _res, next) {
      const sid = sidOf(req);
      if (!sid) {
        // A handshake: judged here too, so the namespaces always find the verdict (CORS may be skipped).
        judge(req).then(() => next(), next);
        return;
      }
      const session = sessionOf(sid);
      // Unknown ids are engine.io's to refuse.
      if (!session || bindingOf(effectiveOrigin(req)) === session.origin) return next();
      next(new Error("this session belongs to another origin"));
    },
  };
}
