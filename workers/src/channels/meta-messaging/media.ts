// Messenger / Instagram attachments arrive as signed CDN URLs (payload.url): fetched as they are,
// without the Page token (it must never be sent to a URL that came in a webhook).
import { downloadMedia, type DownloadedMedia, type MediaDownloadOptions } from "../common/media.js";
import type { MetaMessagingPlatform } from "./parse.js";

export function downloadMetaAttachment(platform: MetaMessagingPlatform, url: string, options: MediaDownloadOptions = {}): Promise<DownloadedMedia> {
  return downloadMedia(platform, "attachment", url, {}, options);
}
