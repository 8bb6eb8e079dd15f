// Attacks, family 10: forged provider webhooks, one table for every provider Kaleem takes webhooks
// from (Telegram; WhatsApp, Messenger and Instagram through Meta; Shopify; Salla with either
// security strategy; Zid), against the embedded product with its real provider layer. Each
// forgery — missing, wrong, truncated or re-encoded signatures, a re-serialized body, another
// store's credentials, a well signed body naming another store's account — must be refused (401,
// or 403 for the foreign account) and store nothing: no webhook event row, no customer, no product.
// Then the genuine delivery of each provider is accepted and stored once, which shows the count
// would have seen a stored forgery. (Single-provider cases this extends: channels.flow.test.ts,
// commerce.flow.test.ts.)
import Database from "better-sqlite3";
import { createHmac } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, integrationSecrets, type ChannelType } from "@kaleem/shared";
import { sallaWebhookHeaders, shopifyWebhookHeaders, zidWebhookHeaders } from "@kaleem/workers/commerce/testing";
import { createMerchant, login, mustNotBeLogged, startTestKaleem, until, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

let t: TestKaleem;

/** One store's integrations: every channel type and every platform, each with secrets of its own. */
interface Tenant {
  merchant: TestMerchant;
  tg: { id: string; secretToken: string };
  wa: { id: string; appSecret: string; account: string };
  fb: { id: string; appSecret: string; account: string };
  ig: { id: string; appSecret: string; account: string };
  shopify: { id: string; secret: string; shop: string };
  salla: { id: string; secret: string; account: string; strategy: "signature" | "token" };
  zid: { id: string; username: string; password: string; account: string };
}
let A: Tenant;
let B: Tenant;

async function setUp(tag: string, n: number, sallaStrategy: "signature" | "token"): Promise<Tenant> {
  const merchant = await createMerchant(t.k);
  const tenant = t.k.store.forMerchant(asMerchantId(merchant.merchantId));
  const box = integrationSecrets(t.k.config);
  // Channels are written as the connect route writes them (its provider check is channels.flow's business).
  const channel = async (type: ChannelType, publicConfig: Record<string, string>, secrets: Record<string, string>) =>
    (await tenant.channels.create({ type, name: `${type} ${tag}`, publicConfig, secretsCiphertext: box.seal(secrets) })).id;
  const meta = async (type: "whatsapp" | "messenger" | "instagram", idField: string, account: string) => {
    const appSecret = `${type}-app-secret-${tag}`;
    mustNotBeLogged(appSecret);
    return { id: await channel(type, { [idField]: account, verifyToken: `verify-${tag}-token` }, { accessToken: `EAAG-${type}-${tag}`, appSecret }), appSecret, account };
  };
  const secretToken = `tg-secret-${tag}`;
  const tg = { id: await channel("telegram", {}, { botToken: `12345678${n}:AAE${tag}TokenForAttackTests`, secretToken }), secretToken };
  const wa = await meta("whatsapp", "phoneNumberId", `10555000${n}111`);
  const fb = await meta("messenger", "pageId", `20555000${n}222`);
  const ig = await meta("instagram", "pageId", `1784140000000${n}01`);
  const owner = await login(t.k.url, merchant.email, merchant.password);
  const connect = async (platform: string, config: Record<string, string>) => {
    const res = await fetch(`${t.k.url}/api/v1/commerce-connections`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
      body: JSON.stringify({ platform, config }),
    });
    if (res.status !== 201) throw new Error(`connect ${platform}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const shop = `attack-${tag}.myshopify.com`;
  const shopifySecret = `shpss_attack_${tag}`;
  const sallaSecret = `salla-secret-${tag}`;
  const zid = { username: `zid-user-${tag}`, password: `zid-password-${tag}`, account: `9${n}001` };
  mustNotBeLogged(shopifySecret, sallaSecret, zid.password, secretToken);
  return {
    merchant,
    tg,
    wa,
    fb,
    ig,
    shopify: { id: await connect("shopify", { shopDomain: shop, webhookSecret: shopifySecret }), secret: shopifySecret, shop },
    salla: { id: await connect("salla", { merchantId: `12345${n}9876`, securityStrategy: sallaStrategy, webhookSecret: sallaSecret }), secret: sallaSecret, account: `12345${n}9876`, strategy: sallaStrategy },
    zid: { id: await connect("zid", { storeId: zid.account, username: zid.username, password: zid.password }), ...zid },
  };
}

beforeAll(async () => {
  t = await startTestKaleem({ env: { LOG_LEVEL: "silent" } });
  A = await setUp("alpha", 1, "signature");
  B = await setUp("beta", 2, "token");
});
afterAll(async () => t?.close());

// ---- what each provider sends ------------------------------------------------------------------
let seq = 0;
const telegramUpdate = () => {
  seq += 1;
  return JSON.stringify({ update_id: 90_000 + seq, message: { message_id: seq, date: Math.floor(Date.now() / 1000), text: `hello ${seq}`, chat: { id: 7000 + seq, type: "private", first_name: "Salem" }, from: { id: 7000 + seq, is_bot: false, first_name: "Salem" } } });
};
const whatsAppMessage = (phoneNumberId: string) => {
  seq += 1;
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "WABA-1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550001111", phone_number_id: phoneNumberId }, contacts: [{ profile: { name: "Noura" }, wa_id: `9665000${seq}` }], messages: [{ from: `9665000${seq}`, id: `wamid.ATTACK${seq}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "hi" } }] } }] }],
  });
};
const pageMessage = (object: "page" | "instagram", account: string) => {
  seq += 1;
  const now = Date.now();
  return JSON.stringify({ object, entry: [{ id: account, time: now, messaging: [{ sender: { id: `178000000${seq}` }, recipient: { id: account }, timestamp: now, message: { mid: `m_attack_${seq}`, text: "hi" } }] }] });
};
const shopifyProduct = () => {
  seq += 1;
  return JSON.stringify({ id: `79811122233${seq}`, title: `Abaya ${seq}`, status: "active", variants: [{ id: `44400011122${seq}`, title: "52", price: "350.00", inventory_quantity: 3 }] });
};
const sallaProduct = (account: string) => {
  seq += 1;
  return JSON.stringify({ event: "product.created", merchant: Number(account), created_at: "2026-12-01 10:00:00", data: { id: 1_492_837_000 + seq, name: `Abaya ${seq}`, price: { amount: 280, currency: "SAR" }, quantity: 7, status: "sale" } });
};
const zidProduct = (account: string) => {
  seq += 1;
  return JSON.stringify({ id: `zid-p-${seq}`, name: { en: `Abaya ${seq}`, ar: "عباية" }, price: 300, sku: `Z-${seq}`, store_id: account, quantity: 2 });
};

