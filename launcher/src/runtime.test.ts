import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { asMerchantId, loadConfig, type ConversationOpenResult } from "@kaleem/shared";
import {
  closeAllClients,
  connected,
  createMerchant,
  inboxClient,
  login,
  nextEvent,
  ok,
  ScriptedBot,
  startTestKaleem,
  widgetClient,
} from "./realtime.test-helpers.js";
import { startKaleem } from "./runtime.js";

const configFor = (dataDir: string) =>
  loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0" });

describe("embedded start", () => {
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
    const t = await startTestKaleem({ bot: new ScriptedBot(["Hello there"]) });
    try {
      const m = await createMerchant(t.k, "Labels Shop");
      const token = await login(t.k.url, m.email, m.password);
      const shopper = widgetClient(t.k.url, m.widgetKey);
      await connected(shopper);
      const open = await ok<ConversationOpenResult>(shopper, "conversation:open", {});
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
    const m = await createMerchant(t.k, "Shutdown Shop");
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
