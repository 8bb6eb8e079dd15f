// WhatsApp media: GET /<version>/<media-id> gives a short-lived URL, downloaded with the same
// Bearer token.
import { z } from "zod";
import { ProviderUnrecoverable } from "../common/errors.js";
import { downloadMedia, type DownloadedMedia, type MediaDownloadOptions } from "../common/media.js";
import { sendProviderRequest } from "../deliver.js";
import { whatsAppAuth, whatsAppUrl, type WhatsAppChannelConfig } from "./config.js";

const mediaSchema = z.object({ url: z.string().min(1), mime_type: z.string().optional(), file_size: z.union([z.number(), z.string()]).optional() });

export async function downloadWhatsAppMedia(config: WhatsAppChannelConfig, mediaId: string, options: MediaDownloadOptions = {}): Promise<DownloadedMedia> {
  const auth = whatsAppAuth(config, "media");
  const { result } = await sendProviderRequest({ provider: "whatsapp", operation: "media", method: "GET", url: whatsAppUrl(config, "media", mediaId), headers: auth }, options);
  const media = mediaSchema.safeParse(result);
  const info = { provider: "whatsapp" as const, operation: "media", httpStatus: 200, code: null };
  if (!media.success) throw new ProviderUnrecoverable(info, "rejected", "whatsapp media lookup gave no URL");
  const size = media.data.file_size !== undefined ? Number(media.data.file_size) : null;
  if (options.maxBytes !== undefined && size !== null && size > options.maxBytes) {
    throw new ProviderUnrecoverable(info, "too_large", `whatsapp media of ${size} bytes is more than the ${options.maxBytes} allowed`);
  }
  const downloaded = await downloadMedia("whatsapp", "media_download", media.data.url, auth, options);
  // The lookup's type is what WhatsApp recorded at upload; the download's header may be generic.
  return { bytes: downloaded.bytes, contentType: media.data.mime_type?.split(";")[0]?.trim() || downloaded.contentType };
}