const hmac = (secret: string, raw: string, encoding: "hex" | "base64") => createHmac("sha256", secret).update(raw).digest(encoding);
const pretty = (raw: string) => JSON.stringify(JSON.parse(raw), null, 2);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}
interface Forgery extends Delivery {
  name: string;
  status: 401 | 403 | 404;
}
interface ProviderCase {
  provider: string;
  genuine: (t: Tenant) => Delivery;
  /** Forgeries aimed at `victim`, some made with what `other` (another store) holds. */
  forgeries: (victim: Tenant, other: Tenant) => Forgery[];
}

const JSON_TYPE = { "content-type": "application/json" };

function metaCase(provider: string, pick: (t: Tenant) => Tenant["wa"], body: (account: string) => string): ProviderCase {
  const path = (t: Tenant) => `/webhooks/meta/${pick(t).id}`;
  const sign = (secret: string, raw: string) => ({ ...JSON_TYPE, "x-hub-signature-256": `sha256=${hmac(secret, raw, "hex")}` });
  return {
    provider,
    genuine: (v) => {
      const raw = body(pick(v).account);
      return { path: path(v), body: raw, headers: sign(pick(v).appSecret, raw) };
    },
    forgeries: (v, o) => {
      const raw = body(pick(v).account);
      const secret = pick(v).appSecret;
      const hex = hmac(secret, raw, "hex");
      const foreign = body(pick(o).account);
      return [
        { name: "no signature", path: path(v), body: raw, headers: JSON_TYPE, status: 401 },
        { name: "wrong secret", path: path(v), body: raw, headers: sign("not-the-app-secret", raw), status: 401 },
        { name: "truncated", path: path(v), body: raw, headers: { ...JSON_TYPE, "x-hub-signature-256": `sha256=${hex.slice(0, 63)}` }, status: 401 },
        { name: "base64 instead of hex", path: path(v), body: raw, headers: { ...JSON_TYPE, "x-hub-signature-256": `sha256=${hmac(secret, raw, "base64")}` }, status: 401 },
        { name: "upper-case hex", path: path(v), body: raw, headers: { ...JSON_TYPE, "x-hub-signature-256": `sha256=${hex.toUpperCase()}` }, status: 401 },
        { name: "no sha256= prefix", path: path(v), body: raw, headers: { ...JSON_TYPE, "x-hub-signature-256": hex }, status: 401 },
        { name: "legacy SHA-1 header only", path: path(v), body: raw, headers: { ...JSON_TYPE, "x-hub-signature": `sha1=${createHmac("sha1", secret).update(raw).digest("hex")}` }, status: 401 },
        { name: "re-serialized body", path: path(v), body: pretty(raw), headers: sign(secret, raw), status: 401 },
        { name: "signed with another store's app secret", path: path(v), body: raw, headers: sign(pick(o).appSecret, raw), status: 401 },
        { name: "well signed, naming another store's account", path: path(v), body: foreign, headers: sign(secret, foreign), status: 403 },
        { name: "another store's own genuine delivery replayed to this channel", path: path(v), body: foreign, headers: sign(pick(o).appSecret, foreign), status: 401 },
      ];
    },
  };
}

