// What channels and commerce connections have in common: a provider config that is part public
// (ids, base URLs, shown to the merchant) and part secret (tokens, app secrets). Secrets are
// sealed with the installation's encryption key before they reach the store and are never sent
// back; a PATCH replaces the secrets it names and keeps the others.
//
// Stored secret format (for the webhook/outbound code that reads them):
//   new SecretBox(config.secrets.encryptionKey).open(ciphertext) → JSON object of the secret fields.
import { integrationSecrets, outboundUrlProblem, ValidationError, type Config } from "@kaleem/shared";
import { z } from "zod";
import { zodDetails } from "../http/errors.js";
import { httpUrl } from "./schemas.js";

/** A provider's config fields, split by who may see them. */
export interface ConfigSpec {
  public: Record<string, z.ZodType>;
  secret: Record<string, z.ZodType>;
  /** Public fields a create may omit: a value is generated for them. They can be changed, never cleared. */
  generated?: Record<string, () => string>;
}

/** A token or secret as providers issue them: printable, no spaces. */
export const secretString = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(1024)
    .regex(/^[\x21-\x7e]+$/, `${label} must not contain spaces`);

/** A provider-side id (page id, phone number id, store id). */
export const providerId = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, `${label} may only contain letters, digits and _ . : -`);

/** Provider API base URL override (self-hosted proxies, test doubles); stored without trailing slashes. */
export const apiBaseUrl = httpUrl.transform((url) => url.replace(/\/+$/, ""));

/**
 * The save-time half of the SSRF defence (the request-time half is guardOutbound, which outbound
 * code must use): a base URL must point at a public host unless OUTBOUND_ALLOW_PRIVATE_NETWORKS.
 */
export async function assertPublicTargets(config: Config, publicConfig: Record<string, string>): Promise<void> {
  const url = publicConfig.apiBaseUrl;
  if (url === undefined) return;
  const problem = await outboundUrlProblem(url, config.outbound);
  if (problem !== null) throw new ValidationError("Request is invalid", [{ path: "config.apiBaseUrl", message: `apiBaseUrl ${problem}` }]);
}

/** The full config a create request must carry. */
export function createSchema(spec: ConfigSpec) {
  const shape: Record<string, z.ZodType> = { ...spec.public, ...spec.secret };
  for (const key of Object.keys(spec.generated ?? {})) shape[key] = (shape[key] as z.ZodType).optional();
  return z.strictObject(shape);
}

/** Fills the generated fields a create request left out. */
export function withGenerated(spec: ConfigSpec, values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const [key, make] of Object.entries(spec.generated ?? {})) if (out[key] === undefined) out[key] = make();
  return out;
}

/** The fields a PATCH may carry: any subset; optional public fields may be cleared with null. */
export function patchSchema(spec: ConfigSpec) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries({ ...spec.public, ...spec.secret })) {
    const base = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
    shape[key] = field instanceof z.ZodOptional ? base.nullable().optional() : base.optional();
  }
  return z.strictObject(shape);
}

/** Validates a PATCH's config against the record's own type, reporting paths under "config.". */
export function parseConfigPatch(spec: ConfigSpec, input: unknown): Record<string, unknown> {
  const parsed = patchSchema(spec).safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      "Request is invalid",
      zodDetails(parsed.error).map((d) => ({ ...d, path: d.path === "" ? "config" : `config.${d.path}` })),
    );
  }
  return parsed.data;
}

export interface SplitConfig {
  publicConfig: Record<string, string>;
  secrets: Record<string, string>;
}

/** Splits validated config values into what may be shown and what must be sealed. */
export function splitConfig(spec: ConfigSpec, values: Record<string, unknown>): SplitConfig {
  const publicConfig: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    if (key in spec.secret) secrets[key] = value;
    else if (key in spec.public) publicConfig[key] = value;
  }
  return { publicConfig, secrets };
}

/**
 * Applies a validated PATCH: given values replace stored ones, null clears an optional public
 * field, omitted fields stay as they are.
 */
export function mergeConfig(
  spec: ConfigSpec,
  current: SplitConfig,
  patch: Record<string, unknown>,
): SplitConfig & { changedSecrets: boolean; changedFields: string[] } {
  const publicConfig = { ...current.publicConfig };
  const secrets = { ...current.secrets };
  const changedFields: string[] = [];
  let changedSecrets = false;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    changedFields.push(key);
    if (key in spec.secret) {
      if (typeof value === "string") {
        secrets[key] = value;
        changedSecrets = true;
      }
    } else if (value === null) delete publicConfig[key];
    else if (typeof value === "string") publicConfig[key] = value;
  }
  return { publicConfig, secrets, changedSecrets, changedFields: changedFields.sort() };
}

/**
 * A PATCH's `config` turned into the record patch: validated against the record's spec, merged
 * with the stored values (secrets unsealed, re-sealed only when one changed). `changedFields`
 * names the fields for the audit log, never their values.
 */
export async function applyConfigPatch(
  config: Config,
  spec: ConfigSpec,
  current: { publicConfig: Record<string, string>; readSecrets: () => Promise<string | null> },
  input: unknown,
): Promise<{ patch: { publicConfig?: Record<string, string>; secretsCiphertext?: string }; changedFields: string[] }> {
  if (input === undefined) return { patch: {}, changedFields: [] };
  const box = integrationSecrets(config);
  const values = parseConfigPatch(spec, input);
  const stored = await current.readSecrets();
  const merged = mergeConfig(spec, { publicConfig: current.publicConfig, secrets: stored ? box.open(stored) : {} }, values);
  if (merged.changedFields.includes("apiBaseUrl")) await assertPublicTargets(config, merged.publicConfig);
  return {
    patch: { publicConfig: merged.publicConfig, ...(merged.changedSecrets && { secretsCiphertext: box.seal(merged.secrets) }) },
    changedFields: merged.changedFields,
  };
}
