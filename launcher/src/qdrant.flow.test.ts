// One embedded process wired to Qdrant (QDRANT_URL): the collection is set up at start-up, a
// product written over REST reaches Qdrant through the outbox and the catalog-index job, the first
// search of a store whose vectors are missing has its catalog re-indexed, and with Qdrant down the
// agents' product search and the bot (even when Qdrant was down at start-up) still answer,
// lexical-only, as /metrics and the log say. Qdrant cannot run here:
// the server is the fake Qdrant REST server from @kaleem/shared/testing, which checks the requests'
// shape against Qdrant's documented API and stands in for the transport only.
import { readFileSync } from "node:fs";
import path from "node:path";
import { asMerchantId, type DemoInfo, type Message } from "@kaleem/shared";
import { startFakeQdrant, waitFor, type FakeQdrant } from "@kaleem/shared/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  Recorder,
  closeAllClients,
  connected,
  createMerchant,
  login,
  mustNotBeLogged,
  ok,
  openConversation,
  startTestKaleem,
  until,
  widgetClient,
  type TestKaleem,
} from "./realtime.test-helpers.js";

let fake: FakeQdrant;
let t: TestKaleem | undefined;

async function start(options: { seedDemo?: boolean; apiKey?: string } = {}): Promise<TestKaleem> {
  const env = { QDRANT_URL: fake.url, QDRANT_COLLECTION_PREFIX: "kaleem_test", ...(options.apiKey ? { QDRANT_API_KEY: options.apiKey } : {}) };
  t = await startTestKaleem({ env, ...(options.seedDemo !== undefined ? { seedDemo: options.seedDemo } : {}) });
  return t;
}
afterEach(async () => {
  closeAllClients();
  await t?.close();
  t = undefined;
  await fake.stop();
});

const points = () => [...fake.collections.values()][0]?.points ?? new Map();
const metric = async (line: RegExp) => line.exec((await t!.k.metrics.render()).body)?.[1];

describe("Qdrant wired by QDRANT_URL", () => {
  it("indexes through the catalog-index job, re-indexes a store whose vectors are missing, and searches lexical-only while Qdrant is down", async () => {
    // The fake answers 401 without this key: every request of every component carries it.
    const apiKey = "qdrant-test-key-0123456789";
    mustNotBeLogged(apiKey);
    fake = await startFakeQdrant({ apiKey });
    const t = await start({ apiKey });
    expect(t.logs()).toContain("QDRANT_API_KEY is sent over plain http");
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

  it("starts with Qdrant down and the bot still answers from the catalog, lexical-only", async () => {
    fake = await startFakeQdrant();
    await fake.stop();
    const t = await start({ seedDemo: true });
    expect(t.logs()).toContain("Qdrant unreachable at start-up");
    const demo = JSON.parse(readFileSync(path.join(t.dataDir, "demo.json"), "utf8")) as DemoInfo;
    const shopper = widgetClient(t.k.url, demo.widgetKey, { origin: t.k.url });
    await connected(shopper);
    const s = new Recorder(shopper);
    const open = await openConversation(t.k.store, shopper, demo.merchantId, { locale: "en" });
    await ok<{ message: Message }>(shopper, "message:send", { conversationId: open.conversationId, clientMessageId: "q-abaya", text: "which abayas do you have?" });
    await until(() => s.dones.some((m) => m.role === "bot"), "the bot's answer");
    const answer = s.dones.find((m) => m.role === "bot")!;
    expect(answer.status).toBe("complete");
    const tenant = t.k.store.forMerchant(asMerchantId(demo.merchantId));
    const cards = answer.parts.flatMap((p) => (p.type === "product_card" ? [p.productId] : []));
    const names = await Promise.all(cards.map(async (id) => (await tenant.products.get(id))?.name.en ?? ""));
    expect(names.some((n) => /abaya/i.test(n))).toBe(true);
    expect(Number(await metric(/^kaleem_search_vector_fallbacks_total\{[^}]*operation="query"[^}]*\} (\d+)$/m))).toBeGreaterThanOrEqual(1);
    expect(await metric(/^kaleem_search_vector_available\{[^}]*\} (\d+)$/m)).toBe("0");
    expect(t.logs()).toContain("product search falls back to lexical-only");
  });
});
