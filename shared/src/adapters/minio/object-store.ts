// ObjectStore on MinIO or another S3-compatible server (cluster mode), through the minio client.
//
// One private bucket for every merchant; an object is named <merchantId>/<key>, and only the
// scoped store builds that name, from a merchant id and a key that both passed the port's
// validation (no "..", no empty or dot segments), so no key string reaches another merchant's
// prefix. The bucket is created when missing and given a policy that denies anonymous clients
// everything; on opening, two unsigned requests check that the server really refuses them.
//
// Presigned URLs are SigV4 query signatures (presign.ts) for the public endpoint, path-style:
// <publicEndpoint>/<bucket>/<merchantId>/<key>?X-Amz-...: a URL names one object, one method,
// and (for PUT) one Content-Type; S3 cannot limit an upload's size, so whoever accepts a
// presigned upload checks head() before using it (see PresignPutOptions.maxBytes).
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { Client } from "minio";
import type { Page } from "../../contracts/domain.js";
import { decodeCursor, encodeCursor } from "../../cursor.js";
import { PayloadTooLargeError, ValidationError } from "../../errors.js";
import {
  DEFAULT_MAX_OBJECT_BYTES,
  attachmentDisposition,
  effectiveMaxBytes,
  objectBodyChunks,
  objectListLimit,
  validateContentType,
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
import { presignUrl } from "./presign.js";

/** Shaped like Config["s3"], so the launcher can pass that straight in. */
export interface MinioObjectStoreOptions {
  /** Where this process reaches the server (S3_ENDPOINT), e.g. http://minio:9000. Origin only. */
  endpoint: string;
  /** Origin that presigned URLs name, for browsers and providers (S3_PUBLIC_ENDPOINT); default: endpoint. */
  publicEndpoint?: string | null;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** Default and ceiling of an object's size (default DEFAULT_MAX_OBJECT_BYTES). Bodies are held in memory up to it. */
  maxObjectBytes?: number;
  /**
   * Only for S3 test servers that have no access control at all (s3rver: no bucket policies, no
   * signature checks, anonymous requests served): skips setting the policy and the anonymous
   * probe, which such a server cannot pass. Never set in a deployment; no variable sets it.
   */
  testServerWithoutAccessControl?: boolean;
}

// S3 bucket naming rules (lower-case, 3-63 characters, no leading/trailing dot or hyphen).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** How many objects list() stats at once (listings carry no content type). */
const STAT_CONCURRENCY = 8;

/** A policy that denies every action on the bucket and its objects to unauthenticated clients. */
export function denyAnonymousPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "KaleemDenyAnonymous",
        Effect: "Deny",
        Principal: { AWS: ["*"] },
        Action: ["s3:*"],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        // Only requests without credentials: a plain Deny for "*" would lock out our own key too.
        Condition: { StringEquals: { "aws:PrincipalType": ["Anonymous"] } },
      },
    ],
  });
}

/** Throws unless the server refuses an unsigned listing of the bucket and an unsigned read from it. */
export async function assertAnonymousAccessDenied(endpoint: string, bucket: string): Promise<void> {
  const origin = new URL(endpoint).origin;
  const probes = [`/${bucket}?list-type=2&max-keys=1`, `/${bucket}/kaleem-anonymous-probe/${randomUUID()}`];
  for (const probe of probes) {
    const res = await fetch(`${origin}${probe}`, { redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 401 && res.status !== 403) {
      throw new Error(
        `Bucket "${bucket}" at ${origin} answers unauthenticated requests (GET ${probe.split("?")[0]} → ${res.status}); ` +
          "refusing to keep media in it. Remove any public/anonymous policy from the bucket.",
      );
    }
  }
}

function originOf(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`${what} is not a URL: ${value}`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new ValidationError(`${what} must be an http(s) origin without path, query or credentials: ${value}`);
  }
  return url;
}

