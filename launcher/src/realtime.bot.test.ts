// Embedded runtime with the real bot engine and the demo store: the shopper's question is
// answered in English and Arabic, streamed to the shopper and to a watching agent. The engine
// runs on its thread, as `npm start` runs it (BOT_ENGINE_THREADS auto).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type DemoInfo, type Message } from "@kaleem/shared";
import { Recorder, closeAllClients, connected, inboxClient, login, ok, openConversation, startTestKaleem, until, widgetClient, type TestKaleem } from "./realtime.test-helpers.js";

let t: TestKaleem;
let demo: DemoInfo;
let token: string;

beforeAll(async () => {
  t = await startTestKaleem({ seedDemo: true, env: { BOT_ENGINE_THREADS: "1" } });
  demo = JSON.parse(readFileSync(path.join(t.dataDir, "demo.json"), "utf8")) as DemoInfo;
  token = await login(t.k.url, demo.email, demo.password);
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

describe("the real bot over the hub", () => {
  for (const [locale, question] of [
    ["en", "which abayas do you have?"],
    ["ar", "وش العبايات اللي عندكم؟"],
  ] as const) {
    it(`answers "${question}" with streamed text and product cards`, async () => {
      // The demo store allows the product's own origin, so its demo page works out of the box.
      const shopper = widgetClient(t.k.url, demo.widgetKey, { origin: t.k.url });
      await connected(shopper);
      const s = new Recorder(shopper);
      const open = await openConversation(t.k.store, shopper, demo.merchantId, { locale });
      const agent = inboxClient(t.k.url, token);
      await connected(agent);
      const a = new Recorder(agent);
      await ok(agent, "conversation:watch", { conversationId: open.conversationId });

      const sent = await ok<{ message: Message }>(shopper, "message:send", { conversationId: open.conversationId, clientMessageId: `q-${locale}`, text: question });
      await until(() => s.dones.some((m) => m.role === "bot") && a.dones.some((m) => m.role === "bot"), "answer on both sides");
      const final = s.dones.find((m) => m.role === "bot")!;
      expect(final.status).toBe("complete");
      expect(final.seq).toBe(sent.message.seq + 1);
      for (const rec of [s, a]) {
        const deltas = rec.deltasOf(final.id);
        expect(deltas.length).toBeGreaterThanOrEqual(2);
        expect(deltas.map((d) => d.text).join("")).toBe(final.text);
      }
      const cards = final.parts.filter((p) => p.type === "product_card");
      expect(cards.length).toBeGreaterThan(0);
      for (const card of cards) expect(card.type === "product_card" && card.currency).toBe("SAR");
      if (locale === "ar") expect(final.text).toMatch(/[\u0600-\u06FF]/);
      const tenant = t.k.store.forMerchant(asMerchantId(demo.merchantId));
      const stored = await tenant.messages.get(final.id);
      expect(stored).toMatchObject({ seq: final.seq, text: final.text, status: "complete" });
      const names = await Promise.all(cards.map(async (c) => (c.type === "product_card" ? (await tenant.products.get(c.productId))?.name.en : "")));
      expect(names.some((n) => /abaya/i.test(n ?? ""))).toBe(true);
    });
  }
});
