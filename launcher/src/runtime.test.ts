import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { asMerchantId, loadConfig } from "@kaleem/shared";
import {
  closeAllClients,
  connected,
  createMerchant,
  inboxClient,
  login,
  nextEvent,
  openConversation,
  ScriptedBot,
  startTestKaleem,
  widgetClient,
} from "./realtime.test-helpers.js";
import { startKaleem } from "./runtime.js";

const configFor = (dataDir: string) =>
  loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0" });

describe("embedded start", () => {
  it("serves a merchant's media through signed links on the process's own server", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-media-"));
    const k = await startKaleem(configFor(dataDir), { printCredentials: false, seedDemo: false });
    try {
      const scoped = k.objects.forMerchant(asMerchantId("m_media_test"));
      await scoped.put("charts/size.txt", new TextEncoder().encode("S M L"), { contentType: "text/plain" });
      const link = new URL(await scoped.presignGet("charts/size.txt", { expiresInSeconds: 60 }));
      const res = await fetch(`${k.url}${link.pathname}${link.search}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("S M L");
      // The same path without its signature is refused.
      expect((await fetch(`${k.url}${link.pathname}`)).status).toBe(403);
    } finally {
      await k.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("seeds once, and a restart on another port lets the demo page's new origin in", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-runtime-"));
    try {
      const first = await startKaleem(configFor(dataDir), { printCredentials: false });
      const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as { merchantId: string; password: string };
      const firstPort = first.port;
      await first.close();

      const second = await startKaleem(configFor(dataDir), { printCredentials: false });
      try {
        expect(second.port).not.toBe(firstPort);
        // Not seeded twice: same demo store, same generated password.
        expect(JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")).password).toBe(demo.password);
        expect(await second.store.lookup.merchantIds()).toEqual([demo.merchantId]);
        const merchant = await second.store.forMerchant(asMerchantId(demo.merchantId)).merchant.get();
        expect(merchant.widget.allowedOrigins).toEqual(
          expect.arrayContaining([`http://localhost:${firstPort}`, `http://localhost:${second.port}`, `http://127.0.0.1:${second.port}`]),
        );
        const page = await fetch(`${second.url}/`);
        expect(await page.text()).toContain(merchant.widget.key);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("REST changes reach the live inbox", () => {
  it("labels set over REST update every agent's conversation list", async () => {
    const t = await startTestKaleem({ bot: new ScriptedBot() });
    try {
      const m = await createMerchant(t.k);
      const token = await login(t.k.url, m.email, m.password);
      const shopper = widgetClient(t.k.url, m.widgetKey);
      await connected(shopper);
      const open = await openConversation(t.k.store, shopper, m.merchantId);
      const agent = inboxClient(t.k.url, token);
      await connected(agent);
      const updated = nextEvent<{ conversation: { id: string; labels: string[] } }>(
        agent,
        "conversation:updated",
        (p) => p.conversation.id === open.conversationId && p.conversation.labels.includes("vip"),
      );
      const res = await fetch(`${t.k.url}/api/v1/conversations/${open.conversationId}`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ labels: ["vip", "returns"] }),
      });
      expect(res.status).toBe(200);
      expect((await updated).conversation.labels).toEqual(["vip", "returns"]);
    } finally {
      closeAllClients();
      await t.close();
    }
  });
});

describe("shutdown", () => {
  it("closes the sockets itself before the HTTP server (no wait for a forced connection kill)", async () => {
    const t = await startTestKaleem({ bot: new ScriptedBot() });
    const m = await createMerchant(t.k);
    const shopper = widgetClient(t.k.url, m.widgetKey);
    const agent = inboxClient(t.k.url, await login(t.k.url, m.email, m.password));
    await Promise.all([connected(shopper), connected(agent)]);
    const reasons = Promise.all([
      new Promise<string>((r) => shopper.once("disconnect", r)),
      new Promise<string>((r) => agent.once("disconnect", r)),
    ]);
    await t.close();
    // The hub said goodbye; a hang would end in a forced "transport close" after the grace period.
    expect(await reasons).toEqual(["io server disconnect", "io server disconnect"]);
    closeAllClients();
  });
});

describe("configured integrations", () => {
  it("uses the OpenAI-compatible embeddings endpoint when EMBEDDINGS_BASE_URL is set", async () => {
    const http = await import("node:http");
    const seen: string[][] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const input = (JSON.parse(body) as { input: string[] }).input;
        seen.push(input);
        res.setHeader("Content-Type", "application/json");
        // A tiny deterministic embedding: letter counts folded into 8 dimensions.
        const data = input.map((text, index) => {
          const v = new Array<number>(8).fill(0);
          for (const ch of text) v[ch.charCodeAt(0) % 8]! += 1;
          return { object: "embedding", index, embedding: v };
        });
        res.end(JSON.stringify({ object: "list", data, model: "test-embed" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const t = await startTestKaleem({ seedDemo: true, env: { EMBEDDINGS_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    try {
      const demo = JSON.parse(readFileSync(path.join(t.dataDir, "demo.json"), "utf8")) as { email: string; password: string };
      const token = await login(t.k.url, demo.email, demo.password);
      const res = await fetch(`${t.k.url}/api/v1/search/products?q=black%20abaya&limit=3`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      // The catalog was embedded through the endpoint, and so was the query.
      expect(seen.flat().some((text) => /abaya/i.test(text))).toBe(true);
      expect(seen.length).toBeGreaterThanOrEqual(2);
    } finally {
      await t.close();
      await new Promise((r) => server.close(r));
    }
  });
});
