// The HTTP side of the local-disk store's presigned URLs: GET/HEAD serve an object, PUT accepts
// one upload, each only with a valid, unexpired signature for exactly that merchant, key and
// method (and, for PUT, content type and size limit). The launcher mounts it in front of its
// other handlers: it answers requests under the store's base path and returns false for others.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { AppError, ForbiddenError, PayloadTooLargeError, ValidationError } from "../../errors.js";
import { attachmentDisposition } from "../../ports/object-store.js";
import type { LocalDiskObjectStore, MediaGrant } from "./object-store.js";

export type MediaHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

class UrlExpiredError extends AppError {
  constructor() {
    super("url_expired", 403, "This link has expired");
  }
}

function sendError(res: ServerResponse, err: unknown): void {
  const known = err instanceof AppError;
  const status = known ? err.status : 500;
  const body = JSON.stringify({ error: known ? { code: err.code, message: err.message } : { code: "internal", message: "Internal server error" } });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

function wholeNumber(value: string | null, what: string): number {
  if (value === null || !/^\d{1,15}$/.test(value)) throw new ForbiddenError(`Missing or malformed ${what}`);
  return Number(value);
}

export function createMediaHandler(store: LocalDiskObjectStore): MediaHandler {
  const base = `${store.basePath}/`;
  return async (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://media.invalid");
    } catch {
      // A target that is no URL path at all ("//", "//host") is not ours to answer.
      return false;
    }
    if (!url.pathname.startsWith(base)) return false;
    try {
      const rest = url.pathname.slice(base.length);
      // Keys have no character that needs escaping: an escape is an attempt to smuggle one in.
      if (rest.includes("%")) throw new ValidationError("Invalid object path");
      const slash = rest.indexOf("/");
      if (slash <= 0) throw new ValidationError("Invalid object path");
      const merchantId = rest.slice(0, slash);
      const key = rest.slice(slash + 1);
      store.filePath(merchantId, key);

      const method = req.method === "HEAD" ? "GET" : req.method;
      if (method !== "GET" && method !== "PUT") {
        res.writeHead(405, { Allow: "GET, HEAD, PUT" }).end();
        return true;
      }
      const q = url.searchParams;
      const exp = wholeNumber(q.get("exp"), "expiry");
      const grant: MediaGrant =
        method === "GET"
          ? { method, merchantId, key, exp, downloadName: q.get("dl") }
          : { method, merchantId, key, exp, contentType: q.get("ct") ?? "", maxBytes: wholeNumber(q.get("max"), "size limit") };
      if (!store.verify(grant, q.get("sig") ?? "")) throw new ForbiddenError("Invalid signature");
      if (Math.floor(Date.now() / 1000) > exp) throw new UrlExpiredError();

      if (grant.method === "GET") await serve(store, grant, req, res);
      else await accept(store, grant, req, res);
    } catch (err) {
      sendError(res, err);
    }
    return true;
  };
}

async function serve(store: LocalDiskObjectStore, grant: Extract<MediaGrant, { method: "GET" }>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const found = await store.read(grant.merchantId, grant.key, req.method !== "HEAD");
  if (!found) {
    sendError(res, new AppError("not_found", 404, "Object not found"));
    return;
  }
  const { info, body } = found;
  res.writeHead(200, {
    "Content-Type": info.contentType,
    "Content-Length": info.size,
    ETag: `"${info.etag}"`,
    "Last-Modified": new Date(info.lastModified).toUTCString(),
    "Cache-Control": `private, max-age=${Math.max(0, Math.min(3600, grant.exp - Math.floor(Date.now() / 1000)))}`,
    "Content-Disposition": grant.downloadName ? attachmentDisposition(grant.downloadName) : "inline",
    // Served bytes are data, never a page: no sniffing into HTML, no scripts if opened directly.
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  if (!body) {
    res.end();
    return;
  }
  try {
    await pipeline(body, res);
  } catch {
    // The client went away mid-download; the stream and descriptor are closed by pipeline.
  }
}

async function accept(store: LocalDiskObjectStore, grant: Extract<MediaGrant, { method: "PUT" }>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.headers["content-type"] !== grant.contentType) throw new ForbiddenError(`This link accepts ${grant.contentType} only`);
  try {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > grant.maxBytes) throw new PayloadTooLargeError(grant.maxBytes);
    const info = await store.write(grant.merchantId, grant.key, req, grant.contentType, grant.maxBytes);
    res.writeHead(200, { ETag: `"${info.etag}"`, "Content-Length": 0 }).end();
  } catch (err) {
    // The rest of an oversize body is not read: answer, then close the connection.
    if (err instanceof PayloadTooLargeError) res.setHeader("Connection", "close");
    throw err;
  }
}
