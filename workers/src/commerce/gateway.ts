// The provider layer behind the CommerceWebhooks port (REST reads webhooks through it) and the
// platform API pages the import/reconcile job walks. It picks the platform by the connection and
// its credentials from the connection's public config and sealed secrets.
import { canonicalJson, sha256Hex, type CommerceConnection, type CommerceWebhookEvent, type CommerceWebhookReading, type CommerceWebhooks, type ChannelSecrets } from "@kaleem/shared";
import { singleHeader, type HeaderBag } from "../channels/common/headers.js";
import type { FetchLike } from "../channels/common/http.js";
import type { PlatformPage, SyncResource } from "./common/api.js";
import { idOf, isObject, parseLosslessJson, text } from "./common/json.js";
import { UnreadablePayload } from "./common/normalize.js";
import { verifySalla, verifyShopify, verifyZid, type CommerceVerdict, type SallaStrategy } from "./common/signatures.js";
import { sallaPage } from "./salla/api.js";
import { sallaChanges } from "./salla/parse.js";
import { shopifyPage } from "./shopify/api.js";
import { shopifyChanges } from "./shopify/parse.js";
import { zidPage } from "./zid/api.js";
import { zidChanges, zidEventOf } from "./zid/parse.js";

export interface CommerceGatewayOptions {
  /** Every platform call goes through it (the launcher passes the SSRF-guarded fetch). */
  fetch: FetchLike;
  timeoutMs?: number;
  /** Page size of API walks (tests use small pages). */
  pageSize?: number;
}

export interface CommercePageRequest {
  connection: CommerceConnection;
  secrets: ChannelSecrets;
  resource: SyncResource;
  cursor: string | null;
  since: string | null;
  signal?: AbortSignal;
}

export interface CommerceGateway extends CommerceWebhooks {
  /** One page of the platform's products or orders, as normalized changes, and the next page's cursor. */
  page(input: CommercePageRequest): Promise<PlatformPage>;
}

type Reading = CommerceWebhookReading;
const refuse = (status: 400 | 401 | 403, reason: string): Reading => ({ ok: false, status, reason });
const unauthentic = (verdict: CommerceVerdict): Reading | null => (verdict.ok ? null : refuse(verdict.reason === "empty_body" ? 400 : 401, verdict.reason));

/** The first of several header names that is present (classic X-Shopify-* or the newer lower-case shopify-*). */
function firstHeader(headers: HeaderBag, ...names: string[]): string | null {
  for (const name of names) {
    const value = singleHeader(headers, name);
    if (value !== null && value.trim() !== "") return value.trim();
  }
  return null;
}

function readJson(rawBody: Buffer): unknown {
  return parseLosslessJson(rawBody.toString("utf8"));
}

/** Parsers throw UnreadablePayload for a body that cannot make a valid change: a 400, nothing stored. */
function parsed(build: () => CommerceWebhookEvent): Reading {
  try {
    return { ok: true, event: build() };
  } catch (err) {
    if (err instanceof UnreadablePayload) return refuse(400, err.message);
    throw err;
  }
}

function readShopify(connection: CommerceConnection, secrets: ChannelSecrets, rawBody: Buffer, headers: HeaderBag): Reading {
  const bad = unauthentic(verifyShopify(rawBody, headers, secrets.webhookSecret ?? ""));
  if (bad) return bad;
  const topic = firstHeader(headers, "x-shopify-topic", "shopify-topic");
  const shop = firstHeader(headers, "x-shopify-shop-domain", "shopify-shop-domain")?.toLowerCase() ?? null;
  const eventId = firstHeader(headers, "x-shopify-event-id", "shopify-event-id") ?? firstHeader(headers, "x-shopify-webhook-id", "shopify-webhook-id");
  if (topic === null) return refuse(400, "missing X-Shopify-Topic");
  if (shop === null) return refuse(400, "missing X-Shopify-Shop-Domain");
  if (eventId === null) return refuse(400, "missing X-Shopify-Event-Id");
  const expected = connection.publicConfig.shopDomain?.toLowerCase() ?? "";
  if (shop !== expected) return refuse(403, `the webhook is for shop ${shop}, not this connection's`);
  const body = readJson(rawBody);
  if (body === null) return refuse(400, "the body is not JSON");
  // One merchant action gives one event id to every topic it triggers: the topic is part of the key.
  return parsed(() => ({ platform: "shopify", topic, dedupeKey: `${topic}:${eventId}`.slice(0, 200), changes: shopifyChanges(topic, body, expected || null) }));
}

