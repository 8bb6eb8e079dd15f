// Store settings: the widget (public key, allowed origins, look, languages), the bot, attachments.
import {
  attachmentSettingsSchema,
  attachmentSettingsViewSchema,
  botSettingsSchema,
  intentExampleSchema,
  localeSchema,
  newWidgetKey,
  identitySecretResponseSchema,
  randomSecret,
  ValidationError,
  widgetKeyResponseSchema,
  widgetSettingsViewSchema,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { httpUrl, localizedPatch, widgetSettingsView } from "./schemas.js";
import { auditAction } from "./support.js";

const MANAGERS = ["owner", "admin"] as const;

/** An origin exactly as browsers send it: scheme://host[:port], no path, no trailing slash. */
export const originSchema = z
  .string()
  .trim()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
    } catch {
      return false;
    }
  }, "Must be an origin like https://shop.example.com (scheme, host and optional port only)");

export const settingsRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/settings/widget",
    summary: "Widget settings (public key, allowed origins, colour, greeting, languages)",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    responses: { 200: { description: "Widget settings", schema: widgetSettingsViewSchema } },
    async handler({ caller, services }) {
      // Read through the cache (its profile carries no identity secret); every merchant write invalidates it.
      return { body: (await services.deps.merchantProfiles.get(caller.store.merchantId)).widget };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/settings/widget",
    summary: "Change widget settings",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    body: z.object({
      allowedOrigins: z.array(originSchema).max(50).optional(),
      allowApps: z.boolean().optional(),
      color: z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "Must be a #hex colour").optional(),
      greeting: localizedPatch(500).optional(),
      languages: z.array(localeSchema).min(1).max(2).optional(),
    }),
    responses: { 200: { description: "Updated widget settings", schema: widgetSettingsViewSchema } },
    async handler({ caller, body, ip }) {
      const current = await caller.store.merchant.get();
      const widget = {
        ...(body.allowedOrigins !== undefined && { allowedOrigins: [...new Set(body.allowedOrigins)] }),
        ...(body.allowApps !== undefined && { allowApps: body.allowApps }),
        ...(body.color !== undefined && { color: body.color.toLowerCase() }),
        ...(body.greeting !== undefined && {
          greeting: { en: body.greeting.en ?? current.widget.greeting.en, ar: body.greeting.ar ?? current.widget.greeting.ar },
        }),
        ...(body.languages !== undefined && { languages: [...new Set(body.languages)] }),
      };
      const updated = await caller.store.merchant.update({ widget });
      await auditAction(caller, ip, "settings.widget_updated", updated.id, { fields: Object.keys(widget) });
      return { body: widgetSettingsView(updated) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/settings/widget/rotate-key",
    summary: "Replace the public widget key (the old key stops working)",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    responses: { 200: { description: "The new key", schema: widgetKeyResponseSchema } },
    async handler({ caller, ip, services }) {
      const oldKey = (await caller.store.merchant.get()).widget.key;
      const updated = await caller.store.merchant.update({ widget: { key: newWidgetKey() } });
      services.deps.realtime.widgetKeyRotated(updated.id, oldKey);
      await auditAction(caller, ip, "settings.widget_key_rotated", updated.id);
      return { body: { key: updated.widget.key } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/settings/widget/identity-secret",
    summary: "Issue a new identity secret for signing Kaleem.identify (shown once; the old one stops verifying)",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    responses: { 200: { description: "The new secret", schema: identitySecretResponseSchema } },
    async handler({ caller, ip }) {
      // Never readable afterwards (like a generated password): whoever lost it issues a new one.
      const updated = await caller.store.merchant.update({ widget: { identitySecret: randomSecret(32) } });
      await auditAction(caller, ip, "settings.identity_secret_rotated", updated.id);
      return { body: { identitySecret: updated.widget.identitySecret } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/settings/bot",
    summary: "Bot settings",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    responses: { 200: { description: "Bot settings", schema: botSettingsSchema } },
    async handler({ caller }) {
      return { body: (await caller.store.merchant.get()).bot };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/settings/bot",
    summary: "Change bot settings",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    body: z.object({
      lowConfidence: z.enum(["clarify", "handoff"]).optional(),
      handoffKeywords: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
      handoffOrderValue: z.number().finite().nonnegative().nullable().optional(),
      checkout: z.enum(["cod", "platform"]).optional(),
      platformCheckoutUrl: httpUrl.nullable().optional(),
      llmMonthlyTokenBudget: z.number().int().nonnegative().max(1_000_000_000).optional(),
      intentExamples: z.array(intentExampleSchema).max(500).optional(),
      whileWaiting: z.enum(["answer", "notice", "silent"]).optional(),
      arabicDigits: z.enum(["western", "arabic"]).optional(),
      maxOrderQuantity: z.number().int().positive().max(100_000).optional(),
      maxOrderValue: z.number().finite().positive().max(1_000_000_000).optional(),
      maxOpenCodOrders: z.number().int().nonnegative().max(1000).optional(),
    }),
    responses: { 200: { description: "Updated bot settings", schema: botSettingsSchema } },
    async handler({ caller, body, ip }) {
      const current = await caller.store.merchant.get();
      const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      const next = { ...current.bot, ...patch };
      if (next.checkout === "platform" && !next.platformCheckoutUrl) {
        throw new ValidationError("platformCheckoutUrl is required when checkout is 'platform'", [
          { path: "platformCheckoutUrl", message: "Required when checkout is 'platform'" },
        ]);
      }
      const updated = await caller.store.merchant.update({ bot: patch });
      await auditAction(caller, ip, "settings.bot_updated", updated.id, { fields: Object.keys(patch) });
      return { body: updated.bot };
    },
  }),
  defineRoute({
    method: "get",
    path: "/settings/attachments",
    summary: "Attachment settings (accepted types, size limit, storage quota) and the storage used",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    responses: { 200: { description: "Attachment settings", schema: attachmentSettingsViewSchema } },
    async handler({ caller }) {
      return { body: { ...(await caller.store.merchant.get()).attachments, usedBytes: await caller.store.uploads.usage() } };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/settings/attachments",
    summary: "Change attachment settings",
    tag: "settings",
    auth: true,
    roles: MANAGERS,
    body: attachmentSettingsSchema.partial().strict(),
    responses: { 200: { description: "Updated attachment settings", schema: attachmentSettingsViewSchema } },
    async handler({ caller, body, ip }) {
      const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      const updated = await caller.store.merchant.update({ attachments: patch });
      await auditAction(caller, ip, "settings.attachments_updated", updated.id, { fields: Object.keys(patch) });
      return { body: { ...updated.attachments, usedBytes: await caller.store.uploads.usage() } };
    },
  }),
];
