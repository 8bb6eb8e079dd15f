// Messaging channels (Telegram, WhatsApp Cloud, Messenger, Instagram): the merchant pastes the
// provider's credentials here and gets back the webhook URL (and, for Meta, the verify token) to
// paste into the provider. Credentials are proven with the provider before anything is stored (the
// ChannelConnector port: Telegram getMe + setWebhook, a Graph read of the number or Page), and
// again when they are edited. Secrets are sealed at rest and never returned.
import {
  AppError,
  ConflictError,
  integrationSecrets,
  channelListSchema,
  channelTypeSchema,
  channelViewSchema,
  NotFoundError,
  plainName,
  publicBaseUrl,
  newId,
  randomSecret,
  type Channel,
  type ChannelConnector,
  type ChannelType,
  type ChannelView,
  type Config,
  type TenantStore,
} from "@kaleem/shared";
import { z } from "zod";
import { IDEMPOTENCY_HEADER_DOC, withIdempotencyKey } from "../http/idempotency.js";
import { defineRoute, type AnyRoute } from "../http/route.js";
import {
  apiBaseUrl,
  applyConfigPatch,
  assertPublicTargets,
  createSchema,
  providerId,
  secretString,
  splitConfig,
  withGenerated,
  type ConfigSpec,
} from "./integration-config.js";
import { idParams } from "./schemas.js";
import { auditAction } from "./support.js";

const EDITORS = ["owner", "admin"] as const;

/** What Meta echoes back on the subscribe handshake; shown to the merchant, so not a sealed secret. */
const verifyToken = z
  .string()
  .trim()
  .min(8, "verifyToken must be at least 8 characters")
  .max(128)
  .regex(/^[\x21-\x7e]+$/, "verifyToken must not contain spaces");

const meta = (idField: "phoneNumberId" | "pageId", idLabel: string): ConfigSpec => ({
  public: { [idField]: providerId(idLabel), verifyToken, apiBaseUrl: apiBaseUrl.optional() },
  secret: { accessToken: secretString("accessToken"), appSecret: secretString("appSecret") },
  generated: { verifyToken: () => randomSecret(24) },
});

export const CHANNEL_CONFIG: Record<ChannelType, ConfigSpec> = {
  telegram: {
    public: { apiBaseUrl: apiBaseUrl.optional() },
    secret: {
      botToken: z
        .string()
        .trim()
        .max(256)
        .regex(/^\d{1,20}:[A-Za-z0-9_-]{1,200}$/, "botToken must look like 123456789:AAE... (from @BotFather)"),
      // Telegram's own rule for setWebhook's secret_token.
      secretToken: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, "secretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and -"),
    },
  },
  whatsapp: meta("phoneNumberId", "phoneNumberId"),
  messenger: meta("pageId", "pageId"),
  instagram: meta("pageId", "pageId"),
};

const name = plainName().min(1, "name is required").max(80);

const createBody = z.discriminatedUnion(
  "type",
  channelTypeSchema.options.map((type) =>
    z.object({ type: z.literal(type), name, config: createSchema(CHANNEL_CONFIG[type]) }),
  ) as unknown as [z.ZodObject<{ type: z.ZodLiteral<ChannelType>; name: typeof name; config: z.ZodType }>],
);

const patchBody = z.strictObject({
  name: name.optional(),
  /** Turning a channel off (or back on); "error" is set by the webhook side only. */
  status: z.enum(["active", "disabled"]).optional(),
  /** Any subset of the type's config fields; secrets given replace the stored ones. */
  config: z.record(z.string(), z.unknown()).optional(),
});

/** Where the provider posts: Telegram has its own endpoint; WhatsApp, Messenger and Instagram share Meta's. */
export function channelWebhookUrl(config: Config, channel: Pick<Channel, "id" | "type">): string {
  return `${publicBaseUrl(config)}/webhooks/${channel.type === "telegram" ? "telegram" : "meta"}/${channel.id}`;
}

/** The provider said no to the credentials: nothing was stored. */
class ProviderRefusedError extends AppError {
  constructor(type: ChannelType, reason: string) {
    super("provider_refused", 422, `${PROVIDER_NAMES[type]} did not accept the connection: ${reason}`);
  }
}
/** The provider could not be asked (down, timing out, throttling): nothing was stored; try again. */
class ProviderUnreachableError extends AppError {
  constructor(type: ChannelType, reason: string) {
    super("provider_unreachable", 502, `${PROVIDER_NAMES[type]} could not be reached to check the credentials (${reason}); nothing was saved, try again`);
  }
}
const PROVIDER_NAMES: Record<ChannelType, string> = { telegram: "Telegram", whatsapp: "WhatsApp", messenger: "Messenger", instagram: "Instagram" };

