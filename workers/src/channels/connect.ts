// Connecting a channel: the provider is asked whether the credentials are real before anything is
// stored (the ChannelConnector port). Telegram: getMe, then setWebhook with the channel's URL and
// secret token. WhatsApp: the phone number the token opens. Messenger: the Page, then the app's
// subscription to its messaging events. Instagram: the account. The provider's typed failures become
// the port's two outcomes: it said no (refused), or it could not be asked (unreachable).
import type { ChannelConnectOutcome, ChannelConnector, ChannelType } from "@kaleem/shared";
import { ProviderUnrecoverable } from "./common/errors.js";
import type { ProviderHttpOptions } from "./common/http.js";
import { sendProviderRequest } from "./deliver.js";
import { buildMessengerSubscribeApp, checkMetaCredentials } from "./meta-messaging/connect.js";
import { connectTelegram } from "./telegram/connect.js";
import { checkWhatsAppCredentials } from "./whatsapp/connect.js";

type ConnectInput = Parameters<ChannelConnector["connect"]>[0];

/** Keeps only the facts the provider gave (no empty strings in the public config). */
function facts(entries: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
}

async function connectAccount(type: ChannelType, input: ConnectInput, http: ProviderHttpOptions): Promise<{ accountId: string; details: Record<string, string> }> {
  const { publicConfig, secrets } = input;
  const base = publicConfig.apiBaseUrl ? { apiBaseUrl: publicConfig.apiBaseUrl } : {};
  switch (type) {
    case "telegram": {
      // Telegram posts updates to https only: say what to change rather than let setWebhook refuse it.
      if (!/^https:\/\//i.test(input.webhookUrl)) {
        throw new ProviderUnrecoverable(
          { provider: "telegram", operation: "setWebhook", httpStatus: null, code: null },
          "rejected",
          `Telegram only sends updates to an https:// webhook URL, and this installation's is ${input.webhookUrl}; set PUBLIC_URL to its public https address`,
        );
      }
      const bot = await connectTelegram({ botToken: secrets.botToken ?? "", ...base }, { url: input.webhookUrl, secretToken: secrets.secretToken ?? "" }, http);
      return { accountId: bot.id, details: facts({ botId: bot.id, botUsername: bot.username, botName: bot.name }) };
    }
    case "whatsapp": {
      const phone = await checkWhatsAppCredentials({ phoneNumberId: publicConfig.phoneNumberId ?? "", accessToken: secrets.accessToken ?? "", ...base }, http);
      return { accountId: phone.id, details: facts({ displayPhoneNumber: phone.displayPhoneNumber, verifiedName: phone.verifiedName }) };
    }
    case "messenger":
    case "instagram": {
      const config = { platform: type, accountId: publicConfig.pageId ?? "", accessToken: secrets.accessToken ?? "", ...base };
      const account = await checkMetaCredentials(config, http);
      // Without the subscription a Page sends the app no messaging webhooks at all.
      if (type === "messenger") await sendProviderRequest(buildMessengerSubscribeApp(config), http);
      return { accountId: account.id, details: facts(type === "messenger" ? { pageName: account.name } : { username: account.name }) };
    }
  }
}

export async function connectChannel(input: ConnectInput, http: ProviderHttpOptions): Promise<ChannelConnectOutcome> {
  try {
    return { ok: true, account: await connectAccount(input.type, input, http) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // Refusals are the provider's "no"; everything else (5xx, timeouts, throttling, the network) is "could not ask".
    return { ok: false, failure: err instanceof ProviderUnrecoverable ? "refused" : "unreachable", reason };
  }
}