const providers: ProviderCase[] = [
  {
    provider: "telegram",
    genuine: (v) => ({ path: `/webhooks/telegram/${v.tg.id}`, body: telegramUpdate(), headers: { ...JSON_TYPE, "x-telegram-bot-api-secret-token": v.tg.secretToken } }),
    forgeries: (v, o) => {
      const p = `/webhooks/telegram/${v.tg.id}`;
      const header = (value: string) => ({ ...JSON_TYPE, "x-telegram-bot-api-secret-token": value });
      return [
        { name: "no secret token", path: p, body: telegramUpdate(), headers: JSON_TYPE, status: 401 },
        { name: "wrong secret token", path: p, body: telegramUpdate(), headers: header("tg-secret-guess"), status: 401 },
        { name: "truncated secret token", path: p, body: telegramUpdate(), headers: header(v.tg.secretToken.slice(0, -1)), status: 401 },
        { name: "secret token with a suffix", path: p, body: telegramUpdate(), headers: header(`${v.tg.secretToken}x`), status: 401 },
        { name: "secret token in another case", path: p, body: telegramUpdate(), headers: header(v.tg.secretToken.toUpperCase()), status: 401 },
        { name: "secret token hashed (hex)", path: p, body: telegramUpdate(), headers: header(createHmac("sha256", v.tg.secretToken).update("").digest("hex")), status: 401 },
        { name: "another store's secret token", path: p, body: telegramUpdate(), headers: header(o.tg.secretToken), status: 401 },
        { name: "a Telegram channel's id on the Meta endpoint", path: `/webhooks/meta/${v.tg.id}`, body: telegramUpdate(), headers: header(v.tg.secretToken), status: 404 },
      ];
    },
  },
  metaCase("whatsapp", (t) => t.wa, whatsAppMessage),
  metaCase("messenger", (t) => t.fb, (account) => pageMessage("page", account)),
  metaCase("instagram", (t) => t.ig, (account) => pageMessage("instagram", account)),
  {
    provider: "shopify",
    genuine: (v) => {
      const raw = shopifyProduct();
      return { path: `/webhooks/shopify/${v.shopify.id}`, body: raw, headers: shopifyWebhookHeaders({ secret: v.shopify.secret, rawBody: raw, topic: "products/create", shopDomain: v.shopify.shop, eventId: `e-${seq}` }) };
    },
    forgeries: (v, o) => {
      const p = `/webhooks/shopify/${v.shopify.id}`;
      const raw = shopifyProduct();
      const good = shopifyWebhookHeaders({ secret: v.shopify.secret, rawBody: raw, topic: "products/create", shopDomain: v.shopify.shop, eventId: `forged-${seq}` });
      const b64 = good["x-shopify-hmac-sha256"]!;
      const without = Object.fromEntries(Object.entries(good).filter(([k]) => k !== "x-shopify-hmac-sha256"));
      return [
        { name: "no signature", path: p, body: raw, headers: without, status: 401 },
        { name: "wrong secret", path: p, body: raw, headers: { ...good, "x-shopify-hmac-sha256": hmac("not-the-secret", raw, "base64") }, status: 401 },
        { name: "truncated", path: p, body: raw, headers: { ...good, "x-shopify-hmac-sha256": b64.slice(0, 40) }, status: 401 },
        { name: "hex instead of base64", path: p, body: raw, headers: { ...good, "x-shopify-hmac-sha256": hmac(v.shopify.secret, raw, "hex") }, status: 401 },
        { name: "base64url alphabet", path: p, body: raw, headers: { ...good, "x-shopify-hmac-sha256": hmac(v.shopify.secret, raw, "base64").replace(/=+$/, "") }, status: 401 },
        { name: "re-serialized body", path: p, body: pretty(raw), headers: good, status: 401 },
        { name: "signed with another store's secret", path: p, body: raw, headers: { ...good, "x-shopify-hmac-sha256": hmac(o.shopify.secret, raw, "base64") }, status: 401 },
        { name: "well signed, naming another store's shop", path: p, body: raw, headers: { ...good, "x-shopify-shop-domain": o.shopify.shop }, status: 403 },
      ];
    },
  },
  {
    provider: "salla (signature strategy)",
    genuine: (v) => {
      const raw = sallaProduct(v.salla.account);
      return { path: `/webhooks/salla/${v.salla.id}`, body: raw, headers: sallaWebhookHeaders({ secret: v.salla.secret, rawBody: raw, strategy: v.salla.strategy }) };
    },
    forgeries: (v, o) => {
      const p = `/webhooks/salla/${v.salla.id}`;
      const raw = sallaProduct(v.salla.account);
      const hex = hmac(v.salla.secret, raw, "hex");
      const sig = (value: string) => ({ ...JSON_TYPE, "x-salla-signature": value, "x-salla-security-strategy": "Signature" });
      const foreign = sallaProduct(o.salla.account);
      return [
        { name: "no signature", path: p, body: raw, headers: JSON_TYPE, status: 401 },
        { name: "wrong secret", path: p, body: raw, headers: sig(hmac("not-the-secret", raw, "hex")), status: 401 },
        { name: "truncated", path: p, body: raw, headers: sig(hex.slice(0, 63)), status: 401 },
        { name: "base64 instead of hex", path: p, body: raw, headers: sig(hmac(v.salla.secret, raw, "base64")), status: 401 },
        { name: "re-serialized body", path: p, body: pretty(raw), headers: sig(hex), status: 401 },
        { name: "the secret itself (token strategy) on a signature connection", path: p, body: raw, headers: { ...JSON_TYPE, authorization: v.salla.secret, "x-salla-security-strategy": "Token" }, status: 401 },
        { name: "signed with another store's secret", path: p, body: raw, headers: sig(hmac(o.salla.secret, raw, "hex")), status: 401 },
        { name: "well signed, naming another store's merchant", path: p, body: foreign, headers: sig(hmac(v.salla.secret, foreign, "hex")), status: 403 },
      ];
    },
  },
  {
    provider: "salla (token strategy)",
    // B's connection uses the token strategy; the forgeries below are aimed at B.
    genuine: (v) => {
      const raw = sallaProduct(v.salla.account);
      return { path: `/webhooks/salla/${v.salla.id}`, body: raw, headers: sallaWebhookHeaders({ secret: v.salla.secret, rawBody: raw, strategy: v.salla.strategy }) };
    },
    forgeries: (v, o) => {
      const p = `/webhooks/salla/${v.salla.id}`;
      const raw = sallaProduct(v.salla.account);
      const token = (value: string) => ({ ...JSON_TYPE, authorization: value, "x-salla-security-strategy": "Token" });
      const foreign = sallaProduct(o.salla.account);
      return [
        { name: "no token", path: p, body: raw, headers: JSON_TYPE, status: 401 },
        { name: "wrong token", path: p, body: raw, headers: token("salla-secret-guess"), status: 401 },
        { name: "truncated token", path: p, body: raw, headers: token(v.salla.secret.slice(0, -1)), status: 401 },
        { name: "Bearer prefix", path: p, body: raw, headers: token(`Bearer ${v.salla.secret}`), status: 401 },
        { name: "a valid HMAC announced as the signature strategy", path: p, body: raw, headers: { ...JSON_TYPE, "x-salla-signature": hmac(v.salla.secret, raw, "hex"), "x-salla-security-strategy": "Signature" }, status: 401 },
        { name: "another store's token", path: p, body: raw, headers: token(o.salla.secret), status: 401 },
        { name: "right token, naming another store's merchant", path: p, body: foreign, headers: token(v.salla.secret), status: 403 },
      ];
    },
  },
  {
    provider: "zid",
    genuine: (v) => ({ path: `/webhooks/zid/${v.zid.id}?event=product.create`, body: zidProduct(v.zid.account), headers: { ...zidWebhookHeaders(v.zid) } }),
    forgeries: (v, o) => {
      const p = `/webhooks/zid/${v.zid.id}?event=product.create`;
      const auth = (value: string) => ({ ...JSON_TYPE, authorization: value });
      return [
        { name: "no credentials", path: p, body: zidProduct(v.zid.account), headers: JSON_TYPE, status: 401 },
        { name: "wrong password", path: p, body: zidProduct(v.zid.account), headers: auth(basic(v.zid.username, "guess")), status: 401 },
        { name: "wrong user name", path: p, body: zidProduct(v.zid.account), headers: auth(basic("someone", v.zid.password)), status: 401 },
        { name: "truncated password", path: p, body: zidProduct(v.zid.account), headers: auth(basic(v.zid.username, v.zid.password.slice(0, -1))), status: 401 },
        { name: "Bearer with the password", path: p, body: zidProduct(v.zid.account), headers: auth(`Bearer ${v.zid.password}`), status: 401 },
        { name: "credentials not base64-encoded", path: p, body: zidProduct(v.zid.account), headers: auth(`Basic ${v.zid.username}:${v.zid.password}`), status: 401 },
        { name: "another store's credentials", path: p, body: zidProduct(v.zid.account), headers: auth(basic(o.zid.username, o.zid.password)), status: 401 },
        { name: "right credentials, naming another store", path: p, body: zidProduct(o.zid.account), headers: auth(basic(v.zid.username, v.zid.password)), status: 403 },
      ];
    },
  },
];

