// Checking Messenger / Instagram credentials at connect: GET /<version>/<account-id> with the
// token must name that account; Messenger Pages also subscribe the app to their messaging webhooks.
import { z } from "zod";
import { ProviderUnrecoverable } from "../common/errors.js";
import type { ProviderHttpOptions } from "../common/http.js";
import { jsonPost, type ProviderRequest } from "../common/request.js";
import { sendProviderRequest } from "../deliver.js";
import { metaAuth, metaUrl, type MetaMessagingChannelConfig } from "./config.js";

export interface MetaAccount {
  id: string;
  /** Page name, or Instagram username. */
  name: string | null;
}

const accountSchema = z.object({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() });

/** The webhook fields Kaleem reads (see parse.ts). */
export const MESSENGER_SUBSCRIBED_FIELDS = ["messages", "messaging_postbacks", "message_deliveries", "message_reads", "message_reactions", "messaging_referrals", "message_echoes"] as const;

export function buildMetaAccountCheck(config: MetaMessagingChannelConfig): ProviderRequest {
  const fields = config.platform === "instagram" ? "id,username" : "id,name";
  return { provider: config.platform, operation: "account", method: "GET", url: `${metaUrl(config, "account", config.accountId)}?fields=${fields}`, headers: metaAuth(config, "account") };
}

export function parseMetaAccount(config: MetaMessagingChannelConfig, body: unknown): MetaAccount {
  const account = accountSchema.safeParse(body);
  const info = { provider: config.platform, operation: "account", httpStatus: 200, code: null };
  if (!account.success) throw new ProviderUnrecoverable(info, "rejected", `${config.platform} account lookup answered without an id`);
  if (account.data.id !== config.accountId) throw new ProviderUnrecoverable(info, "auth", `${config.platform}: the token answers for account ${account.data.id}, not ${config.accountId}`);
  return { id: account.data.id, name: account.data.name ?? account.data.username ?? null };
}

/** POST /<page-id>/subscribed_apps: without it a Page sends the app no messaging webhooks. */
export function buildMessengerSubscribeApp(config: MetaMessagingChannelConfig): ProviderRequest {
  return jsonPost("messenger", "subscribed_apps", metaUrl(config, "subscribed_apps", config.accountId, "subscribed_apps"), { subscribed_fields: MESSENGER_SUBSCRIBED_FIELDS.join(",") }, metaAuth(config, "subscribed_apps"));
}

export async function checkMetaCredentials(config: MetaMessagingChannelConfig, options: ProviderHttpOptions = {}): Promise<MetaAccount> {
  return parseMetaAccount(config, (await sendProviderRequest(buildMetaAccountCheck(config), options)).result);
}
