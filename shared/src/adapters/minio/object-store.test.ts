// The ObjectStore contract on the MinIO adapter: against s3rver (an S3 protocol server, spawned
// per run) always, and against a real MinIO/S3 when S3_ENDPOINT is set in the environment. Then
// what only this adapter does: object names, the signatures it makes (s3rver checks none, so
// they are checked here against AWS's published example and the minio client's own signer),
// and refusing a server that serves anonymous requests.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { Client } from "minio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectStoreContract, startS3rver, type S3rverServer } from "@kaleem/shared/testing";
import { loadConfig } from "../../config.js";
import { PayloadTooLargeError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { DEFAULT_MAX_OBJECT_BYTES, attachmentDisposition } from "../../ports/object-store.js";
import { asMerchantId } from "../../ports/store.js";
import { assertAnonymousAccessDenied, denyAnonymousPolicy, openMinioObjectStore, type MinioObjectStoreOptions } from "./object-store.js";
import { presignUrl } from "./presign.js";

const BUCKET = "kaleem-contract";

function rawClient(o: Pick<MinioObjectStoreOptions, "endpoint" | "accessKey" | "secretKey" | "region">): Client {
  const url = new URL(o.endpoint);
  return new Client({
    endPoint: url.hostname,
    port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    useSSL: url.protocol === "https:",
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    region: o.region,
    pathStyle: true,
  });
}

async function bytesOf(body: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

let s3: S3rverServer;
const s3rverOptions = (extra: Partial<MinioObjectStoreOptions> = {}): MinioObjectStoreOptions => ({
  endpoint: s3.endpoint,
  accessKey: s3.accessKey,
  secretKey: s3.secretKey,
  bucket: BUCKET,
  region: s3.region,
  testServerWithoutAccessControl: true,
  ...extra,
});

// One s3rver for the whole file.
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

objectStoreContract({
  // s3rver 3.7.1 checks no SigV4 signature: the signature-dependent checks are skipped by name.
  name: "MinIO adapter on s3rver 3.7.1",
  verifiesPresignedSignatures: false,
  create: () => openMinioObjectStore(s3rverOptions()),
});

// A real MinIO (or S3) when the environment names one; its own bucket per run, removed afterwards.
const minioEnv =
  process.env.S3_ENDPOINT && process.env.S3_ACCESS_KEY && process.env.S3_SECRET_KEY
    ? {
        endpoint: process.env.S3_ENDPOINT,
        accessKey: process.env.S3_ACCESS_KEY,
        secretKey: process.env.S3_SECRET_KEY,
        region: process.env.S3_REGION || "us-east-1",
        bucket: `kaleem-test-${newId().toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 20)}`,
      }
    : null;

async function removeBucket(o: NonNullable<typeof minioEnv>): Promise<void> {
  const client = rawClient(o);
  if (!(await client.bucketExists(o.bucket))) return;
  const names: string[] = [];
  for await (const item of client.listObjectsV2(o.bucket, "", true)) if (item.name) names.push(item.name);
  if (names.length) await client.removeObjects(o.bucket, names);
  await client.removeBucket(o.bucket);
}

if (minioEnv) {
  objectStoreContract({
    name: `MinIO at ${minioEnv.endpoint}`,
    async teardown() {
      await removeBucket(minioEnv);
    },
    create: () => openMinioObjectStore(minioEnv),
  });

  describe(`MinIO at ${minioEnv.endpoint}: the bucket is private`, () => {
    afterAll(() => removeBucket(minioEnv));
    it("carries the deny-anonymous policy, and unsigned requests are refused", async () => {
      const store = await openMinioObjectStore(minioEnv);
      try {
        await store.forMerchant(asMerchantId(`m${newId()}`)).put("x.txt", Buffer.from("x"), { contentType: "text/plain" });
        const policy = JSON.parse(await rawClient(minioEnv).getBucketPolicy(minioEnv.bucket)) as { Statement: Array<{ Effect: string }> };
        expect(policy.Statement.some((s) => s.Effect === "Deny")).toBe(true);
        await expect(assertAnonymousAccessDenied(minioEnv.endpoint, minioEnv.bucket)).resolves.toBeUndefined();
      } finally {
        await store.close();
      }
    });
  });
} else {
  describe.skip("ObjectStore contract: MinIO: S3_ENDPOINT not set", () => {
    it("runs the ObjectStore contract and the private-bucket checks against the MinIO/S3 server at S3_ENDPOINT", () => {});
  });
}

describe("SigV4 presigning", () => {
  it("reproduces the presigned URL of AWS's published example", () => {
    // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example GET.
    const url = presignUrl({
      method: "GET",
      url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
      accessKey: "AKIAIOSFODNN7EXAMPLE",
      secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
      date: new Date("2013-05-24T00:00:00Z"),
      expiresInSeconds: 86400,
    });
    const q = new URL(url).searchParams;
    expect(q.get("X-Amz-Credential")).toBe("AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
    expect(q.get("X-Amz-SignedHeaders")).toBe("host");
    expect(q.get("X-Amz-Signature")).toBe("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  });

  it("signs a Content-Type header into the signature when one is given", () => {
    const base = {
      method: "PUT" as const,
      url: new URL("http://127.0.0.1:9000/b/m1/k.pdf"),
      accessKey: "AK",
      secretKey: "SECRET",
      region: "us-east-1",
      date: new Date("2025-01-02T03:04:05Z"),
      expiresInSeconds: 60,
    };
    const pdf = new URL(presignUrl({ ...base, headers: { "Content-Type": "application/pdf" } })).searchParams;
    const html = new URL(presignUrl({ ...base, headers: { "Content-Type": "text/html" } })).searchParams;
    expect(pdf.get("X-Amz-SignedHeaders")).toBe("content-type;host");
    expect(pdf.get("X-Amz-Signature")).not.toBe(html.get("X-Amz-Signature"));
    expect(() => presignUrl({ ...base, url: new URL("http://h/b/k?x=1") })).toThrow(/without query/);
  });
});

describe("MinIO object store on s3rver", () => {
  it("names objects <merchantId>/<key> in one bucket and keeps the content type as object metadata", async () => {
    const store = await openMinioObjectStore(s3rverOptions());
    try {
      const a = store.forMerchant(asMerchantId(`ma${newId()}`));
      const b = store.forMerchant(asMerchantId(`mb${newId()}`));
      await a.put("docs/terms.pdf", Buffer.from("A"), { contentType: "application/pdf" });
      await b.put("docs/terms.pdf", Buffer.from("B"), { contentType: "text/plain; charset=utf-8" });
      // B's key that spells out A's name is a key inside B's space.
      await b.put(`${a.merchantId}/docs/terms.pdf`, Buffer.from("B2"), { contentType: "text/plain" });
      const raw = rawClient(s3rverOptions());
      const names: string[] = [];
      for await (const item of raw.listObjectsV2(BUCKET, "", true)) if (item.name) names.push(item.name);
      expect(names.filter((n) => n.includes(a.merchantId) || n.includes(b.merchantId)).sort()).toEqual(
        [`${a.merchantId}/docs/terms.pdf`, `${b.merchantId}/${a.merchantId}/docs/terms.pdf`, `${b.merchantId}/docs/terms.pdf`].sort(),
      );
      expect((await raw.statObject(BUCKET, `${a.merchantId}/docs/terms.pdf`)).metaData["content-type"]).toBe("application/pdf");
      expect((await raw.statObject(BUCKET, `${b.merchantId}/docs/terms.pdf`)).metaData["content-type"]).toBe("text/plain; charset=utf-8");
      expect((await bytesOf((await a.get("docs/terms.pdf"))!.body)).toString()).toBe("A");
    } finally {
      await store.close();
    }
  });

  it("a body stream that fails midway, or runs over the limit, sends nothing: the previous object stays", async () => {
    const store = await openMinioObjectStore(s3rverOptions({ maxObjectBytes: 1024 }));
    try {
      const a = store.forMerchant(asMerchantId(`m${newId()}`));
      const first = await a.put("doc.txt", Buffer.from("version 1"), { contentType: "text/plain" });
      async function* failing() {
        yield Buffer.from("version 2, half");
        throw new Error("connection reset");
      }
      await expect(a.put("doc.txt", failing(), { contentType: "text/plain" })).rejects.toThrow("connection reset");
      let pulled = 0;
      const endless = new Readable({
        read() {
          pulled += 1;
          this.push(Buffer.alloc(300, 7));
        },
      });
      await expect(a.put("doc.txt", endless, { contentType: "text/plain" })).rejects.toBeInstanceOf(PayloadTooLargeError);
      // Refused at the first chunk past 1024 bytes, and the source was released, not drained.
      expect(pulled).toBeLessThanOrEqual(6);
      expect(endless.destroyed).toBe(true);
      await expect(a.put("doc.txt", Buffer.alloc(1025), { contentType: "text/plain" })).rejects.toThrow(/1024/);
      expect(await a.head("doc.txt")).toEqual(first);
      expect((await bytesOf((await a.get("doc.txt"))!.body)).toString()).toBe("version 1");
    } finally {
      await store.close();
    }
  });

  it("presigned URLs name the public endpoint, path-style, with the asked lifetime and the minio client's signature", async () => {
    const publicEndpoint = "https://media.shop.example:8443";
    const store = await openMinioObjectStore(s3rverOptions({ publicEndpoint }));
    try {
      const a = store.forMerchant(asMerchantId(`m${newId()}`));
      const get = new URL(await a.presignGet("media/photo.jpg", { expiresInSeconds: 900, downloadName: "صورة المنتج.jpg" }));
      expect(get.origin).toBe(publicEndpoint);
      expect(get.pathname).toBe(`/${BUCKET}/${a.merchantId}/media/photo.jpg`);
      expect(get.searchParams.get("X-Amz-Expires")).toBe("900");
      expect(get.searchParams.get("X-Amz-SignedHeaders")).toBe("host");
      expect(get.searchParams.get("response-content-disposition")).toBe(attachmentDisposition("صورة المنتج.jpg"));
      // The minio client, given the same time and parameters, signs the same request identically.
      const d = get.searchParams.get("X-Amz-Date")!;
      const date = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
      const reference = new URL(
        await rawClient({ ...s3rverOptions(), endpoint: publicEndpoint }).presignedGetObject(
          BUCKET,
          `${a.merchantId}/media/photo.jpg`,
          900,
          { "response-content-disposition": attachmentDisposition("صورة المنتج.jpg") },
          date,
        ),
      );
      expect(get.searchParams.get("X-Amz-Signature")).toBe(reference.searchParams.get("X-Amz-Signature"));
      expect(Object.fromEntries(get.searchParams)).toEqual(Object.fromEntries(reference.searchParams));

      const before = Date.now();
      const put = await a.presignPut("uploads/scan.pdf", { expiresInSeconds: 120, contentType: "application/pdf" });
      const putUrl = new URL(put.url);
      expect(putUrl.pathname).toBe(`/${BUCKET}/${a.merchantId}/uploads/scan.pdf`);
      expect(putUrl.searchParams.get("X-Amz-Expires")).toBe("120");
      expect(putUrl.searchParams.get("X-Amz-SignedHeaders")).toBe("content-type;host");
      expect(put.headers).toEqual({ "Content-Type": "application/pdf" });
      const expiresAt = Date.parse(put.expiresAt);
      expect(expiresAt).toBeGreaterThan(before + 118_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
      // The same upload URL for another type carries another signature: the type is signed.
      const html = new URL((await a.presignPut("uploads/scan.pdf", { expiresInSeconds: 120, contentType: "text/html" })).url);
      expect(html.searchParams.get("X-Amz-Signature")).not.toBe(putUrl.searchParams.get("X-Amz-Signature"));
      await expect(a.presignPut("uploads/x", { expiresInSeconds: 60, contentType: "text/plain", maxBytes: DEFAULT_MAX_OBJECT_BYTES + 1 })).rejects.toThrow(/at most/);
    } finally {
      await store.close();
    }
  });

  it("creates a missing bucket; ping fails once the bucket is gone", async () => {
    const bucket = `kaleem-new-${newId().toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 12)}`;
    const raw = rawClient(s3rverOptions());
    expect(await raw.bucketExists(bucket)).toBe(false);
    const store = await openMinioObjectStore(s3rverOptions({ bucket }));
    try {
      expect(await raw.bucketExists(bucket)).toBe(true);
      await expect(store.ping()).resolves.toBeUndefined();
      // Opening again finds the bucket and leaves it (and what is in it) alone.
      await store.forMerchant(asMerchantId("m1")).put("kept", Buffer.from("kept"), { contentType: "text/plain" });
      const again = await openMinioObjectStore(s3rverOptions({ bucket }));
      expect((await again.forMerchant(asMerchantId("m1")).head("kept"))?.size).toBe(4);
      await again.close();
      await raw.removeObject(bucket, "m1/kept");
      await raw.removeBucket(bucket);
      await expect(store.ping()).rejects.toThrow(/does not exist/);
    } finally {
      await store.close();
    }
  });

  it("refuses to open on a server that serves anonymous requests (s3rver has no access control)", async () => {
    // Without the test-server switch the adapter insists on its policy, which s3rver cannot store...
    await expect(openMinioObjectStore({ ...s3rverOptions(), testServerWithoutAccessControl: false })).rejects.toThrow(/private policy/);
    // ...and the probe that runs after it sees s3rver answer unsigned requests.
    await expect(assertAnonymousAccessDenied(s3.endpoint, BUCKET)).rejects.toThrow(/answers unauthenticated requests/);
  });

  it("the bucket policy denies every action to anonymous clients only", () => {
    const policy = JSON.parse(denyAnonymousPolicy("media-b")) as {
      Statement: Array<{ Effect: string; Principal: unknown; Action: string[]; Resource: string[]; Condition: unknown }>;
    };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Principal: { AWS: ["*"] },
        Action: ["s3:*"],
        Resource: ["arn:aws:s3:::media-b", "arn:aws:s3:::media-b/*"],
        Condition: { StringEquals: { "aws:PrincipalType": ["Anonymous"] } },
      }),
    ]);
  });

  it("opens from the validated config's s3 section as it is", async () => {
    const config = loadConfig({
      KALEEM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "kaleem-config-")),
      S3_ENDPOINT: s3.endpoint,
      S3_PUBLIC_ENDPOINT: "https://media.shop.example",
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: BUCKET,
    });
    const options: MinioObjectStoreOptions = { ...config.s3!, testServerWithoutAccessControl: true };
    const store = await openMinioObjectStore(options);
    try {
      const a = store.forMerchant(asMerchantId(`m${newId()}`));
      await a.put("k.txt", Buffer.from("via config"), { contentType: "text/plain" });
      expect((await bytesOf((await a.get("k.txt"))!.body)).toString()).toBe("via config");
      expect(new URL(await a.presignGet("k.txt", { expiresInSeconds: 60 })).origin).toBe("https://media.shop.example");
    } finally {
      await store.close();
    }
  });

  it("refuses bad options and a malformed merchant id with a clear error", async () => {
    const bad: Array<[Partial<MinioObjectStoreOptions>, RegExp]> = [
      [{ bucket: "Not_A_Bucket" }, /bucket name/],
      [{ endpoint: "http://minio:9000/some/path" }, /origin without path/],
      [{ endpoint: "ftp://minio:21" }, /http\(s\) origin/],
      [{ publicEndpoint: "https://cdn.example/media" }, /S3_PUBLIC_ENDPOINT/],
      [{ secretKey: "" }, /secret key/],
    ];
    for (const [extra, message] of bad) {
      await expect(openMinioObjectStore(s3rverOptions(extra))).rejects.toThrow(message);
    }
    const store = await openMinioObjectStore(s3rverOptions());
    try {
      expect(() => store.forMerchant(asMerchantId("../other"))).toThrow(ValidationError);
      expect(() => store.forMerchant(asMerchantId("a/b"))).toThrow(/merchant id/);
    } finally {
      await store.close();
    }
  });
});
