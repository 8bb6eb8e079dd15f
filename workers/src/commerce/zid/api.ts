// Zid API pages: GET /products/?page=&page_size= ({count, next, results}) and
// /managers/store/orders?page=&per_page= ({orders, total_order_count}), with the app's Bearer
// token, the store's X-Manager-Token and Store-Id. Reconciliation asks for orders since the day
// of the last run (date_from) — Zid's webhooks are known to lose events.
import type { CommerceConnection } from "@kaleem/shared";
import type { ProviderHttpOptions } from "../../channels/common/http.js";
import { getPlatformJson, type PlatformPage, type SyncResource } from "../common/api.js";
import { arrayAt, integer, isObject } from "../common/json.js";
import { orderUpsert, productUpsert } from "../common/normalize.js";
import { zidOrder, zidProduct } from "./parse.js";

export const ZID_API_BASE = "https://api.zid.sa/v1";
export const ZID_PAGE_SIZE = 50;

export async function zidPage(
  input: { connection: CommerceConnection; accessToken: string; managerToken: string; resource: SyncResource; cursor: string | null; since: string | null; pageSize?: number },
  http: ProviderHttpOptions,
): Promise<PlatformPage> {
  const page = Number(input.cursor ?? "1");
  const size = input.pageSize ?? ZID_PAGE_SIZE;
  const base = input.connection.publicConfig.apiBaseUrl || ZID_API_BASE;
  const url = new URL(input.resource === "products" ? `${base}/products/` : `${base}/managers/store/orders`);
  url.searchParams.set("page", String(page));
  url.searchParams.set(input.resource === "products" ? "page_size" : "per_page", String(size));
  if (input.resource === "orders" && input.since) url.searchParams.set("date_from", input.since.slice(0, 10));
  const { body } = await getPlatformJson(
    {
      platform: "zid",
      operation: input.resource,
      url: url.toString(),
      headers: { authorization: `Bearer ${input.accessToken}`, "x-manager-token": input.managerToken, "store-id": input.connection.publicConfig.storeId ?? "", "accept-language": "ar" },
    },
    http,
  );
  const items = arrayAt(body, input.resource === "products" ? "results" : "orders").filter(isObject);
  const total = integer(isObject(body) ? (body.count ?? body.total_order_count) : null);
  const more = isObject(body) && typeof body.next === "string" && body.next !== "" ? true : total !== null ? page * size < total : items.length === size;
  return {
    changes: items.map((item) => (input.resource === "products" ? productUpsert(zidProduct(item)) : orderUpsert(zidOrder(item)))),
    next: more && items.length > 0 ? String(page + 1) : null,
  };
}
