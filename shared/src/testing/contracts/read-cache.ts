// The read cache layer's contract (L1 in memory, L2 on Redis) and its invalidation broadcast.
import { expect, it } from "vitest";
import type { CacheInvalidations, ReadCache } from "../../ports/read-cache.js";
import { contractSuite, type ContractFactory } from "./suite.js";
import { waitFor } from "../wait.js";

export interface ReadCacheFactory extends ContractFactory {
  /** A fresh layer that shares nothing with earlier calls (own key prefix). */
  cache(): Promise<ReadCache>;
  /**
   * Two handles on one fresh broadcast, as two processes would hold them (in one process both are
   * the same object).
   */
  invalidations(): Promise<[CacheInvalidations, CacheInvalidations]>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function readCacheContract(f: ReadCacheFactory): void {
  contractSuite("read cache", f, () => {
    it("returns what was set, null for what was not, and forgets deleted keys", async () => {
      const cache = await f.cache();
      expect(await cache.get("merchant-profile:m1:profile")).toBeNull();
      await cache.set("merchant-profile:m1:profile", '{"a":1}', 60_000);
      await cache.set("merchant-profile:m2:profile", '{"a":2}', 60_000);
      expect(await cache.get("merchant-profile:m1:profile")).toBe('{"a":1}');
      await cache.set("merchant-profile:m1:profile", '{"a":3}', 60_000);
      expect(await cache.get("merchant-profile:m1:profile")).toBe('{"a":3}');
      await cache.delete(["merchant-profile:m1:profile", "absent:m1:x"]);
      expect(await cache.get("merchant-profile:m1:profile")).toBeNull();
      expect(await cache.get("merchant-profile:m2:profile")).toBe('{"a":2}');
      await cache.delete([]);
    });

    it("expires entries after their TTL", async () => {
      const cache = await f.cache();
      await cache.set("c:m1:short", "x", 150);
      await cache.set("c:m1:long", "y", 60_000);
      expect(await cache.get("c:m1:short")).toBe("x");
      await pause(300);
      expect(await cache.get("c:m1:short")).toBeNull();
      expect(await cache.get("c:m1:long")).toBe("y");
    });

    it("broadcasts invalidated keys to every subscriber, the publisher's own included, until unsubscribed", async () => {
      const [a, b] = await f.invalidations();
      const seenA: string[] = [];
      const seenB: string[] = [];
      const offA = await a.subscribe((keys) => seenA.push(...keys));
      const offB = await b.subscribe((keys) => seenB.push(...keys));
      await a.publish(["c:m1:one", "c:m1:two"]);
      await waitFor(() => seenA.length === 2 && seenB.length === 2, "both subscribers hear the invalidation");
      expect(seenB).toEqual(["c:m1:one", "c:m1:two"]);
      expect(seenA).toEqual(["c:m1:one", "c:m1:two"]);
      await offB();
      await b.publish(["c:m2:three"]);
      await waitFor(() => seenA.length === 3, "the remaining subscriber hears the next one");
      expect(seenA[2]).toBe("c:m2:three");
      expect(seenB).toHaveLength(2);
      await offA();
    });
  });
}
