// Media downloads for inbound attachments: bytes and content type, never more than `maxBytes`
// (the declared length is checked first, then the stream is counted and cut).
import type { ChannelType } from "@kaleem/shared";
import { bodySnippet, ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable, retryAfterHeaderMs, type ProviderFailureInfo } from "./errors.js";
import { fetchWithDeadline, readBodyLimited, type ProviderHttpOptions } from "./http.js";

export interface DownloadedMedia {
  bytes: Buffer;
  /** As the server said (without parameters), or null. */
  contentType: string | null;
}

export interface MediaDownloadOptions extends ProviderHttpOptions {
  /** Default 20 MB (what Telegram lets bots download). */
  maxBytes?: number;
}

export const DEFAULT_MEDIA_MAX_BYTES = 20 * 1024 * 1024;

export async function downloadMedia(provider: ChannelType, operation: string, url: string, headers: Record<string, string>, options: MediaDownloadOptions = {}): Promise<DownloadedMedia> {
  if (!/^https?:\/\//i.test(url)) {
    throw new ProviderUnrecoverable({ provider, operation, httpStatus: null, code: null }, "rejected", `${provider} ${operation}: "${url.slice(0, 100)}" is not an http(s) URL`);
  }
  const info: ProviderFailureInfo = { provider, operation, httpStatus: null, code: null };
  const maxBytes = options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES;
  const { response } = await fetchWithDeadline(url, { method: "GET", headers }, info, options);
  const answered = { ...info, httpStatus: response.status };
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const said = `HTTP ${response.status} ${bodySnippet(text)}`;
    if (response.status === 429) {
      const wait = retryAfterHeaderMs(response.headers.get("retry-after")) ?? 5_000;
      throw new ProviderRateLimited(answered, wait, "account", `${provider} ${operation} rate limited: ${said}`);
    }
    if (response.status >= 500) throw new ProviderRetryable(answered, `${provider} ${operation} failed on the provider's side: ${said}`);
    if (response.status === 401 || response.status === 403) throw new ProviderUnrecoverable(answered, "auth", `${provider} ${operation}: not allowed (${said})`);
    throw new ProviderUnrecoverable(answered, "rejected", `${provider} ${operation}: the media is not available (${said})`);
  }
  const contentType = response.headers.get("content-type")?.split(";")[0]?.trim() || null;
  try {
    return { bytes: await readBodyLimited(response, maxBytes, answered), contentType };
  } catch (err) {
    if (err instanceof ProviderUnrecoverable) throw err;
    throw new ProviderRetryable(answered, `${provider} ${operation}: the download broke off`, { cause: err });
  }
}
