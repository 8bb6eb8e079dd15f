// Channel and commerce config forms as plain data: which fields a provider has and what a submit
// sends (creating vs editing, where blank secrets keep the stored ones).
import type { ConfigPatch } from "../api/endpoints";
import type { StringKey } from "../i18n/strings";

export interface ConfigField {
  key: string;
  label: StringKey;
  secret?: boolean;
  optional?: boolean;
  /** Filled with a random value the merchant then pastes into the provider. */
  generated?: boolean;
  /** A pick from these values (a select; the first is the default) instead of free text. */
  choices?: readonly string[];
}

/**
 * What a submit sends. Creating: the filled fields. Editing: changed public fields (an emptied
 * optional one as null, which clears it) and the secrets typed in; a blank secret keeps the stored one.
 */
export function configToSend(fields: ConfigField[], values: Record<string, string>, stored?: Record<string, string>): ConfigPatch {
  const out: ConfigPatch = {};
  for (const f of fields) {
    const value = (values[f.key] ?? "").trim();
    if (!stored) {
      if (value !== "") out[f.key] = value;
    } else if (f.secret) {
      if (value !== "") out[f.key] = value;
    } else if (value !== (stored[f.key] ?? "")) {
      out[f.key] = value === "" ? null : value;
    }
  }
  return out;
}
