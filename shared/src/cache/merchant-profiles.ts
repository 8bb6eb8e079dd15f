// The merchant as the widget's connect path and the widget-settings read see it, cached. Without the
// identity secret: that never goes to Redis (nor anywhere it is not needed); callers that need it
// read the store.
import { publicMerchantSchema, type PublicMerchant } from "../contracts/api/account.js";
import type { Merchant } from "../contracts/domain.js";
import type { MerchantId, MerchantRepo, Store, TenantStore } from "../ports/store.js";
import type { TieredCache } from "./tiered.js";

export const MERCHANT_PROFILE_CACHE = "merchant-profile";

export function publicMerchantOf(merchant: Merchant): PublicMerchant {
  const { identitySecret: _secret, ...widget } = merchant.widget;
  return { ...merchant, widget };
}

export interface MerchantProfiles {
  /** The merchant without secrets, read through the cache. */
  get(merchantId: MerchantId): Promise<PublicMerchant>;
  /** Drops the cached profile everywhere (called after every merchant write by `invalidatingMerchantWrites`). */
  invalidate(merchantId: MerchantId): Promise<void>;
}

export function cachedMerchantProfiles(store: Store, cache: TieredCache): MerchantProfiles {
  return {
    get: (merchantId) =>
      cache.read({ cache: MERCHANT_PROFILE_CACHE, merchantId, id: "profile", schema: publicMerchantSchema }, async () =>
        publicMerchantOf(await store.forMerchant(merchantId).merchant.get()),
      ),
    invalidate: (merchantId) => cache.invalidate(MERCHANT_PROFILE_CACHE, merchantId, ["profile"]),
  };
}

/**
 * The store with every merchant write followed by `changed(merchantId)`. Wrapping the store (not
 * each route) means no write path can forget to invalidate: settings, widget-key rotation, identity
 * secret, bot settings and the demo's origins all go through `merchant.update`.
 */
export function invalidatingMerchantWrites<S extends Store>(store: S, changed: (merchantId: MerchantId) => Promise<void>): S {
  const wrapTenant = (tenant: TenantStore): TenantStore => {
    const repo = tenant.merchant;
    const merchant: MerchantRepo = {
      get: () => repo.get(),
      update: async (patch) => {
        const updated = await repo.update(patch);
        await changed(tenant.merchantId);
        return updated;
      },
    };
    return new Proxy(tenant, {
      get: (target, prop) => (prop === "merchant" ? merchant : bound(target, prop)),
    });
  };
  return new Proxy(store, {
    get: (target, prop) => (prop === "forMerchant" ? (id: MerchantId) => wrapTenant(target.forMerchant(id)) : bound(target, prop)),
  });
}

/** Methods of the wrapped object run with it as `this` (class instances with private state). */
function bound(target: object, prop: string | symbol): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
