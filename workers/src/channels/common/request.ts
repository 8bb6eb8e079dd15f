// An HTTP call to a provider, built by a pure function and executed by deliver.ts. Requests carry
// credentials (Telegram's token is in the path, Meta's in a header): log `describeRequest`, never
// the request itself, and never store one.
import type { ChannelType } from "@kaleem/shared";

export interface ProviderRequest {
  provider: ChannelType;
  /** The provider's name for the call: "sendMessage", "messages", "getMe"... */
  operation: string;
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** JSON body for POST. */
  body?: unknown;
}

export const DEFAULT_GRAPH_VERSION = "v23.0";
export const GRAPH_API_BASE = "https://graph.facebook.com";
export const INSTAGRAM_API_BASE = "https://graph.instagram.com";
export const TELEGRAM_API_BASE = "https://api.telegram.org";

/** `base` without trailing slashes + `/` + each segment URL-encoded. */
export function joinUrl(base: string, ...segments: string[]): string {
  return [base.replace(/\/+$/, ""), ...segments.map((s) => encodeURIComponent(s))].join("/");
}

export const jsonPost = (provider: ChannelType, operation: string, url: string, body: unknown, headers: Record<string, string> = {}): ProviderRequest => ({
  provider,
  operation,
  method: "POST",
  url,
  headers: { "content-type": "application/json", ...headers },
  body,
});

/** "telegram sendMessage POST https://api.telegram.org/bot***\/sendMessage": safe to log. */
export function describeRequest(request: ProviderRequest): string {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/\/(file\/)?bot[^/]+/, "/$1bot***");
  url.search = url.search ? "?…" : "";
  return `${request.provider} ${request.operation} ${request.method} ${url.toString()}`;
}
