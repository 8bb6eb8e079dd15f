// The provider layer for store platforms (Shopify, Salla, Zid): webhook verification and parsing
// into normalized product/order changes, API pages for import and reconciliation.
export { createCommerceGateway, type CommerceGateway, type CommerceGatewayOptions, type CommercePageRequest } from "./gateway.js";
export { verifySalla, verifyShopify, verifyZid, type CommerceRejection, type CommerceVerdict, type SallaStrategy } from "./common/signatures.js";
export { parseLosslessJson } from "./common/json.js";
export { shopifyChanges, shopifyOrder, shopifyProduct } from "./shopify/parse.js";
export { sallaChanges, sallaOrder, sallaProduct } from "./salla/parse.js";
export { zidChanges, zidOrder, zidProduct } from "./zid/parse.js";
export type { PlatformPage, SyncResource } from "./common/api.js";
