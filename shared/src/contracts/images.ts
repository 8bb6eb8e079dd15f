// The one rule for a product's image URL, shared by the seed, the REST API and the dashboard's
// product editor: an absolute http(s) URL (a platform's CDN, the merchant's own site), or a path on
// this installation — the demo pictures the launcher draws (/demo/img/<file>) or an image uploaded
// from the editor into the object store (/images/<merchantId>/<file>, served by REST). A relative
// path is kept relative on purpose: the widget and the dashboard resolve it against the server they
// talk to, so a store keeps its pictures when the installation moves to another host.
import { z } from "zod";

/** Uploaded product images live under this key prefix in each merchant's object store space. */
export const PRODUCT_IMAGE_KEY_PREFIX = "product-images/";
/** What the editor may upload, and the file extension each is stored with. SVG is not among them: it can carry script. */
export const PRODUCT_IMAGE_TYPES = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif" } as const;
export type ProductImageType = keyof typeof PRODUCT_IMAGE_TYPES;
/** Decoded bytes; the base64 upload stays within the default 1 MiB JSON body limit. */
export const MAX_PRODUCT_IMAGE_BYTES = 700 * 1024;

const SEGMENT = "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}";
const INSTALLATION_PATH = new RegExp(`^/(?:demo/img/${SEGMENT}|images/[A-Za-z0-9_-]{1,64}/${SEGMENT})$`);

/** The path an uploaded image is served at (see PRODUCT_IMAGE_KEY_PREFIX for its object key). */
export function productImagePath(merchantId: string, file: string): string {
  return `/images/${merchantId}/${file}`;
}

/** True for an absolute http(s) URL or a path on this installation's media; false for anything else. */
export function isProductImageUrl(value: string): boolean {
  if (value.length === 0 || value.length > 2048) return false;
  if (value.startsWith("/")) return INSTALLATION_PATH.test(value);
  // Parsed by hand: this module also runs where no URL class is typed (the widget's client library).
  return ABSOLUTE.test(value);
}
// http(s)://host[:port] then an optional path/query/fragment; no credentials, spaces or controls.
const ABSOLUTE = /^https?:\/\/(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:[/?#][^\s\p{Cc}]*)?$/iu;

export const PRODUCT_IMAGE_URL_MESSAGE = "Use an http(s) URL or an image uploaded to this store (/images/...)";
export const productImageUrlSchema = z.string().trim().refine(isProductImageUrl, PRODUCT_IMAGE_URL_MESSAGE);
