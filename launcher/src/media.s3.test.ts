// With S3_ENDPOINT the launcher keeps media in MinIO/S3, not on local disk: a WhatsApp photo comes
// in through the product (webhook → workers download it from the provider → object store), the
// agent's link is a presigned URL on the S3 server, and its bytes are the photo's. The S3 server is
// s3rver (no MinIO can run here): it has no access control, so the launcher's refusal of such a
// server is shown first, and the rest runs with that one check waived in code.
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, loadConfig, type Message } from "@kaleem/shared";
import { MinioObjectStore } from "@kaleem/shared/adapters";
import { startS3rver, type S3rverServer } from "@kaleem/shared/testing";
import { startFakeWhatsApp, type FakeWhatsApp } from "@kaleem/workers/channels/testing";
import { createMerchant, login, startTestKaleem, until, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";
import { startKaleem } from "./runtime.js";

const WA = { phoneNumberId: "105550009999", accessToken: "EAAG-test-access-token-s3", appSecret: "wa-app-secret-for-s3-tests", verifyToken: "verify-me-s3" };
let s3: S3rverServer;
let wa: FakeWhatsApp;
let t: TestKaleem;
let shop: TestMerchant;
let owner: string;
const s3Env = () => ({ S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: "kaleem-media-launcher", S3_REGION: s3.region });

beforeAll(async () => {
  s3 = await startS3rver();
  wa = await startFakeWhatsApp({ phoneNumberId: WA.phoneNumberId, accessToken: WA.accessToken });
});
afterAll(async () => {
  await t?.close();
  await wa?.close();
  await s3?.stop();
});

describe("media in MinIO/S3 when S3_ENDPOINT is set", () => {
  // s3rver has no bucket policies: the store cannot make the bucket private, so the launcher stops.
  it("refuses to start on an S3 server that cannot keep the bucket private", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-s3-refused-"));
    const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", KALEEM_SEED_DEMO: "false", ...s3Env() });
    try {
      await expect(startKaleem(config, { printCredentials: false, seedDemo: false })).rejects.toThrow(/Could not set the private policy on bucket "kaleem-media-launcher"/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps a channel photo in the bucket and serves it through a presigned URL on the S3 server", async () => {
    t = await startTestKaleem({ env: { ...s3Env(), OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", BOT_STREAM_DELAY_MS: "0" }, start: { s3TestServerWithoutAccessControl: true } });
    expect(t.k.objects).toBeInstanceOf(MinioObjectStore);
    shop = await createMerchant(t.k);
    owner = await login(t.k.url, shop.email, shop.password);
    const api = async <T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${t.k.url}/api/v1${p}`, {
        method,
        headers: { authorization: `Bearer ${owner}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    const channel = await api<{ id: string }>("POST", "/channels", { type: "whatsapp", name: "WhatsApp", config: { ...WA, apiBaseUrl: wa.apiBaseUrl } });
    expect(channel.status).toBe(201);

    const from = "966500000777";
    const bytes = Buffer.from("fake-jpeg-bytes-of-a-red-dress-in-s3");
    wa.addMedia("media-s3-1", bytes, "image/jpeg");
    const raw = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "WABA-S3", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550009999", phone_number_id: WA.phoneNumberId }, contacts: [{ profile: { name: "Lama" }, wa_id: from }], messages: [{ from, id: "wamid.S3IMG1", timestamp: String(Math.floor(Date.now() / 1000)), type: "image", image: { id: "media-s3-1", mime_type: "image/jpeg", caption: "this one in red?" } }] } }] }],
    });
    const signature = `sha256=${createHmac("sha256", WA.appSecret).update(raw).digest("hex")}`;
    const hook = await fetch(`${t.k.url}/webhooks/meta/${channel.body.id}`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body: raw });
    expect(hook.status).toBe(200);

    const tenant = t.k.store.forMerchant(asMerchantId(shop.merchantId));
    let photo: Message | undefined;
    await until(async () => {
      const customer = await tenant.customers.findByExternalId("whatsapp", from);
      const conversation = customer ? await tenant.conversations.findOpenByCustomer(customer.id, "whatsapp") : null;
      photo = conversation ? (await tenant.messages.listAfter(conversation.id, 0, 50)).find((m) => m.role === "shopper") : undefined;
      return photo !== undefined;
    }, "the photo message");
    const attachment = photo!.parts.find((p) => p.type === "attachment");
    expect(attachment).toMatchObject({ type: "attachment", kind: "image", contentType: "image/jpeg", size: bytes.length });
    const key = attachment!.type === "attachment" ? attachment!.key : "";

    // In the bucket under the merchant's prefix, and nothing on local disk.
    const stored = await t.k.objects.forMerchant(asMerchantId(shop.merchantId)).head(key);
    expect(stored).toMatchObject({ size: bytes.length, contentType: "image/jpeg" });
    expect(existsSync(path.join(t.dataDir, "media"))).toBe(false);

    // The agent's link names the S3 server (presigned), not this process's /media handler.
    const link = await api<{ url: string }>("GET", `/conversations/${photo!.conversationId}/attachments/link?key=${encodeURIComponent(key)}`);
    expect(link.status).toBe(200);
    expect(new URL(link.body.url).origin).toBe(s3.endpoint);
    expect(new URL(link.body.url).pathname).toBe(`/kaleem-media-launcher/${shop.merchantId}/${key}`);
    expect(new URL(link.body.url).searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    const got = await fetch(link.body.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${t.k.url}/media/${shop.merchantId}/${key}`)).status).toBe(404);
  });
});
