import { bearer, graphUrl, type GraphAddress } from "../common/graph-config.js";
import { GRAPH_API_BASE } from "../common/request.js";

export interface WhatsAppChannelConfig extends GraphAddress {
  /** The business phone number's id (not the number itself): the sender, and the id webhooks name. */
  phoneNumberId: string;
}

export const whatsAppUrl = (config: WhatsAppChannelConfig, operation: string, ...segments: string[]): string => graphUrl("whatsapp", operation, config, GRAPH_API_BASE, ...segments);
export const whatsAppAuth = (config: WhatsAppChannelConfig, operation: string): Record<string, string> => bearer("whatsapp", operation, config.accessToken);
