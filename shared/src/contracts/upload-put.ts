// The browser half of an upload (PROTOCOL.md §10 step 2): PUT the file to the ticket's URL with
// its headers, reporting progress. Zod-free and DOM-only (XMLHttpRequest, because fetch reports
// no upload progress); the widget loads it lazily, the dashboard imports it.

/** What PUT needs of an UploadTicket. */
export interface PutTarget {
  url: string;
  method: "PUT";
  headers: Record<string, string>;
}

// The few XMLHttpRequest members used, typed here: shared compiles without the DOM library.
interface ProgressLike {
  lengthComputable: boolean;
  loaded: number;
  total: number;
}
interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  upload: { onprogress: ((e: ProgressLike) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  readonly status: number;
  abort(): void;
  send(body: UploadBody): void;
}
/** A Blob or File (typed structurally: some clients of this module compile without DOM or Node types). */
export type UploadBody = { readonly size: number; readonly type: string };
interface AbortSignalLike {
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
}

export class UploadPutError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves when the server accepted the bytes; rejects with UploadPutError (status 0: network) or on abort. */
export function putUpload(target: PutTarget, body: UploadBody, onProgress?: (fraction: number) => void, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new (globalThis as unknown as { XMLHttpRequest: new () => Xhr }).XMLHttpRequest();
    xhr.open(target.method, target.url);
    for (const [name, value] of Object.entries(target.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve();
      } else reject(new UploadPutError(xhr.status, xhr.status === 413 ? "The file is too large" : xhr.status === 403 ? "The upload link has expired" : `Upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new UploadPutError(0, "Upload failed: network error"));
    xhr.onabort = () => reject(new UploadPutError(0, "Upload cancelled"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
