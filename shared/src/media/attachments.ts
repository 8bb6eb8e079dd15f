// Attachments from shoppers and agents: upload URLs handed out per merchant, and the check a file
// passes when a message first references it — size, type sniffed from the bytes, no active
// content, image size read and metadata stripped, the merchant's quota — before it is stored
// under a key only that merchant's space holds. Ports only (Store, ObjectStore).
import { randomBytes } from "node:crypto";
import type { UploadCreate, UploadTicket } from "../contracts/attachments.js";
import type { AttachmentPart, Message } from "../contracts/domain.js";
import type { AttachmentLink } from "../contracts/api/inbox.js";
import { ConflictError, NotFoundError, PayloadTooLargeError, QuotaExceededError, UnsupportedFileError, ValidationError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ObjectStore, ScopedObjectStore } from "../ports/object-store.js";
import { asMerchantId, type Store, type SystemStore, type TenantStore, type UploadRecord } from "../ports/store.js";
import { processImage } from "./image.js";
import { activeContent, kindOf, sniffContentType } from "./sniff.js";

/** How long the PUT URL accepts the file. */
export const UPLOAD_URL_SECONDS = 10 * 60;
/** How long an upload may wait for the message that references it before the sweeper removes it. */
export const UPLOAD_CLAIM_SECONDS = 60 * 60;
/** How long a link to read an attachment lives: long enough to open it, short enough that a leaked link soon dies. */
export const ATTACHMENT_LINK_SECONDS = 300;
/** Messages searched for the attachment a link is asked for. */
const ATTACHMENT_LOOKBACK = 1000;
/** Decompression bombs: no side above this, no more pixels than that. */
export const MAX_IMAGE_SIDE = 20_000;
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Who asks: a widget visitor or a user of the merchant; only they may reference their uploads. */
export type UploadOwner = { visitorId: string } | { userId: string };
const ownerTag = (owner: UploadOwner) => ("visitorId" in owner ? `visitor:${owner.visitorId}` : `user:${owner.userId}`);

export const uploadObjectKey = (uploadId: string) => `uploads/${uploadId}`;
export const attachmentObjectKey = (uploadId: string) => `attachments/${uploadId}`;

export interface AttachmentServiceDeps {
  store: Store;
  objects: ObjectStore;
  logger?: Logger;
}