/** Public config fields the provider fills on connect (never typed by the merchant). */
const PROVIDER_FACTS = ["botId", "botUsername", "botName", "displayPhoneNumber", "verifiedName", "pageName", "username"];

/**
 * The provider account a channel speaks for: the bot (its id is the part of the token before ":",
 * which Telegram shows to anyone who talks to it), the WhatsApp phone number id, the Page or
 * Instagram account id. One store connects each account once.
 */
function accountOf(type: ChannelType, publicConfig: Record<string, string>, secrets: Record<string, string>): string {
  if (type === "telegram") return publicConfig.botId ?? (secrets.botToken ?? "").split(":")[0] ?? "";
  return (type === "whatsapp" ? publicConfig.phoneNumberId : publicConfig.pageId) ?? "";
}

/** Refuses a second channel for an account this store already connected. */
async function assertNotConnected(store: TenantStore, type: ChannelType, account: string, except?: string): Promise<void> {
  const taken = (await store.channels.list()).find((c) => c.id !== except && c.type === type && accountOf(c.type, c.publicConfig, {}) === account);
  if (taken) throw new ConflictError(`This ${PROVIDER_NAMES[type]} account is already connected to this store as "${taken.name}"`, { channelId: taken.id });
}

/**
 * One connect per provider account at a time, across processes: the store's idempotency table
 * holds the claim (its key has a space, which no client's Idempotency-Key may contain). A second
 * connect of the same account while the first talks to the provider is refused, so two racing
 * setWebhook calls can never leave Telegram pointing at a channel that was not kept.
 */
async function whileClaimed<T>(store: TenantStore, type: ChannelType, account: string, run: () => Promise<T>): Promise<T> {
  const key = `channel account ${type} ${account}`;
  const claim = await store.idempotency.begin(key, key, 120);
  if (claim.state !== "started") throw new ConflictError(`This ${PROVIDER_NAMES[type]} account is being connected right now; wait for that to finish`);
  try {
    return await run();
  } finally {
    await store.idempotency.release(key);
  }
}

/** Asks the provider; its facts (bot username, verified name) replace the ones stored before. */
async function proveWithProvider(
  connector: ChannelConnector,
  channel: { id: string; type: ChannelType },
  publicConfig: Record<string, string>,
  secrets: Record<string, string>,
  config: Config,
): Promise<Record<string, string>> {
  const outcome = await connector.connect({ type: channel.type, publicConfig, secrets, webhookUrl: channelWebhookUrl(config, channel) });
  if (!outcome.ok) {
    throw outcome.failure === "refused" ? new ProviderRefusedError(channel.type, outcome.reason) : new ProviderUnreachableError(channel.type, outcome.reason);
  }
  const kept = Object.fromEntries(Object.entries(publicConfig).filter(([key]) => !PROVIDER_FACTS.includes(key)));
  return { ...kept, ...(channel.type === "telegram" && { botId: accountOf("telegram", {}, secrets) }), ...outcome.account.details };
}

/** A channel as API clients see it: public config only, the verify token beside it. */
export function channelView(config: Config, channel: Channel): ChannelView {
  const { verifyToken: token, ...publicConfig } = channel.publicConfig;
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    webhookUrl: channelWebhookUrl(config, channel),
    ...(token !== undefined && { verifyToken: token }),
    status: channel.status,
    lastEventAt: channel.lastEventAt,
    lastError: channel.lastError,
    breakerOpenUntil: channel.breakerOpenUntil,
    config: publicConfig,
    createdAt: channel.createdAt,
    updatedAt: channel.updatedAt,
  };
}

