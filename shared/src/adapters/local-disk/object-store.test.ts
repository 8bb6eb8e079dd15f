// The ObjectStore contract on the local-disk adapter, its presigned URLs served by the media
// handler over real HTTP, and what only the disk does: file modes, traversal over HTTP, upload
// limits, temp files, signatures that survive a restart.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectStoreContract } from "@kaleem/shared/testing";
import { newId } from "../../ids.js";
import { asMerchantId } from "../../ports/store.js";
import { createMediaHandler, type MediaHandler } from "./media-handler.js";
import { localMediaRoot, openLocalDiskObjectStore, type LocalDiskObjectStore } from "./object-store.js";

const SECRET = "test-media-signing-secret-0123456789abcdef";

/** An HTTP server on a free port whose media handler can be pointed at any store. */
async function mediaServer() {
  let handler: MediaHandler | null = null;
  const server: Server = createServer((req, res) => {
    void (handler ? handler(req, res) : Promise.resolve(false)).then((handled) => {
      if (!handled) res.writeHead(404, { "Content-Type": "text/plain" }).end("not a media path");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    use(store: LocalDiskObjectStore) {
      handler = createMediaHandler(store);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let dataDir: string;
let http: Awaited<ReturnType<typeof mediaServer>>;
const open = (options: { secret?: string; maxObjectBytes?: number } = {}) =>
  openLocalDiskObjectStore({
    root: localMediaRoot(dataDir),
    signingSecret: options.secret ?? SECRET,
    publicBaseUrl: http.url,
    ...(options.maxObjectBytes ? { maxObjectBytes: options.maxObjectBytes } : {}),
  });

objectStoreContract({
  name: "local disk, presigned URLs over HTTP",
  async setup() {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-media-"));
    http = await mediaServer();
  },
  async teardown() {
    await http.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
  async create() {
    const store = await open();
    http.use(store);
    return store;
  },
});

/** A raw request: fetch would normalize "..", which is exactly what must be tried here. */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("local-disk object store", () => {
  let store: LocalDiskObjectStore;
  const merchant = () => store.forMerchant(asMerchantId(`m${newId()}`));
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-media-"));
    http = await mediaServer();
    store = await open({ maxObjectBytes: 1024 });
    http.use(store);
  });
  afterAll(async () => {
    await http.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps objects under <data dir>/media with 0700 directories and 0600 files", async () => {
    const a = merchant();
    await a.put("deep/er/file.bin", Buffer.from("x"), { contentType: "application/octet-stream" });
    const root = localMediaRoot(dataDir);
    const modes: string[] = [];
    const walk = (dir: string) => {
      modes.push(`${(statSync(dir).mode & 0o777).toString(8)} dir`);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else modes.push(`${(statSync(p).mode & 0o777).toString(8)} file`);
      }
    };
    walk(root);
    expect(modes.filter((m) => m.endsWith("file")).length).toBeGreaterThan(0);
    expect(new Set(modes)).toEqual(new Set(["700 dir", "600 file"]));
  });

  it("over HTTP, traversal and encoded paths get an error and never a file outside the object's space", async () => {
    const a = merchant();
    const b = merchant();
    await b.put("private.txt", Buffer.from("B-PRIVATE"), { contentType: "text/plain" });
    writeFileSync(path.join(dataDir, "secret-outside.txt"), "OUTSIDE-SECRET");
    const good = new URL(await a.presignGet("x.txt", { expiresInSeconds: 300 }));
    const query = good.search;
    for (const attempt of [
      `/media/${a.merchantId}/../${b.merchantId}/private.txt`,
      `/media/${a.merchantId}/..%2F${b.merchantId}%2Fprivate.txt`,
      `/media/${a.merchantId}/%2e%2e/%2e%2e/%2e%2e/secret-outside.txt`,
      `/media/../../secret-outside.txt`,
      `/media/${a.merchantId}/..\\..\\secret-outside.txt`,
      `/media/${b.merchantId}/private.txt`,
      `/media/${a.merchantId}//x.txt`,
      `/media/${a.merchantId}`,
    ]) {
      const res = await rawGet(http.url, `${attempt}${query}`);
      expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      expect(res.status, attempt).toBeLessThan(500);
      expect(res.body, attempt).not.toMatch(/B-PRIVATE|OUTSIDE-SECRET/);
    }
  });

  it("answers only under /media, and only GET, HEAD and PUT", async () => {
    const a = merchant();
    await a.put("hello.txt", Buffer.from("hello"), { contentType: "text/plain" });
    const url = await a.presignGet("hello.txt", { expiresInSeconds: 300 });
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("5");
    expect(head.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await fetch(url, { method: "DELETE" })).status).toBe(405);
    expect(await (await fetch(`${http.url}/not-media/hello.txt`)).text()).toBe("not a media path");
    // A request target that is no URL path ("//") is passed on, not an error thrown at the server.
    expect(await rawGet(http.url, "//?exp=1")).toEqual({ status: 404, body: "not a media path" });
    expect((await fetch(url.split("?")[0]!)).status).toBe(403);
  });

  it("a presigned PUT refuses a body over its limit, declared or streamed, and stores nothing", async () => {
    const a = merchant();
    const upload = await a.presignPut("big.bin", { expiresInSeconds: 300, contentType: "application/octet-stream", maxBytes: 16 });
    const declared = await fetch(upload.url, { method: "PUT", headers: upload.headers, body: Buffer.alloc(17) });
    expect(declared.status).toBe(413);
    const chunked = await fetch(upload.url, {
      method: "PUT",
      headers: upload.headers,
      body: Readable.toWeb(Readable.from([Buffer.alloc(10), Buffer.alloc(10)])) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await a.head("big.bin")).toBeNull();
    // The signed limit is part of the signature: raising it in the URL breaks the link.
    const raised = new URL(upload.url);
    raised.searchParams.set("max", "100000");
    expect((await fetch(raised, { method: "PUT", headers: upload.headers, body: Buffer.alloc(17) })).status).toBe(403);
    // And a limit above the store's ceiling cannot be asked for.
    await expect(a.presignPut("huge.bin", { expiresInSeconds: 60, contentType: "application/octet-stream", maxBytes: 4096 })).rejects.toThrow(/at most 1024/);
    await expect(a.put("huge.bin", Buffer.alloc(1025), { contentType: "application/octet-stream" })).rejects.toThrow(/1024/);
  });

  it("a body stream that fails midway leaves the previous object and no temp file", async () => {
    const a = merchant();
    await a.put("doc.txt", Buffer.from("version 1"), { contentType: "text/plain" });
    async function* failing() {
      yield Buffer.from("version 2, half");
      throw new Error("connection reset");
    }
    await expect(a.put("doc.txt", failing(), { contentType: "text/plain" })).rejects.toThrow("connection reset");
    const got = await a.get("doc.txt");
    const chunks: Buffer[] = [];
    for await (const c of got!.body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("version 1");
    expect(readdirSync(path.join(localMediaRoot(dataDir), "tmp"))).toEqual([]);
  });

  it("presigned URLs survive a restart with the same secret and die with another", async () => {
    const a = merchant();
    await a.put("kept.txt", Buffer.from("kept"), { contentType: "text/plain" });
    const url = await a.presignGet("kept.txt", { expiresInSeconds: 300 });
    // A stale temp file from a crash is cleaned up when the store opens.
    writeFileSync(path.join(localMediaRoot(dataDir), "tmp", "crashed-write"), "partial");
    const restarted = await open({ maxObjectBytes: 1024 });
    expect(readdirSync(path.join(localMediaRoot(dataDir), "tmp"))).toEqual([]);
    http.use(restarted);
    try {
      expect(await (await fetch(url)).text()).toBe("kept");
      http.use(await open({ secret: "another-secret-another-secret-another-secret" }));
      expect((await fetch(url)).status).toBe(403);
    } finally {
      http.use(store);
    }
    await expect(restarted.ping()).resolves.toBeUndefined();
  });

  it("refuses a weak signing secret and a malformed merchant id", async () => {
    await expect(openLocalDiskObjectStore({ root: localMediaRoot(dataDir), signingSecret: "short", publicBaseUrl: http.url })).rejects.toThrow(/32 characters/);
    expect(() => store.forMerchant(asMerchantId("../other"))).toThrow(/merchant id/);
  });
});