const post = (d: Delivery) => fetch(`${t.k.url}${d.path}`, { method: "POST", headers: d.headers, body: d.body });

/** Rows of the tenant's that a stored delivery would leave (read straight from the SQLite file). */
function stored(m: TestMerchant): { events: number; customers: number; products: number } {
  const db = new Database(path.join(t.dataDir, "kaleem.db"), { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE merchant_id = ?`).get(m.merchantId) as { n: number }).n;
    return { events: count("webhook_events"), customers: count("customers"), products: count("products") };
  } finally {
    db.close();
  }
}

let forgeriesTried = 0;
describe("forged webhooks, every provider", () => {
  for (const p of providers) {
    it(`${p.provider}: every forgery is refused and nothing is stored`, async () => {
      // The token strategy is B's connection; every other provider is aimed at A with B as the other store.
      const [victim, other] = p.provider === "salla (token strategy)" ? [B, A] : [A, B];
      const cases = p.forgeries(victim, other);
      expect(cases.length).toBeGreaterThanOrEqual(7);
      for (const forgery of cases) {
        const res = await post(forgery);
        expect(res.status, `${p.provider}: ${forgery.name}: ${await res.clone().text()}`).toBe(forgery.status);
        const body = (await res.json()) as { error?: { code: string } };
        expect(body.error?.code, forgery.name).toBeTruthy();
        forgeriesTried += 1;
      }
      for (const m of [A.merchant, B.merchant]) expect(stored(m), `${p.provider} stored a forgery`).toEqual({ events: 0, customers: 0, products: 0 });
    });
  }

  it("the genuine delivery of each provider is accepted and stored once (so the count above would have seen a forgery)", async () => {
    expect(forgeriesTried).toBeGreaterThan(0);
    const genuine = providers.map((p) => p.genuine(p.provider === "salla (token strategy)" ? B : A));
    for (const [i, d] of genuine.entries()) {
      const res = await post(d);
      expect(res.status, `${providers[i]!.provider}: ${await res.clone().text()}`).toBe(200);
    }
    const ofB = 1; // the token-strategy Salla delivery
    expect(stored(A.merchant).events).toBe(genuine.length - ofB);
    expect(stored(B.merchant).events).toBe(ofB);
    // And they are processed: the channel customers and the synced products appear.
    await until(() => stored(A.merchant).customers === 4 && stored(A.merchant).products === 3, "A's customers and products");
  });
});
