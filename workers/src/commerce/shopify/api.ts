// Shopify Admin REST API pages: GET /admin/api/<version>/{products,orders}.json with cursor
// pagination (the Link header's rel="next" page_info). Shopify refuses filters beside page_info,
// so `updated_at_min` goes on the first page of a reconciliation only; later pages carry it in
// their cursor.
import type { CommerceConnection } from "@kaleem/shared";
import type { ProviderHttpOptions } from "../../channels/common/http.js";
import { getPlatformJson, type PlatformPage, type SyncResource } from "../common/api.js";
import { arrayAt, isObject } from "../common/json.js";
import { orderUpsert, productUpsert } from "../common/normalize.js";
import { shopifyOrder, shopifyProduct } from "./parse.js";

export const SHOPIFY_API_VERSION = "2026-01";
export const SHOPIFY_PAGE_SIZE = 250;

export function shopifyBaseUrl(connection: CommerceConnection): string {
  return connection.publicConfig.apiBaseUrl || `https://${connection.publicConfig.shopDomain ?? ""}`;
}

/** The page_info of the Link header's rel="next", or null. */
export function shopifyNextPageInfo(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (m?.[1]) return new URL(m[1]).searchParams.get("page_info");
  }
  return null;
}

export async function shopifyPage(
  input: { connection: CommerceConnection; accessToken: string; resource: SyncResource; cursor: string | null; since: string | null; pageSize?: number },
  http: ProviderHttpOptions,
): Promise<PlatformPage> {
  const { connection, resource } = input;
  const url = new URL(`${shopifyBaseUrl(connection)}/admin/api/${SHOPIFY_API_VERSION}/${resource}.json`);
  url.searchParams.set("limit", String(input.pageSize ?? SHOPIFY_PAGE_SIZE));
  if (input.cursor) url.searchParams.set("page_info", input.cursor);
  else {
    if (resource === "orders") url.searchParams.set("status", "any");
    if (input.since) url.searchParams.set("updated_at_min", input.since);
  }
  const { body, headers } = await getPlatformJson(
    { platform: "shopify", operation: resource, url: url.toString(), headers: { "x-shopify-access-token": input.accessToken } },
    http,
  );
  const shopDomain = connection.publicConfig.shopDomain ?? null;
  const items = arrayAt(body, resource).filter(isObject);
  return {
    changes: items.map((item) => (resource === "products" ? productUpsert(shopifyProduct(item, shopDomain)) : orderUpsert(shopifyOrder(item)))),
    next: shopifyNextPageInfo(headers.get("link")),
  };
}
