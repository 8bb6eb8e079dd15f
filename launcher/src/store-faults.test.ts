// Store write failures end to end: another connection holds the SQLite write lock (a real
// SQLITE_BUSY after SQLITE_BUSY_TIMEOUT_MS), and every surface says so clearly — REST answers
// 503 with Retry-After, a socket send is refused with `unavailable` — while reads go on. What was
// refused was not stored; sent again once the lock is gone, it is stored once and answered once.
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type Ack, type ConversationOpenResult } from "@kaleem/shared";
import { call, closeAllClients, connected, createMerchant, login, ok, ScriptedBot, startTestKaleem, until, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

let t: TestKaleem;
let shop: TestMerchant;
const bot = new ScriptedBot();

beforeAll(async () => {
  t = await startTestKaleem({ bot, env: { SQLITE_BUSY_TIMEOUT_MS: "100" } });
  shop = await createMerchant(t.k);
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

describe("the store refuses writes (busy)", () => {
  it("REST and sockets answer unavailable, nothing refused is stored, and a resend lands once", { timeout: 60_000 }, async () => {
    const token = await login(t.k.url, shop.email, shop.password);
    const shopper = widgetClient(t.k.url, shop.widgetKey);
    await connected(shopper);
    // A new visitor: the conversation starts with the first message (nothing is created on open).
    const open = await ok<ConversationOpenResult>(shopper, "conversation:open", {});
    expect(open.conversationId).toBeNull();
    const tenant = t.k.store.forMerchant(asMerchantId(shop.merchantId));
    const blocker = new Database(path.join(t.dataDir, "kaleem.db"));
    try {
      blocker.exec("BEGIN IMMEDIATE");

      const refused = (await call(shopper, "message:send", { conversationId: null, clientMessageId: "busy-1", text: "is the abaya in stock?" })) as Ack<unknown>;
      expect(refused).toMatchObject({ ok: false, error: { code: "unavailable" } });

      const create = await fetch(`${t.k.url}/api/v1/products`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: { en: "Linen abaya" }, price: 200 }),
      });
      expect(create.status).toBe(503);
      expect(Number(create.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await create.json()) as { error: { code: string } }).error.code).toBe("unavailable");

      // Reads are not blocked by a writer (WAL): the inbox and the API keep answering.
      const list = await fetch(`${t.k.url}/api/v1/products`, { headers: { Authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
      expect((await fetch(`${t.k.url}/healthz`)).status).toBe(200);
    } finally {
      if (blocker.inTransaction) blocker.exec("ROLLBACK");
      blocker.close();
    }

    // Nothing refused was written: no conversation, no message.
    expect((await tenant.conversations.list()).items).toEqual([]);
    expect((await tenant.products.list()).items.map((p) => p.name.en)).not.toContain("Linen abaya");

    // The client sends again with the same id (the widget retries `unavailable`): stored once, answered once.
    const again = await ok<{ message: { id: string; conversationId: string } }>(shopper, "message:send", { conversationId: null, clientMessageId: "busy-1", text: "is the abaya in stock?" });
    const conversationId = again.message.conversationId;
    const twice = await ok<{ message: { id: string } }>(shopper, "message:send", { conversationId, clientMessageId: "busy-1", text: "is the abaya in stock?" });
    expect(twice.message.id).toBe(again.message.id);
    expect((await tenant.conversations.list()).items.map((c) => c.id)).toEqual([conversationId]);
    await until(async () => (await tenant.messages.listAfter(conversationId, 0)).some((m) => m.role === "bot" && m.status === "complete"), "the answer");
    const roles = (await tenant.messages.listAfter(conversationId, 0)).map((m) => m.role);
    expect(roles.filter((r) => r === "shopper")).toHaveLength(1);
    expect(roles.filter((r) => r === "bot")).toHaveLength(1);
  });
});