export const channelRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/channels",
    summary: "List connected messaging channels",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    responses: { 200: { description: "Channels", schema: channelListSchema } },
    async handler({ caller, services }) {
      const channels = await caller.store.channels.list();
      return { body: { items: channels.map((c) => channelView(services.deps.config, c)) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/channels",
    summary:
      "Connect a messaging channel: the credentials are checked with the provider first (Telegram getMe + setWebhook; the WhatsApp number or the Page read through Graph); secrets are stored encrypted and never returned",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    body: createBody,
    headers: [IDEMPOTENCY_HEADER_DOC],
    responses: {
      201: { description: "Connected and verified", schema: channelViewSchema },
      409: { description: "This provider account is already connected to the store (or being connected), or the Idempotency-Key is in flight" },
      422: { description: "The provider did not accept the connection (its reason is in the message); nothing was stored" },
      502: { description: "The provider could not be reached to check them; nothing was stored" },
    },
    async handler({ ctx, caller, body, services, ip }) {
      const { config } = services.deps;
      const spec = CHANNEL_CONFIG[body.type];
      const { publicConfig, secrets } = splitConfig(spec, withGenerated(spec, body.config as Record<string, unknown>));
      await assertPublicTargets(config, publicConfig);
      const account = accountOf(body.type, publicConfig, secrets);
      return withIdempotencyKey<ChannelView>(ctx, caller.store, { label: "POST /channels", bodyBytes: config.limits.bodyBytes }, () =>
        whileClaimed(caller.store, body.type, account, async () => {
          await assertNotConnected(caller.store, body.type, account);
          // The provider is told the webhook URL, which holds the id, before the row exists.
          const id = newId();
          const verified = await proveWithProvider(services.deps.channelConnector, { id, type: body.type }, publicConfig, secrets, config);
          const channel = await caller.store.channels.create({
            id,
            type: body.type,
            name: body.name,
            publicConfig: verified,
            secretsCiphertext: integrationSecrets(config).seal(secrets),
          });
          await auditAction(caller, ip, "channel.create", channel.id, { type: channel.type, name: channel.name });
          return { status: 201 as const, body: channelView(config, channel) };
        }),
      );
    },
  }),
  defineRoute({
    method: "get",
    path: "/channels/:id",
    summary: "Get a channel with its webhook URL and status",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 200: { description: "The channel", schema: channelViewSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, services }) {
      const channel = await caller.store.channels.get(params.id);
      if (!channel) throw new NotFoundError("Channel");
      return { body: channelView(services.deps.config, channel) };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/channels/:id",
    summary: "Rename, enable/disable or reconfigure a channel (omitted secrets are kept; changed credentials are checked with the provider first)",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: patchBody,
    responses: {
      200: { description: "Updated", schema: channelViewSchema },
      404: { description: "Not found" },
      409: { description: "The new account is already connected to this store" },
      422: { description: "The provider refused the new credentials; nothing was changed" },
      502: { description: "The provider could not be reached to check them; nothing was changed" },
    },
    async handler({ caller, params, body, services, ip }) {
      const { config } = services.deps;
      const channel = await caller.store.channels.get(params.id);
      if (!channel) throw new NotFoundError("Channel");
      const spec = CHANNEL_CONFIG[channel.type];
      const box = integrationSecrets(config);
      const { patch: configPatch, changedFields } = await applyConfigPatch(
        config,
        spec,
        { publicConfig: channel.publicConfig, readSecrets: () => caller.store.channels.getSecrets(channel.id) },
        body.config,
      );
      // Anything but the name and Meta's verify token (which Kaleem checks itself) is a credential.
      const reverify = changedFields.some((field) => field !== "verifyToken");
      if (reverify) {
        const sealed = configPatch.secretsCiphertext ?? (await caller.store.channels.getSecrets(channel.id));
        const secrets = sealed ? box.open(sealed) : {};
        const publicConfig = configPatch.publicConfig ?? channel.publicConfig;
        const account = accountOf(channel.type, Object.fromEntries(Object.entries(publicConfig).filter(([k]) => k !== "botId")), secrets);
        configPatch.publicConfig = await whileClaimed(caller.store, channel.type, account, async () => {
          await assertNotConnected(caller.store, channel.type, account, channel.id);
          return proveWithProvider(services.deps.channelConnector, channel, publicConfig, secrets, config);
        });
      }
      const updated = await caller.store.channels.update(channel.id, {
        ...(body.name !== undefined && { name: body.name }),
        // Re-enabling clears the last error: the merchant says the problem is fixed. So do
        // credentials the provider just accepted.
        ...(reverify && channel.status === "error" && { status: "active" as const, lastError: null }),
        ...(body.status !== undefined && { status: body.status, ...(body.status === "active" && { lastError: null }) }),
        ...configPatch,
      });
      if (!updated) throw new NotFoundError("Channel");
      await auditAction(caller, ip, "channel.update", channel.id, {
        type: channel.type,
        ...(body.name !== undefined && { name: body.name }),
        ...(body.status !== undefined && { status: body.status }),
        // Field names only: the audit log must not become a second copy of the secrets.
        ...(changedFields.length > 0 && { configFields: changedFields }),
      });
      return { body: channelView(services.deps.config, updated) };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/channels/:id",
    summary: "Disconnect a channel (its webhook URL stops working)",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params, ip }) {
      const channel = await caller.store.channels.get(params.id);
      if (!channel || !(await caller.store.channels.remove(channel.id))) throw new NotFoundError("Channel");
      await auditAction(caller, ip, "channel.delete", channel.id, { type: channel.type, name: channel.name });
      return { status: 204 };
    },
  }),
];
