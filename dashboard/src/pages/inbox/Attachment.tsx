// Attachments in the inbox: a shopper's photo as a thumbnail (opened full size in a new tab), any
// other file as a chip that downloads it. Media is never public: every view asks REST for a
// 5-minute link scoped to this conversation, so nothing here holds a lasting URL.
import type { AttachmentPart } from "@kaleem/shared/contracts";
import { useEffect, useState } from "react";
import { getAttachmentLink } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import { Icon } from "../../ui/icons";

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Follows a fresh link in this tab: documents are served as downloads, so the page stays. */
async function download(conversationId: string, part: AttachmentPart): Promise<void> {
  const { url } = await getAttachmentLink(conversationId, part.key);
  const a = document.createElement("a");
  a.href = url;
  a.rel = "noopener noreferrer";
  if (part.name) a.download = part.name;
  document.body.append(a);
  a.click();
  a.remove();
}

export function AttachmentView({ part, conversationId }: { part: AttachmentPart; conversationId: string }) {
  const { t } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const image = part.kind === "image" || part.kind === "sticker";
  useEffect(() => {
    if (!image) return;
    let live = true;
    getAttachmentLink(conversationId, part.key).then(
      (link) => live && setSrc(link.url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [conversationId, part.key, image]);

  const name = part.name ?? t("inbox.attachment");
  if (image && !failed) {
    return (
      <button
        type="button"
        className="attachment-thumb"
        data-testid="attachment-image"
        title={name}
        onClick={() => void getAttachmentLink(conversationId, part.key).then((l) => window.open(l.url, "_blank", "noopener,noreferrer"))}
      >
        {src ? <img src={src} alt={name} width={part.width ?? undefined} height={part.height ?? undefined} referrerPolicy="no-referrer" /> : <span className="attachment-thumb-loading" aria-label={t("common.loading")} />}
      </button>
    );
  }
  return (
    <button type="button" className="file-chip" data-testid="attachment-file" onClick={() => void download(conversationId, part).catch(() => setFailed(true))}>
      <Icon name="file" size={16} />
      <bdi className="file-chip-name">{name}</bdi>
      <span className="file-chip-size" dir="ltr">
        {formatBytes(part.size)}
      </span>
    </button>
  );
}
