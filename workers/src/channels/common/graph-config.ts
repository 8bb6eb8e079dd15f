// Graph API addressing shared by WhatsApp Cloud API, Messenger and Instagram:
// `<apiBaseUrl>/<graphVersion>/<node>/<edge>` with the access token as a Bearer header.
import { ProviderUnrecoverable } from "./errors.js";
import { DEFAULT_GRAPH_VERSION, joinUrl } from "./request.js";
import type { ChannelType } from "@kaleem/shared";

export interface GraphAddress {
  /** Default https://graph.facebook.com (https://graph.instagram.com for Instagram); tests point it at a local server. */
  apiBaseUrl?: string;
  /** Default v23.0. */
  graphVersion?: string;
  accessToken: string;
}

const VERSION = /^v\d{1,3}\.\d{1,3}$/;

export function graphUrl(provider: ChannelType, operation: string, address: GraphAddress, defaultBase: string, ...segments: string[]): string {
  const version = address.graphVersion ?? DEFAULT_GRAPH_VERSION;
  if (!VERSION.test(version)) {
    throw new ProviderUnrecoverable({ provider, operation, httpStatus: null, code: null }, "rejected", `${provider}: Graph API version "${version}" is not of the form v23.0`);
  }
  return joinUrl(address.apiBaseUrl ?? defaultBase, version, ...segments);
}

export function bearer(provider: ChannelType, operation: string, accessToken: string): Record<string, string> {
  if (accessToken.trim() === "" || /\s/.test(accessToken)) {
    throw new ProviderUnrecoverable({ provider, operation, httpStatus: null, code: null }, "auth", `${provider}: the channel has no usable access token; reconnect it`);
  }
  return { authorization: `Bearer ${accessToken}` };
}