/** S3 error codes of a minio client error, when it is one. */
function s3Code(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
const isMissing = (err: unknown) => ["NoSuchKey", "NotFound", "NoSuchObject"].includes(s3Code(err) ?? "");

const unquote = (etag: string) => etag.replace(/^(W\/)?"|"$/g, "");

export class MinioObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly region: string;
  readonly maxObjectBytes: number;
  private readonly client: Client;
  private readonly agent: http.Agent;
  private readonly endpoint: URL;
  private readonly publicOrigin: URL;

  constructor(private readonly options: MinioObjectStoreOptions) {
    if (!BUCKET.test(options.bucket)) throw new ValidationError(`Invalid bucket name: ${JSON.stringify(options.bucket)}`);
    if (!options.accessKey || !options.secretKey) throw new ValidationError("An S3 access key and secret key are required");
    this.bucket = options.bucket;
    this.region = options.region;
    this.maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
    this.endpoint = originOf(options.endpoint, "S3_ENDPOINT");
    this.publicOrigin = originOf(options.publicEndpoint ?? options.endpoint, "S3_PUBLIC_ENDPOINT");
    const useSSL = this.endpoint.protocol === "https:";
    // Our own keep-alive agent, so close() can drop its sockets.
    this.agent = useSSL ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.client = new Client({
      endPoint: this.endpoint.hostname.replace(/^\[|\]$/g, ""),
      port: this.endpoint.port ? Number(this.endpoint.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
      transportAgent: this.agent,
    });
  }

  /** Creates the bucket if missing, makes it private, and checks that it is. */
  async init(): Promise<this> {
    if (!(await this.client.bucketExists(this.bucket))) {
      try {
        await this.client.makeBucket(this.bucket, this.region);
      } catch (err) {
        // Another process created it first.
        if (!["BucketAlreadyOwnedByYou", "BucketAlreadyExists"].includes(s3Code(err) ?? "")) throw err;
      }
    }
    if (!this.options.testServerWithoutAccessControl) {
      try {
        await this.client.setBucketPolicy(this.bucket, denyAnonymousPolicy(this.bucket));
      } catch (err) {
        throw new Error(
          `Could not set the private policy on bucket "${this.bucket}" (${s3Code(err) ?? (err as Error).message}): ` +
            "the server must support bucket policies and the access key needs s3:PutBucketPolicy on the bucket",
          { cause: err },
        );
      }
      await assertAnonymousAccessDenied(this.endpoint.href, this.bucket);
    }
    return this;
  }

  forMerchant(merchantId: MerchantId): ScopedObjectStore {
    return new MinioScopedObjectStore(this, asMerchantId(validateMerchantSpace(merchantId)));
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new Error(`Bucket "${this.bucket}" does not exist`);
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  // ---- used by the scoped stores ---------------------------------------------------------------

  /** The one place an object name is made: validated merchant id, "/", validated key. */
  objectName(merchantId: string, key: string): string {
    return `${validateMerchantSpace(merchantId)}/${validateObjectKey(key)}`;
  }

  async write(merchantId: string, key: string, body: ObjectBody, options: PutObjectOptions): Promise<ObjectInfo> {
    const name = this.objectName(merchantId, key);
    const contentType = validateContentType(options.contentType);
    const maxBytes = effectiveMaxBytes(options.maxBytes, this.maxObjectBytes);
    // The body is counted as it arrives and refused at the first byte over the limit; one PUT is
    // sent only once all of it is here, so a refused or broken body sends nothing and the object
    // already under this name stays as it was (an S3 PUT replaces an object atomically).
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of objectBodyChunks(body)) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks, size);
    const { etag } = await this.client.putObject(this.bucket, name, bytes, size, { "Content-Type": contentType });
    // The write time is the server's: read it back so put() and head() report the same object.
    const stored = await this.stat(name, key);
    if (stored && stored.etag === unquote(etag)) return stored;
    return { key, size, contentType, etag: unquote(etag), lastModified: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString() };
  }

  async read(merchantId: string, key: string): Promise<StoredObject | null> {
    const name = this.objectName(merchantId, key);
    let res: http.IncomingMessage;
    try {
      // One GET whose response headers describe exactly the bytes that follow (no stat-then-get race).
      res = await this.client.makeRequestAsync({ method: "GET", bucketName: this.bucket, objectName: name }, "", [200]);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    const h = res.headers;
    const info: ObjectInfo = {
      key,
      size: Number(h["content-length"] ?? 0),
      contentType: h["content-type"] ?? "application/octet-stream",
      lastModified: new Date(h["last-modified"] ?? Date.now()).toISOString(),
      etag: unquote(String(h.etag ?? "")),
    };
    return { info, body: res as Readable };
  }

  async head(merchantId: string, key: string): Promise<ObjectInfo | null> {
    return this.stat(this.objectName(merchantId, key), key);
  }

  async remove(merchantId: string, key: string): Promise<void> {
    // S3 answers 204 for a missing key too: idempotent as the port asks.
    await this.client.removeObject(this.bucket, this.objectName(merchantId, key));
  }

  async list(merchantId: string, prefix: string, page: PageRequest = {}): Promise<Page<ObjectInfo>> {
    const root = `${validateMerchantSpace(merchantId)}/`;
    validateObjectPrefix(prefix);
    const limit = objectListLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor).id : null;
    // The server lists in key order from just after the cursor, inside this merchant's prefix only.
    const res = await this.client.listObjectsV2Query(this.bucket, root + prefix, "", "", limit, after === null ? "" : root + after);
    const keys = res.objects
      .map((o) => o.name)
      .filter((name): name is string => typeof name === "string" && name.startsWith(root + prefix))
      .map((name) => name.slice(root.length));
    const infos: Array<ObjectInfo | null> = new Array(keys.length).fill(null);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < keys.length; i = next++) infos[i] = await this.stat(root + keys[i]!, keys[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, keys.length) }, worker));
    const lastKey = keys[keys.length - 1];
    return {
      // An object deleted between the listing and its stat is left out, as it is gone.
      items: infos.filter((i): i is ObjectInfo => i !== null),
      nextCursor: res.isTruncated && lastKey !== undefined ? encodeCursor({ k: null, id: lastKey }) : null,
    };
  }

  presign(method: "GET" | "PUT", merchantId: string, key: string, expiresInSeconds: number, query: Record<string, string>, headers: Record<string, string>) {
    const name = this.objectName(merchantId, key);
    const seconds = validateExpiry(expiresInSeconds);
    // SigV4 dates have whole seconds; expiry counts from that second.
    const date = new Date(Math.floor(Date.now() / 1000) * 1000);
    const url = presignUrl({
      method,
      url: new URL(`/${this.bucket}/${name}`, this.publicOrigin),
      query,
      headers,
      accessKey: this.options.accessKey,
      secretKey: this.options.secretKey,
      region: this.region,
      date,
      expiresInSeconds: seconds,
    });
    return { url, expiresAt: new Date(date.getTime() + seconds * 1000).toISOString() };
  }

  private async stat(name: string, key: string): Promise<ObjectInfo | null> {
    try {
      const stat = await this.client.statObject(this.bucket, name);
      const contentType = stat.metaData["content-type"];
      return {
        key,
        size: stat.size,
        contentType: typeof contentType === "string" ? contentType : "application/octet-stream",
        lastModified: stat.lastModified.toISOString(),
        etag: unquote(stat.etag),
      };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }
}

