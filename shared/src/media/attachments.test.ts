// The attachment flow over real parts: a SQLite store, the object store on local disk (its media
// handler on a real HTTP port) and on s3rver through the MinIO adapter; files PUT with fetch to the
// presigned URL exactly as a browser would, then claimed as a message would claim them.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3rver, testStoreCrypto, type S3rverServer } from "@kaleem/shared/testing";
import { createMediaHandler } from "../adapters/local-disk/media-handler.js";
import { localMediaRoot, openLocalDiskObjectStore } from "../adapters/local-disk/object-store.js";
import { openMinioObjectStore } from "../adapters/minio/object-store.js";
import { openSqliteStore } from "../adapters/sqlite/index.js";
import type { ObjectStore } from "../ports/object-store.js";
import { asMerchantId, type Store, type SystemStore, type TenantStore } from "../ports/store.js";
import { AttachmentService, UPLOAD_CLAIM_SECONDS, attachmentObjectKey, uploadObjectKey } from "./attachments.js";
import { testJpeg, testPdf, testPng } from "../testing/media-files.js";

interface Backend {
  name: string;
  /** The local handler enforces the size at upload time; S3 cannot, so the claim does. */
  limitsPut: boolean;
  open(): Promise<ObjectStore>;
  close(): Promise<void>;
}

