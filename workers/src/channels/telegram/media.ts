// Telegram files: getFile gives a file_path (valid at least an hour), downloaded from
// <apiBaseUrl>/file/bot<token>/<file_path>. Bots can download up to 20 MB.
import { z } from "zod";
import { ProviderUnrecoverable } from "../common/errors.js";
import { downloadMedia, type DownloadedMedia, type MediaDownloadOptions } from "../common/media.js";
import { jsonPost } from "../common/request.js";
import { sendProviderRequest } from "../deliver.js";
import { telegramFileUrl, telegramMethodUrl, type TelegramChannelConfig } from "./config.js";

const fileSchema = z.object({ file_id: z.string(), file_size: z.number().optional(), file_path: z.string().min(1).optional() });

export async function downloadTelegramFile(config: TelegramChannelConfig, fileId: string, options: MediaDownloadOptions = {}): Promise<DownloadedMedia> {
  const { result } = await sendProviderRequest(jsonPost("telegram", "getFile", telegramMethodUrl(config, "getFile"), { file_id: fileId }), options);
  const file = fileSchema.safeParse(result);
  const info = { provider: "telegram" as const, operation: "getFile", httpStatus: 200, code: null };
  if (!file.success || !file.data.file_path) throw new ProviderUnrecoverable(info, "rejected", "telegram getFile gave no file_path (the file may be too big for bots)");
  const max = options.maxBytes;
  if (max !== undefined && file.data.file_size !== undefined && file.data.file_size > max) {
    throw new ProviderUnrecoverable(info, "too_large", `telegram file of ${file.data.file_size} bytes is more than the ${max} allowed`);
  }
  return downloadMedia("telegram", "file", telegramFileUrl(config, file.data.file_path), {}, options);
}
