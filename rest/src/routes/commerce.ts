// Store platform connections (Shopify, Salla, Zid): one per platform per merchant. The merchant
// registers the returned webhook URL with the platform; webhook secrets and the Zid password are
// sealed at rest and never returned. Whether checkout goes through the platform is a bot setting
// (/settings/bot), not part of the connection.
import {
  integrationSecrets,
  commerceConnectionListSchema,
  commerceConnectionViewSchema,
  commercePlatformSchema,
  COMMERCE_SYNC_JOB,
  COMMERCE_SYNC_JOB_OPTIONS,
  commerceSyncJobId,
  ConflictError,
  newId,
  NotFoundError,
  publicBaseUrl,
  type CommerceConnection,
  type CommerceConnectionView,
  type CommercePlatform,
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
  type ConfigSpec,
} from "./integration-config.js";
import { idParams } from "./schemas.js";
import { auditAction } from "./support.js";

const EDITORS = ["owner", "admin"] as const;

const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(255)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "shopDomain must be a host name such as my-store.myshopify.com");

/** The platform API token that import and reconciliation use (webhooks work without it). */
const accessToken = secretString("accessToken").optional();

export const COMMERCE_CONFIG: Record<CommercePlatform, ConfigSpec> = {
  shopify: {
    public: { shopDomain, apiBaseUrl: apiBaseUrl.optional() },
    // accessToken: the Admin API access token (X-Shopify-Access-Token).
    secret: { webhookSecret: secretString("webhookSecret"), accessToken },
  },
  salla: {
    public: {
      merchantId: providerId("merchantId"),
      // How Salla authenticates deliveries: an HMAC of the body (default) or the secret itself in Authorization.
      securityStrategy: z.enum(["signature", "token"]).optional(),
      apiBaseUrl: apiBaseUrl.optional(),
    },
    secret: { webhookSecret: secretString("webhookSecret"), accessToken },
  },
  zid: {
    public: {
      storeId: providerId("storeId"),
      // The Basic-auth user name Zid sends with each webhook; the password is the secret half.
      username: z.string().trim().min(1, "username is required").max(200),
      apiBaseUrl: apiBaseUrl.optional(),
    },
    // accessToken: the app's Authorization token; managerToken: the store's X-Manager-Token.
    secret: { password: z.string().min(1, "password is required").max(1024), accessToken, managerToken: secretString("managerToken").optional() },
  },
};

const createBody = z.discriminatedUnion(
  "platform",
  commercePlatformSchema.options.map((platform) =>
    z.object({ platform: z.literal(platform), config: createSchema(COMMERCE_CONFIG[platform]) }),
  ) as unknown as [z.ZodObject<{ platform: z.ZodLiteral<CommercePlatform>; config: z.ZodType }>],
);

const patchBody = z.strictObject({
  status: z.enum(["active", "disabled"]).optional(),
  /** Any subset of the platform's config fields; secrets given replace the stored ones. */
  config: z.record(z.string(), z.unknown()).optional(),
});

export function commerceWebhookUrl(config: Config, connection: Pick<CommerceConnection, "id" | "platform">): string {
  return `${publicBaseUrl(config)}/webhooks/${connection.platform}/${connection.id}`;
}

