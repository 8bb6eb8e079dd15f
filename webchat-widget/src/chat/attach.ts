// Attachments in the widget: the tray of files picked (attach button, paste, drag and drop), each
// uploaded at once with progress, previewed, retried on failure; and the parts as they show in
// the log (image thumbnails that open in a lightbox, file chips that download). Media is never
// public: every view asks the server for a 5-minute link scoped to this conversation.
import { putUpload, type AttachmentPart, type UploadTicket } from "@kaleem/shared/contracts";
import type { Strings } from "../i18n.js";
import { h } from "./dom.js";

const CLIP_ICON = "M20 11.5 12 19.5a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.2a1.7 1.7 0 0 1-2.4-2.4L15 7";
export const MAX_FILES = 5;
const ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf";

interface Picked {
  id: number;
  file: File;
  state: "uploading" | "ready" | "failed";
  progress: number;
  uploadId: string | null;
  error: string | null;
  preview: string | null;
  el: HTMLElement;
}

export interface Uploader {
  createUpload(file: { name: string; type: string; size: number }): Promise<UploadTicket>;
}

export function svgIcon(d: string): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

export function createAttachTray(uploader: Uploader, strings: () => Strings, onChange: () => void) {
  const files: Picked[] = [];
  let seq = 0;
  const tray = h("div", { class: "k-tray", hidden: true });
  const input = h("input", { type: "file", accept: ACCEPT, multiple: true, hidden: true, "data-k": "file-input" });
  const button = h("button", { type: "button", class: "k-attach", "data-k": "attach" }, svgIcon(CLIP_ICON));

  const draw = (f: Picked) => {
    const t = strings();
    f.el.textContent = "";
    f.el.dataset.state = f.state;
    if (f.preview) f.el.append(h("img", { src: f.preview, alt: "" }));
    const status = f.state === "uploading" ? `${Math.round(f.progress * 100)}%` : f.state === "failed" ? f.error || t.uploadFailed : formatBytes(f.file.size);
    f.el.append(h("span", { class: "k-chip-n", dir: "auto", text: f.file.name }), h("span", { class: "k-chip-s", role: f.state === "failed" ? "alert" : undefined, text: status }));
    if (f.state === "failed") {
      const retry = h("button", { type: "button", class: "k-chip-r", "data-k": "retry", text: t.retryUpload });
      retry.addEventListener("click", () => void upload(f));
      f.el.append(retry);
    }
    const remove = h("button", { type: "button", class: "k-chip-x", "aria-label": t.removeFile, text: "×" });
    remove.addEventListener("click", () => {
      files.splice(files.indexOf(f), 1);
      if (f.preview) URL.revokeObjectURL(f.preview);
      f.el.remove();
      refresh();
    });
    f.el.append(remove);
  };

  const refresh = () => {
    tray.hidden = files.length === 0;
    button.disabled = files.length >= MAX_FILES;
    onChange();
  };

  const upload = async (f: Picked) => {
    f.state = "uploading";
    f.progress = 0;
    f.error = null;
    draw(f);
    refresh();
    try {
      const ticket = await uploader.createUpload({ name: f.file.name, type: f.file.type, size: f.file.size });
      await putUpload(ticket, f.file, (p) => {
        f.progress = p;
        draw(f);
      });
      f.uploadId = ticket.uploadId;
      f.state = "ready";
    } catch (err) {
      f.state = "failed";
      f.error = err instanceof Error ? err.message : null;
    }
    if (files.includes(f)) {
      draw(f);
      refresh();
    }
  };

  const add = (list: ArrayLike<File> | null | undefined) => {
    for (const file of Array.from(list ?? [])) {
      if (files.length >= MAX_FILES) break;
      const f: Picked = {
        id: ++seq,
        file,
        state: "uploading",
        progress: 0,
        uploadId: null,
        error: null,
        preview: file.type.startsWith("image/") ? URL.createObjectURL(file) : null,
        el: h("div", { class: "k-chip", "data-k": "tray-file" }),
      };
      files.push(f);
      tray.append(f.el);
      void upload(f);
    }
    refresh();
  };

  button.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    add(input.files);
    input.value = "";
  });

  return {
    tray,
    input,
    button,
    add,
    localize() {
      const t = strings();
      button.setAttribute("aria-label", t.attach);
      button.title = t.attach;
      for (const f of files) draw(f);
    },
    busy: () => files.some((f) => f.state === "uploading"),
    ready: () => files.filter((f) => f.state === "ready" && f.uploadId).map((f) => ({ uploadId: f.uploadId! })),
    /** After a send: the files went with the message. */
    clear() {
      for (const f of files.splice(0)) {
        if (f.preview) URL.revokeObjectURL(f.preview);
        f.el.remove();
      }
      refresh();
    },
  };
}

/** An attachment part in the log: a thumbnail (opens the lightbox) or a file chip (downloads). */
export function attachmentView(p: AttachmentPart, t: Strings, link: (key: string) => Promise<string>, lightbox: (src: string, alt: string) => void): HTMLElement {
  const name = p.name || t.attachment;
  if (p.kind === "image" || p.kind === "sticker") {
    const img = h("img", { alt: name, width: p.width ? String(p.width) : undefined, height: p.height ? String(p.height) : undefined });
    const btn = h("button", { type: "button", class: "k-thumb", "data-k": "thumb", title: name }, img);
    void link(p.key).then(
      (url) => (img.src = url),
      () => btn.classList.add("k-broken"),
    );
    btn.addEventListener("click", () => void link(p.key).then((url) => lightbox(url, name)));
    return btn;
  }
  const chip = h("button", { type: "button", class: "k-file", "data-k": "file" }, h("span", { class: "k-chip-n", dir: "auto", text: name }), h("span", { class: "k-chip-s", dir: "ltr", text: formatBytes(p.size) }));
  chip.addEventListener("click", () =>
    void link(p.key).then((url) => {
      // Non-images are served as downloads: following the link saves the file and leaves the page.
      const a = h("a", { href: url, download: name, rel: "noopener noreferrer" });
      document.body.append(a);
      a.click();
      a.remove();
    }),
  );
  return chip;
}

/** A full-size view of an image over the panel; Escape, the button or a click outside closes it. */
export function createLightbox(strings: () => Strings) {
  const img = h("img", { alt: "" });
  const close = h("button", { type: "button", class: "k-lb-x", text: "×" });
  const el = h("div", { class: "k-lb", role: "dialog", "aria-modal": "true", hidden: true, "data-k": "lightbox" }, img, close);
  let back: HTMLElement | null = null;
  const hide = () => {
    el.hidden = true;
    img.removeAttribute("src");
    back?.focus();
  };
  close.addEventListener("click", hide);
  el.addEventListener("click", (e) => {
    if (e.target === el) hide();
  });
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      hide();
    }
  });
  return {
    el,
    show(src: string, alt: string) {
      back = (el.getRootNode() as Document | ShadowRoot).activeElement as HTMLElement | null;
      img.src = src;
      img.alt = alt;
      close.setAttribute("aria-label", strings().closeImage);
      el.setAttribute("aria-label", alt);
      el.hidden = false;
      close.focus();
    },
  };
}