let dataDir: string;
let server: Server;
let s3: S3rverServer;
const backends: Backend[] = [
  {
    name: "local disk",
    limitsPut: true,
    async open() {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-attach-"));
      let handler: ReturnType<typeof createMediaHandler> | null = null;
      server = createServer((req, res) => {
        void (handler ? handler(req, res) : Promise.resolve(false)).then((handled) => {
          if (!handled) res.writeHead(404).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const store = await openLocalDiskObjectStore({
        root: localMediaRoot(dataDir),
        signingSecret: "attachments-test-signing-secret-0123456789",
        publicBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      handler = createMediaHandler(store);
      return store;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  },
  {
    name: "MinIO adapter on s3rver",
    limitsPut: false,
    async open() {
      s3 = await startS3rver();
      return openMinioObjectStore({
        endpoint: s3.endpoint,
        accessKey: s3.accessKey,
        secretKey: s3.secretKey,
        bucket: "attachments-test",
        region: s3.region,
        testServerWithoutAccessControl: true,
      });
    },
    async close() {
      await s3.stop();
    },
  },
];

const put = (ticket: { url: string; headers: Record<string, string> }, body: Uint8Array) =>
  fetch(ticket.url, { method: "PUT", headers: ticket.headers, body });

for (const backend of backends) {
  describe(`attachments on ${backend.name}`, () => {
    let store: Store & { system: SystemStore };
    let objects: ObjectStore;
    let attachments: AttachmentService;

    beforeAll(async () => {
      store = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
      objects = await backend.open();
      attachments = new AttachmentService({ store, objects });
    });
    afterAll(async () => {
      await objects.close();
      await backend.close();
      await store.close();
    });

    async function merchant(name = "Shop"): Promise<{ id: string; t: TenantStore; conversationId: string }> {
      const { merchant } = await store.createMerchant({ name }, { email: `${name}-${Math.random()}@example.com`, name: "Owner", role: "owner", passwordHash: "x" });
      const t = store.forMerchant(asMerchantId(merchant.id));
      const conversation = await t.conversations.create({ channel: "webchat", visitorId: "v1" });
      return { id: merchant.id, t, conversationId: conversation.id };
    }
    const visitor = { visitorId: "v1" };

    async function upload(m: { id: string }, bytes: Uint8Array, file: { name: string; contentType: string; size?: number }, owner: { visitorId: string } | { userId: string } = visitor) {
      const ticket = await attachments.createUpload(m.id, owner, { name: file.name, contentType: file.contentType, size: file.size ?? bytes.byteLength });
      const res = await put(ticket, bytes);
      return { ticket, res };
    }

    it("a shopper's photo is PUT, claimed once (sniffed, sized, EXIF GPS gone from the stored bytes), and a retry gets the same part", async () => {
      const m = await merchant();
      const jpeg = testJpeg();
      const { ticket, res } = await upload(m, jpeg, { name: "IMG_0001.jpg", contentType: "image/jpeg" });
      expect(res.status).toBe(200);
      expect(ticket.maxBytes).toBe(10 * 1024 * 1024);

      const [part] = await attachments.claim(m.id, visitor, m.conversationId, [ticket.uploadId]);
      expect(part).toEqual({ type: "attachment", kind: "image", key: attachmentObjectKey(ticket.uploadId), contentType: "image/jpeg", size: part!.size, name: "IMG_0001.jpg", width: 16, height: 8 });
      expect(part!.size).toBeLessThan(jpeg.byteLength);
      const scoped = objects.forMerchant(asMerchantId(m.id));
      const stored = await scoped.get(part!.key);
      const bytes = Buffer.concat(await stored!.body.toArray());
      expect(bytes.includes(Buffer.from("GPS-24.7136N"))).toBe(false);
      expect(bytes.includes(Buffer.from("Exif\0\0", "latin1"))).toBe(false);
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
      // The upload object is gone once checked; the stored copy is what is kept.
      expect(await scoped.head(uploadObjectKey(ticket.uploadId))).toBeNull();
      expect(await m.t.uploads.usage()).toBe(part!.size);

      // The same send again (a retry after a lost ack) gets the same part; nothing is counted twice.
      expect(await attachments.claim(m.id, visitor, m.conversationId, [ticket.uploadId])).toEqual([part]);
      expect(await m.t.uploads.usage()).toBe(part!.size);
      // Not into another conversation, and not by someone else who learnt the id.
      await expect(attachments.claim(m.id, visitor, "other-conversation", [ticket.uploadId])).rejects.toMatchObject({ code: "conflict" });
      await expect(attachments.claim(m.id, { visitorId: "v2" }, m.conversationId, [ticket.uploadId])).rejects.toMatchObject({ code: "not_found" });
    });

    it("an HTML page named photo.png, a polyglot GIF and a scripted PDF are refused and removed; SVG is refused before any upload", async () => {
      const m = await merchant();
      const html = Buffer.from("<!doctype html><html><body><script>fetch('/steal?c='+document.cookie)</script></body></html>");
      const fake = await upload(m, html, { name: "photo.png", contentType: "image/png" });
      expect(fake.res.status).toBe(200);
      await expect(attachments.claim(m.id, visitor, m.conversationId, [fake.ticket.uploadId])).rejects.toMatchObject({ code: "unsupported_media_type" });
      expect(await objects.forMerchant(asMerchantId(m.id)).head(uploadObjectKey(fake.ticket.uploadId))).toBeNull();
      expect(await m.t.uploads.get(fake.ticket.uploadId)).toBeNull();

      const gifar = Buffer.from("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;<script>alert(1)</script>", "latin1");
      const poly = await upload(m, gifar, { name: "cat.gif", contentType: "image/gif" });
      await expect(attachments.claim(m.id, visitor, m.conversationId, [poly.ticket.uploadId])).rejects.toThrow(/HTML or script/);

      const pdfJs = Buffer.from("%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF", "latin1");
      const pdf = await upload(m, pdfJs, { name: "invoice.pdf", contentType: "application/pdf" });
      await expect(attachments.claim(m.id, visitor, m.conversationId, [pdf.ticket.uploadId])).rejects.toThrow(/PDF contains scripts/);

      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
      await expect(attachments.createUpload(m.id, visitor, { name: "logo.svg", contentType: "image/svg+xml", size: svg.length })).rejects.toMatchObject({ code: "unsupported_media_type" });
      // A PNG the merchant does not accept (only PDFs here) is refused by its sniffed type, whatever it was declared as.
      await m.t.merchant.update({ attachments: { allowedTypes: ["application/pdf", "image/jpeg"] } });
      const png = await upload(m, testPng(), { name: "fake.jpg", contentType: "image/jpeg" });
      await expect(attachments.claim(m.id, visitor, m.conversationId, [png.ticket.uploadId])).rejects.toThrow(/does not accept image\/png/);
      expect(await m.t.uploads.usage()).toBe(0);
    });

    it("oversize files: refused up front by the declared size, and by what arrived when the declaration lied", async () => {
      const m = await merchant();
      await m.t.merchant.update({ attachments: { maxBytes: 2048 } });
      await expect(attachments.createUpload(m.id, visitor, { name: "big.pdf", contentType: "application/pdf", size: 4096 })).rejects.toMatchObject({ code: "payload_too_large" });
      const big = Buffer.concat([testPdf(), Buffer.alloc(4096, 0x20)]);
      const lied = await upload(m, big, { name: "small.pdf", contentType: "application/pdf", size: 100 });
      if (backend.limitsPut) expect(lied.res.status).toBe(413);
      else expect(lied.res.status).toBe(200);
      await expect(attachments.claim(m.id, visitor, m.conversationId, [lied.ticket.uploadId])).rejects.toMatchObject({ code: backend.limitsPut ? "validation_failed" : "payload_too_large" });
      expect(await objects.forMerchant(asMerchantId(m.id)).head(uploadObjectKey(lied.ticket.uploadId))).toBeNull();
    });

    it("the storage quota: the upload that would pass it is refused, at the URL and at the claim", async () => {
      const m = await merchant();
      const pdf = testPdf();
      await m.t.merchant.update({ attachments: { quotaBytes: pdf.byteLength + 10 } });
      const first = await upload(m, pdf, { name: "a.pdf", contentType: "application/pdf" });
      const second = await upload(m, pdf, { name: "b.pdf", contentType: "application/pdf" });
      await attachments.claim(m.id, visitor, m.conversationId, [first.ticket.uploadId]);
      await expect(attachments.claim(m.id, visitor, m.conversationId, [second.ticket.uploadId])).rejects.toMatchObject({ code: "quota_exceeded" });
      await expect(attachments.createUpload(m.id, visitor, { name: "c.pdf", contentType: "application/pdf", size: pdf.byteLength })).rejects.toMatchObject({ code: "quota_exceeded" });
      expect(await m.t.uploads.usage()).toBe(pdf.byteLength);
      // Nothing of the refused one stays behind.
      expect(await objects.forMerchant(asMerchantId(m.id)).head(attachmentObjectKey(second.ticket.uploadId))).toBeNull();
    });

    it("media is read only through a link for a key the conversation's messages carry: merchant B gets nothing with A's leaked key", async () => {
      const a = await merchant("A");
      const b = await merchant("B");
      const { ticket } = await upload(a, testPdf(), { name: "invoice.pdf", contentType: "application/pdf" }, { userId: "agent-1" });
      const parts = await attachments.claim(a.id, { userId: "agent-1" }, a.conversationId, [ticket.uploadId]);
      await a.t.messages.append(a.conversationId, { role: "agent", text: "", parts, authorId: "agent-1", authorName: "Sara" });

      const link = await attachments.link(a.id, a.conversationId, parts[0]!.key, "shopper");
      const res = await fetch(link.url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(testPdf())).toBe(true);
      // Documents download rather than render.
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="invoice.pdf"/);
      if (backend.limitsPut) expect(res.headers.get("x-content-type-options")).toBe("nosniff");

      // B's conversation carries no such key, and B's own space holds no object under it.
      await expect(attachments.link(b.id, b.conversationId, parts[0]!.key, "agent")).rejects.toMatchObject({ code: "not_found" });
      const bUrl = await objects.forMerchant(asMerchantId(b.id)).presignGet(parts[0]!.key, { expiresInSeconds: 60 });
      expect((await fetch(bUrl)).status).toBe(404);
      // Nor another conversation of A's, nor a key no message carries (an upload still pending).
      const other = await a.t.conversations.create({ channel: "webchat", visitorId: "v9" });
      await expect(attachments.link(a.id, other.id, parts[0]!.key, "agent")).rejects.toMatchObject({ code: "not_found" });
      // A shopper never reaches what only a note carries.
      const note = await upload(a, testPng(), { name: "internal.png", contentType: "image/png" }, { userId: "agent-1" });
      const noteParts = await attachments.claim(a.id, { userId: "agent-1" }, a.conversationId, [note.ticket.uploadId]);
      await a.t.messages.append(a.conversationId, { role: "note", text: "see", parts: noteParts, authorId: "agent-1", authorName: "Sara" });
      await expect(attachments.link(a.id, a.conversationId, noteParts[0]!.key, "shopper")).rejects.toMatchObject({ code: "not_found" });
      expect((await attachments.link(a.id, a.conversationId, noteParts[0]!.key, "agent")).url).toBeTruthy();
    });

    it("an upload no message references is swept after its time: object and record gone; stored ones stay", async () => {
      const m = await merchant();
      const abandoned = await upload(m, testPng(), { name: "left.png", contentType: "image/png" });
      const kept = await upload(m, testPng(), { name: "sent.png", contentType: "image/png" });
      await attachments.claim(m.id, visitor, m.conversationId, [kept.ticket.uploadId]);
      const scoped = objects.forMerchant(asMerchantId(m.id));
      expect(await scoped.head(uploadObjectKey(abandoned.ticket.uploadId))).not.toBeNull();

      expect(await attachments.sweep(store.system)).toBe(0);
      // The sweep as it runs once the claim time has passed (the store's and S3's clocks stay real).
      expect(await attachments.sweep(store.system, 100, new Date(Date.now() + (UPLOAD_CLAIM_SECONDS + 1) * 1000))).toBeGreaterThanOrEqual(1);
      expect(await scoped.head(uploadObjectKey(abandoned.ticket.uploadId))).toBeNull();
      expect(await m.t.uploads.get(abandoned.ticket.uploadId)).toBeNull();
      await expect(attachments.claim(m.id, visitor, m.conversationId, [abandoned.ticket.uploadId])).rejects.toMatchObject({ code: "not_found" });
      // A PUT to the old URL after the sweep stores nothing anyone can reference.
      expect(await m.t.uploads.get(abandoned.ticket.uploadId)).toBeNull();
      expect(await scoped.head(attachmentObjectKey(kept.ticket.uploadId))).not.toBeNull();
      expect(await m.t.uploads.get(kept.ticket.uploadId)).toMatchObject({ state: "stored" });
    });
  });
}