export function commerceConnectionView(config: Config, connection: CommerceConnection): CommerceConnectionView {
  return {
    id: connection.id,
    platform: connection.platform,
    webhookUrl: commerceWebhookUrl(config, connection),
    config: connection.publicConfig,
    status: connection.status,
    lastEventAt: connection.lastEventAt,
    lastError: connection.lastError,
    sync: connection.sync,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
}

export const commerceRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/commerce-connections",
    summary: "List store platform connections",
    tag: "commerce",
    auth: true,
    roles: EDITORS,
    responses: { 200: { description: "Connections", schema: commerceConnectionListSchema } },
    async handler({ caller, services }) {
      const connections = await caller.store.commerceConnections.list();
      return { body: { items: connections.map((c) => commerceConnectionView(services.deps.config, c)) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/commerce-connections",
    summary: "Connect a store platform (one per platform; secrets are stored encrypted and never returned)",
    tag: "commerce",
    auth: true,
    roles: EDITORS,
    body: createBody,
    responses: {
      201: { description: "Connected", schema: commerceConnectionViewSchema },
      409: { description: "This platform is already connected" },
    },
    async handler({ caller, body, services, ip }) {
      const spec = COMMERCE_CONFIG[body.platform];
      // Checked first for a clear message; the unique index still decides under a race.
      if (await caller.store.commerceConnections.getByPlatform(body.platform)) {
        throw new ConflictError(`${body.platform} is already connected; edit or delete that connection`);
      }
      const { publicConfig, secrets } = splitConfig(spec, body.config as Record<string, unknown>);
      await assertPublicTargets(services.deps.config, publicConfig);
      const connection = await caller.store.commerceConnections.create({
        platform: body.platform,
        publicConfig,
        secretsCiphertext: integrationSecrets(services.deps.config).seal(secrets),
      });
      await auditAction(caller, ip, "commerce.create", connection.id, { platform: connection.platform });
      return { status: 201, body: commerceConnectionView(services.deps.config, connection) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/commerce-connections/:id",
    summary: "Get a store platform connection with its webhook URL and status",
    tag: "commerce",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 200: { description: "The connection", schema: commerceConnectionViewSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, services }) {
      const connection = await caller.store.commerceConnections.get(params.id);
      if (!connection) throw new NotFoundError("Commerce connection");
      return { body: commerceConnectionView(services.deps.config, connection) };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/commerce-connections/:id",
    summary: "Enable/disable or reconfigure a store platform connection (omitted secrets are kept)",
    tag: "commerce",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: patchBody,
    responses: { 200: { description: "Updated", schema: commerceConnectionViewSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body, services, ip }) {
      const connection = await caller.store.commerceConnections.get(params.id);
      if (!connection) throw new NotFoundError("Commerce connection");
      const spec = COMMERCE_CONFIG[connection.platform];
      const { patch: configPatch, changedFields } = await applyConfigPatch(
        services.deps.config,
        spec,
        { publicConfig: connection.publicConfig, readSecrets: () => caller.store.commerceConnections.getSecrets(connection.id) },
        body.config,
      );
      const updated = await caller.store.commerceConnections.update(connection.id, {
        ...(body.status !== undefined && { status: body.status, ...(body.status === "active" && { lastError: null }) }),
        ...configPatch,
      });
      if (!updated) throw new NotFoundError("Commerce connection");
      await auditAction(caller, ip, "commerce.update", connection.id, {
        platform: connection.platform,
        ...(body.status !== undefined && { status: body.status }),
        ...(changedFields.length > 0 && { configFields: changedFields }),
      });
      return { body: commerceConnectionView(services.deps.config, updated) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/commerce-connections/:id/sync",
    summary: "Import the store's catalog and orders through the platform API, or reconcile the changes since the last run (progress in the connection's `sync`)",
    tag: "commerce",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: z.strictObject({ mode: z.enum(["import", "reconcile"]).default("import") }),
    responses: {
      202: { description: "Queued; an unfinished run resumes from its checkpoint", schema: commerceConnectionViewSchema },
      404: { description: "Not found" },
      409: { description: "The connection is disabled or has no API access token" },
    },
    async handler({ caller, params, body, services, ip }) {
      const connection = await caller.store.commerceConnections.get(params.id);
      if (!connection) throw new NotFoundError("Commerce connection");
      if (connection.status === "disabled") throw new ConflictError("The connection is disabled; enable it first");
      const sealed = await caller.store.commerceConnections.getSecrets(connection.id);
      if (!(sealed && integrationSecrets(services.deps.config).open(sealed).accessToken)) {
        throw new ConflictError("Add the platform's API access token (config.accessToken) before importing");
      }
      await services.deps.queue.add(
        COMMERCE_SYNC_JOB,
        { merchantId: caller.claims.merchantId, connectionId: connection.id, mode: body.mode },
        { jobId: commerceSyncJobId(connection.id, body.mode, newId()), ...COMMERCE_SYNC_JOB_OPTIONS },
      );
      await auditAction(caller, ip, "commerce.sync", connection.id, { platform: connection.platform, mode: body.mode });
      return { status: 202, body: commerceConnectionView(services.deps.config, connection) };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/commerce-connections/:id",
    summary: "Disconnect a store platform (its webhook URL stops working)",
    tag: "commerce",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params, ip }) {
      const connection = await caller.store.commerceConnections.get(params.id);
      if (!connection || !(await caller.store.commerceConnections.remove(connection.id))) throw new NotFoundError("Commerce connection");
      await auditAction(caller, ip, "commerce.delete", connection.id, { platform: connection.platform });
      return { status: 204 };
    },
  }),
];
