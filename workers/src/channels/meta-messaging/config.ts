import { bearer, graphUrl, type GraphAddress } from "../common/graph-config.js";
import { GRAPH_API_BASE, INSTAGRAM_API_BASE } from "../common/request.js";
import type { MetaMessagingPlatform } from "./parse.js";

export interface MetaMessagingChannelConfig extends GraphAddress {
  platform: MetaMessagingPlatform;
  /** The Facebook Page id (Messenger) or Instagram professional account id: the sender, and webhooks' entry[].id. */
  accountId: string;
}

const defaultBase = (config: MetaMessagingChannelConfig) => (config.platform === "instagram" ? INSTAGRAM_API_BASE : GRAPH_API_BASE);

export const metaUrl = (config: MetaMessagingChannelConfig, operation: string, ...segments: string[]): string => graphUrl(config.platform, operation, config, defaultBase(config), ...segments);
export const metaAuth = (config: MetaMessagingChannelConfig, operation: string): Record<string, string> => bearer(config.platform, operation, config.accessToken);
