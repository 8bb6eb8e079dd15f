// One embedded process wired to Qdrant (QDRANT_URL): the collection is set up at start-up, a
// product written over REST reaches Qdrant through the outbox and the catalog-index job, the first
// search of a store whose vectors are missing has its catalog re-indexed, and with Qdrant down the
// agents' product search still answers, lexical-only, as /metrics says. Qdrant cannot run here:
// the server is the fake Qdrant REST server from @kaleem/shared/testing, which checks the requests'
// shape against Qdrant's documented API and stands in for the transport only.
import { asMerchantId } from "@kaleem/shared";
import { startFakeQdrant, waitFor, type FakeQdrant } from "@kaleem/shared/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMerchant, login, startTestKaleem, type TestKaleem } from "./realtime.test-helpers.js";

let fake: FakeQdrant;
let t: TestKaleem;

beforeEach(async () => {
  fake = await startFakeQdrant();
  t = await startTestKaleem({ env: { QDRANT_URL: fake.url, QDRANT_COLLECTION_PREFIX: "kaleem_test" } });
});
afterEach(async () => {
  await t.close();
  await fake.stop();
});

const points = () => [...fake.collections.values()][0]?.points ?? new Map();
const metric = async (line: RegExp) => line.exec((await t.k.metrics.render()).body)?.[1];

describe("Qdrant wired by QDRANT_URL", () => {
  it("indexes through the catalog-index job, re-indexes a store whose vectors are missing, and searches lexical-only while Qdrant is down", async () => {
    // Start-up: one collection for the built-in embedding, with the tenant index.
    expect([...fake.collections.keys()]).toEqual([expect.stringMatching(/^kaleem_test_kaleem-hashed-v1-512_[0-9a-f]{8}$/)]);
    expect([...fake.collections.values()][0]!.indexes.get("merchantId")).toEqual({ type: "keyword", is_tenant: true });

    const m = await createMerchant(t.k);
    const token = await login(t.k.url, m.email, m.password);
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    // Written before the process heard of it (an import straight into the store): no vectors yet.
    const tenant = t.k.store.forMerchant(asMerchantId(m.merchantId));
    await tenant.products.create({
      externalId: null, name: { en: "Oud Intense Perfume", ar: "عطر عود" }, description: { en: "", ar: "" }, categoryId: null,
      price: 300, currency: "SAR", attributes: {}, stock: 5, tags: ["perfume"], imageUrl: null, url: null, status: "active",
    });

    const res = await fetch(`${t.k.url}/api/v1/products`, { method: "POST", headers: auth, body: JSON.stringify({ name: { en: "Braided Agal", ar: "عقال مجدول" }, price: 120, currency: "SAR" }) });
    expect(res.status).toBe(201);
    const agal = (await res.json()) as { id: string };
    await waitFor(() => [...points().values()].some((p) => p.payload.itemId === agal.id && p.payload.merchantId === m.merchantId), "the new product's vector in Qdrant");

    // The first search finds one vector for two products: the whole catalog is re-indexed.
    const search = async (q: string) => {
      const r = await fetch(`${t.k.url}/api/v1/search/products?q=${encodeURIComponent(q)}`, { headers: auth });
      expect(r.status).toBe(200);
      return ((await r.json()) as { items: Array<{ name: { en: string } }> }).items.map((i) => i.name.en);
    };
    expect(await search("oud perfume")).toEqual(["Oud Intense Perfume"]);
    await waitFor(() => points().size === 2, "the store re-indexed");
    expect(await metric(/^kaleem_search_vector_available\{[^}]*\} (\d+)$/m)).toBe("1");

    await fake.stop();
    expect(await search("braided agal")).toEqual(["Braided Agal"]);
    expect(await metric(/^kaleem_search_vector_available\{[^}]*\} (\d+)$/m)).toBe("0");
    expect(Number(await metric(/^kaleem_search_vector_fallbacks_total\{[^}]*operation="query"[^}]*\} (\d+)$/m))).toBeGreaterThanOrEqual(1);
    expect(t.logs()).toContain("product search falls back to lexical-only");
    expect(fake.violations).toEqual([]);
  });
});
