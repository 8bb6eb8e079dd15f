import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogEvents } from "../../ports/search.js";
import { startRedisServer, uniquePrefix, type RedisServer } from "../../testing/redis.js";
import { waitFor } from "../../testing/wait.js";
import { catalogChannel, RedisCatalogEvents, subscribeCatalogChanges } from "./catalog-events.js";

class Recorder implements CatalogEvents {
  calls: Array<[string, string[], string[]]> = [];
  productsChanged(merchantId: string, productIds: string[], removed: string[]): void {
    this.calls.push([merchantId, productIds, removed]);
  }
  knowledge: string[] = [];
  knowledgeChanged(merchantId: string): void {
    this.knowledge.push(merchantId);
  }
}

const until = (check: () => boolean) => waitFor(check, "catalog event").then(() => undefined);

let server: RedisServer;
const clients: Redis[] = [];
const client = () => {
  const c = new Redis(server.url);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});

describe("catalog change fan-out over Redis", () => {
  it("applies a change locally at once and in every subscribed process", async () => {
    const prefix = uniquePrefix("catalog");
    const restLocal = new Recorder();
    const workerIndex = new Recorder();
    const otherRest = new Recorder();
    const unsubscribeA = await subscribeCatalogChanges(client(), prefix, workerIndex);
    const unsubscribeB = await subscribeCatalogChanges(client(), prefix, otherRest);
    const events = new RedisCatalogEvents(client(), prefix, restLocal);

    events.productsChanged("m1", ["p1", "p2"], ["p3"]);
    expect(restLocal.calls).toEqual([["m1", ["p1", "p2"], ["p3"]]]);
    await until(() => workerIndex.calls.length > 0 && otherRest.calls.length > 0);
    expect(workerIndex.calls).toEqual([["m1", ["p1", "p2"], ["p3"]]]);
    expect(otherRest.calls).toEqual([["m1", ["p1", "p2"], ["p3"]]]);
    await unsubscribeA();
    await unsubscribeB();
  });

  it("carries knowledge changes to every subscribed process, apart from product changes", async () => {
    const prefix = uniquePrefix("catalog");
    const local = new Recorder();
    const worker = new Recorder();
    const unsubscribe = await subscribeCatalogChanges(client(), prefix, worker);
    const events = new RedisCatalogEvents(client(), prefix, local);
    events.knowledgeChanged("m7");
    expect(local.knowledge).toEqual(["m7"]);
    await until(() => worker.knowledge.length > 0);
    expect(worker.knowledge).toEqual(["m7"]);
    expect(worker.calls).toEqual([]);
    await unsubscribe();
  });

  it("ignores malformed messages and other prefixes", async () => {
    const prefix = uniquePrefix("catalog");
    const target = new Recorder();
    await subscribeCatalogChanges(client(), prefix, target);
    const pub = client();
    await pub.publish(catalogChannel(prefix), "not json");
    await pub.publish(catalogChannel(prefix), JSON.stringify({ merchantId: 5 }));
    await pub.publish(catalogChannel(uniquePrefix("other")), JSON.stringify({ merchantId: "m", productIds: [], removed: [] }));
    await pub.publish(catalogChannel(prefix), JSON.stringify({ merchantId: "m2", productIds: ["x"], removed: [] }));
    await until(() => target.calls.length > 0);
    expect(target.calls).toEqual([["m2", ["x"], []]]);
  });
});