async function readAll(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

const partOf = (row: UploadRecord): AttachmentPart => ({
  type: "attachment",
  kind: row.kind ?? "document",
  key: row.key!,
  contentType: row.contentType!,
  size: row.size!,
  name: row.name,
  width: row.width,
  height: row.height,
});

export class AttachmentService {
  constructor(private readonly deps: AttachmentServiceDeps) {}

  private tenant(merchantId: string): TenantStore {
    return this.deps.store.forMerchant(asMerchantId(merchantId));
  }
  private objects(merchantId: string): ScopedObjectStore {
    return this.deps.objects.forMerchant(asMerchantId(merchantId));
  }

  /** A URL to PUT one file to; refused up front when the declared size or type cannot pass. */
  async createUpload(merchantId: string, owner: UploadOwner, input: UploadCreate): Promise<UploadTicket> {
    const tenant = this.tenant(merchantId);
    const settings = (await tenant.merchant.get()).attachments;
    if (input.size > settings.maxBytes) throw new PayloadTooLargeError(settings.maxBytes);
    // The declared type is the client's guess and is checked again against the bytes; this only
    // spares the shopper an upload that is bound to be refused.
    if (!(settings.allowedTypes as string[]).includes(input.contentType)) {
      throw new UnsupportedFileError(`This store accepts ${settings.allowedTypes.join(", ")}`);
    }
    if ((await tenant.uploads.usage()) + input.size > settings.quotaBytes) throw new QuotaExceededError();
    // 128 random bits: the id names a key, so it is unguessable as well as bound to its owner.
    const id = randomBytes(16).toString("base64url");
    await tenant.uploads.create({
      id,
      owner: ownerTag(owner),
      name: input.name,
      declaredType: input.contentType,
      maxBytes: settings.maxBytes,
      expiresAt: new Date(Date.now() + UPLOAD_CLAIM_SECONDS * 1000).toISOString(),
    });
    const put = await this.objects(merchantId).presignPut(uploadObjectKey(id), {
      expiresInSeconds: UPLOAD_URL_SECONDS,
      contentType: input.contentType,
      maxBytes: settings.maxBytes,
    });
    return { uploadId: id, url: put.url, method: "PUT", headers: put.headers, expiresAt: put.expiresAt, maxBytes: settings.maxBytes };
  }

  /**
   * The attachment parts of a message referencing these uploads in this conversation: each file is
   * checked and stored the first time; a retry (the same send again) gets the same parts back.
   */
  async claim(merchantId: string, owner: UploadOwner, conversationId: string, uploadIds: readonly string[]): Promise<AttachmentPart[]> {
    const parts: AttachmentPart[] = [];
    for (const id of new Set(uploadIds)) parts.push(await this.claimOne(merchantId, ownerTag(owner), conversationId, id));
    return parts;
  }

  private async claimOne(merchantId: string, owner: string, conversationId: string, id: string): Promise<AttachmentPart> {
    const tenant = this.tenant(merchantId);
    const objects = this.objects(merchantId);
    const row = await tenant.uploads.get(id);
    // Someone else's upload is as unknown as a missing one.
    if (!row || row.owner !== owner) throw new NotFoundError("Upload");
    if (row.state === "stored") {
      if (row.conversationId !== conversationId) throw new ConflictError("This upload belongs to another message");
      return partOf(row);
    }
    if (Date.parse(row.expiresAt) <= Date.now()) throw new NotFoundError("Upload");
    const settings = (await tenant.merchant.get()).attachments;
    const uploaded = await objects.get(uploadObjectKey(id));
    if (!uploaded) throw new ValidationError("The file has not been uploaded yet: PUT it to the upload URL first");

    // A refused file is gone at once (upload object and record); a checked one no longer needs
    // its upload object; after a transient failure (the object store down) both stay for a retry.
    let done = false;
    let refused = false;
    try {
      // S3 cannot limit a presigned PUT: the size is checked here, on what arrived.
      const raw = await readAll(uploaded.body, Math.min(settings.maxBytes, row.maxBytes));
      const sniffed = sniffContentType(raw);
      if (!sniffed) throw new UnsupportedFileError("The file is not an image, PDF or other type this store accepts (HTML and SVG are never accepted)");
      if (!settings.allowedTypes.includes(sniffed)) throw new UnsupportedFileError(`This store does not accept ${sniffed}`);
      let bytes: Uint8Array = raw;
      let width: number | null = null;
      let height: number | null = null;
      if (sniffed.startsWith("image/")) {
        const image = processImage(sniffed, raw);
        if (image.size.width > MAX_IMAGE_SIDE || image.size.height > MAX_IMAGE_SIDE || image.size.width * image.size.height > MAX_IMAGE_PIXELS) {
          throw new UnsupportedFileError(`Images may be at most ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
        }
        bytes = image.bytes;
        width = image.size.width;
        height = image.size.height;
      }
      // Checked on what will be stored (metadata already gone), so markup hidden in a comment that
      // stripping removed does not refuse the photo, and markup anywhere else does.
      const active = activeContent(bytes, sniffed);
      if (active) throw new UnsupportedFileError(`Refused: ${active}`);

      const key = attachmentObjectKey(id);
      await objects.put(key, bytes, { contentType: sniffed });
      const stored = { conversationId, key, contentType: sniffed, size: bytes.byteLength, kind: kindOf(sniffed), width, height };
      const outcome = await tenant.uploads.markStored(id, stored, settings.quotaBytes);
      if (outcome === "quota") {
        await objects.delete(key);
        throw new QuotaExceededError();
      }
      done = true;
      if (outcome === "not_pending") {
        // Another send of the same message claimed it first (two tabs, a retry racing the first try).
        const again = await tenant.uploads.get(id);
        if (again?.state === "stored" && again.conversationId === conversationId) return partOf(again);
        throw new ConflictError("This upload belongs to another message");
      }
      return partOf({ ...row, ...stored, state: "stored" });
    } catch (err) {
      refused = err instanceof UnsupportedFileError || err instanceof PayloadTooLargeError || err instanceof QuotaExceededError || err instanceof ValidationError;
      throw err;
    } finally {
      uploaded.body.destroy();
      if (done || refused) {
        await objects.delete(uploadObjectKey(id)).catch((err: unknown) => this.deps.logger?.warn({ err, uploadId: id }, "upload object not removed"));
      }
      if (refused) await tenant.uploads.delete(id);
    }
  }

  /**
   * Forgets claimed uploads a message will not carry after all (the channel refused them): their
   * object and record go, so the quota is not spent on nothing. Only the owner's, in this conversation.
   */
  async release(merchantId: string, owner: UploadOwner, conversationId: string, uploadIds: readonly string[]): Promise<void> {
    const tenant = this.tenant(merchantId);
    for (const id of new Set(uploadIds)) {
      const row = await tenant.uploads.get(id);
      if (!row || row.owner !== ownerTag(owner) || row.conversationId !== conversationId) continue;
      if (row.key) await this.objects(merchantId).delete(row.key);
      await tenant.uploads.delete(id);
    }
  }

  /**
   * A short-lived link to one attachment of a conversation: only a key that one of its messages
   * carries (that the viewer may see), so a key leaked from another conversation or merchant
   * opens nothing. Images are served inline; anything else as a download.
   */
  async link(merchantId: string, conversationId: string, key: string, viewer: "agent" | "shopper"): Promise<AttachmentLink> {
    const tenant = this.tenant(merchantId);
    const messages = await tenant.messages.listLatest(conversationId, ATTACHMENT_LOOKBACK);
    const visible = viewer === "agent" ? messages : messages.filter((m: Message) => m.role !== "note" && m.role !== "system");
    const part = visible.flatMap((m) => m.parts).find((p): p is AttachmentPart => p.type === "attachment" && p.key === key);
    if (!part) throw new NotFoundError("Attachment");
    const url = await this.objects(merchantId).presignGet(part.key, {
      expiresInSeconds: ATTACHMENT_LINK_SECONDS,
      ...(part.kind === "image" && part.contentType.startsWith("image/") && part.contentType !== "image/svg+xml"
        ? {}
        : { downloadName: downloadName(part) }),
    });
    return { url, expiresAt: new Date(Date.now() + ATTACHMENT_LINK_SECONDS * 1000).toISOString() };
  }

  /** Removes uploads no message referenced in time (their object and record). Returns how many. */
  async sweep(system: SystemStore, limit = 100, now: Date = new Date()): Promise<number> {
    const expired = await system.uploads.listExpired({ now: now.toISOString(), limit });
    for (const { merchantId, id } of expired) {
      const objects = this.objects(merchantId);
      // Both keys: a claim cut short between storing and recording leaves the checked copy behind.
      await objects.delete(uploadObjectKey(id));
      await objects.delete(attachmentObjectKey(id));
      await this.tenant(merchantId).uploads.delete(id);
    }
    return expired.length;
  }
}

function downloadName(part: AttachmentPart): string {
  const name = (part.name ?? part.key.split("/").pop() ?? "file").replace(/[\p{Cc}"\\/]/gu, "_").slice(0, 200);
  return name || "file";
}
