// Product images uploaded from the dashboard (POST /api/v1/products/images), served to anyone at
// GET /images/:merchantId/:file: shoppers' browsers load them in the widget and on storefronts, so
// they are public like the catalog they illustrate. Only the product-image prefix of a merchant's
// object space is reachable here (attachments and other media stay behind signed links), and only
// the raster types the upload accepts are served.
import { Router } from "@koa/router";
import { asMerchantId, PRODUCT_IMAGE_KEY_PREFIX, PRODUCT_IMAGE_TYPES, validateMerchantSpace, validateObjectKey } from "@kaleem/shared";
import type { RestServices } from "./http/route.js";
import type { RestContext, RestState } from "./http/state.js";

const served = new Set<string>(Object.keys(PRODUCT_IMAGE_TYPES));

export function productImageRouter(services: RestServices): Router<RestState> {
  const router = new Router<RestState>();
  router.get("/images/:merchantId/:file", async (rawCtx) => {
    const ctx = rawCtx as unknown as RestContext & { params: { merchantId: string; file: string } };
    ctx.state.route = "/images/:merchantId/:file";
    const { merchantId, file } = ctx.params;
    let key: string;
    try {
      validateMerchantSpace(merchantId);
      key = validateObjectKey(PRODUCT_IMAGE_KEY_PREFIX + file);
    } catch {
      return; // an impossible name is a 404 like a missing image
    }
    const object = await services.deps.objects.forMerchant(asMerchantId(merchantId)).get(key);
    if (!object) return;
    if (!served.has(object.info.contentType)) {
      object.body.destroy();
      return;
    }
    const etag = `"${object.info.etag}"`;
    ctx.set("ETag", etag);
    // Uploads get a fresh name each time, so an image never changes under its URL.
    ctx.set("Cache-Control", "public, max-age=86400, immutable");
    // The widget shows them on the merchant's own site.
    ctx.set("Cross-Origin-Resource-Policy", "cross-origin");
    if (ctx.get("if-none-match") === etag) {
      object.body.destroy();
      ctx.status = 304;
      return;
    }
    ctx.type = object.info.contentType;
    ctx.length = object.info.size;
    ctx.body = ctx.method === "HEAD" ? (object.body.destroy(), null) : object.body;
    if (ctx.method === "HEAD") ctx.status = 200;
  });
  return router;
}
