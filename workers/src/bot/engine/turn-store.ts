// A view of the tenant's store for one bot turn that reads each product at most once: search
// re-reads its hits for current price and stock, then the answer reads the same products for its
// cards. Anything that could change a product during the turn (an order reserving stock, a product
// write) empties the memo first, so a later read in the same turn sees the change.
import type { Product, TenantStore } from "@kaleem/shared";

/** Every method of `repo`, each emptying the memo before it runs. */
function clearing<T extends object>(repo: T, clear: () => void): T {
  return new Proxy(repo, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        clear();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export function turnStore(store: TenantStore): TenantStore {
  const products = new Map<string, Promise<Product | null>>();
  const clear = () => products.clear();
  const writes = clearing(store.products, clear);
  const productsView = new Proxy(store.products, {
    get(target, prop) {
      if (prop !== "get") return Reflect.get(writes, prop, writes);
      return (id: string) => {
        let found = products.get(id);
        if (!found) {
          found = target.get(id);
          products.set(id, found);
          // A failed read is not remembered.
          found.catch(() => products.get(id) === found && products.delete(id));
        }
        return found;
      };
    },
  });
  // The store's own fields (repos, merchantId) are found through the prototype.
  return Object.create(store, {
    products: { value: productsView, enumerable: true },
    orders: { value: clearing(store.orders, clear), enumerable: true },
  }) as TenantStore;
}
