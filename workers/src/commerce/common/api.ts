// Calls to a store platform's API for import and reconciliation: GET one page through the
// SSRF-guarded fetch, read the answer losslessly (ids past 2^53), and classify failures for the
// sync job: 429 waits (Retry-After), 401/403/404 stop (reconnect the store), 5xx and network
// errors retry with backoff.
import type { CommerceChange, CommercePlatform } from "@kaleem/shared";
import { ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable, bodySnippet, retryAfterHeaderMs, type ProviderFailureInfo } from "../../channels/common/errors.js";
import { fetchWithDeadline, readBodyLimited, type ProviderHttpOptions } from "../../channels/common/http.js";
import { parseLosslessJson } from "./json.js";

/** Catalog pages can be large (250 products with variants and HTML). */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

export type SyncResource = "products" | "orders";

export interface PlatformPage {
  changes: CommerceChange[];
  /** The cursor of the next page (the platform's page_info, page number or next URL); null on the last. */
  next: string | null;
}

export interface PlatformGet {
  platform: CommercePlatform;
  operation: string;
  url: string;
  headers: Record<string, string>;
}

export async function getPlatformJson(request: PlatformGet, options: ProviderHttpOptions): Promise<{ body: unknown; headers: Headers }> {
  const info: ProviderFailureInfo = { provider: request.platform, operation: request.operation, httpStatus: null, code: null };
  const { response } = await fetchWithDeadline(request.url, { method: "GET", headers: { accept: "application/json", ...request.headers } }, info, options);
  const at = { ...info, httpStatus: response.status };
  let raw: Buffer;
  try {
    raw = await readBodyLimited(response, MAX_PAGE_BYTES, at);
  } catch (err) {
    if (err instanceof ProviderUnrecoverable) throw err;
    throw new ProviderRetryable(at, `${request.platform} ${request.operation}: the answer broke off`, { cause: err });
  }
  const text = raw.toString("utf8");
  const body = text === "" ? null : (parseLosslessJson(text) ?? text);
  if (response.status === 429) {
    throw new ProviderRateLimited(at, retryAfterHeaderMs(response.headers.get("retry-after")) ?? 2_000, "app", `${request.platform} ${request.operation}: rate limited`);
  }
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    throw new ProviderUnrecoverable(at, response.status === 404 ? "rejected" : "auth", `${request.platform} ${request.operation}: HTTP ${response.status} ${bodySnippet(body)}`);
  }
  if (response.status >= 400) throw new ProviderRetryable(at, `${request.platform} ${request.operation}: HTTP ${response.status} ${bodySnippet(body)}`);
  if (typeof body !== "object" || body === null) throw new ProviderRetryable(at, `${request.platform} ${request.operation}: the answer is not JSON`);
  return { body, headers: response.headers };
}
