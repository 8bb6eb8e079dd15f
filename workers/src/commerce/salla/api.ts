// Salla Admin API v2 pages: GET /products and /orders with ?page=&per_page=, Bearer token; the
// answer's `pagination` says whether a next page exists. Orders of a reconciliation start at the
// day of the last run (from_date); products are walked whole (upserts are idempotent).
import type { CommerceConnection } from "@kaleem/shared";
import type { ProviderHttpOptions } from "../../channels/common/http.js";
import { getPlatformJson, type PlatformPage, type SyncResource } from "../common/api.js";
import { arrayAt, integer, isObject, objectAt } from "../common/json.js";
import { orderUpsert, productUpsert } from "../common/normalize.js";
import { sallaOrder, sallaProduct } from "./parse.js";

export const SALLA_API_BASE = "https://api.salla.dev/admin/v2";
export const SALLA_PAGE_SIZE = 60;

export async function sallaPage(
  input: { connection: CommerceConnection; accessToken: string; resource: SyncResource; cursor: string | null; since: string | null; pageSize?: number },
  http: ProviderHttpOptions,
): Promise<PlatformPage> {
  const page = Number(input.cursor ?? "1");
  const url = new URL(`${input.connection.publicConfig.apiBaseUrl || SALLA_API_BASE}/${input.resource}`);
  url.searchParams.set("page", String(page));
  url.searchParams.set("per_page", String(input.pageSize ?? SALLA_PAGE_SIZE));
  if (input.resource === "orders" && input.since) url.searchParams.set("from_date", input.since.slice(0, 10));
  const { body } = await getPlatformJson({ platform: "salla", operation: input.resource, url: url.toString(), headers: { authorization: `Bearer ${input.accessToken}` } }, http);
  const pagination = objectAt(body, "pagination");
  const current = integer(pagination?.currentPage) ?? page;
  const total = integer(pagination?.totalPages) ?? current;
  const items = arrayAt(body, "data").filter(isObject);
  return {
    changes: items.map((item) => (input.resource === "products" ? productUpsert(sallaProduct(item)) : orderUpsert(sallaOrder(item)))),
    next: current < total && items.length > 0 ? String(current + 1) : null,
  };
}
