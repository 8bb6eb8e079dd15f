// ObjectStore on the local disk (embedded default): objects under <KALEEM_DATA_DIR>/media, one
// file per object, directories 0700 and files 0600. Presigned URLs are HMAC-signed links to the
// media handler (media-handler.ts), which the launcher mounts on the HTTP server.
//
// On disk: <root>/objects/<merchantId>/<key>~ where every key segment but the last is a directory
// (the "~" suffix, not a key character, keeps the object "a" and the directory of "a/b" apart).
// A file holds the body followed by a JSON trailer (content type, size, etag, time), its length
// and a magic tag, so one rename publishes body and metadata together: a reader sees the old
// object or the new one, never a mix, and a failed write leaves only a temp file that is removed.
import { createHash, randomUUID } from "node:crypto";
import { chmod, mkdir, open, readdir, rename, rm, access, constants, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import type { Page } from "../../contracts/domain.js";
import { hmacSha256, safeEqual } from "../../crypto.js";
import { decodeCursor, encodeCursor } from "../../cursor.js";
import { PayloadTooLargeError, ValidationError } from "../../errors.js";
import {
  DEFAULT_MAX_OBJECT_BYTES,
  effectiveMaxBytes,
  objectBodyChunks,
  objectListLimit,
  validateContentType,
  validateDownloadName,
  validateExpiry,
  validateMerchantSpace,
  validateObjectKey,
  validateObjectPrefix,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
  type PresignedUpload,
  type PresignGetOptions,
  type PresignPutOptions,
  type PutObjectOptions,
  type ScopedObjectStore,
  type StoredObject,
} from "../../ports/object-store.js";
import { asMerchantId, type MerchantId, type PageRequest } from "../../ports/store.js";

export interface LocalDiskObjectStoreOptions {
  /** Directory of the objects: localMediaRoot(config.dataDir). */
  root: string;
  /** Signs presigned URLs; at least 32 characters, stable across restarts (URLs outlive a process). */
  signingSecret: string;
  /** Origin clients reach the media handler at, e.g. publicBaseUrl(config): URLs are <origin><basePath>/... */
  publicBaseUrl: string;
  /** Path the media handler serves (default "/media"). */
  basePath?: string;
  /** Default and ceiling of an object's size (default DEFAULT_MAX_OBJECT_BYTES). */
  maxObjectBytes?: number;
}

export const localMediaRoot = (dataDir: string): string => path.join(dataDir, "media");

const OBJECT_SUFFIX = "~";
const MAGIC = Buffer.from("KOB1");
const MAX_TRAILER_BYTES = 4096;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

const trailerSchema = z.object({
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  lastModified: z.string(),
});
type Trailer = z.infer<typeof trailerSchema>;

/** What a presigned URL authorizes, as the media handler reads it back. */
export type MediaGrant =
  | { method: "GET"; merchantId: string; key: string; exp: number; downloadName: string | null }
  | { method: "PUT"; merchantId: string; key: string; exp: number; contentType: string; maxBytes: number };

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

export class LocalDiskObjectStore implements ObjectStore {
  readonly basePath: string;
  readonly maxObjectBytes: number;
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private readonly origin: string;

  constructor(private readonly options: LocalDiskObjectStoreOptions) {
    if (options.signingSecret.length < 32) throw new ValidationError("The media signing secret must be at least 32 characters");
    this.basePath = options.basePath ?? "/media";
    if (!/^(\/[A-Za-z0-9_-]+)+$/.test(this.basePath)) throw new ValidationError(`Invalid media base path: ${this.basePath}`);
    this.origin = new URL(options.publicBaseUrl).origin;
    this.maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
    this.objectsDir = path.join(path.resolve(options.root), "objects");
    this.tmpDir = path.join(path.resolve(options.root), "tmp");
  }

  /** Creates the directories (0700, also when they existed with looser modes). */
  async init(): Promise<this> {
    const root = path.resolve(this.options.root);
    for (const dir of [root, this.objectsDir, this.tmpDir]) {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      await chmod(dir, DIR_MODE);
    }
    // Temp files of a write cut short by a crash: never published, safe to drop.
    for (const name of await readdir(this.tmpDir)) await rm(path.join(this.tmpDir, name), { force: true });
    return this;
  }

  forMerchant(merchantId: MerchantId): ScopedObjectStore {
    return new LocalScopedObjectStore(this, asMerchantId(validateMerchantSpace(merchantId)));
  }

  async ping(): Promise<void> {
    await access(this.objectsDir, constants.R_OK | constants.W_OK);
  }

  async close(): Promise<void> {}

  // ---- used by the scoped stores and the media handler ----------------------------------------

  /** The object's file; throws ValidationError for anything that is not a valid merchant id and key. */
  filePath(merchantId: string, key: string): string {
    const merchantDir = path.join(this.objectsDir, validateMerchantSpace(merchantId));
    const file = path.join(merchantDir, ...validateObjectKey(key).split("/")) + OBJECT_SUFFIX;
    // Validation already rules out "..", absolute and empty segments; this is the belt to those braces.
    if (!file.startsWith(merchantDir + path.sep)) throw new ValidationError("Invalid object key");
    return file;
  }

  async write(merchantId: string, key: string, body: ObjectBody, contentType: string, maxBytes: number): Promise<ObjectInfo> {
    const dest = this.filePath(merchantId, key);
    validateContentType(contentType);
    const tmp = path.join(this.tmpDir, randomUUID());
    const fh = await open(tmp, "wx", FILE_MODE);
    let closed = false;
    let published = false;
    try {
      const hash = createHash("md5");
      let size = 0;
      for await (const chunk of objectBodyChunks(body)) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
        hash.update(chunk);
        await writeAll(fh, chunk);
      }
      const trailer: Trailer = { contentType, size, etag: hash.digest("hex"), lastModified: new Date().toISOString() };
      const json = Buffer.from(JSON.stringify(trailer), "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32BE(json.byteLength);
      await writeAll(fh, Buffer.concat([json, length, MAGIC]));
      await fh.sync();
      await fh.close();
      closed = true;
      await mkdir(path.dirname(dest), { recursive: true, mode: DIR_MODE });
      await rename(tmp, dest);
      published = true;
      return { key, size: trailer.size, contentType, lastModified: trailer.lastModified, etag: trailer.etag };
    } finally {
      if (!closed) await fh.close().catch(() => {});
      if (!published) await rm(tmp, { force: true });
    }
  }

  /** Opens the object for reading: its metadata and, if asked, a stream of exactly its body. */
  async read(merchantId: string, key: string, withBody: boolean): Promise<{ info: ObjectInfo; body: Readable | null } | null> {
    const file = this.filePath(merchantId, key);
    let fh: FileHandle;
    try {
      fh = await open(file, "r");
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    let handedOver = false;
    try {
      // One descriptor for trailer and body: a concurrent replace cannot mix two versions.
      const { size: fileSize } = await fh.stat();
      const tail = Buffer.alloc(8);
      if (fileSize < 8) throw new Error(`corrupt object file ${file}`);
      await fh.read(tail, 0, 8, fileSize - 8);
      const trailerLength = tail.readUInt32BE(0);
      if (!tail.subarray(4).equals(MAGIC) || trailerLength > MAX_TRAILER_BYTES || trailerLength + 8 > fileSize) {
        throw new Error(`corrupt object file ${file}`);
      }
      const json = Buffer.alloc(trailerLength);
      await fh.read(json, 0, trailerLength, fileSize - 8 - trailerLength);
      const trailer = trailerSchema.parse(JSON.parse(json.toString("utf8")));
      if (trailer.size !== fileSize - 8 - trailerLength) throw new Error(`corrupt object file ${file}`);
      const info: ObjectInfo = { key, size: trailer.size, contentType: trailer.contentType, lastModified: trailer.lastModified, etag: trailer.etag };
      if (!withBody) return { info, body: null };
      const body = trailer.size === 0 ? Readable.from([]) : fh.createReadStream({ start: 0, end: trailer.size - 1, autoClose: true });
      if (trailer.size > 0) handedOver = true;
      return { info, body };
    } finally {
      if (!handedOver) await fh.close().catch(() => {});
    }
  }

  async remove(merchantId: string, key: string): Promise<void> {
    await rm(this.filePath(merchantId, key), { force: true });
  }

  async list(merchantId: string, prefix: string, page: PageRequest = {}): Promise<Page<ObjectInfo>> {
    validateObjectPrefix(prefix);
    const limit = objectListLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor).id : null;
    const merchantDir = path.join(this.objectsDir, validateMerchantSpace(merchantId));
    // Only the directories the prefix can be in are walked.
    const prefixDir = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const keys = (await this.walk(merchantDir, prefixDir))
      .filter((k) => k.startsWith(prefix) && (after === null || k > after))
      .sort();
    const items: ObjectInfo[] = [];
    let nextCursor: string | null = null;
    for (const key of keys) {
      if (items.length === limit) {
        nextCursor = encodeCursor({ k: null, id: items[items.length - 1]!.key });
        break;
      }
      const found = await this.read(merchantId, key, false);
      if (found) items.push(found.info);
    }
    return { items, nextCursor };
  }

  private async walk(merchantDir: string, relative: string): Promise<string[]> {
    const dir = relative ? path.join(merchantDir, ...relative.split("/")) : merchantDir;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) keys.push(...(await this.walk(merchantDir, child)));
      else if (entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX)) keys.push(child.slice(0, -OBJECT_SUFFIX.length));
    }
    return keys;
  }

  // ---- presigned URLs ------------------------------------------------------------------------

  private sign(grant: MediaGrant): string {
    const parts =
      grant.method === "GET"
        ? ["GET", grant.merchantId, grant.key, String(grant.exp), grant.downloadName ?? ""]
        : ["PUT", grant.merchantId, grant.key, String(grant.exp), grant.contentType, String(grant.maxBytes)];
    return hmacSha256(this.options.signingSecret, `kaleem-media\n${parts.join("\n")}`);
  }

  urlFor(grant: MediaGrant): string {
    this.filePath(grant.merchantId, grant.key);
    const query = new URLSearchParams({ exp: String(grant.exp) });
    if (grant.method === "GET" && grant.downloadName) query.set("dl", grant.downloadName);
    if (grant.method === "PUT") {
      query.set("ct", grant.contentType);
      query.set("max", String(grant.maxBytes));
    }
    query.set("sig", this.sign(grant));
    return `${this.origin}${this.basePath}/${grant.merchantId}/${grant.key}?${query}`;
  }

  /** Whether `signature` was made by this store for `grant` (constant time). Expiry is the caller's check. */
  verify(grant: MediaGrant, signature: string): boolean {
    return safeEqual(this.sign(grant), signature);
  }
}

