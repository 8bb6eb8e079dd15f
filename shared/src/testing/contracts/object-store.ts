// The ObjectStore contract: local disk, and MinIO/S3 (against s3rver in every run, and against
// MinIO when S3_ENDPOINT is set). Presigned URLs are fetched over real HTTP. Every test uses
// merchants of its own, so a factory may hand out stores over one shared bucket.
import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { PayloadTooLargeError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import type { ObjectStore, ScopedObjectStore } from "../../ports/object-store.js";
import { asMerchantId } from "../../ports/store.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface ObjectStoreFactory extends ContractFactory {
  /** A store whose presigned URLs this process can fetch. */
  create(): Promise<ObjectStore>;
  /**
   * Whether the server behind the presigned URLs checks their signatures (default true). A test
   * server that serves any well-formed URL unchecked (s3rver) sets false: the checks that need
   * it are then skipped, each under a name that says so, and the adapter's own tests check the
   * signature it makes instead. Never false for a server a deployment uses.
   */
  verifiesPresignedSignatures?: boolean;
}

async function bytesOf(body: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Every byte value, then some Arabic text: binary-safe and UTF-8 without re-encoding. */
const SAMPLE = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from("صورة المنتج", "utf8")]);

const waitSeconds = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Keys no adapter may accept: each could leave the merchant's space or confuse a path. */
export const HOSTILE_OBJECT_KEYS = [
  "",
  "../escape.txt",
  "a/../../escape.txt",
  "..",
  ".",
  "a/./b",
  "/absolute.txt",
  "a//b",
  "trailing/",
  ".hidden",
  "a\\..\\b",
  "C:\\windows",
  "%2e%2e/escape",
  "nul\u0000byte",
  "new\nline",
  "space here",
  "x".repeat(600),
];

