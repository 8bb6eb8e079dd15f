// Messaging channels (Telegram, WhatsApp Cloud, Messenger, Instagram): the merchant pastes the
// provider's credentials here and gets back the webhook URL (and, for Meta, the verify token) to
// paste into the provider. Secrets are sealed at rest and never returned.
import {
  integrationSecrets,
  channelListSchema,
  channelTypeSchema,
  channelViewSchema,
  NotFoundError,
  plainName,
  publicBaseUrl,
  randomSecret,
  type Channel,
  type ChannelType,
  type ChannelView,
  type Config,
} from "@kaleem/shared";
import { z } from "zod";
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
    summary: "Connect a messaging channel (secrets are stored encrypted and never returned)",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    body: createBody,
    responses: { 201: { description: "Connected", schema: channelViewSchema } },
    async handler({ caller, body, services, ip }) {
      const spec = CHANNEL_CONFIG[body.type];
      const { publicConfig, secrets } = splitConfig(spec, withGenerated(spec, body.config as Record<string, unknown>));
      await assertPublicTargets(services.deps.config, publicConfig);
      const channel = await caller.store.channels.create({
        type: body.type,
        name: body.name,
        publicConfig,
        secretsCiphertext: integrationSecrets(services.deps.config).seal(secrets),
      });
      await auditAction(caller, ip, "channel.create", channel.id, { type: channel.type, name: channel.name });
      return { status: 201, body: channelView(services.deps.config, channel) };
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
    summary: "Rename, enable/disable or reconfigure a channel (omitted secrets are kept)",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: patchBody,
    responses: { 200: { description: "Updated", schema: channelViewSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body, services, ip }) {
      const channel = await caller.store.channels.get(params.id);
      if (!channel) throw new NotFoundError("Channel");
      const spec = CHANNEL_CONFIG[channel.type];
      const { patch: configPatch, changedFields } = await applyConfigPatch(
        services.deps.config,
        spec,
        { publicConfig: channel.publicConfig, readSecrets: () => caller.store.channels.getSecrets(channel.id) },
        body.config,
      );
      const updated = await caller.store.channels.update(channel.id, {
        ...(body.name !== undefined && { name: body.name }),
        // Re-enabling clears the last error: the merchant says the problem is fixed.
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
