// Checking WhatsApp credentials at connect: GET /<version>/<phone-number-id> with the token must
// name that very phone number.
import { z } from "zod";
import { ProviderUnrecoverable } from "../common/errors.js";
import type { ProviderHttpOptions } from "../common/http.js";
import type { ProviderRequest } from "../common/request.js";
import { sendProviderRequest } from "../deliver.js";
import { whatsAppAuth, whatsAppUrl, type WhatsAppChannelConfig } from "./config.js";

export interface WhatsAppPhoneNumber {
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
}

const phoneSchema = z.object({ id: z.string().min(1), display_phone_number: z.string().optional(), verified_name: z.string().optional() });

export function buildWhatsAppPhoneNumberCheck(config: WhatsAppChannelConfig): ProviderRequest {
  const url = `${whatsAppUrl(config, "phone_number", config.phoneNumberId)}?fields=id,display_phone_number,verified_name`;
  return { provider: "whatsapp", operation: "phone_number", method: "GET", url, headers: whatsAppAuth(config, "phone_number") };
}

export function parseWhatsAppPhoneNumber(config: WhatsAppChannelConfig, body: unknown): WhatsAppPhoneNumber {
  const phone = phoneSchema.safeParse(body);
  const info = { provider: "whatsapp" as const, operation: "phone_number", httpStatus: 200, code: null };
  if (!phone.success) throw new ProviderUnrecoverable(info, "rejected", "whatsapp phone number lookup answered without an id");
  if (phone.data.id !== config.phoneNumberId) throw new ProviderUnrecoverable(info, "auth", `whatsapp: the token answers for phone number id ${phone.data.id}, not ${config.phoneNumberId}`);
  return { id: phone.data.id, displayPhoneNumber: phone.data.display_phone_number ?? null, verifiedName: phone.data.verified_name ?? null };
}

export async function checkWhatsAppCredentials(config: WhatsAppChannelConfig, options: ProviderHttpOptions = {}): Promise<WhatsAppPhoneNumber> {
  return parseWhatsAppPhoneNumber(config, (await sendProviderRequest(buildWhatsAppPhoneNumberCheck(config), options)).result);
}