function readSalla(connection: CommerceConnection, secrets: ChannelSecrets, rawBody: Buffer, headers: HeaderBag): Reading {
  const strategy: SallaStrategy = connection.publicConfig.securityStrategy === "token" ? "token" : "signature";
  const bad = unauthentic(verifySalla(rawBody, headers, secrets.webhookSecret ?? "", strategy));
  if (bad) return bad;
  const body = readJson(rawBody);
  if (!isObject(body)) return refuse(400, "the body is not a JSON object");
  const event = text(body.event);
  const merchant = idOf(body.merchant);
  if (event === "") return refuse(400, "the envelope has no event");
  if (merchant === null) return refuse(400, "the envelope has no merchant");
  if (merchant !== connection.publicConfig.merchantId) return refuse(403, `the webhook is for Salla store ${merchant}, not this connection's`);
  // Salla gives no delivery id: the same merchant, event and body is the same event.
  const dedupeKey = `${event}:${sha256Hex(`${merchant}\n${event}\n${rawBody.toString("utf8")}`).slice(0, 48)}`.slice(0, 200);
  return parsed(() => ({ platform: "salla", topic: event, dedupeKey, changes: sallaChanges(event, body.data) }));
}

function readZid(connection: CommerceConnection, secrets: ChannelSecrets, rawBody: Buffer, headers: HeaderBag, query: URLSearchParams): Reading {
  const bad = unauthentic(verifyZid(headers, connection.publicConfig.username ?? "", secrets.password ?? ""));
  if (bad) return bad;
  const body = readJson(rawBody);
  if (!isObject(body)) return refuse(400, "the body is not a JSON object");
  const inner = isObject(body.order) ? body.order : isObject(body.product) ? body.product : body;
  const storeId = idOf(inner.store_id) ?? idOf(body.store_id);
  if (storeId !== null && storeId !== connection.publicConfig.storeId) return refuse(403, `the webhook is for Zid store ${storeId}, not this connection's`);
  const event = zidEventOf(body, query.get("event"));
  const id = idOf(inner.id) ?? "none";
  const status = isObject(inner.order_status) ? text(inner.order_status.code) : text(inner.order_status);
  const updatedAt = text(inner.updated_at);
  // Zid gives no delivery id: an order is the same event while its id, status and updated_at are.
  const dedupeKey = (
    updatedAt !== "" || event === "product.delete" ? `${event}:${id}:${status}:${updatedAt}` : `${event}:${id}:${sha256Hex(canonicalJson(body)).slice(0, 32)}`
  ).slice(0, 200);
  return parsed(() => ({ platform: "zid", topic: event, dedupeKey, changes: zidChanges(event, body) }));
}

export function createCommerceGateway(options: CommerceGatewayOptions): CommerceGateway {
  const http = { fetch: options.fetch, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  return {
    read({ connection, secrets, rawBody, headers, query }) {
      switch (connection.platform) {
        case "shopify":
          return readShopify(connection, secrets, rawBody, headers);
        case "salla":
          return readSalla(connection, secrets, rawBody, headers);
        case "zid":
          return readZid(connection, secrets, rawBody, headers, query);
      }
    },

    async page({ connection, secrets, resource, cursor, since, signal }) {
      const withSignal = { ...http, ...(signal ? { signal } : {}) };
      const common = { connection, accessToken: secrets.accessToken ?? "", resource, cursor, since, ...(options.pageSize ? { pageSize: options.pageSize } : {}) };
      switch (connection.platform) {
        case "shopify":
          return shopifyPage(common, withSignal);
        case "salla":
          return sallaPage(common, withSignal);
        case "zid":
          return zidPage({ ...common, managerToken: secrets.managerToken ?? "" }, withSignal);
      }
    },
  };
}
