// The outbox rows a catalog change becomes (the relay and the job are tested in workers/src/jobs/catalog-index.test.ts).
import { describe, expect, it } from "vitest";
import { CATALOG_INDEX_BATCH, outboxTopicSchemas } from "../contracts/jobs.js";
import { catalogChangeRows, fanOutCatalogEvents } from "./catalog-events.js";

describe("catalog change rows", () => {
  it("writes nothing for no change, and one row per batch of changed and of removed products", () => {
    expect(catalogChangeRows([], [])).toEqual([]);
    const rows = catalogChangeRows(["a", "b", "a"], ["c"]);
    expect(rows).toEqual([
      { topic: "catalog.changed", payload: { productIds: ["a", "b"], removed: [], all: false } },
      { topic: "catalog.changed", payload: { productIds: [], removed: ["c"], all: false } },
    ]);
    for (const row of rows) expect(outboxTopicSchemas["catalog.changed"].parse(row.payload)).toEqual(row.payload);
  });

  it("keeps a product both changed and removed only as changed: the job looks it up and removes it if it is gone", () => {
    expect(catalogChangeRows(["a"], ["a", "b"]).map((r) => r.payload)).toEqual([
      { productIds: ["a"], removed: [], all: false },
      { productIds: [], removed: ["b"], all: false },
    ]);
  });

  it("never puts more products in a row than the job schema takes", () => {
    const rows = catalogChangeRows(Array.from({ length: CATALOG_INDEX_BATCH * 2 + 1 }, (_, i) => `p${i}`), []);
    expect(rows.map((r) => r.payload.productIds.length)).toEqual([CATALOG_INDEX_BATCH, CATALOG_INDEX_BATCH, 1]);
    expect(() => outboxTopicSchemas["catalog.changed"].parse({ productIds: Array.from({ length: CATALOG_INDEX_BATCH + 1 }, (_, i) => `p${i}`), removed: [], all: false })).toThrow();
  });
});

describe("fanOutCatalogEvents", () => {
  it("tells every listener of every change, in order", () => {
    const heard: string[] = [];
    const events = fanOutCatalogEvents(
      { productsChanged: (m, c, r) => heard.push(`lexical ${m} ${c.join(",")} ${r.join(",")}`), knowledgeChanged: (m) => heard.push(`lexical knowledge ${m}`) },
      { productsChanged: (m, c, r) => heard.push(`outbox ${m} ${c.join(",")} ${r.join(",")}`), knowledgeChanged: (m) => heard.push(`outbox knowledge ${m}`) },
    );
    events.productsChanged("m1", ["a"], ["b"]);
    events.knowledgeChanged("m2");
    expect(heard).toEqual(["lexical m1 a b", "outbox m1 a b", "lexical knowledge m2", "outbox knowledge m2"]);
  });
});
