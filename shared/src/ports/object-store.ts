// Object storage port (media: channel attachments, uploads, exports). Shaped after S3, so the
// local-disk adapter (embedded) and a MinIO/S3 adapter (cluster) implement the same thing: flat
// keys, whole-object puts, streaming gets, prefix listing in key order, and presigned URLs that
// let a browser or a provider fetch or upload one object without our credentials.
//
// Tenant isolation by construction, as with the Store port: operations exist only on a
// ScopedObjectStore obtained with objects.forMerchant(merchantId). Keys are relative to that
// merchant's space and the adapter prefixes them itself, so no key string, however crafted,
// names another merchant's object.
import type { Readable } from "node:stream";
import type { Page } from "../contracts/domain.js";
import { ValidationError } from "../errors.js";
import type { MerchantId, PageRequest } from "./store.js";

/** Bytes, or a stream of them (a Readable is one). */
export type ObjectBody = Uint8Array | AsyncIterable<Uint8Array>;

export interface ObjectInfo {
  /** The key inside the merchant's space, as the caller named it. */
  key: string;
  /** Bytes. */
  size: number;
  /** As given to put, unchanged. */
  contentType: string;
  /** ISO time of the write. */
  lastModified: string;
  /** Opaque content tag: equal for equal content, different when the content changes (S3 ETag, unquoted). */
  etag: string;
}

export interface PutObjectOptions {
  contentType: string;
  /** Refuse a larger body with PayloadTooLargeError; nothing is stored. Default and ceiling: the adapter's limit. */
  maxBytes?: number;
}

export interface PresignGetOptions {
  /** 1 s to MAX_PRESIGN_SECONDS. */
  expiresInSeconds: number;
  /** Served as an attachment with this file name (Content-Disposition) instead of inline. */
  downloadName?: string;
}

export interface PresignPutOptions {
  /** 1 s to MAX_PRESIGN_SECONDS. */
  expiresInSeconds: number;
  /** The upload must be sent with exactly this Content-Type. */
  contentType: string;
  /**
   * Upload limit. The local-disk adapter enforces it at upload time (413); an S3 presigned PUT
   * cannot limit size, so whoever accepts the upload checks head() before using the object.
   */
  maxBytes?: number;
}

export interface PresignedUpload {
  url: string;
  method: "PUT";
  /** Headers the uploader must send with the body. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  info: ObjectInfo;
  /** The content; read it to the end or destroy it. */
  body: Readable;
}

/** One merchant's objects. Every key is relative to the merchant's space. */
export interface ScopedObjectStore {
  readonly merchantId: MerchantId;
  /** Writes the whole object (replacing any at `key`); a failed or refused put leaves the old one. */
  put(key: string, body: ObjectBody, options: PutObjectOptions): Promise<ObjectInfo>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Idempotent, as on S3: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Objects whose key starts with `prefix` (a plain string prefix, "" for all), in key order. */
  list(prefix: string, page?: PageRequest): Promise<Page<ObjectInfo>>;
  /** A URL that serves this object until it expires (the object need not exist yet). */
  presignGet(key: string, options: PresignGetOptions): Promise<string>;
  /** A URL that accepts one upload of this object until it expires. */
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedUpload>;
}

export interface ObjectStore {
  forMerchant(merchantId: MerchantId): ScopedObjectStore;
  /** Throws if the backend cannot serve requests (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MAX_OBJECT_KEY_LENGTH = 512;
/** SigV4 presigned URLs live at most 7 days; the local adapter keeps the same ceiling. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
export const DEFAULT_OBJECT_LIST_LIMIT = 100;
export const MAX_OBJECT_LIST_LIMIT = 1000;
/** Default and ceiling for one object (uploads larger than this are refused). */
export const DEFAULT_MAX_OBJECT_BYTES = 25 * 1024 * 1024;

// Segments of letters, digits, ".", "_" and "-", not starting with "." (so never "." or "..",
// never a hidden file), joined by single slashes. Safe as a file path and as an S3 key alike.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MERCHANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
// type/subtype with token characters, optional parameters; no control characters (header-safe).
const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}([ \t]*;[ \t]*[A-Za-z0-9!#$&^_.+-]+=("[^"\\\p{Cc}]*"|[A-Za-z0-9!#$&^_.+-]+))*$/u;

/** Returns the key when it is a valid object key; ValidationError (nothing touched) otherwise. */
export function validateObjectKey(key: string): string {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_OBJECT_KEY_LENGTH || !key.split("/").every((s) => SEGMENT.test(s))) {
    throw new ValidationError(
      `Invalid object key: use 1-${MAX_OBJECT_KEY_LENGTH} characters, segments of letters, digits, ".", "_" or "-" (not starting with ".") separated by single "/"`,
    );
  }
  return key;
}

/** A list prefix: "" or key characters, where every complete segment is valid (no "..", no "//"). */
export function validateObjectPrefix(prefix: string): string {
  if (prefix === "") return prefix;
  const segments = prefix.split("/");
  const complete = segments.slice(0, -1);
  const last = segments[segments.length - 1]!;
  if (prefix.length > MAX_OBJECT_KEY_LENGTH || !complete.every((s) => SEGMENT.test(s)) || (last !== "" && !SEGMENT.test(last))) {
    throw new ValidationError("Invalid object prefix: it must be the start of a valid object key");
  }
  return prefix;
}

export function validateMerchantSpace(merchantId: string): string {
  if (!MERCHANT_ID.test(merchantId)) throw new ValidationError("Invalid merchant id for object storage");
  return merchantId;
}

export function validateContentType(contentType: string): string {
  if (typeof contentType !== "string" || contentType.length > 255 || !CONTENT_TYPE.test(contentType)) {
    throw new ValidationError(`Invalid content type: ${JSON.stringify(String(contentType).slice(0, 80))}`);
  }
  return contentType;
}

export function validateExpiry(expiresInSeconds: number): number {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new ValidationError(`expiresInSeconds must be a whole number from 1 to ${MAX_PRESIGN_SECONDS}`);
  }
  return expiresInSeconds;
}

/** The size limit to apply: the caller's, never above the adapter's ceiling. */
export function effectiveMaxBytes(requested: number | undefined, ceiling: number): number {
  if (requested === undefined) return ceiling;
  if (!Number.isInteger(requested) || requested < 0) throw new ValidationError("maxBytes must be a whole number of bytes");
  if (requested > ceiling) throw new ValidationError(`maxBytes may be at most ${ceiling}`);
  return requested;
}

/** A file name for Content-Disposition: printable, no quotes, slashes or control characters. */
export function validateDownloadName(name: string): string {
  if (typeof name !== "string" || name.length === 0 || name.length > 200 || /[\p{Cc}"\\/]/u.test(name)) {
    throw new ValidationError("Invalid download name");
  }
  return name;
}

/** RFC 6266 attachment header with an ASCII fallback and the UTF-8 name (of a validated download name). */
export function attachmentDisposition(name: string): string {
  const ascii = validateDownloadName(name).replace(/[^\x20-\x7e]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The page size a list call uses: the caller's, within 1..MAX_OBJECT_LIST_LIMIT. */
export function objectListLimit(page: PageRequest = {}): number {
  return Math.min(MAX_OBJECT_LIST_LIMIT, Math.max(1, page.limit ?? DEFAULT_OBJECT_LIST_LIMIT));
}

/** The chunks of a body; a stream that yields strings is refused (bodies are bytes). */
export async function* objectBodyChunks(body: ObjectBody): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  for await (const chunk of body) {
    if (typeof chunk === "string") throw new ValidationError("Object bodies are bytes, not strings");
    yield chunk;
  }
}