export function objectStoreContract(f: ObjectStoreFactory): void {
  contractSuite("ObjectStore", f, () => {
    const itSigned: typeof it = f.verifiesPresignedSignatures === false ? ((title: string, fn?: () => Promise<void>) => it.skip(`${title} — skipped: the server behind "${f.name}" does not verify presigned signatures`, fn)) as typeof it : it;
    async function twoMerchants() {
      const objects = await f.create();
      const a = objects.forMerchant(asMerchantId(`ma${newId()}`));
      const b = objects.forMerchant(asMerchantId(`mb${newId()}`));
      return { objects, a, b };
    }
    async function read(store: ScopedObjectStore, key: string) {
      const found = await store.get(key);
      return found ? { info: found.info, bytes: await bytesOf(found.body) } : null;
    }

    it("round trip: the same bytes and metadata come back from get and head", async () => {
      const { objects, a } = await twoMerchants();
      try {
        const before = Date.now();
        const info = await a.put("products/p1/photo.jpg", SAMPLE, { contentType: "image/jpeg" });
        expect(info).toMatchObject({ key: "products/p1/photo.jpg", size: SAMPLE.length, contentType: "image/jpeg" });
        expect(info.etag.length).toBeGreaterThan(0);
        expect(Date.parse(info.lastModified)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        const got = await read(a, "products/p1/photo.jpg");
        expect(got?.bytes.equals(SAMPLE)).toBe(true);
        expect(got?.info).toEqual(info);
        expect(await a.head("products/p1/photo.jpg")).toEqual(info);
      } finally {
        await objects.close();
      }
    });

    it("stream bodies round trip, empty ones too, and the content type is kept exactly", async () => {
      const { objects, a } = await twoMerchants();
      try {
        const types = ["application/pdf", "text/plain; charset=utf-8", "image/webp", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"];
        for (const [i, contentType] of types.entries()) {
          const chunks = [SAMPLE.subarray(0, 100), SAMPLE.subarray(100), Buffer.from(`#${i}`)];
          const info = await a.put(`docs/file-${i}`, Readable.from(chunks), { contentType });
          expect(info.size).toBe(SAMPLE.length + 2);
          const got = await read(a, `docs/file-${i}`);
          expect(got?.info.contentType).toBe(contentType);
          expect(got?.bytes.equals(Buffer.concat(chunks))).toBe(true);
        }
        await a.put("docs/empty", new Uint8Array(0), { contentType: "application/octet-stream" });
        expect((await read(a, "docs/empty"))?.bytes.length).toBe(0);
        expect((await a.head("docs/empty"))?.size).toBe(0);
      } finally {
        await objects.close();
      }
    });

    it("put replaces an object; equal content keeps the etag, other content changes it", async () => {
      const { objects, a } = await twoMerchants();
      try {
        const first = await a.put("k", Buffer.from("one"), { contentType: "text/plain" });
        const same = await a.put("k", Buffer.from("one"), { contentType: "text/plain" });
        const other = await a.put("k", Buffer.from("two!"), { contentType: "application/json" });
        expect(same.etag).toBe(first.etag);
        expect(other.etag).not.toBe(first.etag);
        const got = await read(a, "k");
        expect(got?.bytes.toString()).toBe("two!");
        expect(got?.info).toMatchObject({ size: 4, contentType: "application/json", etag: other.etag });
      } finally {
        await objects.close();
      }
    });

    it("a missing key: get and head answer null, delete is no error; delete removes an object", async () => {
      const { objects, a } = await twoMerchants();
      try {
        expect(await a.get("never/written")).toBeNull();
        expect(await a.head("never/written")).toBeNull();
        await expect(a.delete("never/written")).resolves.toBeUndefined();
        await a.put("to/delete", Buffer.from("x"), { contentType: "text/plain" });
        await a.delete("to/delete");
        expect(await a.get("to/delete")).toBeNull();
        expect(await a.head("to/delete")).toBeNull();
        expect((await a.list("")).items).toEqual([]);
      } finally {
        await objects.close();
      }
    });

    it("a body over the size limit is refused and nothing is written: the previous object stays", async () => {
      const { objects, a } = await twoMerchants();
      try {
        await a.put("limited", Buffer.from("small"), { contentType: "text/plain" });
        await expect(a.put("limited", Buffer.alloc(11, 1), { contentType: "text/plain", maxBytes: 10 })).rejects.toBeInstanceOf(PayloadTooLargeError);
        const streamed = Readable.from([Buffer.alloc(6, 2), Buffer.alloc(6, 3)]);
        await expect(a.put("limited", streamed, { contentType: "text/plain", maxBytes: 10 })).rejects.toBeInstanceOf(PayloadTooLargeError);
        expect((await read(a, "limited"))?.bytes.toString()).toBe("small");
        await expect(a.put("new-one", Buffer.alloc(11), { contentType: "text/plain", maxBytes: 10 })).rejects.toBeInstanceOf(PayloadTooLargeError);
        expect(await a.head("new-one")).toBeNull();
        await expect(a.put("exact", Buffer.alloc(10), { contentType: "text/plain", maxBytes: 10 })).resolves.toMatchObject({ size: 10 });
      } finally {
        await objects.close();
      }
    });

    it("list: a plain prefix, in key order, page by page", async () => {
      const { objects, a } = await twoMerchants();
      try {
        const keys = ["photos/b.jpg", "photos/a.jpg", "photos/2024/c.jpg", "photos-old/d.jpg", "docs/x.pdf", "photo"];
        for (const key of keys) await a.put(key, Buffer.from(key), { contentType: "application/octet-stream" });
        const all = await a.list("");
        expect(all.items.map((o) => o.key)).toEqual([...keys].sort());
        expect(all.nextCursor).toBeNull();
        expect((await a.list("photos/")).items.map((o) => o.key)).toEqual(["photos/2024/c.jpg", "photos/a.jpg", "photos/b.jpg"]);
        expect((await a.list("photo")).items.map((o) => o.key)).toEqual(["photo", "photos-old/d.jpg", "photos/2024/c.jpg", "photos/a.jpg", "photos/b.jpg"]);
        expect((await a.list("nothing/")).items).toEqual([]);
        const photo = (await a.list("docs/")).items[0]!;
        expect(photo).toMatchObject({ key: "docs/x.pdf", size: "docs/x.pdf".length, contentType: "application/octet-stream" });

        const paged: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await a.list("", { limit: 4, cursor });
          expect(page.items.length).toBeLessThanOrEqual(4);
          paged.push(...page.items.map((o) => o.key));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 10);
        expect(paged).toEqual([...keys].sort());
        expect(pages).toBe(2);
      } finally {
        await objects.close();
      }
    });

    it("merchant B can neither read, list, overwrite nor delete A's object, even with A's key string", async () => {
      const { objects, a, b } = await twoMerchants();
      try {
        const key = "invoices/2025/order-1042.pdf";
        const info = await a.put(key, SAMPLE, { contentType: "application/pdf" });
        expect(await b.get(key)).toBeNull();
        expect(await b.head(key)).toBeNull();
        expect((await b.list("")).items).toEqual([]);
        expect((await b.list("invoices/")).items).toEqual([]);
        // Naming A's space inside B's key only names another key of B's.
        for (const attempt of [`${a.merchantId}/${key}`, `m/${a.merchantId}/${key}`, `objects/${a.merchantId}/${key}`]) {
          expect(await b.get(attempt)).toBeNull();
        }
        await b.delete(key);
        await b.put(key, Buffer.from("B's own"), { contentType: "text/plain" });
        const mine = await read(a, key);
        expect(mine?.info).toEqual(info);
        expect(mine?.bytes.equals(SAMPLE)).toBe(true);
        expect((await read(b, key))?.bytes.toString()).toBe("B's own");
        expect((await a.list("")).items.map((o) => o.key)).toEqual([key]);
      } finally {
        await objects.close();
      }
    });

    it("a presigned GET serves the object with its type, and as an attachment when asked", async () => {
      const { objects, a, b } = await twoMerchants();
      try {
        await a.put("media/photo.png", SAMPLE, { contentType: "image/png" });
        const ok = await fetch(await a.presignGet("media/photo.png", { expiresInSeconds: 300 }));
        expect(ok.status).toBe(200);
        expect(ok.headers.get("content-type")).toBe("image/png");
        expect(Buffer.from(await ok.arrayBuffer()).equals(SAMPLE)).toBe(true);
        // B's own URL for the same key finds nothing: B has no such object.
        const missing = await fetch(await b.presignGet("media/photo.png", { expiresInSeconds: 300 }));
        expect(missing.status).toBe(404);
        expect(Buffer.from(await missing.arrayBuffer()).includes(SAMPLE)).toBe(false);

        const download = await fetch(await a.presignGet("media/photo.png", { expiresInSeconds: 300, downloadName: "صورة.png" }));
        expect(download.status).toBe(200);
        expect(download.headers.get("content-disposition")).toMatch(/^attachment/);
        expect(download.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("صورة.png")}`);
        expect(Buffer.from(await download.arrayBuffer()).equals(SAMPLE)).toBe(true);
      } finally {
        await objects.close();
      }
    });

    itSigned("a presigned GET is refused once tampered with, or pointed at another key or another merchant", async () => {
      const { objects, a, b } = await twoMerchants();
      try {
        await a.put("media/photo.png", SAMPLE, { contentType: "image/png" });
        await b.put("media/photo.png", Buffer.from("B's photo"), { contentType: "image/png" });
        const url = await a.presignGet("media/photo.png", { expiresInSeconds: 300 });
        const sig = new URL(url);
        const tampered = [...sig.searchParams.keys()].find((k) => /sig/i.test(k))!;
        const value = sig.searchParams.get(tampered)!;
        sig.searchParams.set(tampered, `${value.slice(0, -1)}${value.endsWith("0") ? "1" : "0"}`);
        expect((await fetch(sig)).status).toBe(403);
        // The same signature on A's other object, or on B's space, is worth nothing.
        await a.put("media/other.png", Buffer.from("other"), { contentType: "image/png" });
        expect((await fetch(url.replace("photo.png", "other.png"))).status).toBe(403);
        const stolen = url.replace(a.merchantId, b.merchantId);
        expect(stolen).not.toBe(url);
        const res = await fetch(stolen);
        expect(res.status).toBe(403);
        expect(await res.text()).not.toContain("B's photo");
      } finally {
        await objects.close();
      }
    });

    itSigned("a presigned GET grants its one object only: no listing, no other key, no other method", async () => {
      const { objects, a } = await twoMerchants();
      try {
        await a.put("media/photo.png", SAMPLE, { contentType: "image/png" });
        await a.put("media/secret-note.txt", Buffer.from("SECRET-NOTE"), { contentType: "text/plain" });
        const url = new URL(await a.presignGet("media/photo.png", { expiresInSeconds: 300 }));
        // Every parent of the object's path, with the same signature: a directory or bucket listing at best.
        const segments = url.pathname.split("/").filter(Boolean);
        for (let n = segments.length - 1; n >= 0; n--) {
          for (const pathname of [`/${segments.slice(0, n).join("/")}`, `/${segments.slice(0, n).join("/")}/`]) {
            const listing = new URL(url);
            listing.pathname = pathname;
            const res = await fetch(listing);
            const text = await res.text();
            expect(res.status, pathname).toBeGreaterThanOrEqual(400);
            expect(text, pathname).not.toMatch(/secret-note|SECRET-NOTE/);
          }
        }
        for (const extra of [{ "list-type": "2" }, { prefix: "" }]) {
          const listing = new URL(url);
          listing.pathname = `/${segments.slice(0, -2).join("/")}`;
          for (const [k, v] of Object.entries(extra)) listing.searchParams.set(k, v);
          const res = await fetch(listing);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(await res.text()).not.toMatch(/secret-note|SECRET-NOTE/);
        }
        // The GET URL cannot write or delete the object it names.
        expect((await fetch(url, { method: "PUT", headers: { "Content-Type": "text/html" }, body: "<b>replaced</b>" })).status).toBeGreaterThanOrEqual(400);
        expect((await fetch(url, { method: "DELETE" })).status).toBeGreaterThanOrEqual(400);
        expect((await read(a, "media/photo.png"))?.bytes.equals(SAMPLE)).toBe(true);
      } finally {
        await objects.close();
      }
    });

    it("a presigned GET stops working once it has expired", async () => {
      const { objects, a } = await twoMerchants();
      try {
        await a.put("short/lived.txt", Buffer.from("soon gone"), { contentType: "text/plain" });
        const url = await a.presignGet("short/lived.txt", { expiresInSeconds: 1 });
        await waitSeconds(2.5);
        const res = await fetch(url);
        expect(res.status).toBe(403);
        expect(await res.text()).not.toContain("soon gone");
      } finally {
        await objects.close();
      }
    });

    it("a presigned PUT takes one upload with the signed content type", async () => {
      const { objects, a } = await twoMerchants();
      try {
        const upload = await a.presignPut("uploads/u1/scan.pdf", { expiresInSeconds: 300, contentType: "application/pdf", maxBytes: 4096 });
        expect(upload.method).toBe("PUT");
        expect(upload.headers["Content-Type"]).toBe("application/pdf");
        expect(Date.parse(upload.expiresAt)).toBeGreaterThan(Date.now());
        expect(Date.parse(upload.expiresAt)).toBeLessThanOrEqual(Date.now() + 300_000);
        const put = await fetch(upload.url, { method: "PUT", headers: upload.headers, body: SAMPLE });
        expect(put.status).toBe(200);
        const got = await read(a, "uploads/u1/scan.pdf");
        expect(got?.info.contentType).toBe("application/pdf");
        expect(got?.bytes.equals(SAMPLE)).toBe(true);
      } finally {
        await objects.close();
      }
    });

    itSigned("a presigned PUT refuses another content type, and stores nothing", async () => {
      const { objects, a } = await twoMerchants();
      try {
        const other = await a.presignPut("uploads/u1/other.pdf", { expiresInSeconds: 300, contentType: "application/pdf" });
        const wrongType = await fetch(other.url, { method: "PUT", headers: { "Content-Type": "text/html" }, body: "<script>alert(1)</script>" });
        expect(wrongType.status).toBeGreaterThanOrEqual(400);
        expect(wrongType.status).toBeLessThan(500);
        expect(await a.head("uploads/u1/other.pdf")).toBeNull();
      } finally {
        await objects.close();
      }
    });

    it("keys and prefixes that could leave the merchant's space are refused before anything is touched", async () => {
      const { objects, a, b } = await twoMerchants();
      try {
        await b.put("escape.txt", Buffer.from("B's file"), { contentType: "text/plain" });
        const refused = async (run: () => Promise<unknown>, what: string) => {
          const err = await run().then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, what).toBeInstanceOf(ValidationError);
        };
        for (const key of [...HOSTILE_OBJECT_KEYS, `../${b.merchantId}/escape.txt`, `../../${b.merchantId}/escape.txt`]) {
          const label = JSON.stringify(key.slice(0, 40));
          await refused(() => a.put(key, Buffer.from("x"), { contentType: "text/plain" }), `put ${label}`);
          await refused(() => a.get(key), `get ${label}`);
          await refused(() => a.head(key), `head ${label}`);
          await refused(() => a.delete(key), `delete ${label}`);
          await refused(() => a.presignGet(key, { expiresInSeconds: 60 }), `presignGet ${label}`);
          await refused(() => a.presignPut(key, { expiresInSeconds: 60, contentType: "text/plain" }), `presignPut ${label}`);
        }
        for (const prefix of ["../", "a/../", "/", "//", "a//", ".hidden/", `../${b.merchantId}/`]) {
          await refused(() => a.list(prefix), `list ${JSON.stringify(prefix)}`);
        }
        for (const contentType of ["text/html\r\nX-Injected: 1", "text/plain;\r\ncharset=utf-8", "", "text", "text/plain; charset=\"a\nb\""]) {
          await refused(() => a.put("ok", Buffer.from("x"), { contentType }), `content type ${JSON.stringify(contentType)}`);
        }
        await refused(() => a.presignGet("ok", { expiresInSeconds: 0 }), "a zero expiry");
        await refused(() => a.presignGet("ok", { expiresInSeconds: 8 * 24 * 3600 }), "an expiry beyond 7 days");
        expect((await read(b, "escape.txt"))?.bytes.toString()).toBe("B's file");
        expect((await a.list("")).items).toEqual([]);
      } finally {
        await objects.close();
      }
    });
  });
}