/** Opens (and creates) the local-disk object store: the embedded default for media. */
export async function openLocalDiskObjectStore(options: LocalDiskObjectStoreOptions): Promise<LocalDiskObjectStore> {
  return new LocalDiskObjectStore(options).init();
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

class LocalScopedObjectStore implements ScopedObjectStore {
  constructor(
    private readonly disk: LocalDiskObjectStore,
    readonly merchantId: MerchantId,
  ) {}

  put(key: string, body: ObjectBody, options: PutObjectOptions): Promise<ObjectInfo> {
    const maxBytes = effectiveMaxBytes(options.maxBytes, this.disk.maxObjectBytes);
    return this.disk.write(this.merchantId, key, body, options.contentType, maxBytes);
  }

  async get(key: string): Promise<StoredObject | null> {
    const found = await this.disk.read(this.merchantId, key, true);
    return found && found.body ? { info: found.info, body: found.body } : null;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    return (await this.disk.read(this.merchantId, key, false))?.info ?? null;
  }

  delete(key: string): Promise<void> {
    return this.disk.remove(this.merchantId, key);
  }

  list(prefix: string, page?: PageRequest): Promise<Page<ObjectInfo>> {
    return this.disk.list(this.merchantId, prefix, page);
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<string> {
    const exp = nowSeconds() + validateExpiry(options.expiresInSeconds);
    const downloadName = options.downloadName === undefined ? null : validateDownloadName(options.downloadName);
    return this.disk.urlFor({ method: "GET", merchantId: this.merchantId, key, exp, downloadName });
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedUpload> {
    const exp = nowSeconds() + validateExpiry(options.expiresInSeconds);
    const contentType = validateContentType(options.contentType);
    const maxBytes = effectiveMaxBytes(options.maxBytes, this.disk.maxObjectBytes);
    return {
      url: this.disk.urlFor({ method: "PUT", merchantId: this.merchantId, key, exp, contentType, maxBytes }),
      method: "PUT",
      headers: { "Content-Type": contentType },
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }
}