/** Opens the MinIO/S3 object store: the bucket is created if missing and made (and checked) private. */
export async function openMinioObjectStore(options: MinioObjectStoreOptions): Promise<MinioObjectStore> {
  return new MinioObjectStore(options).init();
}

class MinioScopedObjectStore implements ScopedObjectStore {
  constructor(
    private readonly s3: MinioObjectStore,
    readonly merchantId: MerchantId,
  ) {}

  put(key: string, body: ObjectBody, options: PutObjectOptions): Promise<ObjectInfo> {
    return this.s3.write(this.merchantId, key, body, options);
  }

  get(key: string): Promise<StoredObject | null> {
    return this.s3.read(this.merchantId, key);
  }

  head(key: string): Promise<ObjectInfo | null> {
    return this.s3.head(this.merchantId, key);
  }

  delete(key: string): Promise<void> {
    return this.s3.remove(this.merchantId, key);
  }

  list(prefix: string, page?: PageRequest): Promise<Page<ObjectInfo>> {
    return this.s3.list(this.merchantId, prefix, page);
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<string> {
    const query: Record<string, string> = options.downloadName === undefined ? {} : { "response-content-disposition": attachmentDisposition(options.downloadName) };
    return this.s3.presign("GET", this.merchantId, key, options.expiresInSeconds, query, {}).url;
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedUpload> {
    const contentType = validateContentType(options.contentType);
    // Checked like everywhere else; S3 itself cannot hold an upload to it (see the port).
    effectiveMaxBytes(options.maxBytes, this.s3.maxObjectBytes);
    const { url, expiresAt } = this.s3.presign("PUT", this.merchantId, key, options.expiresInSeconds, {}, { "Content-Type": contentType });
    return { url, method: "PUT", headers: { "Content-Type": contentType }, expiresAt };
  }
}
