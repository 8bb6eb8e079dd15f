import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { storeContract } from "@kaleem/shared/testing";
import { asMerchantId } from "../../ports/store.js";
import { migrations } from "./migrations.js";
import { openSqliteStore } from "./store.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-sqlite-"));
let fileCounter = 0;
const tempFile = () => path.join(dir, `store-${++fileCounter}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract("sqlite (temp file)", () => openSqliteStore({ file: tempFile() }));
storeContract("sqlite (:memory:)", () => openSqliteStore({ file: ":memory:" }));

const owner = (email: string) => ({ email, name: "Owner", role: "owner" as const, passwordHash: "h" });

describe("sqlite store specifics", () => {
  it("uses WAL, foreign keys and a busy timeout", async () => {
    const file = tempFile();
    const store = await openSqliteStore({ file });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("records each migration once; reopening applies nothing and keeps the data", async () => {
    const file = tempFile();
    const first = await openSqliteStore({ file });
    const { merchant } = await first.createMerchant({ name: "Persisted" }, owner("persist@example.com"));
    const t = first.forMerchant(asMerchantId(merchant.id));
    const conv = await t.conversations.create({ channel: "webchat", visitorId: "v" });
    await t.messages.append(conv.id, { role: "shopper", text: "before reopen" });
    await first.close();

    const second = await openSqliteStore({ file });
    await openSqliteStore({ file }).then((s) => s.close());
    try {
      const again = second.forMerchant(asMerchantId(merchant.id));
      expect((await again.merchant.get()).name).toBe("Persisted");
      expect(await second.lookup.userByEmail("persist@example.com")).not.toBeNull();
      const { message } = await again.messages.append(conv.id, { role: "bot", text: "after reopen" });
      expect(message.seq).toBe(2);
    } finally {
      await second.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[];
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it("ping fails once the store is closed", async () => {
    const store = await openSqliteStore({ file: ":memory:" });
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  it("every tenant query plan filters by merchant_id through an index", async () => {
    const file = tempFile();
    const store = await openSqliteStore({ file });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(" | ");
      expect(plan("SELECT * FROM messages WHERE merchant_id = 'm' AND conversation_id = 'c' AND seq > 3 ORDER BY seq")).toMatch(
        /USING INDEX messages_seq/,
      );
      expect(
        plan("SELECT * FROM products WHERE merchant_id = 'm' AND status = 'active' AND category_id = 'c' AND price >= 1"),
      ).toMatch(/USING INDEX products_listing/);
      expect(plan("SELECT * FROM conversations WHERE merchant_id = 'm' ORDER BY activity_at DESC, id DESC LIMIT 5")).toMatch(
        /USING INDEX conversations_activity/,
      );
      expect(plan("SELECT * FROM orders WHERE merchant_id = 'm' ORDER BY created_at DESC, id DESC LIMIT 5")).toMatch(
        /USING INDEX orders_recent/,
      );
    } finally {
      db.close();
    }
  });
});

describe("sqlite store across processes", () => {
  const helper = fileURLToPath(new URL("./append-worker.test-helpers.ts", import.meta.url));

  function runWorker(args: string[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", helper, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (err += b.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve(JSON.parse(out) as number[]);
        else reject(new Error(`worker exited with ${code}: ${err}`));
      });
    });
  }

  it("writers in separate processes share one gap-free seq and never oversell stock", async () => {
    const file = tempFile();
    const store = await openSqliteStore({ file });
    let merchantId: string;
    let conversationId: string;
    let productId: string;
    try {
      const { merchant } = await store.createMerchant({ name: "Multi" }, owner("multi@example.com"));
      merchantId = merchant.id;
      const t = store.forMerchant(asMerchantId(merchant.id));
      conversationId = (await t.conversations.create({ channel: "webchat" })).id;
      productId = (await t.products.create({ name: { en: "P", ar: "" }, price: 1, stock: 150 })).id;
    } finally {
      await store.close();
    }

    const perWorker = 80;
    const labels = ["w1", "w2", "w3"];
    const results = await Promise.all(
      labels.map((label) =>
        runWorker([file, merchantId, conversationId, productId, String(perWorker), label]),
      ),
    );
    const all = results.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: perWorker * labels.length }, (_, i) => i + 1));

    const reopened = await openSqliteStore({ file });
    try {
      const t = reopened.forMerchant(asMerchantId(merchantId));
      expect((await t.conversations.get(conversationId))?.lastSeq).toBe(perWorker * labels.length);
      expect((await t.products.get(productId))?.stock).toBe(0);
    } finally {
      await reopened.close();
    }
  });
});
